"""Pilot questions: asked in place of scored ones, never scored, shown as such afterwards."""

import random
from collections import Counter
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from exams import selection, services
from exams.models import Attempt
from questions.models import Objective, Option, Question
from readiness.forecast import attempt_score_range
from readiness.items import item_analysis
from tests.factories import make_bank, make_exam
from tests.helpers import T0


def make_pilots(exam, per_objective: int, objectives=None) -> list[Question]:
    objectives = objectives or list(Objective.objects.filter(domain__exam=exam))
    pilots = []
    for objective in objectives:
        for i in range(per_objective):
            q = Question.objects.create(
                key=f"pilot-{exam.code}-{objective.code}-{i}".lower(),
                objective=objective,
                type="single",
                stem=f"Stem of trial question {i} on objective {objective.code}?",
                explanation="Why.",
                status=Question.Status.PILOT,
            )
            Option.objects.bulk_create(
                Option(question=q, text=f"p{j}", is_correct=j == 0, order=j) for j in range(4)
            )
            pilots.append(q)
    return pilots


@pytest.fixture
def pilot_bank(mls_bank):
    make_pilots(mls_bank, 2)
    return mls_bank


def start(user, exam, seed=1):
    with time_machine.travel(T0, tick=False):
        attempt, _ = services.start_attempt(user, exam, rng=random.Random(seed))
    return attempt


def test_with_no_pilot_in_the_bank_every_question_is_scored(alice, mls_bank):
    attempt = start(alice, mls_bank)
    assert attempt.pilot_count == 0
    assert attempt.items.filter(scored=False).count() == 0
    assert attempt.scored_count == attempt.question_count == 65


def test_with_no_unscored_places_no_pilot_is_asked(alice, mls_bank):
    make_pilots(mls_bank, 2)
    mls_bank.unscored_count = 0
    mls_bank.save()
    attempt = start(alice, mls_bank)
    assert not attempt.items.filter(scored=False).exists()


def test_pilots_take_up_to_unscored_count_places_keeping_the_blueprint(alice, pilot_bank):
    attempt = start(alice, pilot_bank)
    items = list(attempt.items.all())
    pilots = [i for i in items if not i.scored]
    assert len(pilots) == attempt.pilot_count == pilot_bank.unscored_count == 15
    assert attempt.question_count == 65 and attempt.scored_count == 50
    assert {i.question.status for i in pilots} == {Question.Status.PILOT}
    blueprint = {d.number: n for d, n in pilot_bank.domain_counts().items()}
    assert Counter(i.domain_number for i in items) == blueprint
    # Spread like the scored questions: every domain has some, none takes them all.
    per_domain = Counter(i.domain_number for i in pilots)
    assert set(per_domain) == set(blueprint)
    # Interleaved, not a block at the start or end.
    positions = sorted(i.position for i in pilots)
    assert positions[0] < 20 and positions[-1] > 45


def test_a_domain_short_of_pilots_leaves_its_places_to_others():
    counts = {"a": 20, "b": 30, "c": 15}
    assert selection.pilot_quotas(counts, {"a": 1, "b": 40, "c": 0}, 15) == {
        "a": 1,
        "b": 14,
        "c": 0,
    }
    assert selection.pilot_quotas(counts, {"a": 2}, 15) == {"a": 2, "b": 0, "c": 0}
    assert sum(selection.pilot_quotas(counts, {"a": 9, "b": 9, "c": 9}, 15).values()) == 15


def test_pilots_are_left_out_of_the_score(alice, pilot_bank):
    attempt = start(alice, pilot_bank)
    items = list(attempt.items.all())
    for item in items:
        # Every scored question right, every pilot wrong.
        ids = item.correct_ids() if item.scored else item.option_ids() - item.correct_ids()
        item.selected = sorted(ids)[: item.choose]
    attempt.items.bulk_update(items, ["selected"])
    done = services.finish_attempt(attempt, Attempt.FinishReason.SUBMITTED)
    assert (done.correct_count, done.scaled_score, done.percent) == (50, 1000, 100)
    assert done.passed
    # The range is over the 50 scored questions too, and pilots are still graded.
    assert attempt_score_range(done).scaled == 1000
    assert done.items.filter(scored=False, is_correct=False).count() == 15


def test_nothing_in_the_open_attempt_tells_a_pilot(alice_client, alice, pilot_bank):
    attempt = start(alice, pilot_bank)
    pilot = attempt.items.filter(scored=False).first()
    scored = attempt.items.filter(scored=True, type="single").first()
    pages = [
        alice_client.get(reverse("exams:question", args=[attempt.code, pilot.position])),
        alice_client.get(reverse("exams:review", args=[attempt.code])),
    ]
    for r in pages:
        assert r.status_code == 200
        assert "pilot" not in r.text.lower() and "unscored" not in r.text.lower()
    other = alice_client.get(reverse("exams:question", args=[attempt.code, scored.position]))
    # The same page, question for question, apart from the question itself.
    assert len(other.text.split("\n")) == len(pages[0].text.split("\n"))


def test_the_review_marks_pilots_unscored_and_results_leave_them_out(
    alice_client, alice, pilot_bank
):
    attempt = start(alice, pilot_bank)
    with time_machine.travel(T0 + timedelta(minutes=5), tick=False):
        services.finish_attempt(attempt, Attempt.FinishReason.SUBMITTED)
    r = alice_client.get(reverse("exams:answers", args=[attempt.code]), {"page": 1})
    pilots_on_page = [i for i in r.context["page"] if not i.scored]
    assert r.text.count("Unscored (pilot)") == len(pilots_on_page)
    everything = [
        alice_client.get(reverse("exams:answers", args=[attempt.code]), {"page": p}).text
        for p in range(1, 8)
    ]
    assert sum(t.count("Unscored (pilot)") for t in everything) == 15
    r = alice_client.get(reverse("exams:results", args=[attempt.code]))
    assert "0 of 50 correct" in r.text
    assert "15 of the 65 questions were unscored pilot questions" in r.text
    assert sum(d.asked for d in r.context["domains"]) == 50


def test_pilots_feed_item_analysis(alice, bob, pilot_bank):
    for user in (alice, bob):
        done = services.finish_attempt(start(user, pilot_bank), Attempt.FinishReason.SUBMITTED)
    keys = set(done.items.filter(scored=False).values_list("question_key", flat=True))
    stats = {s.key: s for s in item_analysis(pilot_bank.code)}
    assert keys <= set(stats)
    assert all(not stats[k].scored for k in keys)


def test_practice_never_asks_pilots(alice, mls):
    exam = make_exam(code="PRAC", question_count=4, weights=(100,))
    make_bank(exam, per_objective=2)
    make_pilots(exam, 5)
    ids = selection.by_objectives(exam, alice, None, 50, random.Random(1))
    assert len(ids) == 2
    assert not Question.objects.filter(pk__in=ids, status=Question.Status.PILOT).exists()


def test_a_pilot_needs_an_explanation(mls):
    q = Question(
        key="p-1",
        objective=Objective.objects.filter(domain__exam=mls).first(),
        stem="Stem?",
        status=Question.Status.PILOT,
    )
    with pytest.raises(Exception, match="A pilot question needs an explanation"):
        q.full_clean()
