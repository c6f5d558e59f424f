import re
from datetime import timedelta

import time_machine
from django.core.management import call_command
from django.urls import reverse

from exams import services
from exams.models import Attempt
from tests.factories import make_bank, make_exam
from tests.helpers import T0


def q_url(attempt, position):
    return reverse("exams:question", args=[attempt.code, position])


def answer(client, attempt, position, option_ids, flagged=False, go="stay", htmx=False):
    data = {"answer_form": "1", "option": option_ids, "go": go}
    if flagged:
        data["flagged"] = "on"
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(q_url(attempt, position), data, headers=headers)


def first_single(attempt):
    return attempt.items.filter(type="single").first()


# --- showing and resuming ---------------------------------------------------------------


def test_it_shows_a_question_with_navigator_and_clock(alice_client, attempt):
    with time_machine.travel(T0 + timedelta(minutes=10, seconds=5), tick=False):
        r = alice_client.get(q_url(attempt, 1))
    assert r.status_code == 200
    item = attempt.items.get(position=1)
    assert item.stem in r.text
    assert "Question 1 of 65" in r.text
    assert 'data-seconds-left="10195"' in r.text  # 170 min − 5 s, from the server
    assert "169:55" in r.text
    assert r["X-Time-Left"] == "10195"
    assert r.text.count('id="nav-') == 65
    assert 'aria-current="page"' in r.text


def test_it_resumes_where_the_candidate_left_off(alice_client, attempt):
    single = first_single(attempt)
    option = single.options[2]["id"]
    with time_machine.travel(T0 + timedelta(minutes=1), tick=False):
        answer(alice_client, attempt, single.position, [option], flagged=True)
        alice_client.get(q_url(attempt, 7))
        # A reload, a crash or another device: the resume link goes back to question 7.
        r = alice_client.get(reverse("exams:resume", args=[attempt.code]))
        assert r["Location"] == q_url(attempt, 7)
        page = alice_client.get(q_url(attempt, single.position)).text
    assert f'value="{option}" checked' in page
    assert 'name="flagged" checked' in page


def test_multiple_response_says_choose_k_and_uses_checkboxes(alice_client, attempt):
    multi = attempt.items.filter(type="multiple").first()
    with time_machine.travel(T0, tick=False):
        page = alice_client.get(q_url(attempt, multi.position)).text
    assert "Choose 2." in page
    assert page.count('type="checkbox" name="option"') == 5
    assert 'data-choose="2"' in page


# --- saving -------------------------------------------------------------------------------


def test_it_saves_an_answer_with_htmx_and_confirms(alice_client, attempt):
    item = first_single(attempt)
    with time_machine.travel(T0 + timedelta(minutes=3), tick=False):
        r = answer(alice_client, attempt, item.position, [item.options[0]["id"]], htmx=True)
    assert r.status_code == 200
    assert "Saved at" in r.text
    assert f'id="nav-{item.position}" hx-swap-oob="true"' in r.text
    item.refresh_from_db()
    assert item.selected == [item.options[0]["id"]]
    assert item.answered == T0 + timedelta(minutes=3)


def test_it_saves_with_plain_forms_and_moves_on(alice_client, attempt):
    item = attempt.items.get(position=5)
    with time_machine.travel(T0, tick=False):
        r = answer(alice_client, attempt, 5, [item.options[0]["id"]], go="next")
        assert r["Location"] == q_url(attempt, 6)
        r = answer(alice_client, attempt, 5, [item.options[0]["id"]], go="prev")
        assert r["Location"] == q_url(attempt, 4)
        r = answer(alice_client, attempt, 65, [], go="review")
        assert r["Location"] == reverse("exams:review", args=[attempt.code])
    item.refresh_from_db()
    assert item.selected == [item.options[0]["id"]]


