"""Proof by simulation: known abilities are recovered and pass probabilities are calibrated.

One seeded run of 6,000 synthetic candidates (a few seconds) backs the default suite; a
larger one runs with ``pytest -m slow --slow`` (make test-slow). The tolerances are the issue's: every decile of
predicted probability within ±7 points of the observed pass rate of a next mock, and a
Brier score better than "you will do what you did last time".
"""

from io import StringIO

import pytest
from django.core.management import call_command

from readiness.simulation import Config, simulate


@pytest.fixture(scope="module")
def run():
    return simulate(Config(candidates=6000))


def test_it_recovers_abilities(run):
    # One to three mocks of 65 questions: a standard error of about a quarter logit.
    assert run.rmse < 0.3
    assert abs(run.bias) < 0.1
    assert run.rmse == pytest.approx(run.mean_se, abs=0.05)


def test_it_recovers_difficulties(run):
    assert run.calibrated_items == run.config.bank
    assert run.difficulty_rmse < 0.15


def test_it_is_calibrated_within_seven_points_in_every_decile(run):
    assert len(run.deciles) == 10
    assert sum(d.candidates for d in run.deciles) == 6000
    for d in run.deciles:
        assert abs(d.observed - d.predicted) <= 0.07, d
    # The deciles span the range: the forecast separates candidates, not just the mean.
    assert run.deciles[0].predicted < 0.05 and run.deciles[-1].predicted > 0.95


def test_it_beats_the_last_mocks_verdict(run):
    assert run.brier < run.naive_brier - 0.03
    # And a forecast of the base rate for everyone (the best constant).
    assert run.brier < run.base_rate * (1 - run.base_rate)


def test_it_covers_the_true_chance_about_as_often_as_it_says(run):
    assert 0.75 <= run.interval_coverage <= 0.92


def test_it_prints_the_figures():
    out = StringIO()
    call_command("readiness_simulation", "--candidates", "1000", "--seed", "5", stdout=out)
    text = out.getvalue()
    assert "1000 candidates" in text and "seed 5" in text
    assert "Ability recovery: RMSE" in text
    assert text.count(" pts") == 10
    assert "Brier score: model" in text


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_it_stays_calibrated_on_a_large_run(seed):
    result = simulate(Config(candidates=20000, bank=600, seed=seed))
    assert result.rmse < 0.3 and abs(result.bias) < 0.08
    assert result.max_gap <= 0.04
    assert result.brier < result.naive_brier - 0.03
