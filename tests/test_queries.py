"""Query budgets: constant in the question's position and the exam's size."""

import pytest
import time_machine
from django.urls import reverse

from exams import services
from tests.factories import make_bank, make_exam
from tests.helpers import T0


@pytest.fixture(params=["MLS-C01", "130-question exam"])
def attempt(request, alice, mls):
    if request.param == "MLS-C01":
        exam = mls
        make_bank(exam, per_objective=8)
    else:
        exam = make_exam(question_count=130, duration_minutes=130)
        make_bank(exam, per_objective=70)
    with time_machine.travel(T0, tick=False):
        a, _ = services.start_attempt(alice, exam)
    return a


@pytest.mark.parametrize("where", ["first", "last"])
def test_showing_a_question_takes_at_most_5_queries(
    alice_client, attempt, where, django_assert_max_num_queries
):
    """Session, user, the item with its attempt, the navigator, and one UPDATE of the item
    (its first and latest opening, the latter being the attempt's current position)."""
    position = 1 if where == "first" else attempt.question_count
    url = reverse("exams:question", args=[attempt.code, position])
    with time_machine.travel(T0, tick=False), django_assert_max_num_queries(5):
        r = alice_client.get(url)
    assert r.status_code == 200
    assert r.text.count('id="nav-') == attempt.question_count
    with time_machine.travel(T0, tick=False), django_assert_max_num_queries(5):
        assert alice_client.get(url).status_code == 200  # a revisit costs no more


@pytest.mark.parametrize("where", ["first", "last"])
def test_moving_to_a_question_with_htmx_takes_at_most_4_queries(
    alice_client, attempt, where, django_assert_max_num_queries
):
    """Moving on with JavaScript swaps the question only: no navigator to read."""
    position = 2 if where == "first" else attempt.question_count
    url = reverse("exams:question", args=[attempt.code, position]) + "?walk=all"
    with time_machine.travel(T0, tick=False), django_assert_max_num_queries(4):
        r = alice_client.get(url, headers={"HX-Request": "true"})
    assert r.status_code == 200
    assert f'data-position="{position}"' in r.text


@pytest.mark.parametrize("where", ["first", "last"])
def test_saving_an_answer_takes_at_most_5_queries(
    alice_client, attempt, where, django_assert_max_num_queries
):
    """Session, user, the locking select, the update, and the AnswerChange insert.

    The insert is the fifth: every change of answer is logged (append-only) in the same
    transaction, so the results page and item analysis can count changes.
    """
    position = 1 if where == "first" else attempt.question_count
    item = attempt.items.get(position=position)
    url = reverse("exams:question", args=[attempt.code, position])
    data = {"answer_form": "1", "option": [item.options[0]["id"]], "flagged": "on"}
    with time_machine.travel(T0, tick=False), django_assert_max_num_queries(5):
        r = alice_client.post(url, data, headers={"HX-Request": "true"})
    assert r.status_code == 200
    item.refresh_from_db()
    assert item.selected == [item.options[0]["id"]]
    assert item.flagged
