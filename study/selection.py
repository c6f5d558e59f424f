"""The question sets a candidate can study from: missed, flagged, due, unseen."""

from django.db.models import Count
from django.utils import timezone

from exams.models import AttemptItem
from questions.models import Exam
from study.models import ReviewCard


def _own_items(user, exam: Exam):
    return AttemptItem.objects.filter(
        attempt__user=user, attempt__bank=exam.bank, attempt__status="finished"
    ).exclude(question=None)


def missed(user, exam: Exam) -> set[int]:
    return set(_own_items(user, exam).filter(is_correct=False).values_list("question", flat=True))


def flagged(user, exam: Exam) -> set[int]:
    return set(_own_items(user, exam).filter(flagged=True).values_list("question", flat=True))


def due(user, exam: Exam, now=None) -> set[int]:
    cards = ReviewCard.objects.due(now or timezone.now()).filter(
        user=user, question__objective__domain__exam=exam.bank
    )
    return set(cards.values_list("question", flat=True))


def among(user, exam: Exam, source: str) -> set[int] | None:
    """The question ids ``source`` allows (None: any); "unseen" is handled by the caller."""
    if source == "missed":
        return missed(user, exam)
    if source == "flagged":
        return flagged(user, exam)
    if source == "due":
        return due(user, exam)
    return None


def due_counts(user) -> dict[int, int]:
    """Questions due for review per exam (bank), in one query."""
    rows = (
        ReviewCard.objects.due()
        .filter(user=user)
        .values_list("question__objective__domain__exam")
        .annotate(n=Count("id"))
        .order_by()
    )
    return dict(rows)
