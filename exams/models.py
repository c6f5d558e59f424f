import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

from exams import modes, pacing, scoring
from questions import kinds
from questions.models import Exam, Question


@dataclass(frozen=True)
class Checkpoint:
    """Where a candidate stands when arriving at a pacing gate."""

    position: int
    elapsed: timedelta
    target: timedelta
    answered: int
    total: int

    @property
    def ahead(self) -> bool:
        return self.elapsed <= self.target

    @property
    def margin(self) -> timedelta:
        return abs(self.target - self.elapsed)


class AttemptQuerySet(models.QuerySet):
    def in_progress(self):
        return self.filter(status=Attempt.Status.IN_PROGRESS)

    def exams(self):
        return self.filter(mode=modes.EXAM.name)

    def in_trends(self):
        """Finished sittings whose mode counts in trends; abandoned ones are kept for the
        record only. ``Attempt.counts_in_trends`` is the same rule for one attempt."""
        counted = [m.name for m in modes.MODES.values() if m.counts_in_trends]
        return (
            self.finished()
            .filter(mode__in=counted)
            .exclude(finish_reason=Attempt.FinishReason.ABANDONED)
        )

    def finished(self):
        return self.filter(status=Attempt.Status.FINISHED)

    def expired(self, now=None):
        """In progress, but past the deadline and its grace."""
        now = now or timezone.now()
        grace = timedelta(seconds=settings.EXAM_GRACE_SECONDS)
        return self.in_progress().filter(deadline__lt=now - grace)


