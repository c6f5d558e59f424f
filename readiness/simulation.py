"""Proof that the pass probability means what it says, on candidates whose truth is known.

Synthetic candidates of known ability sit mocks drawn from a synthetic bank of known
difficulties; authors rate the questions easy/medium/hard with some error. The site's
own pipeline (readiness.irt: calibrate, estimate abilities, pass probability) then sees
only what the site would see (answers, ratings, dates), and its figures are compared
with the truth:

* ability recovery: RMSE and bias of the estimate against the true ability;
* calibration: candidates sorted into ten equal groups by predicted probability; in each,
  the share who pass a freshly simulated next mock against the mean prediction;
* Brier score (mean squared error of a probability against the 0/1 outcome) against the
  naive forecast "you will do what you did last time" (1 if the last mock passed, else 0).

Everything is drawn from one seeded generator, so a run is reproducible to the digit.
"""

from dataclasses import dataclass, field

import numpy as np
from scipy.special import expit

from readiness import irt


@dataclass(frozen=True)
class Config:
    candidates: int = 4000
    bank: int = 300
    question_count: int = 65
    score_min: int = 100
    score_max: int = 1000
    passing_score: int = 720
    # Abilities ~ Normal(mean, sd); difficulties ~ Normal(0, 1) logits.
    ability_mean: float = 1.0
    ability_sd: float = 1.0
    # Each candidate has sat between 1 and max_sittings mocks, days_between apart.
    max_sittings: int = 3
    days_between: float = 7.0
    # Ability gained per day of practice (0: abilities stay put).
    growth_per_day: float = 0.0
    # The author's rating is the true difficulty plus Normal(0, rating_noise), cut at ±0.5.
    rating_noise: float = 0.5
    min_answers: int = 30
    half_life_days: float = 30.0
    level: float = 0.8
    seed: int = 20261121


@dataclass(frozen=True)
class Decile:
    low: float  # smallest prediction in the group
    high: float  # largest
    candidates: int
    predicted: float  # mean prediction
    observed: float  # share who passed the next mock

    @property
    def gap(self) -> float:
        return self.observed - self.predicted


@dataclass
class Result:
    config: Config
    rmse: float
    bias: float
    difficulty_rmse: float
    calibrated_items: int
    mean_se: float
    deciles: list[Decile] = field(default_factory=list)
    brier: float = 0.0
    naive_brier: float = 0.0
    base_rate: float = 0.0
    interval_coverage: float = 0.0  # share of true P(pass | θ) inside the interval

    @property
    def max_gap(self) -> float:
        return max(abs(d.gap) for d in self.deciles)

    def table(self) -> list[str]:
        """The figures as lines of text, for the management command."""
        c = self.config
        lines = [
            f"{c.candidates} candidates, bank of {c.bank}, mocks of {c.question_count} "
            f"(pass {c.passing_score} on {c.score_min}–{c.score_max}), seed {c.seed}",
            f"Ability recovery: RMSE {self.rmse:.3f} logits, bias {self.bias:+.3f}, "
            f"mean SE {self.mean_se:.3f}",
            f"Difficulty recovery: RMSE {self.difficulty_rmse:.3f} logits "
            f"({self.calibrated_items} of {c.bank} calibrated from answers)",
            "",
            "Decile  predicted range   n     mean predicted  observed  gap",
        ]
        for i, d in enumerate(self.deciles, start=1):
            lines.append(
                f"{i:>6}  {d.low:5.3f}–{d.high:5.3f}  {d.candidates:>5}  "
                f"{d.predicted:14.3f}  {d.observed:8.3f}  {100 * d.gap:+5.1f} pts"
            )
        lines += [
            "",
            f"Largest calibration gap: {100 * self.max_gap:.1f} points",
            f"Brier score: model {self.brier:.4f}, naive (last mock's pass/fail) "
            f"{self.naive_brier:.4f}, base rate {self.base_rate:.3f}",
            f"True P(pass) inside the {round(100 * c.level)} % interval: "
            f"{100 * self.interval_coverage:.1f} %",
        ]
        return lines


