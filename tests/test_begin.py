"""Instructions first: a mock is drawn at Start and its clock starts only at Begin."""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.http import QueryDict
from django.urls import reverse

from exams import services
from exams.models import Attempt
from tests.helpers import T0


@pytest.fixture
def waiting(alice, mls_bank) -> Attempt:
    """Alice's MLS-C01 mock, drawn at T0 and waiting on its instructions."""
    with time_machine.travel(T0, tick=False):
        a, _ = services.start_attempt(alice, mls_bank, begin=False)
    return a


def begin_url(attempt):
    return reverse("exams:begin", args=[attempt.code])


def q_url(attempt, position=1):
    return reverse("exams:question", args=[attempt.code, position])


def _form(**lists) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, values in lists.items():
        data.setlist(key, values)
    return data


# --- the service and the rules ------------------------------------------------------------


def test_it_draws_at_start_but_leaves_the_clock_stopped(waiting):
    assert waiting.items.count() == 65
    assert (waiting.begun, waiting.deadline) == (None, None)
    assert waiting.awaits_begin and not waiting.is_timed
    assert waiting.duration == timedelta(minutes=180)  # what Begin will give
    assert waiting.time_left() is None


def test_it_keeps_one_open_mock_while_one_waits(alice, mls_bank, waiting):
    again, created = services.start_attempt(alice, mls_bank)
    assert (again.pk, created) == (waiting.pk, False)
    assert again.awaits_begin  # asking again neither begins it nor draws another


def test_it_starts_the_clock_at_begin_with_the_full_time(waiting):
    later = T0 + timedelta(hours=5)
    attempt = services.begin_attempt(waiting, now=later)
    assert attempt.begun == later
    assert attempt.deadline == later + timedelta(minutes=180)
    assert attempt.time_left(later) == timedelta(minutes=180)
    stored = Attempt.objects.get(pk=waiting.pk)
    assert (stored.begun, stored.deadline) == (later, later + timedelta(minutes=180))


def test_it_begins_once_so_a_second_begin_cannot_restart_the_clock(waiting):
    first = services.begin_attempt(waiting, now=T0 + timedelta(minutes=1))
    second = services.begin_attempt(waiting, now=T0 + timedelta(minutes=30))
    assert second.begun == first.begun == T0 + timedelta(minutes=1)
    assert second.deadline == first.deadline


def test_it_adds_extra_time_at_begin(alice, mls_bank):
    a, _ = services.start_attempt(alice, mls_bank, extra_time=True, begin=False, now=T0)
    a = services.begin_attempt(a, now=T0 + timedelta(minutes=7))
    assert a.deadline - a.begun == timedelta(minutes=210)


def test_it_never_expires_a_mock_that_has_not_begun(waiting):
    much_later = T0 + timedelta(days=3)
    assert not waiting.is_expired(much_later)
    assert not waiting.accepts_changes(much_later)  # no answers before Begin, either
    assert waiting not in Attempt.objects.expired(much_later)
    assert services.finalize_expired(now=much_later) == 0
    call_command("finalize_expired_attempts")
    waiting.refresh_from_db()
    assert waiting.status == Attempt.Status.IN_PROGRESS and waiting.awaits_begin


def test_it_expires_a_begun_mock_from_its_begin_not_its_start(waiting):
    begun = services.begin_attempt(waiting, now=T0 + timedelta(hours=2))
    assert not begun.is_expired(T0 + timedelta(hours=4))  # 3 h after the draw, 2 h after Begin
    assert begun.is_expired(T0 + timedelta(hours=5, seconds=1))
    assert services.finalize_expired(now=T0 + timedelta(hours=4)) == 0
    assert services.finalize_expired(now=T0 + timedelta(hours=5, seconds=1)) == 1
    begun.refresh_from_db()
    assert begun.finish_reason == Attempt.FinishReason.EXPIRED
    assert begun.time_used == timedelta(minutes=180)


def test_it_counts_elapsed_time_at_gates_from_begin(waiting):
    begun = services.begin_attempt(waiting, now=T0 + timedelta(hours=1))
    gate = begun.gate_positions()[0]
    checkpoint = begun.checkpoint(gate, T0 + timedelta(hours=1, minutes=50), answered=20)
    assert checkpoint.elapsed == timedelta(minutes=50)
    assert checkpoint.target == timedelta(minutes=60) and checkpoint.ahead


