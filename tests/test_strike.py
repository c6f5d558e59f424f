"""Crossing out options: saved like a flag, checked by the kind, shown again on reload and
in the review after the attempt."""

import pytest
import time_machine
from django.http import QueryDict
from django.urls import reverse

from exams import services
from exams.models import Attempt, AttemptItem
from questions.kinds import InvalidResponse, Kind
from tests.helpers import T0


def q_url(attempt, position):
    return reverse("exams:question", args=[attempt.code, position])


def post(client, attempt, item, *, option=(), struck=(), flagged=False, htmx=True):
    data = {"answer_form": "1", "option": list(option), "struck": list(struck), "go": "stay"}
    if flagged:
        data["flagged"] = "on"
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(q_url(attempt, item.position), data, headers=headers)


def single(attempt) -> AttemptItem:
    return attempt.items.filter(type="single").first()


def ids(item) -> list[int]:
    return [o["id"] for o in item.options]


def test_it_stores_crossed_out_options_in_the_order_shown(alice_client, attempt):
    item = single(attempt)
    first, _, third, _ = ids(item)
    r = post(alice_client, attempt, item, struck=[third, first])
    assert r.status_code == 200
    item.refresh_from_db()
    assert item.struck == [first, third]
    assert item.selected == []  # crossing out is not an answer
    assert not item.changes.exists()  # nor a change of answer


def test_it_lets_a_crossed_out_option_still_be_chosen(alice_client, attempt):
    item = single(attempt)
    first, second, *_ = ids(item)
    post(alice_client, attempt, item, option=[second], struck=[first, second])
    item.refresh_from_db()
    assert (item.selected, item.struck) == ([second], [first, second])


def test_it_restores_an_option_when_its_box_is_cleared(alice_client, attempt):
    item = single(attempt)
    first, second, *_ = ids(item)
    post(alice_client, attempt, item, struck=[first, second])
    post(alice_client, attempt, item, struck=[second])
    item.refresh_from_db()
    assert item.struck == [second]


@pytest.mark.parametrize(
    ("struck", "message"),
    [
        (lambda item, other: [other.options[0]["id"]], "is not an option of question"),
        (lambda item, other: [999_999_999], "is not an option of question"),
        (lambda item, other: ["abc"], "A crossed-out option id was not a number"),
        (lambda item, other: ["-3"], "A crossed-out option id was not a number"),
        (lambda item, other: ["٣"], "A crossed-out option id was not a number"),
        (lambda item, other: [item.options[0]["id"]] * 2, "A crossed-out option was sent twice"),
    ],
)
def test_it_refuses_a_strike_that_is_not_an_option_of_the_item_and_changes_nothing(
    alice_client, attempt, struck, message
):
    item = single(attempt)
    other = attempt.items.exclude(pk=item.pk).first()
    post(alice_client, attempt, item, option=[ids(item)[1]], struck=[ids(item)[0]])
    r = post(
        alice_client,
        attempt,
        item,
        option=[ids(item)[2]],
        struck=struck(item, other),
        flagged=True,
        htmx=False,
    )
    assert r.status_code == 400
    assert message in r.text and "othing was saved" in r.text
    item.refresh_from_db()
    assert (item.selected, item.struck, item.flagged) == ([ids(item)[1]], [ids(item)[0]], False)


def test_it_shows_crossed_out_options_again_on_reload(alice_client, attempt):
    item = single(attempt)
    struck = ids(item)[2]
    post(alice_client, attempt, item, struck=[struck], htmx=False)
    page = alice_client.get(q_url(attempt, item.position)).text
    assert f'name="struck" value="{struck}" checked' in page
    assert page.count('name="struck"') == len(item.options)
    assert page.count(" checked") == 1
    assert "Cross out option 3" in page and "(crossed out)" in page
    assert "x then 1–9 cross out" in page


def test_it_shows_what_was_crossed_out_in_the_review_after_the_attempt(alice_client, attempt):
    item = single(attempt)
    struck = item.options[3]
    post(alice_client, attempt, item, option=[ids(item)[0]], struck=[struck["id"]])
    services.finish_attempt(attempt, Attempt.FinishReason.SUBMITTED)
    page = alice_client.get(reverse("exams:answers", args=[attempt.code])).text
    review = page[page.index(f'id="ri-{item.position}"') :]
    review = review[: review.index("</ul>")]
    assert review.count("You crossed this out") == 1
    crossed = review[: review.index("You crossed this out")]
    assert crossed.rindex(struck["text"]) > crossed.rindex("<li")
    assert "is-struck" in crossed[crossed.rindex("<li") :]


def test_it_keeps_strikes_locked_with_a_confirmed_answer(alice_client, alice, mls_bank):
    item_ids = list(
        mls_bank.domains.first().objectives.first().questions.values_list("pk", flat=True)[:2]
    )
    practice = services.start_practice(alice, mls_bank, item_ids, feedback="each")
    item = practice.items.get(position=1)
    keys = [o["id"] for o in item.options if o["correct"]]
    data = {"answer_form": "1", "option": keys, "struck": [ids(item)[-1]], "go": "confirm"}
    alice_client.post(q_url(practice, 1), data)
    post(alice_client, practice, item, struck=[])  # moving on posts no options, no strikes
    item.refresh_from_db()
    assert item.struck == [ids(item)[-1]]
    page = alice_client.get(q_url(practice, 1)).text
    assert f'name="struck" value="{ids(item)[-1]}" checked disabled' in page


def test_saving_a_strike_stays_within_the_answer_budget(
    alice_client, attempt, django_assert_max_num_queries
):
    """Session, user, the locking select and one UPDATE: strikes ride in the same UPDATE."""
    item = single(attempt)
    with time_machine.travel(T0, tick=False), django_assert_max_num_queries(4):
        r = post(alice_client, attempt, item, struck=ids(item)[:2], flagged=True)
    assert r.status_code == 200
    item.refresh_from_db()
    assert (item.struck, item.flagged) == (ids(item)[:2], True)


def test_a_kind_without_strikes_refuses_them():
    data = QueryDict(mutable=True)
    data.setlist("struck", ["1"])

    class Item:
        position, options, selected = 4, [{"id": 1, "text": "A", "correct": True}], []

    with pytest.raises(InvalidResponse, match="Question 4 has no options to cross out"):
        Kind().parse_struck(Item(), data)
    assert Kind().parse_struck(Item(), QueryDict()) == []
