"""The answer-change and pilot migrations carry attempts made before them over unchanged."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from exams.models import Attempt
from readiness.forecast import attempt_score_range
from tests.helpers import T0
from tests.test_migrations import migrate

BEFORE = [("exams", "0006_confidence_and_feedback"),
          ("questions", "0005_active_by_objective_index")]  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_items_from_before_pilots_are_all_scored(alice):
    old = migrate(BEFORE)
    Exam, Domain = old.get_model("questions", "Exam"), old.get_model("questions", "Domain")
    OldAttempt, OldItem = old.get_model("exams", "Attempt"), old.get_model("exams", "AttemptItem")
    exam = Exam.objects.create(code="OLD-C02", name="Old", question_count=2, duration_minutes=10,
                               passing_score=700, unscored_count=1)  # fmt: skip
    Domain.objects.create(exam=exam, number=1, name="D", weight=100)
    done = OldAttempt.objects.create(
        user_id=alice.pk, exam=exam, bank=exam, question_count=2, score_min=100,
        score_max=1000, passing_score=700, pacing_segments=3, started=T0,
        deadline=T0 + timezone.timedelta(minutes=10), status="finished", finished=T0,
        finish_reason="submitted", correct_count=1, scaled_score=550, passed=False,
    )  # fmt: skip
    for position, right in ((1, True), (2, False)):
        OldItem.objects.create(attempt=done, position=position, question_key=f"k{position}",
                               domain_number=1, domain_name="D", domain_weight=100,
                               objective_code="1.1", objective_title="O", type="single",
                               stem="S?", options=[{"id": 1, "text": "A", "correct": True},
                                                   {"id": 2, "text": "B", "correct": False}],
                               selected=[1 if right else 2], is_correct=right)  # fmt: skip

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    done = Attempt.objects.get(pk=done.pk)
    assert (done.pilot_count, done.scored_count, done.percent) == (0, 2, 50)
    assert list(done.items.values_list("scored", flat=True)) == [True, True]
    assert done.scaled(done.correct_count) == done.scaled_score == 550
    assert attempt_score_range(done).scaled == 550
    assert not done.items.get(position=1).changes.exists()