def test_it_refuses_an_answer_before_begin_and_stores_nothing(waiting):
    item = waiting.items.get(position=1)
    with pytest.raises(services.NotBegun):
        services.save_answer(
            waiting.items.all(), 1, _form(option=[str(item.options[0]["id"])]), now=T0
        )
    item.refresh_from_db()
    assert item.selected == [] and item.answered is None


def test_it_begins_practice_as_it_starts(alice, mls_bank):
    ids = [q.pk for q in mls_bank.domains.first().objectives.first().questions.all()[:3]]
    practice = services.start_practice(alice, mls_bank, ids, minutes=10, now=T0)
    assert practice.begun == T0 and practice.accepts_changes(T0)


# --- the pages ------------------------------------------------------------------------------


def test_it_sends_start_to_the_instructions(alice_client, alice, mls_bank):
    r = alice_client.post(reverse("exams:start"), {"exam": "MLS-C01"})
    attempt = Attempt.objects.get(user=alice)
    assert r["Location"] == begin_url(attempt)
    assert attempt.awaits_begin


def test_it_shows_the_shape_of_the_exam_before_begin(alice_client, waiting):
    with time_machine.travel(T0 + timedelta(minutes=2), tick=False):
        page = alice_client.get(begin_url(waiting)).text
    kinds = {t: waiting.items.filter(type=t).count() for t in ("single", "multiple")}
    for text in (
        "AWS Certified Machine Learning – Specialty: before you begin",
        "The clock starts only when you press Begin",
        "<dd>65</dd>",
        "180 minutes",
        "750 on a scale of 100 to 1000",
        f"{kinds['single']} single answer</strong>: Choose the one best option.",
        f"{kinds['multiple']} multiple response</strong>: Choose as many options",
        "Question 22: target 60:00 elapsed",
        "Question 44: target 120:00 elapsed",
        "warned when 15 and 5 minutes are left",
        "every answer saved by then is scored",
        "<kbd>x</kbd> then <kbd>1</kbd>–<kbd>9</kbd>",
        f'action="{begin_url(waiting)}"',
        "Begin the exam",
    ):
        assert text in page, text
    assert 'role="timer"' not in page  # no clock runs here
    waiting.refresh_from_db()
    assert waiting.awaits_begin  # reading the instructions starts nothing


def test_it_tells_a_hidden_clock_candidate_when_the_clock_shows(alice_client, alice, mls_bank):
    a, _ = services.start_attempt(alice, mls_bank, hide_clock=True, begin=False)
    page = alice_client.get(begin_url(a)).text
    assert "You chose to hide the clock: it shows at the checkpoints and in the last 15" in page


def test_it_sends_every_page_of_a_waiting_mock_to_its_instructions(alice_client, waiting):
    for url in (
        q_url(waiting, 1),
        q_url(waiting, 30),
        reverse("exams:review", args=[waiting.code]),
        reverse("exams:resume", args=[waiting.code]),
        reverse("exams:results", args=[waiting.code]),
    ):
        r = alice_client.get(url)
        assert (r.status_code, r["Location"]) == (302, begin_url(waiting)), url
    assert waiting.items.exclude(first_seen=None).count() == 0  # no question was shown


def test_it_refuses_a_save_before_begin_with_a_clear_409(alice_client, waiting):
    item = waiting.items.get(position=1)
    data = {"answer_form": "1", "option": [item.options[0]["id"]], "flagged": "on"}
    r = alice_client.post(q_url(waiting), data, headers={"HX-Request": "true"})
    assert r.status_code == 409
    assert "This mock has not begun: press Begin" in r.text
    assert "Nothing was saved." in r.text
    item.refresh_from_db()
    assert (item.selected, item.flagged) == ([], False)


def test_it_refuses_to_submit_a_mock_that_has_not_begun(alice_client, waiting):
    r = alice_client.post(reverse("exams:submit", args=[waiting.code]), follow=True)
    assert "This mock has not begun, so there is nothing to submit yet." in r.text
    waiting.refresh_from_db()
    assert waiting.status == Attempt.Status.IN_PROGRESS


