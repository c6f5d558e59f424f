"""No test depends on the day it runs: the time-sensitive modules pass with the machine's
date a year earlier and a year later (tests start at T0 whatever the date)."""

import os
import subprocess
import sys

import pytest

from tests.helpers import ROOT

MODULES = ["tests/test_taking.py", "tests/test_submit.py", "tests/test_security.py",
           "tests/test_accounts.py", "tests/test_login_throttle.py", "tests/test_begin.py"]  # fmt: skip


def child_env() -> dict[str, str]:
    """The suite's environment, with a database of its own on PostgreSQL: this run's test
    database is in use by the run that starts the child."""
    env = dict(os.environ)
    url = env.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        env["DATABASE_URL"] = url.rsplit("/", 1)[0] + "/examsite_clock"
    return env


@pytest.mark.parametrize("days", [-365, 365])
def test_the_suite_passes_a_year_away(days):
    r = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:cacheprovider",
         f"--clock-offset-days={days}", *MODULES],
        cwd=ROOT, capture_output=True, text=True, timeout=600, env=child_env(),
    )  # fmt: skip
    assert r.returncode == 0, r.stdout[-3000:]
    assert " passed" in r.stdout and " failed" not in r.stdout


def test_every_test_starts_at_t0(clock):
    from django.utils import timezone

    from tests.helpers import T0

    assert abs((timezone.now() - T0).total_seconds()) < 60
