"""Only the owner sees an attempt; nothing reveals answers while it is open; bad input is 4xx."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from exams import services
from exams.models import Attempt
from tests.helpers import T0

from .test_taking import answer


def attempt_urls(attempt):
    return [
        reverse("exams:resume", args=[attempt.code]),
        reverse("exams:question", args=[attempt.code, 1]),
        reverse("exams:review", args=[attempt.code]),
        reverse("exams:results", args=[attempt.code]),
    ]


def test_it_hides_alices_attempt_from_bob(client, bob, attempt):
    client.force_login(bob)
    with time_machine.travel(T0, tick=False):
        for url in attempt_urls(attempt):
            assert client.get(url).status_code == 404, url
        item = attempt.items.get(position=1)
        r = answer(client, attempt, 1, [item.options[0]["id"]])
        assert r.status_code == 404
        assert client.post(reverse("exams:submit", args=[attempt.code])).status_code == 404
    item.refresh_from_db()
    assert item.selected == []
    attempt.refresh_from_db()
    assert not attempt.is_finished


def test_it_hides_finished_results_from_bob(client, bob, attempt):
    services.finish_attempt(attempt, Attempt.FinishReason.SUBMITTED)
    client.force_login(bob)
    assert client.get(reverse("exams:results", args=[attempt.code])).status_code == 404


def test_it_sends_anonymous_users_to_log_in(client, attempt):
    for url in attempt_urls(attempt):
        r = client.get(url)
        assert r.status_code == 302
        assert r["Location"].startswith(reverse("login"))


def test_no_page_of_an_open_attempt_reveals_answers(alice_client, attempt):
    item = attempt.items.get(position=1)
    with time_machine.travel(T0 + timedelta(minutes=5), tick=False):
        pages = [alice_client.get(reverse("exams:question", args=[attempt.code, p])).text
                 for p in range(1, 66)]  # fmt: skip
        pages.append(alice_client.get(reverse("exams:review", args=[attempt.code])).text)
        pages.append(answer(alice_client, attempt, 1, [item.options[0]["id"]], htmx=True).text)
        pages.append(answer(alice_client, attempt, 1, ["x"], htmx=True).text)
    for html in pages:
        assert "EXPLANATION" not in html
        # The bank's explanations are marked, and no page may even say "correct".
        assert not re.search(r"correct", html, re.IGNORECASE), html


@pytest.mark.parametrize(
    ("make_data", "message"),
    [
        (lambda it, other: {"option": ["abc"]}, "An option id was not a number"),
        (lambda it, other: {"option": ["999999"]}, "Option 999999 is not an option of question"),
        (lambda it, other: {"option": [other.options[0]["id"]]}, "is not an option of question"),
        (
            lambda it, other: {"option": [o["id"] for o in it.options[:2]]},
            "takes at most 1 option",
        ),
        (lambda it, other: {"option": [it.options[0]["id"]] * 2}, "An option was sent twice"),
    ],
)
def test_it_refuses_bad_answers_and_changes_nothing(alice_client, attempt, make_data, message):
    item = attempt.items.filter(type="single").first()
    other = attempt.items.exclude(pk=item.pk).first()
    data = {"answer_form": "1", **make_data(item, other)}
    with time_machine.travel(T0, tick=False):
        r = alice_client.post(reverse("exams:question", args=[attempt.code, item.position]), data)
    assert r.status_code == 400
    assert message in r.text
    item.refresh_from_db()
    assert item.selected == []


def test_it_refuses_more_than_k_options(alice_client, attempt):
    item = attempt.items.filter(type="multiple").first()
    data = {"answer_form": "1", "option": [o["id"] for o in item.options[:3]]}
    with time_machine.travel(T0, tick=False):
        r = alice_client.post(reverse("exams:question", args=[attempt.code, item.position]), data)
    assert r.status_code == 400
    assert "takes at most 2 option(s)" in r.text


def test_it_refuses_a_form_with_missing_fields(alice_client, attempt):
    with time_machine.travel(T0, tick=False):
        r = alice_client.post(reverse("exams:question", args=[attempt.code, 1]), {})
    assert r.status_code == 400
    assert "The form was incomplete" in r.text


def test_it_says_a_position_is_out_of_range(alice_client, attempt):
    with time_machine.travel(T0, tick=False):
        r = alice_client.get(reverse("exams:question", args=[attempt.code, 66]))
        assert r.status_code == 404
        r = answer(alice_client, attempt, 0, [])
        assert r.status_code == 404


def test_malformed_attempt_codes_are_404(alice_client, attempt):
    assert alice_client.get("/attempts/not-a-uuid/q/1/").status_code == 404
    assert alice_client.get("/attempts/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_views_that_change_state_need_post_and_csrf(client, alice, attempt):
    client.force_login(alice)
    assert client.get(reverse("exams:submit", args=[attempt.code])).status_code == 405
    assert client.get(reverse("exams:start")).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(alice)
    r = strict.post(reverse("exams:submit", args=[attempt.code]))
    assert r.status_code == 403
    attempt.refresh_from_db()
    assert not attempt.is_finished
