from collections.abc import Sequence
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse

from questions import kinds
from questions.blueprint import gate_positions, largest_remainder

key_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
    "Use letters, digits, dots, underscores and hyphens, starting with a letter or digit.",
)


class ExamQuerySet(models.QuerySet):
    def banks(self):
        """Exams that own their domains and questions (not forms of another)."""
        return self.filter(form_of=None)


class Exam(models.Model):
    """A form of an exam: how many questions, how long, how it is scored.

    An exam whose ``form_of`` is empty owns a bank: its domains, objectives and questions.
    A form (a half-length mock, a beta) points at that exam and draws from its bank with
    its own count, time, scale and pass mark.
    """

    code = models.CharField(max_length=32, unique=True, validators=[key_validator])
    name = models.CharField(max_length=200)
    form_of = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="forms",
        limit_choices_to={"form_of": None},
        help_text="Leave empty for an exam with its own bank; set it for another form "
        "(such as a half-length mock) that draws from that exam's questions.",
    )
    status_note = models.CharField(
        max_length=200,
        blank=True,
        help_text="One line on the home page, such as “retired 31 March 2026; kept for practice”.",
    )
    question_count = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    duration_minutes = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    extra_time_minutes = models.PositiveSmallIntegerField(
        default=30, help_text="Added when a candidate asks for extra time."
    )
    score_min = models.PositiveSmallIntegerField(default=100)
    score_max = models.PositiveSmallIntegerField(default=1000)
    passing_score = models.PositiveSmallIntegerField()
    pacing_segments = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text="The exam is split into this many equal parts; a gate ends each but the last.",
    )
    # Rules of this exam for its questions' options: AWS's exams have four or more options
    # for a single answer and five or more for multiple response; a course's bank may not.
    single_min_options = models.PositiveSmallIntegerField(
        default=4, validators=[MinValueValidator(2)]
    )
    multiple_min_options = models.PositiveSmallIntegerField(
        default=5, validators=[MinValueValidator(3)]
    )
    unscored_count = models.PositiveSmallIntegerField(
        default=0,
        help_text="How many pilot questions may take scored places (they never count).",
    )
    description = models.TextField(blank=True)

    objects = ExamQuerySet.as_manager()

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} — {self.name}"

    @property
    def bank(self) -> "Exam":
        """The exam whose domains, objectives and questions this form draws from."""
        return self.form_of or self

    @property
    def is_form(self) -> bool:
        return self.form_of_id is not None

    def questions_count(self) -> int:
        return Question.objects.active().for_exam(self.bank).count()

    def clean(self):
        if self.form_of_id and self.form_of.form_of_id:
            raise ValidationError({"form_of": "A form draws from an exam with its own bank."})
        if self.score_min >= self.score_max:
            raise ValidationError({"score_max": "The maximum score must exceed the minimum."})
        if not self.score_min <= self.passing_score <= self.score_max:
            raise ValidationError(
                {"passing_score": "The passing score must lie between the minimum and maximum."}
            )

    def domain_counts(self, domains: Sequence["Domain"] | None = None) -> dict["Domain", int]:
        """How many questions each domain contributes to one exam."""
        domains = list(self.bank.domains.all()) if domains is None else list(domains)
        counts = largest_remainder(self.question_count, [d.weight for d in domains])
        return dict(zip(domains, counts, strict=True))

    def gate_positions(self) -> list[int]:
        return gate_positions(self.question_count, self.pacing_segments)

    def duration(self, extra_time: bool = False) -> timedelta:
        return timedelta(minutes=self.duration_minutes + (self.extra_time_minutes * extra_time))


class Domain(models.Model):
    exam = models.ForeignKey(Exam, models.CASCADE, related_name="domains")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    weight = models.PositiveSmallIntegerField(help_text="Share of the exam, in percent.")

    class Meta:
        ordering = ["exam", "number"]
        constraints = [
            models.UniqueConstraint(fields=["exam", "number"], name="domain_unique_number")
        ]

    def __str__(self):
        return f"{self.exam.code} domain {self.number}: {self.name}"


class Objective(models.Model):
    domain = models.ForeignKey(Domain, models.CASCADE, related_name="objectives")
    code = models.CharField(max_length=16, help_text="Such as 1.2; unique within the exam.")
    title = models.CharField(max_length=300)

    class Meta:
        ordering = ["domain__exam", "domain__number", "code"]
        constraints = [
            models.UniqueConstraint(fields=["domain", "code"], name="objective_unique_code")
        ]

    def __str__(self):
        return f"{self.code} {self.title}"


class QuestionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Question.Status.ACTIVE)

    def pilot(self):
        return self.filter(status=Question.Status.PILOT)

    def for_exam(self, exam):
        """Questions of ``exam``'s bank (a form draws from the exam it is a form of)."""
        return self.filter(objective__domain__exam=exam.bank)


