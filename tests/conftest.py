from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.utils import timezone

from exams import services
from questions.blueprint_files import load_blueprints
from questions.models import Exam
from tests.factories import make_bank
from tests.helpers import ROOT, T0


def pytest_collection_modifyitems(config, items):
    if config.getoption("--slow"):
        return
    skip = pytest.mark.skip(reason="a long statistical run: pytest --slow")
    for item in items:
        if item.get_closest_marker("slow"):
            item.add_marker(skip)


def pytest_addoption(parser):
    parser.addoption("--slow", action="store_true", help="also run the long statistical runs")
    parser.addoption(
        "--clock-offset-days",
        type=int,
        default=0,
        help="run as if the machine's date were this many days away from today "
        "(shows that no test depends on the day it runs)",
    )


@pytest.fixture(scope="session", autouse=True)
def machine_date(request):
    offset = request.config.getoption("--clock-offset-days")
    if not offset:
        yield
        return
    with time_machine.travel(timezone.now() + timedelta(days=offset), tick=True):
        yield


@pytest.fixture(autouse=True)
def clock(request):
    """Every test starts at T0, whatever the machine's date; the clock then runs.

    Browser and deployment tests drive other processes on the real clock, so they keep it.
    """
    if request.node.get_closest_marker("browser") or request.node.get_closest_marker("deploy"):
        yield None
        return
    with time_machine.travel(T0, tick=True) as traveller:
        yield traveller


@pytest.fixture
def alice(db):
    return User.objects.create_user("alice", "alice@example.org", "password")


@pytest.fixture
def bob(db):
    return User.objects.create_user("bob", "bob@example.org", "password")


@pytest.fixture
def charlie(db):
    return User.objects.create_user(
        "charlie", "charlie@example.org", "password", is_staff=True, is_superuser=True
    )


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def admin_client(client, charlie):
    client.force_login(charlie)
    return client


@pytest.fixture
def mls(db) -> Exam:
    load_blueprints([ROOT / "fixtures" / "blueprints" / "mls-c01.yaml"])
    return Exam.objects.get(code="MLS-C01")


@pytest.fixture
def mls_bank(mls):
    make_bank(mls, per_objective=8)
    return mls


@pytest.fixture
def attempt(alice, mls_bank):
    """Alice's MLS-C01 attempt, started at T0."""
    with time_machine.travel(T0, tick=False):
        a, _ = services.start_attempt(alice, mls_bank)
    return a


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The default hasher is slow on purpose; the login-throttling tests log in dozens of times.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
