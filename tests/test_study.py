"""Studying between mocks: practice with feedback, drills, retakes, confidence, FSRS review,
mastery, and exams that stay exams."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from exams import services
from exams.models import Attempt
from questions.models import Objective
from study.models import ReviewCard
from tests.factories import make_bank
from tests.helpers import T0


def practise(client, exam, **fields):
    data = {"size": "10", "source": "any", "timer": "none", "feedback": "each", **fields}
    return client.post(reverse("study:practice", args=[exam.code]), data)


def latest(user) -> Attempt:
    return Attempt.objects.filter(user=user).latest("started")


def finish_with(attempt, right=(), unsure=()):
    """Answer every item (right ones correctly), mark some unsure, and submit."""
    for item in attempt.items.all():
        keys = [o["id"] for o in item.options if o["correct"]]
        wrong = [o["id"] for o in item.options if not o["correct"]][: len(keys)]
        item.selected = keys if item.position in right else wrong
        item.unsure = item.position in unsure
        item.save()
    return services.finish_attempt(attempt, Attempt.FinishReason.SUBMITTED)


def test_it_starts_a_practice_session_on_an_objective(alice_client, alice, mls_bank):
    objective = Objective.objects.get(domain__exam=mls_bank, code="3.2")
    r = practise(alice_client, mls_bank, objectives=[objective.pk], size="5")
    attempt = latest(alice)
    assert r["Location"] == attempt.get_absolute_url()
    assert (attempt.mode, attempt.question_count, attempt.deadline) == ("practice", 5, None)
    assert set(attempt.items.values_list("objective_code", flat=True)) == {"3.2"}


def test_it_says_when_the_scope_has_fewer_questions_than_asked(alice_client, alice, mls_bank):
    objective = Objective.objects.get(domain__exam=mls_bank, code="3.2")
    r = practise(alice_client, mls_bank, objectives=[objective.pk], size="20")
    assert latest(alice).question_count == 8
    assert "Only 8 questions match" in alice_client.get(r["Location"]).text


@pytest.mark.parametrize("size", ["4", "66", "²", "ten", ""])
def test_it_refuses_a_bad_size_and_starts_nothing(alice_client, alice, mls_bank, size):
    r = practise(alice_client, mls_bank, size=size)
    assert r.status_code == 400
    assert not Attempt.objects.exists()


def test_the_pace_timer_gives_the_exams_minutes_per_question(alice_client, alice, mls_bank):
    practise(alice_client, mls_bank, timer="pace", size="13")
    assert latest(alice).duration == timedelta(minutes=36)  # 13 × 180/65


def test_feedback_after_each_question_reveals_only_once_confirmed(alice_client, alice, mls_bank):
    practise(alice_client, mls_bank)
    attempt = latest(alice)
    item = attempt.items.get(position=1)
    url = reverse("exams:question", args=[attempt.code, 1])
    before = alice_client.get(url).text
    assert "Confirm answer" in before
    assert "EXPLANATION" not in before and "the answer" not in before
    keys = [o["id"] for o in item.options if o["correct"]]
    r = alice_client.post(url, {"answer_form": "1", "option": keys, "go": "confirm"})
    assert r["Location"] == url
    after = alice_client.get(url).text
    assert "Right" in after and "EXPLANATION" in after and " — the answer" in after
    # Locked: a change is refused and nothing moves.
    other = next(o["id"] for o in item.options if not o["correct"])
    assert alice_client.post(url, {"answer_form": "1", "option": other}).status_code == 400
    item.refresh_from_db()
    assert (sorted(item.selected), item.is_correct) == (sorted(keys), True)


def test_no_page_of_an_open_practice_session_shows_an_unconfirmed_key(
    alice_client, alice, mls_bank
):
    practise(alice_client, mls_bank, feedback="end")
    attempt = latest(alice)
    pages = [alice_client.get(reverse("exams:question", args=[attempt.code, p])).text
             for p in range(1, 11)]  # fmt: skip
    pages.append(alice_client.get(reverse("exams:review", args=[attempt.code])).text)
    for html in pages:
        assert "EXPLANATION" not in html and "the answer" not in html
        assert "Confirm answer" not in html  # feedback at the end: nothing to confirm
    r = alice_client.post(reverse("exams:question", args=[attempt.code, 1]),
                          {"answer_form": "1", "go": "confirm"})  # fmt: skip
    assert r.status_code == 400


def test_retake_missed_selects_exactly_the_missed_questions(alice_client, alice, mls_bank):
    exam, _ = services.start_attempt(alice, mls_bank)
    exam = finish_with(exam, right=range(1, 47))
    missed = set(exam.items.filter(is_correct=False).values_list("question", flat=True))
    r = alice_client.post(reverse("study:retake", args=[exam.code]), {"which": "missed"})
    retake = latest(alice)
    assert r["Location"] == retake.get_absolute_url()
    assert set(retake.items.values_list("question", flat=True)) == missed
    assert retake.question_count == 19
    page = alice_client.get(reverse("exams:results", args=[exam.code])).text
    assert "Retake the 19 you missed" in page


def test_confidence_never_changes_a_score_and_sure_but_wrong_comes_first(
    alice_client, alice, mls_bank
):
    exam, _ = services.start_attempt(alice, mls_bank)
    exam = finish_with(exam, right=range(1, 41), unsure=range(30, 61))
    assert exam.correct_count == 40  # unsure marks changed nothing
    page = alice_client.get(reverse("exams:results", args=[exam.code])).text
    # 41 to 65 are wrong; 41 to 60 were marked unsure, so 61 to 65 were sure and wrong.
    assert "Sure but wrong (5)" in page
    assert page.index("Sure but wrong") < page.index("Review every question")
    r = alice_client.get(reverse("exams:answers", args=[exam.code]), {"show": "sure-but-wrong"})
    assert r.context["page"].paginator.count == 5


def test_fsrs_brings_missed_and_unsure_questions_back_after_time_passes(
    alice_client, alice, mls_bank
):
    exam, _ = services.start_attempt(alice, mls_bank)
    finish_with(exam, right=range(1, 61), unsure=range(55, 61))
    # 5 wrong and 6 right-but-unsure enter the schedule; the 54 right and sure do not.
    assert ReviewCard.objects.filter(user=alice).count() == 11
    assert "due for review" not in alice_client.get(reverse("home")).text
    with time_machine.travel(T0 + timedelta(days=2), tick=False):
        home = alice_client.get(reverse("home")).text
        assert re.search(r"1[01] questions due for review", home)
        due_before = ReviewCard.objects.due().count()
        alice_client.post(reverse("study:review_due", args=["MLS-C01"]))
        review = latest(alice)
        assert (review.mode, review.question_count) == ("review", due_before)
        item = review.items.get(position=1)
        keys = [o["id"] for o in item.options if o["correct"]]
        alice_client.post(reverse("exams:question", args=[review.code, 1]),
                          {"answer_form": "1", "option": keys, "go": "confirm"})  # fmt: skip
        card = ReviewCard.objects.get(user=alice, question=item.question)
        assert card.reviews == 2 and card.due > T0 + timedelta(days=2)
        assert ReviewCard.objects.due().count() == due_before - 1


def test_the_due_count_on_home_costs_one_query(alice_client, alice, mls_bank):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    exam, _ = services.start_attempt(alice, mls_bank)
    finish_with(exam)
    with (
        time_machine.travel(T0 + timedelta(days=3), tick=False),
        CaptureQueriesContext(connection) as queries,
    ):
        page = alice_client.get(reverse("home")).text
    assert "65 questions due for review" in page
    assert sum("study_reviewcard" in q["sql"] for q in queries.captured_queries) == 1
    assert len(queries.captured_queries) <= 8


@pytest.mark.parametrize("per_objective", [8, 30])
def test_mastery_and_starting_practice_do_not_grow_with_the_bank(
    alice_client, alice, mls, per_objective, django_assert_max_num_queries
):
    make_bank(mls, per_objective=per_objective)
    for _ in range(2):
        exam, _ = services.start_attempt(alice, mls)
        finish_with(exam, right=range(1, 30))
    with django_assert_max_num_queries(7):
        r = alice_client.get(reverse("study:mastery", args=["MLS-C01"]))
    assert r.status_code == 200 and "Practise 3.2" in r.text
    with django_assert_max_num_queries(16):
        practise(alice_client, mls, source="missed")
    assert latest(alice).mode == "practice"


def test_practice_is_locked_during_a_mock_and_exams_stay_exams(alice_client, alice, mls_bank):
    exam, _ = services.start_attempt(alice, mls_bank)
    r = practise(alice_client, mls_bank)
    assert r.status_code == 403 and "locked while your exam is in progress" in r.text
    page = alice_client.get(reverse("exams:question", args=[exam.code, 1])).text
    assert "Confirm answer" not in page and "due for review" not in page
    finish_with(exam, right=range(1, 50))
    practise(alice_client, mls_bank)
    practice = latest(alice)
    finish_with(practice, right=range(1, 3))
    history = alice_client.get(reverse("exams:history"))
    assert [a.pk for a in history.context["practice"]] == [practice.pk]
    assert len(history.context["score_trend"]["points"]) == 1  # practice is not in the trend


def test_starting_practice_and_review_is_constant_at_20000_questions_and_50_attempts(
    alice_client, alice, mls
):
    """The same query counts for a small bank with one past mock and for 20,010 questions
    with 50 past mocks: nothing a start does grows with the bank or the history."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def counts() -> list[int]:
        found = []
        for start in (
            lambda: practise(alice_client, mls, source="missed"),
            lambda: alice_client.post(reverse("study:review_due", args=["MLS-C01"])),
            lambda: alice_client.get(reverse("study:mastery", args=["MLS-C01"])),
        ):
            with CaptureQueriesContext(connection) as ctx:
                assert start().status_code in (200, 302)
            found.append(len(ctx.captured_queries))
        Attempt.objects.filter(mode__in=["practice", "review"]).delete()
        return found

    make_bank(mls, per_objective=8)
    finish_with(services.start_attempt(alice, mls)[0], right=range(1, 30))
    small = counts()
    make_bank(mls, per_objective=1326, start=8)  # 20,010 questions in all
    for _ in range(49):
        finish_with(services.start_attempt(alice, mls)[0], right=range(1, 30))
    assert counts() == small


