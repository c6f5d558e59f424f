"""Review walks, leaving a question without JavaScript, and moving on with one GET."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from exams.views.params import BadParameter
from exams.views.walks import Walk
from tests.helpers import T0
from tests.test_taking import answer, q_url


def review_url(attempt):
    return reverse("exams:review", args=[attempt.code])


def flag(attempt, *positions):
    attempt.items.filter(position__in=positions).update(flagged=True)


def complete(attempt, *positions):
    for item in attempt.items.filter(position__in=positions):
        item.selected = [o["id"] for o in item.options[: item.choose]]
        item.save()


def walk_links(page: str) -> list[str]:
    start = page.index('<ul class="walk-list">')
    return page[start : page.index("</ul>", start)].split("<li>")[1:]


# --- the walks themselves ----------------------------------------------------------------


def test_it_builds_each_walk_from_the_items_as_they_stand(attempt):
    flag(attempt, 9, 4)
    complete(attempt, *range(1, 61))
    multi = attempt.items.filter(type="multiple", position__lte=60).first()
    multi.selected = multi.selected[:1]  # one of two: incomplete
    multi.save()
    items = list(attempt.items.all())
    assert Walk.start("all", items).positions == tuple(range(1, 66))
    assert Walk.start("flagged", items).positions == (4, 9)
    incomplete = Walk.start("incomplete", items)
    assert incomplete.positions == (multi.position, 61, 62, 63, 64, 65)
    assert (incomplete.after(61), incomplete.before(61), incomplete.after(65)) == (
        62,
        multi.position,
        None,
    )
    assert incomplete.query == f"?walk=incomplete&set={multi.position},61,62,63,64,65"


@pytest.mark.parametrize(
    "query, message",
    [
        ({"walk": "wrong"}, "Unknown walk 'wrong': use one of all, incomplete, flagged."),
        ({"walk": "flagged", "set": ""}, "set takes a whole number from 1 to 65."),
        ({"walk": "flagged", "set": "3,x"}, "set takes a whole number from 1 to 65."),
        ({"walk": "flagged", "set": "3,66"}, "set takes a whole number from 1 to 65."),
        (
            {"walk": "flagged", "set": "7,3"},
            "set takes question numbers in rising order, each once.",
        ),
        (
            {"walk": "flagged", "set": "3,3"},
            "set takes question numbers in rising order, each once.",
        ),
        ({"walk": "flagged", "set": "3,٧"}, "set takes a whole number from 1 to 65."),
        (
            {"walk": "flagged", "set": ",".join(["1"] * 66)},
            "set lists more questions than the attempt has (65).",
        ),
    ],
)
def test_it_refuses_a_malformed_walk(query, message):
    from django.http import QueryDict

    q = QueryDict(mutable=True)
    q.update(query)
    with pytest.raises(
        BadParameter, match="^" + message.replace("(", r"\(").replace(")", r"\)") + "$"
    ):
        Walk.from_query(q, 65)


# --- the review screen starts them --------------------------------------------------------


def test_it_offers_three_walks_on_the_review_screen(alice_client, attempt):
    flag(attempt, 12, 30)
    complete(attempt, *range(1, 64))
    with time_machine.travel(T0, tick=False):
        page = alice_client.get(review_url(attempt)).text
    every, incomplete, flagged = walk_links(page)
    assert f'href="{q_url(attempt, 1)}?walk=all">Review all (65)</a>' in every
    assert (
        f'href="{q_url(attempt, 64)}?walk=incomplete&amp;set=64,65">Review incomplete (2)'
        in incomplete
    )
    assert f'href="{q_url(attempt, 12)}?walk=flagged&amp;set=12,30">Review flagged (2)' in flagged


def test_an_empty_walk_is_offered_as_text_not_a_link(alice_client, attempt):
    complete(attempt, *range(1, 66))
    with time_machine.travel(T0, tick=False):
        page = alice_client.get(review_url(attempt)).text
    _, incomplete, flagged = walk_links(page)
    assert "href" not in incomplete and "Review incomplete (0)" in incomplete
    assert "href" not in flagged and "Review flagged (0)" in flagged


# --- walking with plain forms -------------------------------------------------------------


def walk_post(client, attempt, position, query, go, option_ids=(), flagged=False):
    data = {"answer_form": "1", "option": list(option_ids), "go": go}
    if flagged:
        data["flagged"] = "on"
    return client.post(q_url(attempt, position) + query, data)


def test_a_walk_goes_through_its_set_and_ends_on_the_review_screen(alice_client, attempt):
    query = "?walk=flagged&set=3,7,12"
    flag(attempt, 3, 7, 12)
    with time_machine.travel(T0, tick=False):
        page = alice_client.get(q_url(attempt, 7) + query).text
        assert "Reviewing flagged questions: <strong>2 of 3</strong></span>" in page
        assert f'data-href="{q_url(attempt, 12)}{query.replace("&", "&amp;")}"' in page
        assert f'data-href="{q_url(attempt, 3)}{query.replace("&", "&amp;")}"' in page
        r = walk_post(alice_client, attempt, 3, query, "next", flagged=True)
        assert r["Location"] == q_url(attempt, 7) + query
        r = walk_post(alice_client, attempt, 7, query, "prev", flagged=True)
        assert r["Location"] == q_url(attempt, 3) + query
        last = alice_client.get(q_url(attempt, 12) + query).text
        assert ">Back to review</button>" in last
        r = walk_post(alice_client, attempt, 12, query, "next", flagged=True)
        assert r["Location"] == review_url(attempt)


def test_unflagging_during_a_flagged_walk_skips_nothing(alice_client, attempt):
    query = "?walk=flagged&set=3,7,12"
    flag(attempt, 3, 7, 12)
    with time_machine.travel(T0, tick=False):
        r = walk_post(alice_client, attempt, 3, query, "next", flagged=False)
        assert r["Location"] == q_url(attempt, 7) + query
        r = walk_post(alice_client, attempt, 7, query, "next", flagged=False)
        assert r["Location"] == q_url(attempt, 12) + query
    assert list(attempt.items.filter(flagged=True).values_list("position", flat=True)) == [12]


def test_the_navigator_leaves_the_walk(alice_client, attempt):
    with time_machine.travel(T0, tick=False):
        r = walk_post(alice_client, attempt, 3, "?walk=all", "20")
    assert r["Location"] == q_url(attempt, 20)


@pytest.mark.parametrize(
    "query, message",
    [
        ("?walk=flagged&set=3,7", "Question 5 is not in this review of flagged questions"),
        ("?walk=nope", "Unknown walk &#x27;nope&#x27;"),
        ("?walk=flagged&set=7,3", "set takes question numbers in rising order, each once."),
    ],
)
def test_a_question_outside_its_walk_or_a_bad_walk_is_a_400(alice_client, attempt, query, message):
    with time_machine.travel(T0, tick=False):
        r = alice_client.get(q_url(attempt, 5) + query)
    assert r.status_code == 400
    assert message in r.text
    assert attempt.items.get(position=5).first_seen is None  # nothing recorded


def test_a_save_with_a_malformed_walk_saves_nothing(alice_client, attempt):
    item = attempt.items.get(position=5)
    with time_machine.travel(T0, tick=False):
        r = walk_post(
            alice_client, attempt, 5, "?walk=flagged&set=x", "next", [item.options[0]["id"]]
        )
    assert r.status_code == 400
    assert "Nothing was saved." in r.text
    item.refresh_from_db()
    assert item.selected == []


def test_a_walk_survives_a_reload(alice_client, attempt):
    query = "?walk=incomplete&set=2,40"
    with time_machine.travel(T0, tick=False):
        first = alice_client.get(q_url(attempt, 40) + query).text
        again = alice_client.get(q_url(attempt, 40) + query).text
    assert "Reviewing unanswered and incomplete questions: <strong>2 of 2</strong></span>" in first
    assert "Reviewing unanswered and incomplete questions: <strong>2 of 2</strong></span>" in again


# --- leaving a question without JavaScript ------------------------------------------------


def test_every_control_that_leaves_the_page_submits_the_answer_form(alice_client, attempt):
    with time_machine.travel(T0, tick=False):
        page = alice_client.get(q_url(attempt, 5)).text
    assert (
        page.count('<button form="answer-form" name="go" value="') == 65 + 2
    )  # grid, bar, default
    assert '<button form="answer-form" name="go" value="review" data-href=' in page
    assert 'aria-label="Question 5, unanswered" ' not in page  # current: aria-current first
    assert 'aria-current="page" aria-label="Question 5, unanswered"' in page


@pytest.mark.parametrize("go, where", [("12", "q12"), ("review", "review")])
def test_the_grid_and_review_keep_a_choice_without_javascript(alice_client, attempt, go, where):
    item = attempt.items.get(position=5)
    with time_machine.travel(T0, tick=False):
        r = answer(alice_client, attempt, 5, [item.options[1]["id"]], go=go)
    assert r["Location"] == (q_url(attempt, 12) if where == "q12" else review_url(attempt))
    item.refresh_from_db()
    assert item.selected == [item.options[1]["id"]]


def test_without_javascript_the_page_gives_the_deadlines_clock_time(alice_client, attempt):
    with time_machine.travel(T0 + timedelta(minutes=3), tick=False):
        page = alice_client.get(q_url(attempt, 2)).text
    assert "<noscript>" in page
    assert (
        "The countdown is not live without JavaScript: time ends at <strong>12:00</strong> (UTC"
        in page
    )


def test_a_hidden_clock_stays_hidden_without_javascript(alice_client, alice, mls_bank):
    from exams import services

    with time_machine.travel(T0, tick=False):
        a, _ = services.start_attempt(alice, mls_bank, hide_clock=True)
        page = alice_client.get(q_url(a, 5)).text
    assert "time ends at" not in page


# --- moving on with JavaScript: one GET, a partial -----------------------------------------


def test_moving_on_with_htmx_returns_only_what_changes(alice_client, attempt):
    with time_machine.travel(T0 + timedelta(minutes=1), tick=False):
        r = alice_client.get(q_url(attempt, 8) + "?walk=all", headers={"HX-Request": "true"})
    assert r.status_code == 200
    assert r.text.startswith("<title>Question 8 — MLS-C01 · examsite</title>")
    assert '<div id="question" data-position="8" data-show-clock="1">' in r.text
    assert (
        '<span id="where" hx-swap-oob="true"><strong>MLS-C01</strong> · Question 8 of 65</span>'
        in r.text
    )
    assert 'id="nav-' not in r.text  # the navigator stays in the page
    assert "<html" not in r.text
    assert "Reviewing all questions: <strong>8 of 65</strong></span>" in r.text
    assert r["X-Time-Left"] == str(180 * 60 - 60)
    assert "HX-Request" in r["Vary"]
    item = attempt.items.get(position=8)
    assert item.first_seen == item.last_seen == T0 + timedelta(minutes=1)


def test_opening_a_question_moves_the_resume_point_and_keeps_the_first_arrival(
    alice_client, attempt
):
    with time_machine.travel(T0 + timedelta(minutes=1), tick=False):
        alice_client.get(q_url(attempt, 9))
    with time_machine.travel(T0 + timedelta(minutes=2), tick=False):
        alice_client.get(q_url(attempt, 4), headers={"HX-Request": "true"})
    with time_machine.travel(T0 + timedelta(minutes=3), tick=False):
        alice_client.get(q_url(attempt, 9), headers={"HX-Request": "true"})
        r = alice_client.get(reverse("exams:resume", args=[attempt.code]))
    assert r["Location"] == q_url(attempt, 9)
    item = attempt.items.get(position=9)
    assert (item.first_seen, item.last_seen) == (
        T0 + timedelta(minutes=1),
        T0 + timedelta(minutes=3),
    )


def test_a_checkpoint_swapped_in_counts_the_answers(alice_client, attempt):
    complete(attempt, *range(1, 11))
    with time_machine.travel(T0 + timedelta(minutes=50), tick=False):
        r = alice_client.get(q_url(attempt, 22), headers={"HX-Request": "true"})
    assert "Checkpoint: question 22" in r.text
    assert "You have answered 10 of 65 questions." in r.text


def test_a_swap_after_the_deadline_sends_the_candidate_to_the_results(alice_client, attempt):
    with time_machine.travel(attempt.deadline + timedelta(minutes=1), tick=False):
        r = alice_client.get(q_url(attempt, 3), headers={"HX-Request": "true"})
    assert r.status_code == 409
    assert r["HX-Redirect"] == reverse("exams:results", args=[attempt.code])
