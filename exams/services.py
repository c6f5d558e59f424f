"""Writes that span many rows: starting an attempt and finishing it."""

import random
from collections import defaultdict
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from exams.models import Attempt, AttemptItem
from questions import kinds
from questions.models import Domain, Exam, Option, Question


class BankTooSmall(Exception):
    """The bank cannot fill one or more domains; ``shortfalls`` says by how much."""

    def __init__(self, shortfalls: list[tuple[Domain, int, int]]):
        self.shortfalls = shortfalls  # (domain, needed, available)
        super().__init__(
            "; ".join(
                f"Domain {d.number} ({d.name}) needs {needed} active questions "
                f"but has {available}: {needed - available} missing"
                for d, needed, available in shortfalls
            )
        )


def draw_question_ids(exam: Exam, user: AbstractBaseUser) -> list[tuple[Domain, list[int]]]:
    """Pick question ids per domain: least seen by ``user`` first, random among equals.

    One query per domain, sorted and limited in the database, so a large bank is never
    loaded into Python.
    """
    drawn, shortfalls = [], []
    for domain, needed in exam.domain_counts().items():
        pool = Question.objects.active().filter(objective__domain=domain)
        ids = list(
            pool.annotate(seen=Count("attempt_items", filter=Q(attempt_items__attempt__user=user)))
            .order_by("seen", "?")
            .values_list("id", flat=True)[:needed]
        )
        if len(ids) < needed:
            shortfalls.append((domain, needed, len(ids)))
        drawn.append((domain, ids))
    if shortfalls:
        raise BankTooSmall(shortfalls)
    return drawn


def interleave(groups: list[list[int]], rng: random.Random) -> list[int]:
    """Spread each group evenly through the sequence instead of one block per group."""
    keyed = []
    for group in groups:
        shuffled = group[:]
        rng.shuffle(shuffled)
        n = len(shuffled)
        keyed += [((i + rng.random()) / n, qid) for i, qid in enumerate(shuffled)]
    return [qid for _, qid in sorted(keyed)]


def start_attempt(
    user: AbstractBaseUser,
    exam: Exam,
    *,
    extra_time: bool = False,
    hide_clock: bool = False,
    now: datetime | None = None,
    rng: random.Random | None = None,
) -> tuple[Attempt, bool]:
    """Start an attempt, or return the one ``user`` already has open.

    Returns (attempt, created). Raises BankTooSmall, creating nothing, when the bank
    cannot fill the blueprint.
    """
    if existing := Attempt.objects.in_progress().filter(user=user).first():
        return existing, False
    rng = rng or random.SystemRandom()
    now = now or timezone.now()
    drawn = draw_question_ids(exam, user)
    domains = {qid: domain for domain, ids in drawn for qid in ids}
    order = interleave([ids for _, ids in drawn], rng)
    questions = Question.objects.select_related("objective").in_bulk(order)
    options: dict[int, list[Option]] = defaultdict(list)
    for o in Option.objects.filter(question_id__in=order):
        options[o.question_id].append(o)

    attempt = Attempt(
        user=user,
        exam=exam,
        extra_time=extra_time,
        hide_clock=hide_clock,
        started=now,
        deadline=now + exam.duration(extra_time),
        question_count=len(order),
        score_min=exam.score_min,
        score_max=exam.score_max,
        passing_score=exam.passing_score,
        pacing_segments=exam.pacing_segments,
    )
    items = []
    for position, qid in enumerate(order, start=1):
        q, domain = questions[qid], domains[qid]
        items.append(
            AttemptItem(
                attempt=attempt,
                position=position,
                question=q,
                question_key=q.key,
                domain_number=domain.number,
                domain_name=domain.name,
                domain_weight=domain.weight,
                objective_code=q.objective.code,
                objective_title=q.objective.title,
                type=q.type,
                stem=q.stem,
                options=q.kind.snapshot(options[qid], rng),
                explanation=q.explanation,
                references=q.references,
            )
        )
    try:
        with transaction.atomic():
            attempt.save()
            AttemptItem.objects.bulk_create(items)
    except IntegrityError:
        # Another request (a double click) opened one first: that one wins.
        return Attempt.objects.in_progress().get(user=user), False
    return attempt, True


class AttemptClosed(Exception):
    """The attempt no longer takes changes: finished, or out of time."""

    def __init__(self, attempt: Attempt):
        self.attempt = attempt
        super().__init__(f"attempt {attempt.code} is closed")


def save_answer(
    items: QuerySet[AttemptItem], position: int, data, now: datetime | None = None
) -> AttemptItem:
    """Store the response and flag in ``data`` (a form) for the item at ``position``.

    ``items`` are the items the caller may touch (the owner's, of one attempt). The
    attempt's row is locked for the read-check-write, as ``finish_attempt`` locks it to
    score, so a save is stored before scoring or refused after it, never acknowledged
    after the score was computed. Raises AttemptItem.DoesNotExist, AttemptClosed, or
    kinds.InvalidResponse (nothing written).
    """
    now = now or timezone.now()
    # Outermost in a request; inside a caller's transaction a savepoint would only add two
    # statements. Refusals leave the block normally, since with no savepoint an exception
    # would doom the caller's transaction; they are raised once it has closed.
    refusal: Exception | None = None
    with transaction.atomic(savepoint=False):
        item = (
            items.select_related("attempt__exam")
            .select_for_update(of=("attempt",))
            .filter(position=position)
            .first()
        )
        if item is None:
            refusal = AttemptItem.DoesNotExist()
        elif not item.attempt.accepts_changes(now):
            refusal = AttemptClosed(item.attempt)
        else:
            try:
                selected = item.kind.parse(item, data)
            except kinds.InvalidResponse as e:
                refusal = e
            else:
                flagged = data.get("flagged") == "on"
                answered = (
                    (item.answered if selected == item.selected else now) if selected else None
                )
                AttemptItem.objects.filter(pk=item.pk).update(
                    selected=selected, flagged=flagged, answered=answered
                )
    if refusal is not None:
        raise refusal
    item.selected, item.flagged, item.answered = selected, flagged, answered
    return item


def finish_attempt(
    attempt: Attempt, reason: Attempt.FinishReason, now: datetime | None = None
) -> Attempt:
    """Score and close ``attempt`` exactly once; later calls return the stored result."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if locked.is_finished:
            return locked
        if reason == Attempt.FinishReason.SUBMITTED and locked.is_expired(now):
            # A submit that loses the race with the deadline still counts what was saved,
            # but the record says how it really ended.
            reason = Attempt.FinishReason.EXPIRED
        items = list(locked.items.select_for_update())
        for item in items:
            item.is_correct = item.grade()
        AttemptItem.objects.bulk_update(items, ["is_correct"])
        correct = sum(item.is_correct for item in items)
        locked.status = Attempt.Status.FINISHED
        locked.finished = min(now, locked.deadline)
        locked.finish_reason = reason
        locked.correct_count = correct
        locked.scaled_score = locked.scaled(correct)
        locked.passed = locked.scaled_score >= locked.passing_score
        locked.save()
    return locked


def finalize_expired(user: AbstractBaseUser | None = None, now: datetime | None = None) -> int:
    """Finish every attempt past its deadline (of ``user``, or of everyone)."""
    expired = Attempt.objects.expired(now)
    if user is not None:
        expired = expired.filter(user=user)
    count = 0
    for attempt in expired:
        finish_attempt(attempt, Attempt.FinishReason.EXPIRED, now)
        count += 1
    return count