class Attempt(models.Model):
    """One sitting of an exam by one candidate.

    The exam's rules (duration, scale, pass mark) are copied at start, so editing the
    blueprint later changes neither a running attempt nor a finished one.
    """

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        FINISHED = "finished", "Finished"

    class FinishReason(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        EXPIRED = "expired", "Time expired"
        ABANDONED = "abandoned", "Abandoned"

    class Feedback(models.TextChoices):
        END = "end", "At the end"
        EACH = "each", "After each question"

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="attempts")
    exam = models.ForeignKey(Exam, models.PROTECT, related_name="attempts")
    # The exam whose bank the form draws from: history, trends and the one-open-mock rule
    # are per bank, whichever form was sat.
    bank = models.ForeignKey(Exam, models.PROTECT, related_name="bank_attempts")
    mode = models.CharField(max_length=12, choices=modes.choices, default=modes.EXAM.name)
    feedback = models.CharField(max_length=4, choices=Feedback, default=Feedback.END)
    status = models.CharField(max_length=12, choices=Status, default=Status.IN_PROGRESS)
    extra_time = models.BooleanField(default=False)
    hide_clock = models.BooleanField(default=False)
    # When the questions were drawn. A mock then waits on its instructions page: its clock
    # starts at ``begun`` (Begin), and every elapsed time is counted from there.
    started = models.DateTimeField()
    begun = models.DateTimeField(null=True, blank=True, help_text="Empty: waiting for Begin.")
    deadline = models.DateTimeField(null=True, blank=True, help_text="Empty: no clock.")
    question_count = models.PositiveSmallIntegerField()
    # Of question_count, the pilot questions drawn in place of scored ones (never scored).
    pilot_count = models.PositiveSmallIntegerField(default=0)
    score_min = models.PositiveSmallIntegerField()
    score_max = models.PositiveSmallIntegerField()
    passing_score = models.PositiveSmallIntegerField()
    pacing_segments = models.PositiveSmallIntegerField()
    # Set once, when the attempt is finished.
    finished = models.DateTimeField(null=True, blank=True)
    finish_reason = models.CharField(max_length=12, choices=FinishReason, blank=True)
    correct_count = models.PositiveSmallIntegerField(null=True, blank=True)
    # Empty for modes that report a raw share rather than a scaled score.
    scaled_score = models.PositiveSmallIntegerField(null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)

    objects = AttemptQuerySet.as_manager()

    class Meta:
        ordering = ["-started"]
        indexes = [models.Index(fields=["user", "status"])]
        constraints = [
            # The database, not just the view, guarantees one open mock per candidate and
            # exam (bank); mocks of different exams may be open side by side.
            models.UniqueConstraint(
                fields=["user", "bank"],
                condition=models.Q(status="in_progress", mode="exam"),
                name="attempt_one_open_exam_per_bank",
            )
        ]

    def __str__(self):
        return f"{self.exam_id} attempt {self.code} by {self.user_id}"

    def get_absolute_url(self):
        if self.is_finished:
            return reverse("exams:results", args=[self.code])
        if self.awaits_begin:
            return reverse("exams:begin", args=[self.code])
        return reverse("exams:question", args=[self.code, self.current_position])

    @cached_property
    def current_position(self) -> int:
        """The question the candidate opened last, where a resume goes (1 before any).

        Kept on the items (``AttemptItem.last_seen``), so opening a question is one UPDATE
        of one row whether or not it is the first visit.
        """
        seen = self.items.filter(last_seen__isnull=False).order_by("-last_seen", "-position")
        return seen.values_list("position", flat=True).first() or 1

    @property
    def is_finished(self) -> bool:
        return self.status == self.Status.FINISHED

    @property
    def mode_policy(self) -> modes.Mode:
        return modes.get(self.mode)

    @property
    def is_abandoned(self) -> bool:
        return self.finish_reason == self.FinishReason.ABANDONED

    @property
    def counts_in_trends(self) -> bool:
        return self.is_finished and self.mode_policy.counts_in_trends and not self.is_abandoned

    @property
    def awaits_begin(self) -> bool:
        """Drawn, on its instructions page, with the clock not yet started."""
        return self.begun is None and not self.is_finished

    @property
    def is_timed(self) -> bool:
        return self.deadline is not None

    @property
    def scored_count(self) -> int:
        """The questions the score is out of: all but the pilots."""
        return self.question_count - self.pilot_count

    @property
    def percent(self) -> int | None:
        if self.correct_count is None or not self.scored_count:
            return None
        return round(100 * self.correct_count / self.scored_count)

    @property
    def score_span(self) -> int:
        return self.score_max - self.score_min

    @property
    def pass_ratio(self):
        return scoring.pass_ratio(self.score_min, self.score_max, self.passing_score)

    @property
    def pass_percent(self) -> float:
        """The share correct, in percent as pages show it, that maps to the passing score."""
        return scoring.shown_percent(self.pass_ratio)

    def meets_pass_ratio(self, correct: int, asked: int) -> bool:
        return scoring.meets(correct, asked, self.pass_ratio)

    @property
    def duration(self) -> timedelta | None:
        """The time allowed: fixed at Begin; before it, the time Begin will give."""
        if self.deadline is not None:
            return self.deadline - self.begun
        if self.awaits_begin:
            return self.exam.duration(self.extra_time)
        return None

    def time_left(self, now=None) -> timedelta | None:
        if self.deadline is None:
            return None
        return max(self.deadline - (now or timezone.now()), timedelta(0))

    def is_expired(self, now=None) -> bool:
        """Past the deadline and the grace for requests already in flight."""
        if self.deadline is None:
            return False
        grace = timedelta(seconds=settings.EXAM_GRACE_SECONDS)
        return (now or timezone.now()) > self.deadline + grace

    def accepts_changes(self, now=None) -> bool:
        """The one open/closed rule, for every mode: begun, in progress and within its time."""
        return not self.is_finished and self.begun is not None and not self.is_expired(now)

    def hides_other_keys(self, now=None) -> bool:
        """A mock hides its candidate's other keys from its draw (not Begin: practice in
        between would show them) until it is finished or out of time."""
        return self.mode_policy.exam_conditions and (
            self.awaits_begin or self.accepts_changes(now)
        )

    @property
    def time_used(self) -> timedelta | None:
        if self.finished is None or self.begun is None:
            return None
        end = self.finished if self.deadline is None else min(self.finished, self.deadline)
        return end - self.begun

    def gate_positions(self) -> list[int]:
        if not self.mode_policy.gates or self.duration is None:
            return []
        return pacing.gate_positions(self.question_count, self.pacing_segments)

    def gate_target(self, position: int) -> timedelta | None:
        """Elapsed time by which the gate at ``position`` should be reached."""
        if self.duration is None:
            return None
        return pacing.gate_target(
            self.duration, self.gate_positions(), self.pacing_segments, position
        )

    def checkpoint(self, position: int, now, answered: int) -> Checkpoint | None:
        target = self.gate_target(position)
        if target is None:
            return None
        return Checkpoint(position, now - self.begun, target, answered, self.question_count)

    def shows_clock(self, position: int, now=None) -> bool:
        """Hidden-clock attempts show it only at gates and in the last minutes."""
        if self.deadline is None:
            return False
        if not self.hide_clock or position in self.gate_positions():
            return True
        return self.time_left(now) <= pacing.CLOCK_WARNINGS[0]

    def scaled(self, correct: int) -> int:
        return scoring.scaled_score(correct, self.scored_count, self.score_min, self.score_max)


