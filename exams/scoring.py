"""The rules of a score, each once: the scaled score, pass/fail, and a domain's "meets".

AWS reports a pass/fail on the scaled total and classifies each domain against the same
standard. examsite maps the raw share linearly onto the scale, so the share that maps to
the passing score is the bar for a domain too. Shares are shown truncated to one decimal,
never rounded up past what was scored, and the bar the same way, so a row never reads as
meeting a bar it misses (tests/test_scoring.py checks every count up to 60 questions).
"""

import math
from fractions import Fraction

from questions.blueprint import scaled_score

__all__ = ["meets", "needed", "pass_ratio", "passes", "scaled_score", "shown_percent"]


def pass_ratio(score_min: int, score_max: int, passing_score: int) -> Fraction:
    """The raw share correct that maps to the passing score."""
    return Fraction(passing_score - score_min, score_max - score_min)


def passes(scaled: int, passing_score: int) -> bool:
    return scaled >= passing_score


def needed(asked: int, ratio: Fraction) -> int:
    """Correct answers out of ``asked`` that reach the bar."""
    return math.ceil(asked * ratio)


def meets(correct: int, asked: int, ratio: Fraction) -> bool:
    return asked > 0 and correct >= needed(asked, ratio)


def shown_percent(share: Fraction) -> int | float:
    """A share as the pages show it: percent, truncated to one decimal (50, 68.7)."""
    tenths = math.floor(share * 1000)
    return tenths // 10 if tenths % 10 == 0 else tenths / 10