def test_confirming_an_answer_with_feedback_stays_within_its_budget(
    alice_client, alice, mls_bank, django_assert_max_num_queries
):
    practise(alice_client, mls_bank)
    attempt = latest(alice)
    item = attempt.items.get(position=1)
    wrong = [o["id"] for o in item.options if not o["correct"]][: item.choose]
    url = reverse("exams:question", args=[attempt.code, 1])
    # session, user, the locked read (with the review card), the update, the answer-history
    # row and the card write
    with django_assert_max_num_queries(6):
        r = alice_client.post(url, {"answer_form": "1", "option": wrong, "go": "confirm"})
    assert r.status_code == 302
    assert ReviewCard.objects.filter(user=alice, question=item.question).exists()


def test_it_moves_an_existing_card_when_an_answer_is_confirmed_within_budget(
    alice_client, alice, bob, mls_bank, django_assert_max_num_queries
):
    practise(alice_client, mls_bank)
    attempt = latest(alice)
    item = attempt.items.get(position=1)
    keys = [o["id"] for o in item.options if o["correct"]]
    wrong = [o["id"] for o in item.options if not o["correct"]][: item.choose]
    url = reverse("exams:question", args=[attempt.code, 1])
    alice_client.post(url, {"answer_form": "1", "option": wrong, "go": "confirm"})
    card = ReviewCard.objects.get(user=alice, question=item.question)
    # Bob's card for the same question must not be the one read.
    services.start_practice(bob, mls_bank, [item.question_id])
    bobs = Attempt.objects.get(user=bob)
    bob_item = bobs.items.get()
    bob_item.selected = wrong
    bob_item.save()
    services.finish_attempt(bobs, Attempt.FinishReason.SUBMITTED)

    with time_machine.travel(T0 + timedelta(days=3)):
        services.start_practice(alice, mls_bank, [item.question_id], feedback="each")
        again = latest(alice)
        url = reverse("exams:question", args=[again.code, 1])
        with django_assert_max_num_queries(6):
            r = alice_client.post(url, {"answer_form": "1", "option": keys, "go": "confirm"})
    assert r.status_code == 302
    moved = ReviewCard.objects.get(pk=card.pk)
    assert moved.reviews == 2
    assert moved.due > card.due
    assert moved.last_review.date() == (T0 + timedelta(days=3)).date()
    assert ReviewCard.objects.get(user=bob, question=item.question).reviews == 1
    assert ReviewCard.objects.filter(question=item.question).count() == 2
