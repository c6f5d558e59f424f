"""What a finished attempt teaches: domain and objective results, pace, trends.

Everything here works on rows already loaded (the items of one attempt, or per-domain
counts of many), so the pages that use it run a fixed number of queries.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from fractions import Fraction

from exams import scoring
from exams.models import Attempt, AttemptItem


@dataclass
class ObjectiveResult:
    code: str
    title: str
    asked: int = 0
    correct: int = 0

    @property
    def missed(self) -> int:
        return self.asked - self.correct

    @property
    def percent(self) -> float:
        return scoring.shown_percent(Fraction(self.correct, self.asked)) if self.asked else 0


@dataclass
class DomainResult:
    number: int
    name: str
    weight: int
    share: float  # of the exam, 0–1
    asked: int = 0
    correct: int = 0
    meets: bool = True
    needed: int = 0
    objectives: list[ObjectiveResult] = field(default_factory=list)

    @property
    def fraction(self) -> float:
        return self.correct / self.asked if self.asked else 0.0

    @property
    def percent(self) -> float:
        return scoring.shown_percent(Fraction(self.correct, self.asked)) if self.asked else 0

    @property
    def cost(self) -> float:
        """What this domain cost the candidate: (1 − percent) × its share of the exam."""
        return (1 - self.fraction) * self.share

    @property
    def missed_objectives(self) -> list[ObjectiveResult]:
        """Objectives with a wrong answer, the most missed first."""
        missed = [o for o in self.objectives if o.missed]
        return sorted(missed, key=lambda o: (-o.missed, o.percent, o.code))

    @property
    def status(self) -> str:
        return "Meets competencies" if self.meets else "Needs improvement"


def domain_results(attempt: Attempt, items: Iterable[AttemptItem]) -> list[DomainResult]:
    """Per-domain and per-objective results, weak domains first by what they cost."""
    domains: dict[int, DomainResult] = {}
    objectives: dict[tuple[int, str], ObjectiveResult] = {}
    for item in items:
        d = domains.get(item.domain_number)
        if d is None:
            d = domains[item.domain_number] = DomainResult(
                item.domain_number, item.domain_name, item.domain_weight, 0.0
            )
        o = objectives.get((item.domain_number, item.objective_code))
        if o is None:
            o = objectives[item.domain_number, item.objective_code] = ObjectiveResult(
                item.objective_code, item.objective_title
            )
            d.objectives.append(o)
        d.asked += 1
        o.asked += 1
        if item.is_correct:
            d.correct += 1
            o.correct += 1
    total_weight = sum(d.weight for d in domains.values()) or 1
    for d in domains.values():
        d.share = d.weight / total_weight
        d.meets = attempt.meets_pass_ratio(d.correct, d.asked)
        d.needed = scoring.needed(d.asked, attempt.pass_ratio)
        d.objectives.sort(key=lambda o: o.code)
    return sorted(domains.values(), key=lambda d: (d.meets, -d.cost, d.number))


@dataclass
class GateResult:
    position: int
    target: timedelta
    elapsed: timedelta | None  # None: never reached

    @property
    def ahead(self) -> bool:
        return self.elapsed is not None and self.elapsed <= self.target

    @property
    def margin(self) -> timedelta | None:
        return None if self.elapsed is None else abs(self.target - self.elapsed)


def gate_results(attempt: Attempt, items: Sequence[AttemptItem]) -> list[GateResult]:
    seen = {i.position: i.first_seen for i in items}
    results = []
    for position in attempt.gate_positions():
        arrived = seen.get(position)
        elapsed = arrived - attempt.begun if arrived else None
        results.append(GateResult(position, attempt.gate_target(position), elapsed))
    return results


@dataclass
class Chart:
    """Coordinates for a small server-rendered SVG line chart."""

    width: int = 640
    height: int = 260
    left: int = 48
    right: int = 40
    top: int = 16
    bottom: int = 40

    @property
    def plot_w(self) -> int:
        return self.width - self.left - self.right

    @property
    def plot_h(self) -> int:
        return self.height - self.top - self.bottom

    @property
    def x_axis_y(self) -> int:
        return self.top + self.plot_h

    def x(self, value: float, maximum: float) -> float:
        return round(self.left + self.plot_w * (value / maximum if maximum else 0), 1)

    def x_index(self, i: int, count: int) -> float:
        """The i-th of ``count`` evenly spaced points; a lone point sits in the middle."""
        if count < 2:
            return round(self.left + self.plot_w / 2, 1)
        return self.x(i, count - 1)

    def y(self, value: float, lo: float, hi: float) -> float:
        span = (hi - lo) or 1
        return round(self.top + self.plot_h * (1 - (value - lo) / span), 1)


def pace_chart(attempt: Attempt, items: Sequence[AttemptItem]) -> dict:
    """Question number (y) against minutes elapsed (x) at first arrival, with the target line."""
    chart = Chart()
    minutes = attempt.duration.total_seconds() / 60
    n = attempt.question_count
    points = sorted(
        (round((i.first_seen - attempt.begun).total_seconds() / 60, 1), i.position)
        for i in items
        if i.first_seen
    )
    # The candidate's path: the furthest question reached by each moment.
    path, furthest = [], 0
    for m, position in points:
        furthest = max(furthest, position)
        path.append(f"{chart.x(min(m, minutes), minutes)},{chart.y(furthest, 0, n)}")
    gates = attempt.gate_positions()
    marks = [(0, 0)] + [(attempt.gate_target(g).total_seconds() / 60, g) for g in gates]
    marks.append((minutes, n))
    target = " ".join(f"{chart.x(m, minutes)},{chart.y(q, 0, n)}" for m, q in marks)
    x_ticks = [{"x": chart.x(m, minutes), "label": f"{round(m)} min"} for m, _ in marks]
    y_ticks = [{"y": chart.y(q, 0, n), "label": str(q)} for _, q in marks]
    return {
        "chart": chart,
        "path": " ".join(path),
        "target": target,
        "x_ticks": x_ticks,
        "y_ticks": y_ticks,
        "reached": furthest,
    }


def score_trend(finished: Sequence[Attempt]) -> dict | None:
    """Scaled scores of finished attempts (oldest first), with the passing line."""
    if not finished:
        return None
    chart = Chart(height=220)
    lo, hi = finished[0].score_min, finished[0].score_max
    points = [
        {
            "x": chart.x_index(i, len(finished)),
            "y": chart.y(a.scaled_score, lo, hi),
            "attempt": a,
        }
        for i, a in enumerate(finished)
    ]
    passing = finished[-1].passing_score
    return {
        "chart": chart,
        "points": points,
        "path": " ".join(f"{p['x']},{p['y']}" for p in points),
        "pass_y": chart.y(passing, lo, hi),
        "passing": passing,
        "lo_y": chart.y(lo, lo, hi),
        "hi_y": chart.y(hi, lo, hi),
        "lo": lo,
        "hi": hi,
    }


def domain_trend(finished: Sequence[Attempt], rows: Iterable[dict]) -> dict | None:
    """Percent correct per domain over finished attempts (oldest first).

    ``rows`` are per (attempt, domain) counts: attempt_id, domain_number, domain_name,
    asked, correct.
    """
    if not finished:
        return None
    by_attempt: dict[int, dict[int, int]] = {}
    names: dict[int, str] = {}
    for r in rows:
        names[r["domain_number"]] = r["domain_name"]
        percent = round(100 * r["correct"] / r["asked"]) if r["asked"] else 0
        by_attempt.setdefault(r["attempt_id"], {})[r["domain_number"]] = percent
    chart = Chart(height=220)
    series = []
    for number in sorted(names):
        values = [by_attempt.get(a.pk, {}).get(number) for a in finished]
        pts = [
            (chart.x_index(i, len(finished)), chart.y(v, 0, 100))
            for i, v in enumerate(values)
            if v is not None
        ]
        series.append(
            {
                "number": number,
                "name": names[number],
                "values": values,
                "path": " ".join(f"{x},{y}" for x, y in pts),
                "last": pts[-1] if pts else None,
            }
        )
    return {"chart": chart, "series": series, "attempts": finished}
