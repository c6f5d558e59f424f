"""Single answer (one of four or more) and multiple response (k of five or more)."""

import random
import re
from collections.abc import Sequence
from typing import Any

from questions.kinds import register
from questions.kinds.base import InvalidResponse, Kind, Snapshot

_ID = re.compile(r"[0-9]{1,18}")


class Choice(Kind):
    take_template = "exams/_question_body.html"
    review_template = "exams/kinds/choice_review.html"
    min_options = 4
    strikes = True

    def validate(self, options: Sequence[tuple[str, bool]], rules: Any = None) -> list[str]:
        errors = []
        texts = [text.strip() for text, _ in options]
        if any(not t for t in texts):
            errors.append("Every option needs text.")
        repeated = sorted({t for t in texts if t and texts.count(t) > 1})
        if repeated:
            errors.append(f"Options must differ; repeated: {'; '.join(repeated)}")
        minimum = getattr(rules, f"{self.name}_min_options", None) or self.min_options
        if len(options) < minimum:
            errors.append(
                f"A {self.noun} needs at least {minimum} options (it has {len(options)})."
            )
        return errors + self.validate_correct(len(options), sum(1 for _, c in options if c))

    def validate_correct(self, total: int, correct: int) -> list[str]:
        raise NotImplementedError

    def snapshot(self, options: Sequence[Any], rng: random.Random) -> list[dict]:
        shown = list(options)
        rng.shuffle(shown)
        return [{"id": o.id, "text": o.text, "correct": o.is_correct} for o in shown]

    def parse(self, item: Snapshot, data) -> list[int]:
        chosen = self._option_ids(item, data.getlist("option"), "An option")
        limit = self.choose(item)
        if len(chosen) > limit:
            raise InvalidResponse(
                f"Question {item.position} takes at most {limit} option(s); nothing was saved."
            )
        return chosen

    def parse_struck(self, item: Snapshot, data) -> list[int]:
        # Any of the options may be crossed out, chosen ones too: it is scratch paper.
        return self._option_ids(item, data.getlist("struck"), "A crossed-out option")

    def _option_ids(self, item: Snapshot, values: list, what: str) -> list[int]:
        """Distinct ids of this item's options, in the order shown; raises InvalidResponse."""
        if not all(isinstance(v, str) and _ID.fullmatch(v) for v in values):
            raise InvalidResponse(f"{what} id was not a number; nothing was saved.")
        ids = [int(v) for v in values]
        if len(set(ids)) != len(ids):
            raise InvalidResponse(f"{what} was sent twice; nothing was saved.")
        order = [o["id"] for o in item.options]
        unknown = set(ids) - set(order)
        if unknown:
            raise InvalidResponse(
                f"Option {min(unknown)} is not an option of question {item.position}; "
                "nothing was saved."
            )
        # Keep the order shown, so stored answers do not depend on click order.
        return sorted(ids, key=order.index)

    def grade(self, item: Snapshot) -> bool:
        """Right only when exactly the correct options are chosen: no partial credit."""
        correct = {o["id"] for o in item.options if o["correct"]}
        return bool(item.selected) and set(item.selected) == correct


class SingleAnswer(Choice):
    name = "single"
    label = "Single answer"
    hint = "Choose the one best option."
    noun = "single-answer question"

    def validate_correct(self, total: int, correct: int) -> list[str]:
        if correct != 1:
            return [
                f"A single-answer question needs exactly one correct option (it has {correct})."
            ]
        return []


class MultipleResponse(Choice):
    name = "multiple"
    label = "Multiple response"
    hint = (
        "Choose as many options as the question says; only exactly the right ones score, "
        "with no partial credit."
    )
    noun = "multiple-response question"
    min_options = 5
    min_correct = 2

    def validate_correct(self, total: int, correct: int) -> list[str]:
        errors = []
        if correct < self.min_correct:
            errors.append(
                f"A multiple-response question needs at least {self.min_correct} correct "
                f"options (it has {correct})."
            )
        if total and correct >= total:
            errors.append("A multiple-response question needs at least one wrong option.")
        return errors

    def choose(self, item: Snapshot) -> int:
        return sum(1 for o in item.options if o["correct"])

    def state(self, item: Snapshot) -> str:
        if not item.selected:
            return "unanswered"
        return "answered" if len(item.selected) >= self.choose(item) else "incomplete"


register(SingleAnswer())
register(MultipleResponse())
