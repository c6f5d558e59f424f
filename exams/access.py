"""Who may see which attempt, and whether it is open: the one place that decides.

Someone else's attempt and a missing one look the same (404), so attempt codes cannot be
probed. Whether an attempt still takes answers is ``Attempt.accepts_changes``; these
helpers only fetch.
"""

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from exams.models import Attempt, AttemptItem


def get_attempt(request: HttpRequest, code) -> Attempt:
    return get_object_or_404(Attempt.objects.select_related("exam"), code=code, user=request.user)


def items_of(request: HttpRequest, code) -> QuerySet[AttemptItem]:
    return AttemptItem.objects.filter(attempt__code=code, attempt__user=request.user)


def get_item(request: HttpRequest, code, position: int) -> AttemptItem:
    """The owner's item at ``position`` (saves lock it in services.save_answer)."""
    items = items_of(request, code).select_related("attempt__exam")
    try:
        return items.get(position=position)
    except AttemptItem.DoesNotExist:
        attempt = get_attempt(request, code)
        raise Http404(
            f"This attempt has questions 1 to {attempt.question_count}; there is no {position}."
        ) from None


def get_attempt_and_open_exam(request: HttpRequest, code) -> tuple[Attempt, Attempt | None]:
    """The owner's attempt ``code``, and another mock of theirs drawn and not yet over.

    One query for both, so the pages that must hide keys during an exam cost no more.
    """
    rows = list(
        Attempt.objects.select_related("exam")
        .filter(user=request.user)
        .filter(Q(code=code) | Q(status=Attempt.Status.IN_PROGRESS, mode="exam"))
    )
    attempt = next((a for a in rows if str(a.code) == str(code)), None)
    if attempt is None:
        raise Http404("No such attempt.")
    running = next(
        (a for a in rows if a.pk != attempt.pk and a.hides_other_keys()),
        None,
    )
    return attempt, running


def open_exam_attempt(user) -> Attempt | None:
    """The candidate's mock exam drawn and not yet over, if any (exam conditions apply)."""
    for attempt in Attempt.objects.in_progress().exams().filter(user=user).select_related("exam"):
        if attempt.hides_other_keys():
            return attempt
    return None
