"""The neutral representation every format reads into and writes from.

A reader turns a file into ``Item``s and ``Skip``s; it knows nothing of the database.
``apply`` maps categories to objectives, validates each item with the models' own rules
and writes them, so every format accepts exactly what the admin and YAML accept.
"""

from dataclasses import dataclass, field


class FormatError(Exception):
    """A whole file cannot be read (unsafe, too large, not this format); says why."""

    def __init__(self, file: str, reason: str):
        self.file, self.reason = file, reason
        super().__init__(f"{file}: {reason}")


@dataclass(frozen=True)
class Skip:
    """A question in a file that will not be imported, and why."""

    file: str
    where: str  # "line 12", "question 3" or an item file inside a package
    reason: str
    name: str = ""

    def __str__(self):
        name = f" ({self.name})" if self.name else ""
        return f"{self.file}: {self.where}{name}: skipped: {self.reason}"


@dataclass
class Item:
    """One importable question as a format carries it."""

    file: str
    where: str
    key: str  # deterministic: the file's own key when it carries one, else file slug + position
    kind: str  # "single" or "multiple", from the number of correct options
    stem: str
    options: list[tuple[str, bool]]
    name: str = ""  # the source's own title, which need not be unique
    category: str = ""  # the source's category, mapped to an objective on import
    explanation: str = ""
    # None where the format cannot carry the field: an update then keeps what is stored.
    references: list[str] | None = None
    status: str | None = None
    difficulty: str | None = None


@dataclass
class Reading:
    """What a file holds, in the file's order: importable items and skips."""

    entries: list[Item | Skip] = field(default_factory=list)

    def add(self, entry: Item | Skip) -> None:
        self.entries.append(entry)

    def extend(self, other: "Reading") -> None:
        self.entries += other.entries

    @property
    def items(self) -> list[Item]:
        return [e for e in self.entries if isinstance(e, Item)]

    @property
    def skips(self) -> list[Skip]:
        return [e for e in self.entries if isinstance(e, Skip)]


@dataclass
class Written:
    """An export: the file's bytes and the questions the format could not carry."""

    data: bytes
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (key, reason)
