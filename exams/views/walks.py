"""Review walks: the review screen's "Review all / incomplete / flagged".

A walk visits a fixed set of questions in order and ends on the review screen. The set is
chosen when the walk starts and travels in the URL (``?walk=flagged&set=3,7,12``), so a
reload or Back keeps it and unflagging a question during the walk skips nothing. The set
names only the candidate's own questions by number, so a hand-made one can do no more than
the navigator already can; its numbers are checked at the edge (``views/params.py``).
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.http import QueryDict

from exams.views.params import BadParameter, choice, positions

KINDS = {
    "all": "all questions",
    "incomplete": "unanswered and incomplete questions",
    "flagged": "flagged questions",
}


@dataclass(frozen=True)
class Walk:
    kind: str
    positions: tuple[int, ...]

    @classmethod
    def start(cls, kind: str, items: Iterable) -> "Walk":
        """The walk of ``kind`` over an attempt's items as they stand now."""
        keep = {
            "all": lambda i: True,
            "incomplete": lambda i: i.state != "answered",
            "flagged": lambda i: i.flagged,
        }[kind]
        return cls(kind, tuple(i.position for i in items if keep(i)))

    @classmethod
    def from_query(cls, query: QueryDict, question_count: int) -> "Walk | None":
        """The walk named in a request's query string, or None; BadParameter if malformed."""
        kind = query.get("walk", "")
        if not kind:
            return None
        choice(kind, "walk", KINDS)
        if kind == "all":
            return cls(kind, tuple(range(1, question_count + 1)))
        return cls(kind, positions(query.get("set", ""), "set", question_count))

    def __contains__(self, position: int) -> bool:
        return position in self.positions

    def __len__(self) -> int:
        return len(self.positions)

    @property
    def label(self) -> str:
        return KINDS[self.kind]

    @property
    def query(self) -> str:
        """The query string that carries this walk from page to page."""
        if self.kind == "all":
            return "?walk=all"
        return f"?walk={self.kind}&set={','.join(map(str, self.positions))}"

    @property
    def first(self) -> int | None:
        return self.positions[0] if self.positions else None

    def index(self, position: int) -> int:
        """1-based place of ``position`` in the walk."""
        return self.positions.index(position) + 1

    def after(self, position: int) -> int | None:
        """The next question of the walk, or None at its end."""
        i = self.positions.index(position)
        return self.positions[i + 1] if i + 1 < len(self.positions) else None

    def before(self, position: int) -> int | None:
        i = self.positions.index(position)
        return self.positions[i - 1] if i > 0 else None

    def check(self, position: int) -> None:
        if position not in self:
            raise BadParameter(
                f"Question {position} is not in this review of {self.label}: "
                "go back to the review screen to start another."
            )