class Question(models.Model):
    class Difficulty(models.TextChoices):
        EASY = "easy", "Easy"
        MEDIUM = "medium", "Medium"
        HARD = "hard", "Hard"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = "active", "Active"
        # Asked in mocks in place of scored questions (Exam.unscored_count), never scored:
        # candidates' answers measure it before it counts.
        PILOT = "pilot", "Pilot (unscored)"
        RETIRED = "retired", "Retired"

    key = models.CharField(
        max_length=64,
        unique=True,
        validators=[key_validator],
        help_text="Stable identity in bank files, such as mls-c01-3.2-007.",
    )
    objective = models.ForeignKey(Objective, models.PROTECT, related_name="questions")
    type = models.CharField(
        "kind", max_length=16, choices=kinds.choices, default="single", db_index=True
    )
    stem = models.TextField()
    explanation = models.TextField(
        blank=True, help_text="Required for active questions; shown after the attempt."
    )
    references = models.JSONField(default=list, blank=True, help_text="A list of URLs.")
    difficulty = models.CharField(
        max_length=6,
        choices=Difficulty,
        blank=True,
        help_text="The author's estimate, used before enough candidates have answered it.",
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT, db_index=True)
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Goes up whenever the text or options change."
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["key"]
        indexes = [
            # The draw's scan (exams.selection.random_sample): the active questions of a
            # domain's objectives, read from the index alone, without the long stems.
            models.Index(
                fields=["objective", "id"],
                condition=models.Q(status="active"),
                name="question_active_by_objective",
            )
        ]

    def __str__(self):
        return self.key

    def get_absolute_url(self):
        return reverse("admin:questions_question_preview", args=[self.pk])

    def clean(self):
        errors = {}
        if self.status in (self.Status.ACTIVE, self.Status.PILOT) and not self.explanation.strip():
            # A pilot is reviewed like any other question once the attempt is over.
            article = "An active" if self.status == self.Status.ACTIVE else "A pilot"
            errors["explanation"] = f"{article} question needs an explanation."
        if not self.stem.strip():
            errors["stem"] = "The stem must not be empty."
        refs = self.references
        if not isinstance(refs, list) or not all(isinstance(r, str) for r in refs):
            errors["references"] = "References must be a list of URLs."
        else:
            bad = [r for r in refs if not r.startswith(("https://", "http://")) or " " in r]
            if bad:
                errors["references"] = f"Not a URL: {', '.join(bad)}"
        if errors:
            raise ValidationError(errors)

    @property
    def kind(self) -> kinds.Kind:
        return kinds.get(self.type)

    def clean_options(self, options: Sequence[tuple[str, bool]]) -> None:
        """Validate the rules that tie the question's kind to its options.

        ``options`` are (text, is_correct) pairs, so the admin's inline forms and the
        importer's parsed file share these rules before anything is saved.
        """
        if self.type not in dict(kinds.choices()):
            return  # the field's own choices check says so
        rules = self.objective.domain.exam.bank if self.objective_id else None
        errors = self.kind.validate(options, rules)
        if errors:
            raise ValidationError({"options": errors})

    def choose(self) -> int:
        """How many options a candidate must pick."""
        return sum(1 for o in self.options.all() if o.is_correct)


class Option(models.Model):
    question = models.ForeignKey(Question, models.CASCADE, related_name="options")
    text = models.TextField()
    is_correct = models.BooleanField(default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return self.text[:80]


class ProblemReport(models.Model):
    """A candidate's report of a problem with a question, from the answer review.

    The question may be edited or deleted later, so the key and the attempt item (the
    frozen text the candidate saw) are kept beside the link.
    """

    class Kind(models.TextChoices):
        WRONG_KEY = "wrong_key", "Wrong answer key"
        AMBIGUOUS = "ambiguous", "Ambiguous"
        OUTDATED = "outdated", "Outdated"
        TYPO = "typo", "Typo"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    question = models.ForeignKey(
        Question, models.SET_NULL, null=True, blank=True, related_name="problem_reports"
    )
    question_key = models.CharField(max_length=64, db_index=True)
    item = models.ForeignKey(
        "exams.AttemptItem", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="problem_reports",
    )
    kind = models.CharField(max_length=12, choices=Kind)
    note = models.TextField(blank=True, max_length=2000)
    status = models.CharField(max_length=6, choices=Status, default=Status.OPEN, db_index=True)
    resolution = models.TextField(blank=True, help_text="What was done; required to close.")
    created = models.DateTimeField(auto_now_add=True)
    closed = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["status", "-created"]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.question_key}"

    def clean(self):
        if self.status == self.Status.CLOSED and not self.resolution.strip():
            raise ValidationError({"resolution": "Say how the report was resolved to close it."})