def _draw(rng: np.random.Generator, rows: int, bank: int, count: int) -> np.ndarray:
    """``rows`` independent draws of ``count`` distinct questions from ``bank``."""
    return np.argsort(rng.random((rows, bank)), axis=1)[:, :count]


def simulate(config: Config | None = None) -> Result:
    c = config or Config()
    rng = np.random.default_rng(c.seed)
    span, above = c.score_max - c.score_min, c.passing_score - c.score_min

    true_b = rng.normal(0.0, 1.0, c.bank)
    seen_b = true_b + rng.normal(0.0, c.rating_noise, c.bank)
    ratings = np.where(seen_b < -0.5, "easy", np.where(seen_b > 0.5, "hard", "medium"))
    prior = np.array([irt.prior_difficulty(r) for r in ratings])

    start_theta = rng.normal(c.ability_mean, c.ability_sd, c.candidates)
    sittings = rng.integers(1, c.max_sittings + 1, c.candidates)
    # Sitting j (0-based) of a candidate with s sittings happens (s − j) gaps before "now";
    # the next mock happens one gap after the last one.
    owner = np.repeat(np.arange(c.candidates), sittings)
    order = np.concatenate([np.arange(s) for s in sittings])
    age_days = (sittings[owner] - order) * c.days_between
    now_theta = start_theta + c.growth_per_day * sittings * c.days_between
    sitting_theta = now_theta[owner] - c.growth_per_day * age_days
    next_theta = now_theta + c.growth_per_day * c.days_between

    n_sittings, n = len(owner), c.question_count
    drawn = _draw(rng, n_sittings, c.bank, n)
    p = expit(sitting_theta[:, None] - true_b[drawn])
    right = rng.random(p.shape) < p
    sitting_idx = np.repeat(np.arange(n_sittings), n)
    item_idx = drawn.ravel()
    x = right.ravel()

    # What the site sees: answers, ratings and dates. Nothing "true" goes past this line.
    cal = irt.calibrate(sitting_idx, item_idx, x, prior, min_answers=c.min_answers)
    weight = irt.decay_weights(np.repeat(age_days, n), c.half_life_days)
    theta, se = irt.estimate_abilities(
        owner[sitting_idx],
        cal.difficulty[item_idx],
        x,
        weight,
        persons=c.candidates,
        prior_mean=cal.ability_mean,
        prior_sd=cal.ability_sd,
    )
    blueprint = irt.MockBlueprint.from_scale(
        n, c.score_min, c.score_max, c.passing_score, cal.difficulty
    )
    predicted, low, high = irt.pass_probability(theta, se, blueprint, c.level)

    # The truth: the next mock, and the naive forecast from the last one.
    next_items = _draw(rng, c.candidates, c.bank, n)
    next_right = rng.random((c.candidates, n)) < expit(next_theta[:, None] - true_b[next_items])
    passed = next_right.sum(axis=1) * span >= n * above
    last = np.flatnonzero(np.r_[order[1:] == 0, True])  # each candidate's last sitting
    naive = right[last].sum(axis=1) * span >= n * above
    true_curve = irt.MockBlueprint.from_scale(
        n, c.score_min, c.score_max, c.passing_score, true_b
    ).pass_curve()
    true_p = np.interp(next_theta, *true_curve)

    deciles = []
    for group in np.array_split(np.argsort(predicted, kind="stable"), 10):
        deciles.append(
            Decile(
                float(predicted[group].min()),
                float(predicted[group].max()),
                len(group),
                float(predicted[group].mean()),
                float(passed[group].mean()),
            )
        )
    error = theta - now_theta
    free = cal.calibrated
    return Result(
        config=c,
        rmse=float(np.sqrt((error**2).mean())),
        bias=float(error.mean()),
        difficulty_rmse=float(np.sqrt(((cal.difficulty - true_b)[free] ** 2).mean()))
        if free.any()
        else float("nan"),
        calibrated_items=int(free.sum()),
        mean_se=float(se.mean()),
        deciles=deciles,
        brier=float(((predicted - passed) ** 2).mean()),
        naive_brier=float(((naive.astype(float) - passed) ** 2).mean()),
        base_rate=float(passed.mean()),
        interval_coverage=float(((true_p >= low - 1e-9) & (true_p <= high + 1e-9)).mean()),
    )
