"""Results, review and history run a fixed number of queries, whatever the size."""

import pytest
import time_machine
from django.urls import reverse

from exams import services
from exams.models import Attempt
from tests.factories import make_bank, make_exam
from tests.helpers import T0


def finished_attempts(user, exam, count):
    attempts = []
    for _ in range(count):
        with time_machine.travel(T0, tick=False):
            a, _ = services.start_attempt(user, exam)
            attempts.append(services.finish_attempt(a, Attempt.FinishReason.SUBMITTED))
    return attempts


@pytest.fixture(params=[65, 130])
def exam(request, mls):
    if request.param == 65:
        make_bank(mls, per_objective=8)
        return mls
    exam = make_exam(question_count=130, duration_minutes=130)
    make_bank(exam, per_objective=70)
    return exam


def test_results_and_review_query_counts_do_not_grow(
    alice_client, alice, exam, django_assert_max_num_queries
):
    (attempt,) = finished_attempts(alice, exam, 1)
    # Session, user, attempt, items, and the live objectives the drill buttons link to.
    with django_assert_max_num_queries(6):
        r = alice_client.get(reverse("exams:results", args=[attempt.code]))
    assert len(r.context["domains"]) == exam.domains.count()
    with django_assert_max_num_queries(6):
        r = alice_client.get(reverse("exams:answers", args=[attempt.code]), {"show": "all"})
    assert r.context["page"].paginator.count == exam.question_count


@pytest.mark.parametrize("count", [1, 30])
def test_history_query_count_does_not_grow(
    alice_client, alice, mls, count, django_assert_max_num_queries
):
    make_bank(mls, per_objective=8)
    finished_attempts(alice, mls, count)
    with django_assert_max_num_queries(5):
        r = alice_client.get(reverse("exams:history"))
    assert len(r.context["attempts"]) == count
    assert len(r.context["score_trend"]["points"]) == min(count, 20)