def test_it_clears_an_answer(alice_client, attempt):
    item = attempt.items.filter(type="multiple").first()
    ids = [o["id"] for o in item.options[:2]]
    with time_machine.travel(T0, tick=False):
        answer(alice_client, attempt, item.position, ids)
        answer(alice_client, attempt, item.position, [])
    item.refresh_from_db()
    assert item.selected == []
    assert item.answered is None


# --- the clock -----------------------------------------------------------------------------


def test_it_accepts_an_answer_one_second_before_the_deadline(alice_client, attempt):
    item = first_single(attempt)
    with time_machine.travel(attempt.deadline - timedelta(seconds=1), tick=False):
        r = answer(alice_client, attempt, item.position, [item.options[1]["id"]], htmx=True)
    assert r.status_code == 200
    item.refresh_from_db()
    assert item.selected == [item.options[1]["id"]]


def test_it_refuses_an_answer_one_second_after_the_deadline(alice_client, attempt):
    item = first_single(attempt)
    with time_machine.travel(attempt.deadline - timedelta(minutes=1), tick=False):
        answer(alice_client, attempt, item.position, [item.options[0]["id"]])
    with time_machine.travel(attempt.deadline + timedelta(seconds=1), tick=False):
        r = answer(alice_client, attempt, item.position, [item.options[1]["id"]], htmx=True)
    assert r.status_code == 409
    assert "Time is up" in r.text
    assert r["HX-Redirect"] == reverse("exams:results", args=[attempt.code])
    item.refresh_from_db()
    assert item.selected == [item.options[0]["id"]]  # the answer saved in time counts
    attempt.refresh_from_db()
    assert attempt.finish_reason == Attempt.FinishReason.EXPIRED
    assert attempt.correct_count == int(item.options[0]["correct"])
    assert attempt.finished == attempt.deadline


def test_it_refuses_plain_form_answers_after_the_deadline_with_a_message(alice_client, attempt):
    item = first_single(attempt)
    with time_machine.travel(attempt.deadline + timedelta(seconds=1), tick=False):
        r = answer(alice_client, attempt, item.position, [item.options[1]["id"]])
        assert r["Location"] == reverse("exams:results", args=[attempt.code])
        page = alice_client.get(r["Location"]).text
    assert f"Your last change to question {item.position} was not saved." in page
    assert "time expired" in page
    item.refresh_from_db()
    assert item.selected == []


def test_it_finalizes_an_expired_attempt_on_the_owners_next_request(alice_client, attempt):
    with time_machine.travel(attempt.deadline + timedelta(hours=5), tick=False):
        r = alice_client.get(reverse("home"))
    assert r.status_code == 200
    attempt.refresh_from_db()
    assert attempt.is_finished
    assert attempt.finish_reason == Attempt.FinishReason.EXPIRED
    assert attempt.time_used == timedelta(minutes=180)


def test_it_finalizes_expired_attempts_from_the_command(attempt, bob, mls_bank, capsys):
    with time_machine.travel(T0 + timedelta(minutes=100), tick=False):
        running, _ = services.start_attempt(bob, mls_bank)
    with time_machine.travel(attempt.deadline + timedelta(seconds=1), tick=False):
        call_command("finalize_expired_attempts")
    assert "Finalized 1 expired attempt(s)." in capsys.readouterr().out
    attempt.refresh_from_db()
    running.refresh_from_db()
    assert attempt.is_finished
    assert not running.is_finished


# --- gates and the hidden clock -------------------------------------------------------------


def test_gates_sit_at_22_and_44_with_targets_at_thirds(attempt):
    assert attempt.gate_positions() == [22, 44]
    assert attempt.gate_target(22) == timedelta(minutes=60)
    assert attempt.gate_target(44) == timedelta(minutes=120)
    assert attempt.gate_target(21) is None


def test_gate_targets_stretch_with_extra_time(alice, mls_bank):
    a, _ = services.start_attempt(alice, mls_bank, extra_time=True)
    assert a.gate_target(22) == timedelta(minutes=70)
    assert a.gate_target(44) == timedelta(minutes=140)