def test_it_begins_on_post_and_goes_to_question_1(alice_client, waiting):
    when = T0 + timedelta(hours=6)
    with time_machine.travel(when, tick=False):
        r = alice_client.post(begin_url(waiting))
        assert r["Location"] == q_url(waiting, 1)
        page = alice_client.get(q_url(waiting, 1)).text
    assert 'data-seconds-left="10800"' in page  # all 180 minutes, 6 h after the draw
    waiting.refresh_from_db()
    assert waiting.begun == when
    # Begun: the instructions page now resumes the mock instead.
    with time_machine.travel(when + timedelta(minutes=3), tick=False):
        assert alice_client.get(begin_url(waiting))["Location"] == q_url(waiting, 1)
        again = alice_client.post(begin_url(waiting))
    assert again["Location"] == q_url(waiting, 1)
    waiting.refresh_from_db()
    assert waiting.begun == when


def test_it_hides_another_candidates_instructions(client, bob, waiting):
    client.force_login(bob)
    assert client.get(begin_url(waiting)).status_code == 404
    assert client.post(begin_url(waiting)).status_code == 404
    waiting.refresh_from_db()
    assert waiting.awaits_begin


def test_it_points_home_at_the_instructions_of_a_waiting_mock(alice_client, waiting):
    page = alice_client.get(reverse("home")).text
    assert "Mock ready to begin:" in page
    assert f'href="{begin_url(waiting)}"' in page
    assert "Instructions and Begin MLS-C01" in page


def test_it_lets_a_candidate_abandon_a_mock_before_begin(alice_client, waiting):
    r = alice_client.post(reverse("exams:abandon", args=[waiting.code]))
    assert r["Location"] == reverse("exams:results", args=[waiting.code])
    waiting.refresh_from_db()
    assert waiting.finish_reason == Attempt.FinishReason.ABANDONED
    assert waiting.time_used is None
    results = alice_client.get(reverse("exams:results", args=[waiting.code]))
    assert results.status_code == 200


def test_it_keeps_exam_conditions_from_the_draw_not_just_from_begin(alice_client, alice, mls_bank):
    old, _ = services.start_attempt(alice, mls_bank)
    services.finish_attempt(old, Attempt.FinishReason.SUBMITTED)
    waiting, _ = services.start_attempt(alice, mls_bank, begin=False)
    # Practice with feedback, or an old review, would show keys of the questions just drawn.
    review = alice_client.get(reverse("exams:answers", args=[old.code]))
    assert review.status_code == 403
    assert f'href="{begin_url(waiting)}"' in review.text
    practice = alice_client.post(
        reverse("study:practice", args=["MLS-C01"]),
        {"size": "10", "source": "any", "timer": "none", "feedback": "each"},
    )
    assert practice.status_code == 403
    assert Attempt.objects.filter(user=alice).count() == 2


def test_it_reports_pace_and_time_used_from_begin(alice_client, waiting):
    begun = services.begin_attempt(waiting, now=T0 + timedelta(hours=2))
    gate = begun.gate_positions()[0]
    begun.items.filter(position=gate).update(first_seen=T0 + timedelta(hours=2, minutes=50))
    with time_machine.travel(T0 + timedelta(hours=3, minutes=30), tick=False):
        done = services.finish_attempt(begun, Attempt.FinishReason.SUBMITTED)
        r = alice_client.get(reverse("exams:results", args=[done.code]))
    assert done.time_used == timedelta(minutes=90)
    (first, second) = r.context["gates"]
    assert (first.position, first.elapsed, first.ahead) == (gate, timedelta(minutes=50), True)
    assert second.elapsed is None
    assert "time used 90:00 of 180:00" in r.text


def press_begin(attempt: Attempt, barrier: threading.Barrier, minutes: int, seen: list) -> None:
    """One tab's Begin, released with the other's."""
    try:
        barrier.wait()
        seen.append(services.begin_attempt(attempt, now=T0 + timedelta(minutes=minutes)).begun)
    finally:
        connection.close()


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL's row locks are what this races; SQLite's shared in-memory test "
    "database locks tables without waiting",
)
@pytest.mark.django_db(transaction=True)
def test_two_begins_at_once_start_one_clock(alice, mls_bank):
    for round_ in range(5):
        waiting, _ = services.start_attempt(alice, mls_bank, begin=False)
        barrier, seen = threading.Barrier(2), []
        threads = [
            threading.Thread(target=press_begin, args=(waiting, barrier, m, seen)) for m in (1, 2)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
        waiting.refresh_from_db()
        assert len(seen) == 2 and seen[0] == seen[1] == waiting.begun, round_
        assert waiting.deadline == waiting.begun + timedelta(minutes=180)
        services.finish_attempt(waiting, Attempt.FinishReason.ABANDONED)
