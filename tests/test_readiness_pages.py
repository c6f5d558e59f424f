"""The candidate's pages: score ranges on the results, and the pass-probability page."""

import re

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from django.utils.html import escape

from exams import services
from exams.models import Attempt
from tests.factories import make_bank, make_exam
from tests.helpers import T0

from .test_submit import answer_correctly


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


def sit(user, exam, correct):
    with time_machine.travel(T0, tick=False):
        attempt, _ = services.start_attempt(user, exam)
    answer_correctly(attempt, correct)
    return services.finish_attempt(attempt, Attempt.FinishReason.SUBMITTED)


def test_results_show_the_score_with_its_range_and_one_sentence(alice_client, alice, mls_bank):
    done = sit(alice, mls_bank, 47)
    r = alice_client.get(reverse("exams:results", args=[done.code]))
    score_range = r.context["score_range"]
    assert score_range.low < done.scaled_score == 751 < score_range.high
    assert f"80 % range: {score_range.low}–{score_range.high}." in r.text
    assert score_range.explanation in r.text
    assert "the passing score of 750 lies inside it" in score_range.explanation
    # Each domain has its own interval, wider than the total's in share terms.
    total_width = (score_range.high - score_range.low) / 9  # 900 points = 100 %
    for d in score_range.domains:
        assert f"{d.low_percent}–{d.high_percent} %" in r.text
        assert d.width > total_width


def test_practice_results_show_no_scaled_range(alice_client, alice, mls_bank):
    attempt = services.start_practice(alice, mls_bank, list(mls_bank.domains.values_list(
        "objectives__questions", flat=True))[:5])  # fmt: skip
    done = services.finish_attempt(attempt, Attempt.FinishReason.SUBMITTED)
    r = alice_client.get(reverse("exams:results", args=[done.code]))
    assert r.status_code == 200 and r.context["score_range"] is None


def test_the_readiness_page_asks_for_a_mock_first(alice_client, mls_bank):
    r = alice_client.get(reverse("exams:readiness", args=["MLS-C01"]))
    assert r.status_code == 200
    assert "Take a mock first" in r.text
    assert f'action="{reverse("exams:start")}"' in r.text


def test_it_shows_the_probability_its_range_and_what_it_rests_on(alice_client, alice, mls_bank):
    sit(alice, mls_bank, 60)
    r = alice_client.get(reverse("exams:readiness", args=["MLS-C01"]))
    forecast = r.context["forecast"]
    assert forecast.sittings == 1 and forecast.answers == 65
    assert f"Chance of passing a fresh mock: {forecast.percent} %" in r.text
    assert f"between {forecast.low_percent} % and {forecast.high_percent} %" in r.text
    assert escape(forecast.based_on) in r.text
    assert "not your chance of passing the real certification exam" in r.text


def test_it_is_updated_after_every_sitting(alice_client, alice, mls_bank):
    sit(alice, mls_bank, 60)
    url = reverse("exams:readiness", args=["MLS-C01"])
    first = alice_client.get(url).context["forecast"]
    sit(alice, mls_bank, 20)
    second = alice_client.get(url).context["forecast"]
    assert second.sittings == 2 and second.probability < first.probability


def test_abandoned_mocks_do_not_count(alice_client, alice, mls_bank):
    with time_machine.travel(T0, tick=False):
        attempt, _ = services.start_attempt(alice, mls_bank)
    services.finish_attempt(attempt, Attempt.FinishReason.ABANDONED)
    r = alice_client.get(reverse("exams:readiness", args=["MLS-C01"]))
    assert "Take a mock first" in r.text


def test_it_is_only_for_known_exams_and_logged_in_candidates(client, alice_client, mls):
    assert alice_client.get(reverse("exams:readiness", args=["NOPE-C01"])).status_code == 404
    client.logout()
    assert client.get(reverse("exams:readiness", args=["MLS-C01"])).status_code == 302


def test_home_links_each_exam_to_its_readiness_page(alice_client, mls):
    r = alice_client.get(reverse("home"))
    assert reverse("exams:readiness", args=["MLS-C01"]) in r.text


@pytest.fixture(params=[65, 130])
def exam(request, mls):
    if request.param == 65:
        make_bank(mls, per_objective=8)
        return mls
    exam = make_exam(question_count=130, duration_minutes=130)
    make_bank(exam, per_objective=70)
    return exam


@pytest.mark.parametrize("sittings", [1, 4])
def test_the_readiness_page_runs_a_fixed_number_of_queries(
    alice_client, alice, bob, exam, sittings, django_assert_max_num_queries
):
    sit(bob, exam, 40)
    for i in range(sittings):
        sit(alice, exam, 30 + i)
    url = reverse("exams:readiness", args=[exam.code])
    # session, user, exam, expired mocks, the candidate's answers, the calibration's
    # stamp and (uncached) its two reads, the bank, its domains, the forms.
    with django_assert_max_num_queries(11):
        r = alice_client.get(url)
    assert r.context["forecast"].sittings == sittings
    with django_assert_max_num_queries(9):  # the calibration now comes from the cache
        alice_client.get(url)


def test_results_and_review_stay_within_their_budgets(
    alice_client, alice, exam, django_assert_max_num_queries
):
    done = sit(alice, exam, 10)
    # session, user, attempt, items, the answer-change log
    with django_assert_max_num_queries(6):
        r = alice_client.get(reverse("exams:results", args=[done.code]))
    assert re.search(r"\d+ % range", r.text)
