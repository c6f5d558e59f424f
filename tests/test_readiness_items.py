"""Item analysis: facility, discrimination, option shares by ability, time, and flags."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from questions.models import Question
from readiness import items as analysis
from readiness.items import MISKEY, NEGATIVE, TOO_EASY, TOO_HARD, Thresholds
from tests.factories import make_bank, make_exam
from tests.helpers import T0
from tests.readiness_factory import finished_sitting, options_of, right, wrong

CANDIDATES = 30


@pytest.fixture
def users(db):
    return [User.objects.create_user(f"c{i:02d}") for i in range(CANDIDATES)]


def single_bank(code: str, count: int) -> list[Question]:
    exam = make_exam(code=code, question_count=count, weights=(100,))
    make_bank(exam, per_objective=count, multiple_every=0)
    return list(Question.objects.for_exam(exam).select_related("objective__domain"))


@pytest.fixture
def planted(users):
    """30 candidates of rising ability on 20 questions; the last one's key is wrong.

    Candidate c answers question j right when c ≥ 1.5·j, else picks the first
    distractor. On the planted question the strongest third all pick one distractor,
    the option that is really right, and the others pick the (wrong) key.
    """
    questions = single_bank("PLANT", 20)
    planted_q = questions[-1]
    opts = options_of(questions)
    for c, user in enumerate(users):

        def choose(position, q, o, c=c):
            if q == planted_q:
                return wrong(q, o) if c >= 20 else right(q, o)
            return right(q, o) if c >= 1.5 * (position - 1) else wrong(q, o)

        finished_sitting(
            user,
            questions[0].objective.domain.exam,
            questions,
            choose,
            started=T0 + timedelta(days=c),
            seconds=lambda i, q, c=c: 30.0 + c,
            options=opts,
        )
    stats = {s.key: s for s in analysis.item_analysis("PLANT")}
    return stats, questions, planted_q


def test_it_flags_the_planted_miskey_and_nothing_else(planted):
    stats, _, planted_q = planted
    assert stats[planted_q.key].flags[:2] == [MISKEY, NEGATIVE]
    assert not any(MISKEY in s.flags for k, s in stats.items() if k != planted_q.key)


def test_it_does_not_take_a_hard_question_for_a_miskey(planted):
    """Most of the strong third miss the hardest question, all on one distractor, but
    the weak third choose that distractor even more: hard, not miskeyed."""
    stats, questions, _ = planted
    hardest = stats[questions[-2].key]
    distractor = next(o for o in hardest.options if o.upper > 0 and not o.correct)
    key = next(o for o in hardest.options if o.correct)
    assert distractor.upper > key.upper
    assert distractor.lower > distractor.upper
    assert MISKEY not in hardest.flags


def test_it_shows_the_strong_third_choosing_the_distractor(planted):
    stats, _, planted_q = planted
    s = stats[planted_q.key]
    key = next(o for o in s.options if o.correct)
    distractor = next(o for o in s.options if not o.correct)
    assert (s.lower_n, s.upper_n) == (10, 10)
    # The upper third by attempt score is not exactly candidates 20–29, since the planted
    # question costs them a point; most of it still is.
    assert distractor.upper >= 0.8 and key.upper <= 0.2
    assert key.lower == 1.0 and distractor.lower == 0.0
    assert distractor.share == pytest.approx(10 / 30)


def test_it_measures_facility_as_the_share_correct(planted):
    stats, questions, _ = planted
    for j, q in enumerate(questions[:-1]):
        expected = sum(c >= 1.5 * j for c in range(CANDIDATES)) / CANDIDATES
        assert stats[q.key].facility == pytest.approx(expected)
    assert stats[questions[0].key].facility == 1.0


def test_it_gives_discrimination_the_sign_of_the_evidence(planted):
    stats, questions, planted_q = planted
    assert stats[planted_q.key].discrimination < -0.5
    for q in questions[1:-1]:
        assert stats[q.key].discrimination > 0.3
    # Everyone got question 1 right: no spread, no correlation.
    assert stats[questions[0].key].discrimination is None


def test_it_flags_too_easy_and_too_hard_past_the_minimum(planted):
    stats, questions, _ = planted
    assert TOO_EASY in stats[questions[0].key].flags  # facility 1.0
    assert TOO_HARD in stats[questions[-2].key].flags  # only candidate 27 and up
    relaxed = {s.key: s for s in analysis.item_analysis("PLANT", Thresholds(min_answers=31))}
    assert not any(s.flags for s in relaxed.values())


def test_it_takes_the_median_time_to_answer(planted):
    stats, _, planted_q = planted
    # Candidate c answers 30 + c seconds after first seeing a question: median of 30..59.
    assert stats[planted_q.key].median_seconds == pytest.approx(44.5)


def test_it_computes_discrimination_on_the_rest_of_the_attempt():
    """The corrected point-biserial leaves the question's own point out of the total."""
    rows = []
    # Three attempts of two questions: q1 right for a and b, q2 right for a only.
    for attempt, (x1, x2) in enumerate([(1, 1), (1, 0), (0, 0)]):
        for key, x in (("q1", x1), ("q2", x2)):
            rows.append((attempt, "E", key, [], [], bool(x), None, None))
    stats = {s.key: s for s in analysis.analyse(rows)}
    # For q1 the rest scores are q2's: (1, 0, 0) against (1, 1, 0): r = 0.5.
    assert stats["q1"].discrimination == pytest.approx(0.5)
    assert stats["q2"].discrimination == pytest.approx(0.5)
    assert stats["q1"].facility == pytest.approx(2 / 3)


@pytest.mark.parametrize("bank_size", [10, 60])
def test_it_runs_two_queries_whatever_the_bank_size(
    users, bank_size, django_assert_max_num_queries
):
    questions = single_bank(f"SIZE{bank_size}", bank_size)
    opts = options_of(questions)
    exam = questions[0].objective.domain.exam
    for c, user in enumerate(users[:6]):
        finished_sitting(
            user,
            exam,
            questions,
            lambda i, q, o, c=c: right(q, o) if (i + c) % 3 else wrong(q, o),
            started=T0 + timedelta(days=c),
            options=opts,
        )
    with django_assert_max_num_queries(2):
        stats = analysis.item_analysis(exam.code)
    assert len(stats) == bank_size
    assert all(s.answers == 6 for s in stats)


def test_it_leaves_out_attempts_in_progress(users):
    questions = single_bank("OPEN", 5)
    exam = questions[0].objective.domain.exam
    a = finished_sitting(users[0], exam, questions, lambda i, q, o: right(q, o), started=T0)
    a.status = a.Status.IN_PROGRESS
    a.save()
    assert analysis.item_analysis("OPEN") == []


def test_it_prints_the_flagged_questions(planted):
    _, _, planted_q = planted
    out = StringIO()
    call_command("item_analysis", "--exam", "PLANT", "--flagged", "--options", stdout=out)
    text = out.getvalue()
    assert planted_q.key in text
    assert "probable miskey, negative discrimination" in text
    assert text.strip().endswith("flagged.")
