"""How far a score could move on another draw of questions.

A finished mock is one sample of questions from the bank. The same candidate, on a
different sample of the same blueprint, would score somewhat differently; showing only
the point score invites reading 715 versus 720 as a verdict. The ranges here answer
"what would I most likely have scored on another draw?" with an interval on the
proportion correct, mapped through the exam's scale like the score itself.

The Wilson score interval is used because it behaves at the edges (0 or all correct,
few questions) where the textbook normal interval collapses to a point or leaves [0, 1].
The total's interval treats the draw as simple random sampling; the real draw is
stratified by domain, which can only narrow the spread, so the range errs on the wide
side. Everything here is pure arithmetic on counts: no database, no clock.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from math import sqrt

from scipy.stats import norm

from questions.blueprint import scaled_score

DEFAULT_LEVEL = 0.8


@dataclass(frozen=True)
class Scale:
    """An exam's scoring rules, as copied onto an attempt."""

    score_min: int
    score_max: int
    passing_score: int
    question_count: int

    @classmethod
    def of(cls, attempt) -> "Scale":
        """The scale of an Attempt (or an Exam: both carry these four fields).

        An attempt is scored out of its scored questions: pilots never count.
        """
        count = getattr(attempt, "scored_count", attempt.question_count)
        return cls(attempt.score_min, attempt.score_max, attempt.passing_score, count)

    @property
    def span(self) -> int:
        return self.score_max - self.score_min

    @property
    def pass_ratio(self) -> float:
        """The share correct that maps to the passing score."""
        return (self.passing_score - self.score_min) / self.span

    def at(self, proportion: float) -> float:
        """The (unrounded) scaled score for a proportion correct."""
        return self.score_min + self.span * proportion

    def passes(self, correct: int, asked: int) -> bool:
        """Exact integer test, the same as Attempt.meets_pass_ratio."""
        return correct * self.span >= asked * (self.passing_score - self.score_min)


@dataclass(frozen=True)
class DomainCount:
    number: int
    asked: int
    correct: int


@dataclass(frozen=True)
class DomainRange:
    """One domain's share correct, in percent, with its interval."""

    number: int
    asked: int
    correct: int
    percent: int
    low_percent: int
    high_percent: int

    @property
    def width(self) -> int:
        return self.high_percent - self.low_percent


@dataclass(frozen=True)
class ScoreRange:
    scaled: int
    low: int
    high: int
    level: float
    passing_score: int
    domains: list[DomainRange]
    explanation: str

    @property
    def level_percent(self) -> int:
        return round(100 * self.level)

    @property
    def clearly_passes(self) -> bool:
        return self.low >= self.passing_score

    @property
    def clearly_fails(self) -> bool:
        return self.high < self.passing_score

    @property
    def straddles(self) -> bool:
        return not (self.clearly_passes or self.clearly_fails)


def z_for(level: float) -> float:
    """The two-sided normal quantile: 1.28 for an 80 % interval."""
    if not 0 < level < 1:
        raise ValueError("level must lie strictly between 0 and 1")
    return float(norm.ppf(0.5 + level / 2))


def wilson(correct: int, asked: int, level: float = DEFAULT_LEVEL) -> tuple[float, float]:
    """Wilson score interval for a proportion; (0, 1) when nothing was asked."""
    if asked <= 0:
        return 0.0, 1.0
    if not 0 <= correct <= asked:
        raise ValueError("correct must lie between 0 and asked")
    z = z_for(level)
    p = correct / asked
    z2n = z * z / asked
    centre = (p + z2n / 2) / (1 + z2n)
    half = z * sqrt(p * (1 - p) / asked + z2n / (4 * asked)) / (1 + z2n)
    # The formula's own ends are exact 0 and 1 at the extremes; guard float dust anyway.
    return max(0.0, centre - half), min(1.0, centre + half)


def _counts(domains: Iterable[DomainCount | tuple[int, int, int]]) -> list[DomainCount]:
    return [d if isinstance(d, DomainCount) else DomainCount(*d) for d in domains]


def score_range(
    domains: Sequence[DomainCount | tuple[int, int, int]],
    scale: Scale,
    level: float = DEFAULT_LEVEL,
) -> ScoreRange:
    """The scaled score with its interval, per-domain intervals, and a sentence saying so.

    ``domains`` are (number, asked, correct) per domain. The total is scored out of
    ``scale.question_count`` as the exam scores it (an unanswered question counts as
    wrong), so the point score equals the attempt's stored scaled score.
    """
    counts = _counts(domains)
    correct = sum(d.correct for d in counts)
    asked = scale.question_count
    if correct > asked:
        raise ValueError("more correct answers than questions")
    scaled = scaled_score(correct, asked, scale.score_min, scale.score_max)
    lo_p, hi_p = wilson(correct, asked, level)
    low = min(scaled, round(scale.at(lo_p)))
    high = max(scaled, round(scale.at(hi_p)))
    ranges = []
    for d in sorted(counts, key=lambda d: d.number):
        d_lo, d_hi = wilson(d.correct, d.asked, level)
        percent = round(100 * d.correct / d.asked) if d.asked else 0
        ranges.append(
            DomainRange(
                d.number,
                d.asked,
                d.correct,
                percent,
                min(percent, round(100 * d_lo)),
                max(percent, round(100 * d_hi)),
            )
        )
    return ScoreRange(
        scaled=scaled,
        low=low,
        high=high,
        level=level,
        passing_score=scale.passing_score,
        domains=ranges,
        explanation=explain(low, high, asked, scale.passing_score, level),
    )


def explain(low: int, high: int, asked: int, passing: int, level: float) -> str:
    """One plain sentence: the range, how often, and what it says about the pass mark."""
    times = round(level * 10)
    if low >= passing:
        verdict = f"the whole range is at or above the passing score of {passing}"
    elif high < passing:
        verdict = f"the whole range is below the passing score of {passing}"
    else:
        verdict = (
            f"the passing score of {passing} lies inside it, so this sitting alone "
            "does not settle whether you would pass"
        )
    return (
        f"On a different draw of {asked} questions your score would, {times} times in 10, "
        f"have fallen between {low} and {high}; {verdict}."
    )
