"""Writes that span rows or need locks: start, begin, save an answer, finish, abandon."""

import random
from collections import defaultdict
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from exams import modes, scoring, selection, signals
from exams.models import AnswerChange, Attempt, AttemptItem
from questions import kinds
from questions.models import Domain, Exam, Option, Question

# Re-exported: callers catch services.BankTooSmall when a start fails.
BankTooSmall = selection.BankTooSmall


def start_attempt(
    user: AbstractBaseUser,
    exam: Exam,
    *,
    extra_time: bool = False,
    hide_clock: bool = False,
    begin: bool = True,
    now: datetime | None = None,
    rng: random.Random | None = None,
) -> tuple[Attempt, bool]:
    """Start a mock exam of ``exam`` (a form), or return the one ``user`` has open for its
    bank: one open mock per candidate and exam.

    The questions are drawn now. With ``begin`` the clock starts too; without it (the
    start page, since the mode shows instructions first) the mock waits, untimed, for
    ``begin_attempt``. Returns (attempt, created). Raises BankTooSmall, creating nothing,
    when the bank cannot fill the blueprint.
    """
    bank = exam.bank
    open_mocks = Attempt.objects.in_progress().exams().filter(user=user, bank=bank)
    if existing := open_mocks.first():
        return existing, False
    rng = rng or random.SystemRandom()
    now = now or timezone.now()
    drawn, pilots = selection.draw_with_pilots(exam, user, rng)
    domains = {qid: domain for domain, ids in drawn for qid in ids}
    # Pilots are interleaved inside their domain's group, so they sit among the others.
    order = selection.interleave([ids for _, ids in drawn], rng)
    attempt = Attempt(
        user=user,
        exam=exam,
        bank=bank,
        mode=modes.EXAM.name,
        extra_time=extra_time,
        hide_clock=hide_clock,
        started=now,
    )
    if begin:
        attempt.begun, attempt.deadline = now, now + exam.duration(extra_time)
    try:
        return _create(attempt, order, domains, rng, pilots), True
    except IntegrityError:
        # Another request (a double click) opened one first: that one wins.
        return open_mocks.get(), False


def start_practice(
    user: AbstractBaseUser,
    exam: Exam,
    question_ids: list[int],
    *,
    minutes: int | None = None,
    feedback: str = Attempt.Feedback.END,
    mode: modes.Mode = modes.PRACTICE,
    now: datetime | None = None,
    rng: random.Random | None = None,
) -> Attempt:
    """A practice sitting of the given questions: no gates, a raw score, a clock only if
    ``minutes`` is given, keys after each confirmed answer when ``feedback`` is "each"."""
    rng = rng or random.SystemRandom()
    now = now or timezone.now()
    order = question_ids[:]
    rng.shuffle(order)
    attempt = Attempt(
        user=user,
        exam=exam,
        bank=exam.bank,
        mode=mode.name,
        feedback=feedback,
        started=now,
        begun=now,
        deadline=now + timedelta(minutes=minutes) if minutes else None,
    )
    return _create(attempt, order, None, rng)


def _create(
    attempt: Attempt,
    order: list[int],
    domains: dict[int, Domain] | None,
    rng: random.Random,
    pilots: frozenset[int] = frozenset(),
) -> Attempt:
    """Freeze the questions in ``order`` into ``attempt`` (rules copied from its form)."""
    exam = attempt.exam
    questions = Question.objects.select_related("objective__domain").in_bulk(order)
    options: dict[int, list[Option]] = defaultdict(list)
    for o in Option.objects.filter(question_id__in=order):
        options[o.question_id].append(o)
    attempt.question_count = len(order)
    attempt.pilot_count = len(pilots)
    attempt.score_min, attempt.score_max = exam.score_min, exam.score_max
    attempt.passing_score = exam.passing_score
    attempt.pacing_segments = exam.pacing_segments
    items = []
    for position, qid in enumerate(order, start=1):
        q = questions[qid]
        domain = domains[qid] if domains else q.objective.domain
        items.append(
            AttemptItem(
                attempt=attempt,
                position=position,
                question=q,
                question_key=q.key,
                question_version=q.version,
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
                scored=qid not in pilots,
            )
        )
    with transaction.atomic():
        attempt.save()
        AttemptItem.objects.bulk_create(items)
    return attempt


