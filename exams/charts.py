"""Geometry of the server-rendered SVG charts: frames, label sizes and label placement.

Every chart is drawn twice, a wide frame for screens and a narrow one for phones (CSS shows
one), with the same text size in both, so text stays at least 11 CSS px where it is shown.
Text width is estimated, not measured: ``CHAR_WIDTH`` of the font size per character is
generous for the system UI font's digits and letters, so boxes that do not overlap here do
not overlap in the browser either.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

FONT = 12  # user units; CSS px where the frame is shown at its natural width or wider
CHAR_WIDTH = 0.62
LINE = 14  # the height of one line of text
GAP = 4  # the least space between two labels


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: "Box", gap: float = 0) -> bool:
        return not (
            self.x1 + gap <= other.x0
            or other.x1 + gap <= self.x0
            or self.y1 + gap <= other.y0
            or other.y1 + gap <= self.y0
        )


def text_width(text: str, size: float = FONT) -> float:
    return len(text) * size * CHAR_WIDTH


@dataclass
class Text:
    """A label: ``lines`` stacked from baseline ``y``; ``anchor`` as SVG's text-anchor."""

    x: float
    y: float
    lines: list[str]
    anchor: str = "middle"
    css: str = ""

    @property
    def box(self) -> Box:
        w = max(text_width(line) for line in self.lines)
        x0 = {"start": self.x, "middle": self.x - w / 2, "end": self.x - w}[self.anchor]
        # The baseline sits about 0.8 of the font size below the top of the letters.
        top = self.y - FONT * 0.8
        return Box(x0, top, x0 + w, top + FONT + LINE * (len(self.lines) - 1))

    @property
    def dy(self) -> int:
        return LINE


@dataclass
class Frame:
    """A plot area inside a ``width`` × ``height`` viewBox, with margins for the labels."""

    width: int = 640
    height: int = 240
    left: int = 48
    right: int = 40
    top: int = 20
    bottom: int = 44
    inset: int = 0  # keeps first and last points clear of the axes and their labels

    @property
    def plot_w(self) -> int:
        return self.width - self.left - self.right

    @property
    def plot_h(self) -> int:
        return self.height - self.top - self.bottom

    @property
    def x_axis_y(self) -> int:
        return self.top + self.plot_h

    @property
    def x_end(self) -> int:
        return self.width - self.right

    def x(self, value: float, maximum: float) -> float:
        span = self.plot_w - 2 * self.inset
        return round(self.left + self.inset + span * (value / maximum if maximum else 0), 1)

    def x_index(self, i: int, count: int) -> float:
        """The i-th of ``count`` evenly spaced points; a lone point sits in the middle."""
        if count < 2:
            return round(self.left + self.plot_w / 2, 1)
        return self.x(i, count - 1)

    def y(self, value: float, lo: float, hi: float) -> float:
        span = (hi - lo) or 1
        return round(self.top + self.plot_h * (1 - (value - lo) / span), 1)


# The frames every chart is drawn in: (name, width). Phones show the narrow one.
VARIANTS = (("wide", 640), ("narrow", 320))


def thin(labels: Sequence[Text], keep: Sequence[Text] = ()) -> list[Text]:
    """The labels to draw so that none overlaps another or any of ``keep``.

    The last label always stays (the latest attempt is the one a candidate looks for);
    then, from the right, each label that fits is kept.
    """
    placed = [t.box for t in keep]
    chosen: list[Text] = []
    for i, label in enumerate(reversed(labels)):
        box = label.box
        if i == 0 or not any(box.overlaps(b, GAP) for b in placed):
            chosen.append(label)
            placed.append(box)
    return chosen[::-1]


def spread(ys: Sequence[float], lo: float, hi: float, gap: float = LINE) -> list[float]:
    """Move label baselines apart by at least ``gap``, as little as possible, in [lo, hi].

    Returns the new positions in the order given. Used for labels at a line's end, where
    series that finish close together would print on top of each other.
    """
    if not ys:
        return []
    order = sorted(range(len(ys)), key=lambda i: ys[i])
    placed = [min(max(ys[i], lo), hi) for i in order]
    for k in range(1, len(placed)):
        placed[k] = max(placed[k], placed[k - 1] + gap)
    # Pushed past the bottom: slide the stack up, keeping the gaps.
    overflow = placed[-1] - hi
    if overflow > 0:
        placed[-1] = hi
        for k in range(len(placed) - 2, -1, -1):
            placed[k] = min(placed[k], placed[k + 1] - gap)
    result = [0.0] * len(ys)
    for k, i in enumerate(order):
        result[i] = round(placed[k], 1)
    return result


def place(label: Text, alternatives: Sequence[float], taken: list[Box]) -> Text | None:
    """``label`` at the first baseline of ``alternatives`` where it overlaps nothing taken."""
    for y in alternatives:
        candidate = Text(label.x, y, label.lines, label.anchor, label.css)
        if not any(candidate.box.overlaps(b, GAP) for b in taken):
            taken.append(candidate.box)
            return candidate
    return None


@dataclass
class Series:
    points: list[tuple[float, float]]
    css: str = ""

    @property
    def path(self) -> str:
        return " ".join(f"{x},{y}" for x, y in self.points)


@dataclass
class Plot:
    """What one SVG draws: a frame, lines, dots and labels, all in user units."""

    frame: Frame
    series: list[Series] = field(default_factory=list)
    guides: list[dict] = field(default_factory=list)  # horizontal lines: y, css
    texts: list[Text] = field(default_factory=list)
    dots: bool = True

    def overlapping(self) -> list[tuple[str, str]]:
        """Pairs of labels whose boxes overlap (none, by construction; for the tests)."""
        found = []
        for i, a in enumerate(self.texts):
            for b in self.texts[i + 1 :]:
                if a.box.overlaps(b.box):
                    found.append((" ".join(a.lines), " ".join(b.lines)))
        return found