def test_gates_follow_a_second_blueprint(alice, db):
    exam = make_exam(question_count=130, duration_minutes=130)
    make_bank(exam, per_objective=70, multiple_every=0)
    a, _ = services.start_attempt(alice, exam)
    assert a.gate_positions() == [44, 88]


def test_it_shows_a_checkpoint_at_a_gate_and_stores_the_arrival(alice_client, attempt):
    for item in attempt.items.filter(position__lte=20):
        item.selected = [o["id"] for o in item.options[: item.choose]]  # complete answers
        item.save()
    with time_machine.travel(T0 + timedelta(minutes=52, seconds=10), tick=False):
        r = alice_client.get(q_url(attempt, 22))
    assert "Checkpoint: question 22" in r.text
    assert "Elapsed <strong>52:10</strong>, target <strong>60:00</strong>" in r.text
    assert "ahead by 7:50" in r.text
    assert "You have answered 20 of 65 questions." in r.text
    with time_machine.travel(T0 + timedelta(minutes=130), tick=False):
        r = alice_client.get(q_url(attempt, 44))
        assert "behind by 10:00" in r.text
        again = alice_client.get(q_url(attempt, 22)).text  # keeps the first arrival
    # The box shows once; a revisit gets one line with the first arrival's figures.
    assert "Checkpoint: question 22" not in again
    assert "Checkpoint at question 22: reached at 52:10, target 60:00." in again
    arrivals = dict(
        attempt.items.filter(position__in=[22, 44]).values_list("position", "first_seen")
    )
    assert arrivals == {
        22: T0 + timedelta(minutes=52, seconds=10),
        44: T0 + timedelta(minutes=130),
    }
    with time_machine.travel(T0 + timedelta(minutes=131), tick=False):
        assert "Checkpoint" not in alice_client.get(q_url(attempt, 23)).text


def clock_hidden(html):
    tag = re.search(r'<div id="clock"[^>]*>', html).group(0)
    return " hidden" in tag


def test_the_hidden_clock_shows_only_at_gates_and_at_the_end(alice_client, alice, mls_bank):
    with time_machine.travel(T0, tick=False):
        a, _ = services.start_attempt(alice, mls_bank, hide_clock=True)
    with time_machine.travel(T0 + timedelta(minutes=10), tick=False):
        assert clock_hidden(alice_client.get(q_url(a, 5)).text)
        assert not clock_hidden(alice_client.get(q_url(a, 22)).text)
        assert not clock_hidden(alice_client.get(q_url(a, 44)).text)
    with time_machine.travel(a.deadline - timedelta(minutes=15, seconds=1), tick=False):
        assert clock_hidden(alice_client.get(q_url(a, 5)).text)
    with time_machine.travel(a.deadline - timedelta(minutes=15), tick=False):
        assert not clock_hidden(alice_client.get(q_url(a, 5)).text)


def test_the_clock_is_always_shown_unless_hidden(alice_client, attempt):
    with time_machine.travel(T0 + timedelta(minutes=10), tick=False):
        assert not clock_hidden(alice_client.get(q_url(attempt, 5)).text)


def test_a_multiple_response_question_short_of_choices_is_incomplete(alice_client, attempt):
    item = attempt.items.filter(type="multiple").first()
    with time_machine.travel(T0, tick=False):
        answer(alice_client, attempt, item.position, [item.options[0]["id"]])
        page = alice_client.get(q_url(attempt, item.position)).text
        review = alice_client.get(reverse("exams:review", args=[attempt.code]))
    assert f'aria-label="Question {item.position}, incomplete"' in page
    assert "0</span> of 65 answered" in page
    assert [i.position for i in review.context["incomplete"]] == [item.position]
    assert review.context["answered_count"] == 0
    assert "Incomplete (1)" in review.text