def begin_attempt(attempt: Attempt, now: datetime | None = None) -> Attempt:
    """Start the clock of a mock waiting on its instructions, exactly once.

    The row is locked, so a double click (or a second tab) cannot restart the clock: a
    later call returns the attempt as the first one left it.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = (
            Attempt.objects.select_related("exam")
            .select_for_update(of=("self",))
            .get(pk=attempt.pk)
        )
        if locked.awaits_begin:
            # The time allowed is read before ``begun`` is set: it is what Begin gives.
            locked.deadline = now + locked.duration
            locked.begun = now
            locked.save(update_fields=["begun", "deadline"])
    return locked


class NotBegun(Exception):
    """The mock is still on its instructions page: its clock has not started."""

    def __init__(self, attempt: Attempt):
        self.attempt = attempt
        super().__init__(f"attempt {attempt.code} has not begun")


class AttemptClosed(Exception):
    """The attempt no longer takes changes: finished, or out of time."""

    def __init__(self, attempt: Attempt):
        self.attempt = attempt
        super().__init__(f"attempt {attempt.code} is closed")


def save_answer(
    items: QuerySet[AttemptItem],
    position: int,
    data,
    now: datetime | None = None,
    *,
    confirm: bool = False,
) -> AttemptItem:
    """Store the response and flag in ``data`` (a form) for the item at ``position``.

    ``items`` are the items the caller may touch (the owner's, of one attempt). The
    attempt's row is locked for the read-check-write, as ``finish_attempt`` locks it to
    score, so a save is stored before scoring or refused after it, never acknowledged
    after the score was computed. Raises AttemptItem.DoesNotExist, AttemptClosed, or
    kinds.InvalidResponse (nothing written).

    With ``confirm`` (a sitting with feedback after each question) the answer is graded
    and locked, and its key may then be shown.
    """
    now = now or timezone.now()
    # Outermost in a request; inside a caller's transaction a savepoint would only add two
    # statements. Refusals leave the block normally, since with no savepoint an exception
    # would doom the caller's transaction; they are raised once it has closed.
    refusal: Exception | None = None
    if confirm:
        for columns in signals.graded_item_columns:
            items = items.annotate(**columns())
    with transaction.atomic(savepoint=False):
        item = (
            items.select_related("attempt__exam")
            .select_for_update(of=("attempt",))
            .filter(position=position)
            .first()
        )
        if item is None:
            refusal = AttemptItem.DoesNotExist()
        elif item.attempt.awaits_begin:
            refusal = NotBegun(item.attempt)
        elif not item.attempt.accepts_changes(now):
            refusal = AttemptClosed(item.attempt)
        else:
            try:
                refusal = _store(item, data, now, confirm)
            except kinds.InvalidResponse as e:
                refusal = e
    if refusal is not None:
        raise refusal
    return item


def _store(item: AttemptItem, data, now: datetime, confirm: bool) -> Exception | None:
    """Write one item's response (inside save_answer's lock); a refusal is returned."""
    if item.is_revealed:
        # Locked inputs are not sent, so moving on from a confirmed question posts no
        # options: nothing to store. Sending different ones is an attempt to change it.
        if data.getlist("option") and item.kind.parse(item, data) != item.selected:
            return kinds.InvalidResponse(
                f"Question {item.position} is confirmed: its answer is locked; nothing was saved."
            )
        return None
    selected = item.kind.parse(item, data)
    changes = {
        "selected": selected,
        "struck": item.kind.parse_struck(item, data),
        "flagged": data.get("flagged") == "on",
        "unsure": data.get("unsure") == "on",
        "answered": (item.answered if selected == item.selected else now) if selected else None,
    }
    if confirm:
        if item.attempt.feedback != Attempt.Feedback.EACH:
            return kinds.InvalidResponse("This sitting shows answers at the end.")
        if not selected:
            return kinds.InvalidResponse(
                f"Choose an answer to question {item.position} before confirming it."
            )
    before = list(item.selected)
    for field, value in changes.items():
        setattr(item, field, value)
    if confirm:
        changes["confirmed"] = item.confirmed = now
        changes["is_correct"] = item.is_correct = item.grade()
    AttemptItem.objects.filter(pk=item.pk).update(**changes)
    if selected != before:
        # The log of changes, for the results page and item analysis.
        AnswerChange.objects.create(item_id=item.pk, before=before, after=selected, at=now)
    if confirm:
        signals.answers_graded.send(
            AttemptItem, user_id=item.attempt.user_id, items=[item], now=now
        )
    return None


def finish_attempt(
    attempt: Attempt, reason: Attempt.FinishReason, now: datetime | None = None
) -> Attempt:
    """Score and close ``attempt`` exactly once; later calls return the stored result."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if locked.is_finished:
            return locked
        if reason != Attempt.FinishReason.EXPIRED and locked.is_expired(now):
            # A submit (or abandon) that loses the race with the deadline still counts what
            # was saved, but the record says how it really ended.
            reason = Attempt.FinishReason.EXPIRED
        items = list(locked.items.select_for_update())
        for item in items:
            item.is_correct = item.grade()
        AttemptItem.objects.bulk_update(items, ["is_correct"])
        # Confirmed practice answers moved their review cards when they were confirmed.
        graded = [i for i in items if not i.is_revealed]
        signals.answers_graded.send(Attempt, user_id=locked.user_id, items=graded, now=now)
        # Pilots are graded for their review and item analysis, but never scored.
        correct = sum(item.is_correct for item in items if item.scored)
        locked.status = Attempt.Status.FINISHED
        locked.finished = now if locked.deadline is None else min(now, locked.deadline)
        locked.finish_reason = reason
        locked.correct_count = correct
        if locked.mode_policy.scaled:
            locked.scaled_score = locked.scaled(correct)
            locked.passed = scoring.passes(locked.scaled_score, locked.passing_score)
        locked.save()
    return locked


def finalize_expired(user: AbstractBaseUser | None = None, now: datetime | None = None) -> int:
    """Finish every attempt past its deadline (of ``user``, or of everyone). A mock waiting
    for Begin has no deadline yet, so it is never finished here."""
    expired = Attempt.objects.expired(now)
    if user is not None:
        expired = expired.filter(user=user)
    count = 0
    for attempt in expired:
        finish_attempt(attempt, Attempt.FinishReason.EXPIRED, now)
        count += 1
    return count
