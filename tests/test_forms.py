"""Forms of an exam share its bank; each exam has its own open mock, history and trends."""

import random

import pytest
from django.urls import reverse

from exams import services
from exams.models import Attempt
from questions.blueprint_files import load_blueprints
from questions.models import Exam
from tests.factories import make_bank
from tests.helpers import ROOT

BLUEPRINTS = ROOT / "fixtures" / "blueprints"


@pytest.fixture
def forms(db):
    load_blueprints([BLUEPRINTS])
    mls, mla = Exam.objects.get(code="MLS-C01"), Exam.objects.get(code="MLA-C02")
    make_bank(mls, per_objective=12)
    make_bank(mla, per_objective=30)
    return {e.code: e for e in Exam.objects.all()}


def test_the_shipped_forms_and_their_shapes(forms):
    half, beta, mla = forms["MLS-C01-HALF"], forms["MLA-C02-BETA"], forms["MLA-C02"]
    assert half.bank == forms["MLS-C01"] and beta.bank == mla and mla.bank == mla
    assert list(mla.domain_counts().values()) == [18, 16, 16, 15]
    assert list(beta.domain_counts().values()) == [24, 21, 20, 20]
    assert list(half.domain_counts().values()) == [7, 8, 12, 6]
    assert (mla.question_count, mla.duration_minutes, mla.passing_score) == (65, 130, 720)
    assert (beta.question_count, beta.duration_minutes) == (85, 170)
    assert "no pass mark for the beta" in beta.description


def test_gates_follow_each_form(alice, forms):
    for code, gates, targets in [("MLA-C02", [22, 44], [2600, 5200]),
                                 ("MLA-C02-BETA", [29, 58], [3400, 6800])]:  # fmt: skip
        attempt, _ = services.start_attempt(alice, forms[code])
        assert attempt.gate_positions() == gates
        assert [attempt.gate_target(g).total_seconds() for g in gates] == targets
        services.finish_attempt(attempt, Attempt.FinishReason.SUBMITTED)


def test_a_half_length_form_draws_from_the_same_questions_least_seen_first(alice, forms):
    full, _ = services.start_attempt(alice, forms["MLS-C01"], rng=random.Random(1))
    services.finish_attempt(full, Attempt.FinishReason.SUBMITTED)
    half, _ = services.start_attempt(alice, forms["MLS-C01-HALF"], rng=random.Random(2))
    assert half.bank == forms["MLS-C01"] and half.question_count == 33
    seen = set(full.items.values_list("question_id", flat=True))
    # 180 questions in the bank, 65 seen: the half form asks only unseen ones.
    assert not seen & set(half.items.values_list("question_id", flat=True))


def test_one_open_mock_per_exam_not_per_candidate(alice, forms):
    mls, _ = services.start_attempt(alice, forms["MLS-C01"])
    mla, created = services.start_attempt(alice, forms["MLA-C02"])
    assert created and mla.bank == forms["MLA-C02"]
    # Another form of an exam with an open mock returns that mock.
    again, created = services.start_attempt(alice, forms["MLS-C01-HALF"])
    assert (again, created) == (mls, False)


def test_the_database_refuses_a_second_open_mock_of_one_exam(alice, forms):
    from django.db import IntegrityError, transaction

    first, _ = services.start_attempt(alice, forms["MLS-C01"])
    clone = Attempt(user=alice, exam=forms["MLS-C01-HALF"], bank=forms["MLS-C01"],
                    started=first.started, deadline=first.deadline, question_count=1,
                    score_min=100, score_max=1000, passing_score=750, pacing_segments=3)  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        clone.save()


def test_home_lists_every_exam_with_forms_status_and_open_mocks(
    alice_client, alice, forms, settings
):
    settings.DEFAULT_EXAM_CODE = "MLS-C01"
    services.start_attempt(alice, forms["MLS-C01"])
    services.start_attempt(alice, forms["MLA-C02-BETA"])
    html = alice_client.get(reverse("home")).text
    assert html.index("AWS Certified Machine Learning – Specialty") < html.index(
        "AWS Certified Machine Learning Engineer – Associate"
    )
    assert "retired 31 March 2026; kept for practice" in html
    assert "beta from 29 September 2026; standard form early 2027" in html
    assert "Resume MLS-C01" in html and "Resume MLA-C02-BETA" in html
    assert "Start MLS-C01-HALF" not in html  # its exam has a mock open


def test_history_and_trends_are_per_exam_with_the_form_shown(alice_client, alice, forms):
    for code in ("MLS-C01", "MLS-C01-HALF", "MLA-C02"):
        a, _ = services.start_attempt(alice, forms[code])
        services.finish_attempt(a, Attempt.FinishReason.SUBMITTED)
    r = alice_client.get(reverse("exams:history"), {"exam": "MLS-C01"})
    assert "MLS-C01 half-length mock" in r.text
    assert len(r.context["score_trend"]["points"]) == 2
    r = alice_client.get(reverse("exams:history"), {"exam": "MLA-C02"})
    assert len(r.context["score_trend"]["points"]) == 1
    assert alice_client.get(reverse("exams:history"), {"exam": "NOPE"}).status_code == 404


def test_load_blueprint_says_what_a_form_is_short_of(forms, capsys):
    from django.core.management import call_command

    from questions.models import Question

    Question.objects.filter(objective__domain__exam=forms["MLA-C02"],
                            objective__domain__number=1).update(status="retired")  # fmt: skip
    call_command("load_blueprint", str(BLUEPRINTS / "mla-c02-beta.yaml"))
    out = capsys.readouterr().out
    assert "MLA-C02-BETA: short: domain 1 needs 24 active questions, the bank has 0" in out
