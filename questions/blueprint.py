"""Arithmetic on exam blueprints that does not need the database."""

import math
from collections.abc import Sequence
from fractions import Fraction


def largest_remainder(total: int, weights: Sequence[int]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` into whole numbers that add up to it.

    Each share gets the floor of its exact quota; the units left over go to the largest
    remainders, ties to the earlier share, so the result is deterministic.
    """
    if total < 0:
        raise ValueError("total must not be negative")
    if not weights or any(w < 0 for w in weights) or sum(weights) == 0:
        raise ValueError("weights must be non-negative and not all zero")
    whole = sum(weights)
    # Fractions keep 20/24/36/20 exact; floats would make ties depend on rounding.
    quotas = [Fraction(total * w, whole) for w in weights]
    counts = [math.floor(q) for q in quotas]
    left = total - sum(counts)
    by_remainder = sorted(range(len(weights)), key=lambda i: (-(quotas[i] - counts[i]), i))
    for i in by_remainder[:left]:
        counts[i] += 1
    return counts


def gate_positions(question_count: int, segments: int) -> list[int]:
    """Question numbers of the pacing gates: every ceil(N/segments) questions."""
    step = math.ceil(question_count / segments)
    return [step * i for i in range(1, segments) if step * i < question_count]


def scaled_score(correct: int, total: int, score_min: int, score_max: int) -> int:
    """score_min + (score_max − score_min) × correct / total, rounded half up."""
    if total <= 0:
        return score_min
    span = score_max - score_min
    # Integer arithmetic, so that x.5 always rounds up and no float error creeps in.
    return score_min + (2 * span * correct + total) // (2 * total)
