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
    # How a candidate answers one, for a mock's instructions page.
    hint: str = ""
    # Whether its options can be crossed out (``parse_struck``); the take template shows
    # the cross-out boxes only then.
    strikes: bool = False
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

    def parse_struck(self, item: Snapshot, data) -> list:
        """The options crossed out in the form ``data`` (kept like a flag, never graded);
        raises InvalidResponse. A kind with nothing to cross out takes none."""
        if data.getlist("struck"):
            raise InvalidResponse(
                f"Question {item.position} has no options to cross out; nothing was saved."
            )
        return []

    def grade(self, item: Snapshot) -> bool:
        raise NotImplementedError

    def state(self, item: Snapshot) -> str:
        """ "unanswered", "incomplete" or "answered"."""
        return "answered" if item.selected else "unanswered"

    def choose(self, item: Snapshot) -> int:
        """How many options a candidate picks (shown as "Choose k")."""
        return 1

    def read_options(self, raw: Any) -> list[tuple[str, bool]] | None:
        """Options as a bank file writes them, or None when they are not in that shape.

        The default is a list of ``{text, correct}`` mappings (a bare string is a wrong
        option); a kind with another shape overrides this and ``write_options``.
        """
        if not isinstance(raw, list):
            return None
        pairs = []
        for item in raw:
            if isinstance(item, str):
                pairs.append((item.strip(), False))
            elif isinstance(item, dict) and set(item) <= {"text", "correct"}:
                text = item.get("text")
                pairs.append(
                    ("" if text is None else str(text).strip(), item.get("correct") is True)
                )
            else:
                return None
        return pairs

    def write_options(self, options: Sequence[tuple[str, bool]]) -> list:
        return [{"text": t, "correct": True} if c else {"text": t} for t, c in options]
