"""What a finished attempt teaches: domain and objective results, pace, trends.

Everything here works on rows already loaded (the items of one attempt, or per-domain
counts of many), so the pages that use it run a fixed number of queries.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from fractions import Fraction

from django.utils import timezone

from exams import charts, scoring
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


def pace_chart(attempt: Attempt, items: Sequence[AttemptItem]) -> dict:
    """Question number (y) against minutes elapsed (x) at first arrival, with the target line."""
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
        path.append((min(m, minutes), furthest))
    gates = attempt.gate_positions()
    marks = [(0, 0)] + [(attempt.gate_target(g).total_seconds() / 60, g) for g in gates]
    marks.append((minutes, n))
    plots = {}
    for variant, width in charts.VARIANTS:
        f = charts.Frame(width=width, height=260, left=40, right=28, top=16, bottom=44)
        ys = charts.spread([f.y(q, 0, n) + 4 for _, q in marks], f.top + 10, f.x_axis_y + 4)
        y_ticks = [
            charts.Text(f.left - 6, y, [str(q)], "end")
            for y, (_, q) in zip(ys, marks, strict=True)
        ]
        title = charts.Text(f.x_end, f.height - 4, ["minutes elapsed →"], "end")
        x_ticks = charts.thin(
            [charts.Text(f.x(m, minutes), f.x_axis_y + 22, [f"{round(m)} min"]) for m, _ in marks],
            keep=[*y_ticks, title],
        )
        plots[variant] = charts.Plot(
            f,
            series=[
                charts.Series([(f.x(m, minutes), f.y(q, 0, n)) for m, q in marks], "target"),
                charts.Series([(f.x(m, minutes), f.y(q, 0, n)) for m, q in path], "series-1"),
            ],
            texts=[*y_ticks, *x_ticks, title],
            dots=False,
        )
    return {"plots": plots, "reached": furthest}


def attempt_labels(attempts: Sequence[Attempt]) -> list[list[str]]:
    """x-axis labels for attempts, in the candidate's zone: the day, and the time under it
    when two attempts share a day (the attempt's number if they share the minute too)."""
    local = [timezone.localtime(a.started) for a in attempts]
    years = {d.year for d in local}
    days = [f"{d.day} {d:%b}" + (f" {d.year}" if len(years) > 1 else "") for d in local]
    times = [f"{d:%H:%M}" for d in local]
    labels = []
    for i, (day, time) in enumerate(zip(days, times, strict=True)):
        if days.count(day) == 1:
            labels.append([day])
        elif sum(1 for d, t in zip(days, times, strict=True) if (d, t) == (day, time)) == 1:
            labels.append([day, time])
        else:
            labels.append([day, f"#{i + 1}"])
    return labels


def _x_labels(f: charts.Frame, labels: list[list[str]], keep) -> list[charts.Text]:
    count = len(labels)
    texts = [
        charts.Text(f.x_index(i, count), f.x_axis_y + 20, lines) for i, lines in enumerate(labels)
    ]
    return charts.thin(texts, keep=keep)


def _trend_frame(width: int, labels: list[list[str]], **margins) -> charts.Frame:
    two_lines = any(len(lines) > 1 for lines in labels)
    bottom = 30 + (charts.LINE if two_lines else 0)
    inset = 32 if width > 400 else 24
    return charts.Frame(width=width, height=240, top=24, bottom=bottom, inset=inset, **margins)


def score_trend(finished: Sequence[Attempt]) -> dict | None:
    """Scaled scores of finished attempts (oldest first), with the passing line."""
    if not finished:
        return None
    lo, hi = finished[0].score_min, finished[0].score_max
    passing = finished[-1].passing_score
    labels = attempt_labels(finished)
    # Every score while they are few; past that the latest, the best and the worst, since
    # twenty figures over twenty dots read as noise.
    scores = [a.scaled_score for a in finished]
    labelled = set(range(len(finished)))
    if len(finished) > 8:
        labelled = {len(scores) - 1, scores.index(max(scores)), scores.index(min(scores))}
    plots = {}
    for variant, width in charts.VARIANTS:
        f = _trend_frame(width, labels, left=40, right=12)
        pts = [
            (f.x_index(i, len(finished)), f.y(a.scaled_score, lo, hi))
            for i, a in enumerate(finished)
        ]
        pass_y = f.y(passing, lo, hi)
        fixed = [
            charts.Text(f.left - 6, f.top + 4, [str(hi)], "end"),
            charts.Text(f.left - 6, f.x_axis_y + 4, [str(lo)], "end"),
            # At the left: the latest score, the one a candidate looks for, is at the right.
            charts.Text(f.left + 4, pass_y - 5, [f"pass {passing}"], "start", "pass"),
        ]
        x_labels = _x_labels(f, labels, fixed)
        taken = [t.box for t in (*fixed, *x_labels)]
        values = []
        # The latest first, so it is the one that always gets a place.
        for i, ((x, y), a) in reversed(list(enumerate(zip(pts, finished, strict=True)))):
            if i not in labelled:
                continue
            label = charts.Text(x, y, [str(a.scaled_score)], css="value")
            above, below = y - 9, y + charts.FONT + 6
            placed = charts.place(label, (above, below, above - 8, below + 8), taken)
            if placed:
                values.append(placed)
        plots[variant] = charts.Plot(
            f,
            series=[charts.Series(pts, "series-1")],
            guides=[{"y": pass_y, "css": "pass"}],
            texts=[*fixed, *x_labels, *values],
        )
    return {
        "plots": plots,
        "points": [{"attempt": a} for a in finished],
        "passing": passing,
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
    numbers = sorted(names)
    values = {n: [by_attempt.get(a.pk, {}).get(n) for a in finished] for n in numbers}
    labels = attempt_labels(finished)
    plots = {}
    for variant, width in charts.VARIANTS:
        f = _trend_frame(width, labels, left=44, right=76)
        series, ends = [], []
        for k, n in enumerate(numbers):
            pts = [
                (f.x_index(i, len(finished)), f.y(v, 0, 100))
                for i, v in enumerate(values[n])
                if v is not None
            ]
            series.append(charts.Series(pts, f"series-{k % 4 + 1}"))
            last = next((v for v in reversed(values[n]) if v is not None), None)
            if pts:
                ends.append((pts[-1][1] + 4, f"D{n} {last} %", f"series-{k % 4 + 1}"))
        # Each domain's latest figure at the right edge, moved apart where lines end close.
        ys = charts.spread([y for y, _, _ in ends], f.top + 6, f.x_axis_y + 8)
        fixed = [
            charts.Text(f.left - 6, f.top + 4, ["100 %"], "end"),
            charts.Text(f.left - 6, f.x_axis_y + 4, ["0 %"], "end"),
            *(
                charts.Text(f.x_end + 6, y, [text], "start", f"end {css}")
                for y, (_, text, css) in zip(ys, ends, strict=True)
            ),
        ]
        plots[variant] = charts.Plot(
            f,
            series=series,
            texts=[*fixed, *_x_labels(f, labels, fixed)],
            dots=len(finished) <= 8,
        )
    series = [
        {
            "number": n,
            "name": names[n],
            "values": values[n],
            "cells": list(zip([" ".join(lines) for lines in labels], values[n], strict=True)),
            "css": f"series-{k % 4 + 1}",
        }
        for k, n in enumerate(numbers)
    ]
    return {"plots": plots, "series": series, "attempts": finished, "labels": labels}


@dataclass
class Bar:
    y: float
    name: str
    width: float
    percent: float
    meets: bool
    name_y: float = 0


def domain_bars(attempt: Attempt, domains: Sequence[DomainResult]) -> dict:
    """Horizontal bars of percent correct per domain, with the pass line, in both frames.

    Wide: the name left of its bar. Narrow (phones): the name above its bar.
    """
    plots = {}
    for variant, width in charts.VARIANTS:
        wide = variant == "wide"
        bar_x, bar_w, row = (250, 320, 30) if wide else (0, width - 52, 46)
        bars = []
        for k, d in enumerate(domains):
            top = k * row + (0 if wide else 18)
            name = f"{d.number}. {d.name}"
            limit = 32 if wide else 42
            name = name if len(name) <= limit else name[: limit - 1] + "…"
            bar = Bar(
                top + (6 if wide else 8),
                name,
                round(bar_w * d.percent / 100, 1),
                d.percent,
                d.meets,
            )
            bar.name_y = top + 19 if wide else top
            bars.append(bar)
        height = row * len(domains) + (30 if wide else 48)
        pass_x = round(bar_x + bar_w * attempt.pass_percent / 100, 1)
        plots[variant] = {
            "frame": charts.Frame(width=width, height=height),
            "bars": bars,
            "bar_x": bar_x,
            "bar_w": bar_w,
            "value_x": bar_x + bar_w + 6,
            "name_x": 0,
            "pass_x": pass_x,
            "pass_y2": height - 22,
            "pass_label_y": height - 6,
        }
    return {"plots": plots}
