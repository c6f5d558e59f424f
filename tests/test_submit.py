from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from exams import services
from exams.models import Attempt
from questions.models import Option, Question
from tests.helpers import T0

from .test_taking import answer


def answer_correctly(attempt, count):
    """Store correct answers for the first ``count`` questions, wrong ones for the rest."""
    items = list(attempt.items.all())
    for item in items:
        wrong = sorted(item.option_ids() - item.correct_ids())[:1]
        item.selected = sorted(item.correct_ids()) if item.position <= count else wrong
    attempt.items.bulk_update(items, ["selected"])


@pytest.mark.parametrize(
    ("correct", "score", "passed"),
    [(0, 100, False), (65, 1000, True), (46, 737, False), (47, 751, True)],
)
def test_it_scores_on_the_scale(attempt, correct, score, passed):
    answer_correctly(attempt, correct)
    with time_machine.travel(T0 + timedelta(minutes=90), tick=False):
        done = services.finish_attempt(attempt, Attempt.FinishReason.SUBMITTED)
    assert (done.correct_count, done.scaled_score, done.passed) == (correct, score, passed)
    assert done.finish_reason == "submitted"
    assert done.time_used == timedelta(minutes=90)


def test_multiple_response_needs_exactly_the_correct_set(attempt):
    item = attempt.items.filter(type="multiple").first()
    right = sorted(item.correct_ids())
    wrong = sorted(item.option_ids() - item.correct_ids())
    for selected, expected in [
        (right, True),
        (right[:1], False),  # no partial credit
        (right[:1] + wrong[:1], False),
        ([], False),  # unanswered is wrong
    ]:
        item.selected = selected
        assert item.grade() is expected


def test_unanswered_questions_count_as_wrong(attempt):
    done = services.finish_attempt(attempt, Attempt.FinishReason.SUBMITTED)
    assert done.correct_count == 0
    assert done.scaled_score == 100
    assert not attempt.items.filter(is_correct=True).exists()


def test_it_submits_from_the_review_screen_to_the_results(alice_client, attempt):
    item = attempt.items.get(position=3)
    with time_machine.travel(T0 + timedelta(minutes=30), tick=False):
        answer(alice_client, attempt, 3, [item.options[0]["id"]], flagged=True)
        review = alice_client.get(reverse("exams:review", args=[attempt.code])).text
        assert "Unanswered (64)" in review
        assert "Flagged for review (1)" in review
        assert reverse("exams:question", args=[attempt.code, 3]) in review
        assert "data-confirm=" in review
        r = alice_client.post(reverse("exams:submit", args=[attempt.code]))
    assert r["Location"] == reverse("exams:results", args=[attempt.code])
    page = alice_client.get(r["Location"]).text
    attempt.refresh_from_db()
    assert f"Score {attempt.scaled_score}" in page
    assert f"{attempt.correct_count} of 65 correct" in page
    assert "approximates AWS" in page


def test_a_double_submit_gives_one_result(alice_client, attempt):
    answer_correctly(attempt, 50)
    url = reverse("exams:submit", args=[attempt.code])
    with time_machine.travel(T0 + timedelta(minutes=60), tick=False):
        alice_client.post(url)
    first = Attempt.objects.get(pk=attempt.pk)
    answer_correctly(attempt, 10)  # even if answers were tampered with afterwards
    with time_machine.travel(T0 + timedelta(minutes=61), tick=False):
        r = alice_client.post(url, follow=True)
    assert "This attempt was already submitted." in r.text
    second = Attempt.objects.get(pk=attempt.pk)
    assert (second.scaled_score, second.finished, second.correct_count) == (
        first.scaled_score, first.finished, 50,
    )  # fmt: skip


def test_a_submit_racing_the_deadline_is_recorded_as_expired(alice_client, attempt):
    with time_machine.travel(attempt.deadline + timedelta(seconds=2), tick=False):
        r = alice_client.post(reverse("exams:submit", args=[attempt.code]), follow=True)
    assert "Time was up before the submit arrived." in r.text
    attempt.refresh_from_db()
    assert attempt.finish_reason == Attempt.FinishReason.EXPIRED
    assert attempt.finished == attempt.deadline


def test_a_finished_attempt_refuses_answers(alice_client, attempt):
    services.finish_attempt(attempt, Attempt.FinishReason.SUBMITTED)
    item = attempt.items.get(position=1)
    r = answer(alice_client, attempt, 1, [item.options[0]["id"]], htmx=True)
    assert r.status_code == 409
    assert "This attempt is finished" in r.text
    item.refresh_from_db()
    assert item.selected == []


def test_editing_or_deleting_questions_leaves_an_attempt_unchanged(alice_client, attempt):
    answer_correctly(attempt, 47)
    done = services.finish_attempt(attempt, Attempt.FinishReason.SUBMITTED)
    first = attempt.items.get(position=1)
    q = Question.objects.get(pk=first.question_id)
    q.stem = "Rewritten after the attempt"
    q.save()
    Option.objects.filter(question=q).update(is_correct=False)
    Question.objects.filter(pk=attempt.items.get(position=2).question_id).delete()

    again = services.finish_attempt(attempt, Attempt.FinishReason.SUBMITTED)
    assert (again.scaled_score, again.correct_count) == (done.scaled_score, 47)
    first.refresh_from_db()
    assert first.stem != "Rewritten after the attempt"
    assert first.is_correct is True
    item2 = attempt.items.get(position=2)
    assert item2.question is None
    assert item2.stem and item2.options


def test_editing_a_question_mid_attempt_keeps_what_the_candidate_saw(alice_client, attempt):
    item = attempt.items.get(position=1)
    Question.objects.filter(pk=item.question_id).update(stem="Changed while the exam runs")
    with time_machine.travel(T0 + timedelta(minutes=1), tick=False):
        page = alice_client.get(reverse("exams:question", args=[attempt.code, 1])).text
    assert "Changed while the exam runs" not in page
    assert item.stem in page
