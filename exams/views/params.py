"""Query and form parameters read at the edge: by type and range, ASCII digits only.

Python's int() accepts "١" and str.isdigit() accepts "²"; neither is a number a form of
ours sends, so both are refused here instead of surprising code further in.
"""

import itertools
import re

_DIGITS = re.compile(r"[0-9]{1,9}")


class BadParameter(ValueError):
    """The message says which parameter and what it takes."""


def number(value: str, name: str, low: int, high: int) -> int:
    if not _DIGITS.fullmatch(value) or not low <= int(value) <= high:
        raise BadParameter(f"{name} takes a whole number from {low} to {high}.")
    return int(value)


def optional_number(value: str, name: str, low: int, high: int) -> int | None:
    return None if value == "" else number(value, name, low, high)


def choice(value: str, name: str, choices) -> str:
    if value not in choices:
        raise BadParameter(f"Unknown {name} {value[:40]!r}: use one of {', '.join(choices)}.")
    return value


def positions(value: str, name: str, high: int) -> tuple[int, ...]:
    """Question numbers as "3,7,12": each from 1 to ``high``, in rising order, no repeats."""
    parts = value.split(",")
    if len(parts) > high:
        raise BadParameter(f"{name} lists more questions than the attempt has ({high}).")
    numbers = tuple(number(p, name, 1, high) for p in parts)
    if any(a >= b for a, b in itertools.pairwise(numbers)):
        raise BadParameter(f"{name} takes question numbers in rising order, each once.")
    return numbers