class AttemptItem(models.Model):
    """One question of an attempt, frozen as the candidate saw it.

    ``options`` holds the shuffled options with their correctness, so the attempt can be
    scored and reviewed even after the live question is edited or deleted. Correctness
    and ``explanation`` must never reach the browser while the attempt is open.
    """

    attempt = models.ForeignKey(Attempt, models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    question = models.ForeignKey(
        Question, models.SET_NULL, null=True, blank=True, related_name="attempt_items"
    )
    question_key = models.CharField(max_length=64)
    question_version = models.PositiveIntegerField(
        default=1, help_text="The version of the question this item froze."
    )
    domain_number = models.PositiveSmallIntegerField()
    domain_name = models.CharField(max_length=200)
    domain_weight = models.PositiveSmallIntegerField()
    objective_code = models.CharField(max_length=16)
    objective_title = models.CharField(max_length=300)
    type = models.CharField("kind", max_length=16, choices=kinds.choices)
    stem = models.TextField()
    options = models.JSONField(help_text="[{id, text, correct}] in the order shown.")
    explanation = models.TextField(blank=True)
    references = models.JSONField(default=list, blank=True)
    selected = models.JSONField(default=list, blank=True, help_text="Chosen option ids.")
    # Options the candidate crossed out, as on scratch paper: saved like a flag, never
    # scored, and an option crossed out may still be chosen.
    struck = models.JSONField(default=list, blank=True, help_text="Crossed-out option ids.")
    flagged = models.BooleanField(default=False)
    # The candidate's own "not sure" mark: it never changes a score, but a sure answer that
    # is wrong is a misconception, and an unsure right one still needs review.
    unsure = models.BooleanField(default=False)
    # Set when a practice answer with feedback after each question is confirmed: from then
    # on the answer is locked and its key may be shown.
    confirmed = models.DateTimeField(null=True, blank=True)
    first_seen = models.DateTimeField(null=True, blank=True)
    # The latest opening of this question: the attempt's current position is the item seen
    # last (see Attempt.current_position).
    last_seen = models.DateTimeField(null=True, blank=True)
    answered = models.DateTimeField(null=True, blank=True)
    is_correct = models.BooleanField(null=True, blank=True)
    # False for a pilot question: graded and reviewed, but left out of the score.
    scored = models.BooleanField(default=True)

    class Meta:
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="item_unique_position")
        ]

    def __str__(self):
        return f"{self.attempt_id} #{self.position}"

    @property
    def kind(self) -> kinds.Kind:
        return kinds.get(self.type)

    @property
    def choose(self) -> int:
        return self.kind.choose(self)

    @property
    def is_multiple(self) -> bool:
        """Whether the candidate picks several options (checkboxes rather than radios)."""
        return self.choose > 1

    @property
    def is_answered(self) -> bool:
        return bool(self.selected)

    @property
    def is_revealed(self) -> bool:
        """Whether this item's key may be shown while its attempt is open."""
        return self.confirmed is not None

    @property
    def sure_but_wrong(self) -> bool:
        return bool(self.selected) and self.is_correct is False and not self.unsure

    @property
    def state(self) -> str:
        """ "unanswered", "incomplete" or "answered", as the navigator shows it."""
        return self.kind.state(self)

    def option_ids(self) -> set[int]:
        return {o["id"] for o in self.options}

    def correct_ids(self) -> set[int]:
        return {o["id"] for o in self.options if o["correct"]}

    def grade(self) -> bool:
        return self.kind.grade(self)

    def shown_options(self) -> list[dict]:
        """The options as a candidate may see them during the attempt: correctness only once
        a practice answer is confirmed."""
        chosen, struck = set(self.selected), set(self.struck)
        shown = [
            {
                "id": o["id"],
                "text": o["text"],
                "checked": o["id"] in chosen,
                "struck": o["id"] in struck,
            }
            for o in self.options
        ]
        if self.is_revealed:
            for option, frozen in zip(shown, self.options, strict=True):
                option["correct"] = frozen["correct"]
        return shown


class AnswerChange(models.Model):
    """One change of an item's selection while the attempt was open: append-only.

    Written by services.save_answer in the same transaction as the change, so the log
    and the item never disagree; the results page and item analysis read it.
    """

    item = models.ForeignKey(AttemptItem, models.CASCADE, related_name="changes")
    before = models.JSONField(default=list, blank=True)
    after = models.JSONField(default=list, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["item", "at", "id"]

    def __str__(self):
        return f"{self.item_id}: {self.before} → {self.after}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("Answer changes are a record: they are never edited.")
        super().save(*args, **kwargs)
