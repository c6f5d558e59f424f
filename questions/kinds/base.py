import random
from collections.abc import Sequence
from typing import Any, Protocol


class InvalidResponse(ValueError):
    """A response that cannot be stored; the message is for the candidate."""


class Snapshot(Protocol):
    """What an attempt item offers a kind: its frozen options and the stored response."""

    position: int
    options: list[dict]
    selected: list


class Kind:
    """The base of every kind of question; see questions/kinds/__init__.py."""

    name: str = ""
    label: str = ""
    # Templates that render the taking and the review of this kind.
    take_template: str = ""
    review_template: str = ""

    def validate(self, options: Sequence[tuple[str, bool]], rules: Any = None) -> list[str]:
        """Problems with ``options`` ((text, is_correct) pairs) for this kind, or none."""
        raise NotImplementedError

    def snapshot(self, options: Sequence[Any], rng: random.Random) -> list[dict]:
        """Options frozen for an attempt: [{id, text, correct}] in the order shown."""
        raise NotImplementedError

    def parse(self, item: Snapshot, data) -> list:
        """The response in the form ``data``; raises InvalidResponse."""
        raise NotImplementedError

    def grade(self, item: Snapshot) -> bool:
        raise NotImplementedError

    def state(self, item: Snapshot) -> str:
        """ "unanswered", "incomplete" or "answered"."""
        return "answered" if item.selected else "unanswered"

    def choose(self, item: Snapshot) -> int:
        """How many options a candidate picks (shown as "Choose k")."""
        return 1
