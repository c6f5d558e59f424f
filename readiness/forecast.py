"""The database side of readiness: loading answers, and the figures a page shows.

readiness.scores and readiness.irt are pure arithmetic; this module feeds them from the
database with a fixed number of ``values()`` queries, whatever the size of the bank or
the number of candidates, and turns their output into what a page needs.

Calibration reads every finished answer on the exam, which is the expensive part; pages
should go through ``cached_calibration``, which recomputes only when an attempt has been
finished since.
"""

from dataclasses import dataclass
from datetime import datetime

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, Q
from django.utils import timezone

from exams.models import Attempt, AttemptItem
from questions.models import Exam, Question
from readiness import irt
from readiness.scores import Scale, ScoreRange, score_range

DAY = 86400.0


def attempt_score_range(attempt: Attempt, level: float = 0.8) -> ScoreRange:
    """The score range of a finished attempt: one query, grouped by domain."""
    rows = (
        AttemptItem.objects.filter(attempt=attempt, scored=True)
        .values("domain_number")
        .annotate(asked=Count("id"), correct=Count("id", filter=Q(is_correct=True)))
        .order_by("domain_number")
    )
    counts = [(r["domain_number"], r["asked"], r["correct"]) for r in rows]
    return score_range(counts, Scale.of(attempt), level)


def items_score_range(attempt: Attempt, items, level: float = 0.8) -> ScoreRange:
    """attempt_score_range from the attempt's items already loaded: no query."""
    counts: dict[int, list[int]] = {}
    for item in items:
        if item.scored:
            c = counts.setdefault(item.domain_number, [0, 0])
            c[0] += 1
            c[1] += bool(item.is_correct)
    rows = [(number, asked, correct) for number, (asked, correct) in sorted(counts.items())]
    return score_range(rows, Scale.of(attempt), level)


def _finished_items(exam: Exam):
    # Every form of the exam counts; abandoned mocks and practice sittings do not.
    counted = Attempt.objects.in_trends().filter(bank=exam.bank)
    return AttemptItem.objects.filter(attempt__in=counted).order_by()


def _ratings(exam: Exam) -> dict[str, str]:
    return dict(Question.objects.for_exam(exam).values_list("key", "difficulty"))


def calibrate_exam(exam: Exam, *, min_answers: int | None = None) -> irt.Calibration:
    """Every question's difficulty on ``exam`` from all finished answers: two queries.

    Questions are identified by key, so a question deleted since still lends its answers
    to its sittings' abilities (its own difficulty is then no longer needed).
    """
    min_answers = settings.READINESS_MIN_ANSWERS if min_answers is None else min_answers
    ratings = _ratings(exam)
    rows = list(_finished_items(exam).values_list("attempt_id", "question_key", "is_correct"))
    keys = sorted(ratings.keys() | {k for _, k, _ in rows})
    index = {k: i for i, k in enumerate(keys)}
    sittings: dict[int, int] = {}
    sitting = np.fromiter((sittings.setdefault(a, len(sittings)) for a, _, _ in rows), np.intp)
    item = np.fromiter((index[k] for _, k, _ in rows), np.intp, len(rows))
    correct = np.fromiter((bool(c) for _, _, c in rows), float, len(rows))
    prior = np.array([irt.prior_difficulty(ratings.get(k, "")) for k in keys])
    return irt.calibrate(sitting, item, correct, prior, min_answers=min_answers, keys=keys)


def cached_calibration(exam: Exam, *, min_answers: int | None = None) -> irt.Calibration:
    """``calibrate_exam``, cached until another attempt on the exam finishes (one query)."""
    min_answers = settings.READINESS_MIN_ANSWERS if min_answers is None else min_answers
    stamp = (
        Attempt.objects.in_trends().filter(bank=exam.bank).aggregate(n=Count("id"), last=Max("id"))
    )
    key = f"readiness:calibration:{exam.pk}:{min_answers}:{stamp['n']}:{stamp['last']}"
    calibration = cache.get(key)
    if calibration is None:
        calibration = calibrate_exam(exam, min_answers=min_answers)
        cache.set(key, calibration, timeout=24 * 3600)
    return calibration


