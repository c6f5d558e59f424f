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
        values = data.getlist("option")
        if not all(isinstance(v, str) and _ID.fullmatch(v) for v in values):
            raise InvalidResponse("An option id was not a number; nothing was saved.")
        chosen = [int(v) for v in values]
        if len(set(chosen)) != len(chosen):
            raise InvalidResponse("An option was sent twice; nothing was saved.")
        order = [o["id"] for o in item.options]
        unknown = set(chosen) - set(order)
        if unknown:
            raise InvalidResponse(
                f"Option {min(unknown)} is not an option of question {item.position}; "
                "nothing was saved."
            )
        limit = self.choose(item)
        if len(chosen) > limit:
            raise InvalidResponse(
                f"Question {item.position} takes at most {limit} option(s); nothing was saved."
            )
        # Keep the order shown, so stored answers do not depend on click order.
        return sorted(chosen, key=order.index)

    def grade(self, item: Snapshot) -> bool:
        """Right only when exactly the correct options are chosen: no partial credit."""
        correct = {o["id"] for o in item.options if o["correct"]}
        return bool(item.selected) and set(item.selected) == correct


class SingleAnswer(Choice):
    name = "single"
    label = "Single answer"
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
