"""Chart geometry: labels that never overlap, stay in the frame, and tell attempts apart."""

import itertools
import random
from datetime import timedelta

import pytest
from django.utils import timezone

from exams import charts, reports
from exams.models import Attempt
from tests.helpers import T0


def attempts(scores, step=timedelta(days=1)):
    return [
        Attempt(pk=i + 1, started=T0 + i * step, scaled_score=s, score_min=100, score_max=1000,
                passing_score=750)
        for i, s in enumerate(scores)
    ]  # fmt: skip


def rows_for(found, percents):
    return [
        {"attempt_id": a.pk, "domain_number": n, "domain_name": f"Domain {n}", "asked": 100,
         "correct": p}
        for a in found
        for n, p in enumerate(percents, start=1)
    ]  # fmt: skip


def assert_readable(plot: charts.Plot):
    assert plot.overlapping() == []
    for t in plot.texts:
        box = t.box
        assert box.x0 >= 0 and box.x1 <= plot.frame.width, f"{t.lines} leaves the frame"
        assert box.y0 >= 0 and box.y1 <= plot.frame.height, f"{t.lines} leaves the frame"


@pytest.mark.parametrize("count", [1, 2, 3, 7, 20])
def test_it_draws_score_trends_with_no_overlapping_labels(count):
    random.seed(count)
    found = attempts([random.choice([740, 745, 750, 755, 1000, 100]) for _ in range(count)])
    trend = reports.score_trend(found)
    for plot in trend["plots"].values():
        assert_readable(plot)
        texts = [" ".join(t.lines) for t in plot.texts]
        assert "pass 750" in texts
        assert str(found[-1].scaled_score) in texts  # the latest score always reads


def test_it_shows_a_single_attempt_as_its_value():
    trend = reports.score_trend(attempts([812]))
    for plot in trend["plots"].values():
        values = [t for t in plot.texts if t.css == "value"]
        assert [t.lines for t in values] == [["812"]]
        assert plot.series[0].points == [(values[0].x, plot.series[0].points[0][1])]


def test_it_labels_every_point_of_two_attempts_and_thins_twenty():
    two = reports.score_trend(attempts([600, 800]))["plots"]["narrow"]
    assert [t.lines for t in two.texts if t.css == "value"] == [["800"], ["600"]]
    assert [t.lines for t in two.texts if t.y > two.frame.x_axis_y + 10] == [
        ["21 Nov"],
        ["22 Nov"],
    ]
    twenty = reports.score_trend(attempts([700] * 20))["plots"]["narrow"]
    x_labels = [t for t in twenty.texts if t.y > twenty.frame.x_axis_y + 10]
    assert 2 <= len(x_labels) < 20
    assert x_labels[-1].lines == ["10 Dec"]  # the latest attempt keeps its label


def test_it_tells_attempts_on_the_same_day_apart():
    found = attempts([700, 710, 720], step=timedelta(hours=2))
    assert reports.attempt_labels(found) == [["21 Nov", "09:00"], ["21 Nov", "11:00"],
                                             ["21 Nov", "13:00"]]  # fmt: skip
    same_minute = attempts([700, 710], step=timedelta(seconds=5))
    assert reports.attempt_labels(same_minute) == [["21 Nov", "#1"], ["21 Nov", "#2"]]
    plot = reports.score_trend(found)["plots"]["wide"]
    assert_readable(plot)
    assert plot.frame.bottom > reports.score_trend(attempts([700]))["plots"]["wide"].frame.bottom


def test_it_dates_attempts_in_the_active_time_zone():
    found = attempts([700, 710], step=timedelta(hours=16))  # 09:00 and 01:00 UTC next day
    with timezone.override("Asia/Kolkata"):
        assert reports.attempt_labels(found) == [["21 Nov"], ["22 Nov"]]
    with timezone.override("America/Los_Angeles"):  # 01:00 and 17:00 on 21 Nov
        assert reports.attempt_labels(found) == [["21 Nov", "01:00"], ["21 Nov", "17:00"]]


@pytest.mark.parametrize("count", [1, 2, 20])
def test_it_keeps_domain_trend_labels_apart_when_lines_end_together(count):
    found = attempts([700] * count)
    trend = reports.domain_trend(found, rows_for(found, [70, 71, 72, 73]))
    for plot in trend["plots"].values():
        assert_readable(plot)
        ends = [t for t in plot.texts if t.css.startswith("end")]
        assert [t.lines[0] for t in ends] == ["D1 70 %", "D2 71 %", "D3 72 %", "D4 73 %"]
        ys = sorted(t.y for t in ends)
        assert all(b - a >= charts.LINE for a, b in itertools.pairwise(ys))


def test_it_spreads_labels_within_bounds():
    assert charts.spread([50, 51, 52], 0, 200, gap=10) == [50, 60, 70]
    assert charts.spread([195, 196], 0, 200, gap=10) == [190, 200]
    assert charts.spread([5, 100], 20, 200, gap=10) == [20, 100]
    assert charts.spread([], 0, 10) == []


def test_it_thins_labels_from_the_right_keeping_the_last():
    labels = [charts.Text(10 * i + 20, 100, ["label"]) for i in range(10)]
    kept = charts.thin(labels)
    assert kept[-1] is labels[-1]
    assert all(not a.box.overlaps(b.box) for a, b in itertools.pairwise(kept))
    assert len(kept) < len(labels)


def test_it_estimates_text_boxes_by_anchor():
    assert charts.Text(100, 50, ["abcd"], "start").box.x0 == 100
    assert charts.Text(100, 50, ["abcd"], "end").box.x1 == 100
    two = charts.Text(100, 50, ["a", "b"]).box
    assert two.y1 - two.y0 == pytest.approx(charts.FONT + charts.LINE)
