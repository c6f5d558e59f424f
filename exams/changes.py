"""Changes of answer: what the log of AnswerChange rows says about a sitting or a question.

A change is a move from one complete answer to a different complete answer. The first
answer is not a change, and neither is a half-made multiple-response selection (picking
the first of two options saves, but it is not yet an answer), nor clearing an answer:
A, then nothing, then B counts once, A to B. Each change is classed by whether the
answer it left and the answer it reached were right, graded as the score grades them
(exactly the correct options). Pure arithmetic on rows already loaded.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from exams.models import AnswerChange


@dataclass
class ChangeSummary:
    wrong_to_right: int = 0
    right_to_wrong: int = 0
    wrong_to_wrong: int = 0

    @property
    def total(self) -> int:
        return self.wrong_to_right + self.right_to_wrong + self.wrong_to_wrong

    def __add__(self, other: "ChangeSummary") -> "ChangeSummary":
        return ChangeSummary(
            self.wrong_to_right + other.wrong_to_right,
            self.right_to_wrong + other.right_to_wrong,
            self.wrong_to_wrong + other.wrong_to_wrong,
        )

    @property
    def sentence(self) -> str:
        """ "You changed 7 answers: 2 wrong → right, 4 right → wrong, 1 wrong → wrong." """
        if not self.total:
            return "You did not change any answer."
        s = "" if self.total == 1 else "s"
        parts = [
            f"{n} {label}"
            for n, label in (
                (self.wrong_to_right, "wrong → right"),
                (self.right_to_wrong, "right → wrong"),
                (self.wrong_to_wrong, "wrong → wrong"),
            )
            if n
        ]
        return f"You changed {self.total} answer{s}: {', '.join(parts)}."


def summarize(afters: Sequence[Sequence[int]], options: Iterable[dict]) -> ChangeSummary:
    """The changes in one item's successive selections (``after`` of each AnswerChange, in
    order), given its frozen options [{id, text, correct}]."""
    correct = {o["id"] for o in options if o["correct"]}
    needed = max(1, len(correct))
    complete = [set(a) for a in afters if len(a) >= needed]
    summary = ChangeSummary()
    for before, after in pairwise(complete):
        if before == after:
            continue
        was, now = before == correct, after == correct
        if now and not was:
            summary.wrong_to_right += 1
        elif was and not now:
            summary.right_to_wrong += 1
        elif not was:
            summary.wrong_to_wrong += 1
        # Right to right cannot happen: only one selection is exactly the key.
    return summary


def by_item(rows: Iterable[tuple]) -> dict:
    """Group (key, after) rows, ordered by time within each key, into {key: [after, ...]}."""
    found: dict = {}
    for key, after in rows:
        found.setdefault(key, []).append(after or [])
    return found


def of_attempt(items: Sequence) -> ChangeSummary:
    """The changes over an attempt's ``items`` (loaded with their options): one query."""
    log = by_item(
        AnswerChange.objects.filter(item__in=[i.pk for i in items])
        .order_by("item_id", "at", "id")
        .values_list("item_id", "after")
    )
    total = ChangeSummary()
    for item in items:
        total += summarize(log.get(item.pk, []), item.options)
    return total