def bank_blueprint(exam: Exam, calibration: irt.Calibration) -> irt.MockBlueprint:
    """A fresh mock of ``exam``: its active questions, weighted as the blueprint draws them.

    Each domain contributes its share of the questions, spread evenly over that domain's
    active questions, so a domain with a few hard questions weighs what the blueprint says
    and not what the bank's size says. Two queries.
    """
    bank = list(
        Question.objects.active()
        .for_exam(exam)
        .values_list("key", "difficulty", "objective__domain_id")
        .order_by("key")
    )
    per_domain = {d.pk: n for d, n in exam.domain_counts().items()}
    sizes: dict[int, int] = {}
    for _, _, domain in bank:
        sizes[domain] = sizes.get(domain, 0) + 1
    difficulty = np.array([calibration.of(key, rating) for key, rating, _ in bank])
    weights = np.array([per_domain.get(d, 0) / sizes[d] for _, _, d in bank])
    if not bank or weights.sum() <= 0:
        weights = None
    return irt.MockBlueprint.from_scale(
        exam.question_count,
        exam.score_min,
        exam.score_max,
        exam.passing_score,
        difficulty if bank else np.zeros(1),
        weights,
    )


@dataclass(frozen=True)
class PassForecast:
    """The chance of passing a fresh mock today, and what it rests on."""

    probability: float
    low: float
    high: float
    level: float
    ability: float  # logits
    ability_se: float
    answers: int
    sittings: int
    effective_answers: float  # answers after the decay by age
    calibrated_share: float  # of the candidate's answers, on questions calibrated from data
    half_life_days: float

    @property
    def percent(self) -> int:
        return round(100 * self.probability)

    @property
    def low_percent(self) -> int:
        return round(100 * self.low)

    @property
    def high_percent(self) -> int:
        return round(100 * self.high)

    @property
    def level_percent(self) -> int:
        return round(100 * self.level)

    @property
    def based_on(self) -> str:
        """One sentence on what the figure rests on, for the page to show beside it."""
        s = "" if self.sittings == 1 else "s"
        return (
            f"Based on {self.answers} answers in {self.sittings} finished mock{s} "
            f"(answers {self.half_life_days:g} days old count half), with question "
            f"difficulties measured from candidates' answers for "
            f"{round(100 * self.calibrated_share)} % of them and taken from the authors' "
            "ratings for the rest."
        )


def pass_forecast(
    user,
    exam: Exam,
    *,
    now: datetime | None = None,
    calibration: irt.Calibration | None = None,
    half_life_days: float | None = None,
    level: float = 0.8,
) -> PassForecast | None:
    """``user``'s chance of passing a fresh mock of ``exam``; None before any finished mock.

    A fixed number of queries: the calibration (cached), the candidate's answers, the bank.
    """
    now = now or timezone.now()
    half_life = settings.READINESS_HALF_LIFE_DAYS if half_life_days is None else half_life_days
    rows = list(
        _finished_items(exam)
        .filter(attempt__user=user)
        .values_list("attempt_id", "question_key", "is_correct", "attempt__finished")
    )
    if not rows:
        return None
    calibration = calibration or cached_calibration(exam)
    index = calibration.index
    ratings = {} if all(k in index for _, k, _, _ in rows) else _ratings(exam)
    difficulty = np.array([calibration.of(k, ratings.get(k, "")) for _, k, _, _ in rows])
    on_data = np.array(
        [k in index and bool(calibration.calibrated[index[k]]) for _, k, _, _ in rows]
    )
    correct = np.array([bool(c) for _, _, c, _ in rows], dtype=float)
    age = np.array([(now - f).total_seconds() / DAY for _, _, _, f in rows])
    weight = irt.decay_weights(age, half_life)
    theta, se = irt.estimate_abilities(
        np.zeros(len(rows), dtype=np.intp),
        difficulty,
        correct,
        weight,
        persons=1,
        prior_mean=calibration.ability_mean,
        prior_sd=calibration.ability_sd,
    )
    point, low, high = irt.pass_probability(theta, se, bank_blueprint(exam, calibration), level)
    return PassForecast(
        probability=float(point[0]),
        low=float(low[0]),
        high=float(high[0]),
        level=level,
        ability=float(theta[0]),
        ability_se=float(se[0]),
        answers=len(rows),
        sittings=len({a for a, _, _, _ in rows}),
        effective_answers=float(weight.sum()),
        calibrated_share=float(on_data.mean()),
        half_life_days=half_life,
    )
