import random
from collections import Counter
from itertools import groupby

import pytest
from django.urls import reverse

from exams import services
from exams.models import Attempt, AttemptItem
from questions.models import Question
from tests.factories import make_bank, make_exam

START = reverse("exams:start")


def start(client, **options):
    return client.post(START, {"exam": "MLS-C01", **options})


def test_it_draws_by_blueprint_without_repeats(alice_client, alice, mls_bank):
    r = start(alice_client)
    attempt = Attempt.objects.get(user=alice)
    assert r.status_code == 302
    # The questions are drawn at Start; the clock waits on the instructions for Begin.
    assert r["Location"] == reverse("exams:begin", args=[attempt.code])
    assert (attempt.begun, attempt.deadline) == (None, None)
    items = list(attempt.items.all())
    assert [i.position for i in items] == list(range(1, 66))
    assert Counter(i.domain_number for i in items) == {1: 13, 2: 16, 3: 23, 4: 13}
    assert len({i.question_id for i in items}) == 65
    assert attempt.duration == mls_bank.duration()


def test_it_interleaves_domains(alice, mls_bank):
    attempt, _ = services.start_attempt(alice, mls_bank, rng=random.Random(7))
    domains = [i.domain_number for i in attempt.items.all()]
    # No domain sits in one block: each appears in every third of the exam.
    for third in (domains[:22], domains[22:44], domains[44:]):
        assert set(third) == {1, 2, 3, 4}
    longest_run = max(len(list(run)) for _, run in groupby(domains))
    assert longest_run <= 4


def test_it_shows_least_seen_questions_first(alice, bob, mls):
    make_bank(mls, per_objective=16)  # room for two exams with no repeats per domain
    first, _ = services.start_attempt(alice, mls)
    services.finish_attempt(first, Attempt.FinishReason.SUBMITTED)
    second, _ = services.start_attempt(alice, mls)
    seen = set(first.items.values_list("question_id", flat=True))
    again = set(second.items.values_list("question_id", flat=True))
    assert not seen & again
    # Bob has seen nothing, so Alice's history does not steer his draw.
    bobs, _ = services.start_attempt(bob, mls, rng=random.Random(1))
    assert bobs.items.count() == 65


def test_it_repeats_questions_only_when_the_bank_runs_out(alice, mls):
    make_bank(mls, per_objective=8)  # domain 3 has 40 questions: the second draw repeats 6
    first, _ = services.start_attempt(alice, mls)
    services.finish_attempt(first, Attempt.FinishReason.SUBMITTED)
    second, _ = services.start_attempt(alice, mls)
    d3_first = set(first.items.filter(domain_number=3).values_list("question_id", flat=True))
    d3_second = set(second.items.filter(domain_number=3).values_list("question_id", flat=True))
    assert len(d3_first & d3_second) == 23 * 2 - 40


def test_it_shuffles_options_per_attempt_and_keeps_them(alice_client, alice, mls_bank):
    start(alice_client)
    attempt = Attempt.objects.get(user=alice)
    orders = []
    for item in attempt.items.select_related("question"):
        authored = list(item.question.options.values_list("id", flat=True))
        shown = [o["id"] for o in item.options]
        assert sorted(shown) == sorted(authored)
        orders.append(shown != authored)
    assert any(orders)  # 65 shuffles all in authoring order: about 1 in 10^80
    alice_client.post(reverse("exams:begin", args=[attempt.code]))
    url = reverse("exams:question", args=[attempt.code, 1])
    first = alice_client.get(url).text
    item = attempt.items.get(position=1)
    positions = [first.index(f'value="{o["id"]}"') for o in item.options]
    assert positions == sorted(positions)  # shown in the stored order, every time
    assert alice_client.get(url).text.index(f'value="{item.options[0]["id"]}"') == positions[0]


def test_it_says_which_domain_lacks_questions_and_creates_nothing(alice_client, mls):
    make_bank(mls, per_objective=8)
    Question.objects.filter(objective__code__startswith="3.").exclude(
        key__endswith="00000"
    ).update(status=Question.Status.RETIRED)
    r = start(alice_client)
    assert r.status_code == 409
    assert "Domain 3 (Modeling) needs 23 active questions but has 5: 18 missing" in r.text
    assert not Attempt.objects.exists()
    assert not AttemptItem.objects.exists()


def test_it_sends_a_candidate_back_to_the_attempt_in_progress(alice_client, alice, mls_bank):
    start(alice_client)
    attempt = Attempt.objects.get(user=alice)
    r = start(alice_client, extra_time="on")
    assert r.status_code == 302
    assert r["Location"] == attempt.get_absolute_url()
    assert Attempt.objects.count() == 1


def test_it_grants_extra_time_and_hides_the_clock_on_request(alice_client, alice, mls_bank):
    start(alice_client, extra_time="on", hide_clock="on")
    attempt = Attempt.objects.get(user=alice)
    assert (
        "210 minutes, with your extra 30 minutes included"
        in alice_client.get(reverse("exams:begin", args=[attempt.code])).text
    )
    alice_client.post(reverse("exams:begin", args=[attempt.code]))
    attempt.refresh_from_db()
    assert (attempt.deadline - attempt.begun).total_seconds() == 210 * 60
    assert attempt.hide_clock


def test_it_refuses_an_unknown_exam(alice_client, mls_bank):
    r = alice_client.post(START, {"exam": "NOPE"})
    assert r.status_code == 400
    assert "Choose one of the listed exams." in r.text
    assert not Attempt.objects.exists()


def test_it_sends_anonymous_users_to_log_in(client, mls_bank):
    r = client.post(START, {"exam": "MLS-C01"})
    assert r.status_code == 302
    assert r["Location"].startswith(reverse("login"))


def test_it_draws_from_a_large_bank_in_constant_queries(alice, mls, django_assert_max_num_queries):
    make_bank(mls, per_objective=1334, multiple_every=0)  # 20,010 questions
    assert Question.objects.count() >= 20_000
    with django_assert_max_num_queries(14):
        attempt, _ = services.start_attempt(alice, mls)
    assert attempt.items.count() == 65


@pytest.mark.parametrize("per_objective", [8, 40])
def test_the_draw_query_count_does_not_grow_with_the_bank(
    alice, mls, per_objective, django_assert_num_queries
):
    make_bank(mls, per_objective=per_objective)
    # 1 open-mock check, 1 domain list, 1 sample of ids, 1 of the candidate's history,
    # 1 of pilot questions (MLS-C01 takes up to 15), 2 loads, and save + items in a savepoint
    with django_assert_num_queries(11):
        services.start_attempt(alice, mls)


def test_it_draws_a_second_blueprint(alice, db):
    exam = make_exam(question_count=30, weights=(50, 30, 20))
    make_bank(exam, per_objective=15)
    attempt, _ = services.start_attempt(alice, exam)
    assert Counter(attempt.items.values_list("domain_number", flat=True)) == {1: 15, 2: 9, 3: 6}
