from pathlib import Path

import pytest
import time_machine
from django.contrib.auth.models import User
from django.utils import timezone

from exams import services
from questions.blueprint_files import load_blueprints
from questions.models import Domain, Exam, Objective, Option, Question

ROOT = Path(__file__).resolve().parent.parent
# When the attempts in tests start; the clock is frozen with time_machine around it.
T0 = timezone.datetime(2026, 11, 21, 9, 0, tzinfo=timezone.UTC)


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
    load_blueprints([ROOT / "fixtures" / "blueprints"])
    return Exam.objects.get(code="MLS-C01")


def make_exam(
    code="MLA-C01",
    question_count=130,
    duration_minutes=130,
    passing_score=720,
    weights=(28, 26, 46),
) -> Exam:
    """An exam built from data alone, to show no MLS-C01 number is baked into the logic."""
    exam = Exam.objects.create(
        code=code,
        name=f"Exam {code}",
        question_count=question_count,
        duration_minutes=duration_minutes,
        passing_score=passing_score,
    )
    for number, weight in enumerate(weights, start=1):
        domain = Domain.objects.create(
            exam=exam, number=number, name=f"Domain {number}", weight=weight
        )
        Objective.objects.create(domain=domain, code=f"{number}.1", title=f"Objective {number}.1")
    return exam


def make_bank(exam: Exam, per_objective: int, multiple_every: int = 4) -> list[Question]:
    """``per_objective`` active questions on every objective of ``exam``.

    Every ``multiple_every``-th question is multiple-response (2 correct of 5).
    """
    questions = []
    for objective in Objective.objects.filter(domain__exam=exam):
        for i in range(per_objective):
            multiple = multiple_every and i % multiple_every == multiple_every - 1
            questions.append(
                Question(
                    key=f"{exam.code}-{objective.code}-{i:05d}".lower(),
                    objective=objective,
                    type="multiple" if multiple else "single",
                    stem=f"Stem of question {i} on objective {objective.code}?",
                    explanation=f"EXPLANATION-{objective.code}-{i}: why the answer is right.",
                    references=["https://docs.aws.amazon.com/sagemaker/latest/dg/whatis.html"],
                    status=Question.Status.ACTIVE,
                )
            )
    Question.objects.bulk_create(questions, batch_size=2000)
    questions = list(Question.objects.filter(objective__domain__exam=exam))
    options = []
    for q in questions:
        n, correct = (5, {0, 1}) if q.type == "multiple" else (4, {0})
        options += [
            Option(question=q, text=f"{q.key} option {j}", is_correct=j in correct, order=j)
            for j in range(n)
        ]
    Option.objects.bulk_create(options, batch_size=5000)
    return questions


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
