"""A Rasch (one-parameter logistic) model of who answers what correctly.

P(correct) = 1 / (1 + exp(−(θ − b))): a candidate of ability θ facing a question of
difficulty b, both in logits. One parameter per question is all a practice bank can
support: discrimination and guessing parameters need far more answers per question than
a self-hosted installation collects, and with them the estimates wander.

Three steps, all on plain numpy arrays so that the simulation in readiness.simulation
exercises exactly the code the site runs:

1. ``calibrate``: every question's difficulty, from all candidates' answers once it has
   ``min_answers`` of them, and from its author's easy/medium/hard rating until then.
   Each sitting gets its own ability here, since candidates improve between sittings.
2. ``estimate_abilities``: a candidate's ability as the posterior mode (MAP) under a
   normal prior, the population's spread, with older answers down-weighted by an
   exponential decay, and its standard error from the weighted information.
3. ``pass_probability``: the chance of passing a fresh mock of a blueprint, integrating
   over the uncertainty in ability and over the binomial number correct.

The optimisations go through scipy's L-BFGS-B with analytic gradients; the problems are
convex (a sum of logistic losses plus quadratic priors), so the mode is unique.
"""

from dataclasses import dataclass, field
from math import ceil

import numpy as np
from numpy.polynomial.hermite_e import hermegauss
from scipy.optimize import Bounds, minimize
from scipy.special import expit
from scipy.stats import binom

from readiness.scores import z_for

# The author's rating as a prior difficulty, in logits. ±1 logit is the gap between a
# question two candidates in three get right and one only about two in five do.
PRIOR_LOGITS = {"easy": -1.0, "medium": 0.0, "hard": 1.0}
UNRATED_LOGITS = 0.0
# How far a calibrated difficulty may stray from the author's rating before the data must
# insist: one logit. With 30+ answers the data outweighs it several times over.
DIFFICULTY_PRIOR_SD = 1.0
# Sittings' abilities during calibration: a weak prior, there only to keep a perfect or
# empty sitting finite.
CALIBRATION_ABILITY_SD = 2.0
# Used for a candidate's ability when no population has been calibrated yet.
DEFAULT_ABILITY = (0.0, 1.0)
# Abilities beyond ±6 logits mean "always right" or "always wrong" for any real question.
BOUND = 6.0
GRID = np.linspace(-BOUND - 4, BOUND + 4, 801)


def prior_difficulty(rating: str) -> float:
    return PRIOR_LOGITS.get(rating, UNRATED_LOGITS)


def decay_weights(age_days: np.ndarray, half_life_days: float) -> np.ndarray:
    """Each answer's weight: 1 today, ½ after one half-life, ¼ after two.

    Candidates learn; an answer from two months ago says less about today's ability than
    one from yesterday. A future timestamp (clock skew) counts as today.
    """
    if half_life_days <= 0:
        raise ValueError("half_life_days must be positive")
    age = np.clip(np.asarray(age_days, dtype=float), 0, None)
    return np.power(0.5, age / half_life_days)


@dataclass
class Calibration:
    """Every question's difficulty, and the population of abilities behind them."""

    keys: list[str]
    difficulty: np.ndarray  # logits, one per key
    answers: np.ndarray  # how many answers each difficulty rests on
    calibrated: np.ndarray  # bool: from answers (True) or from the author's rating
    ability_mean: float = DEFAULT_ABILITY[0]
    ability_sd: float = DEFAULT_ABILITY[1]
    min_answers: int = 30
    index: dict[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.index = {k: i for i, k in enumerate(self.keys)}

    def of(self, key: str, rating: str = "") -> float:
        """The difficulty of ``key``; the rating's prior for a question never answered."""
        i = self.index.get(key)
        return float(self.difficulty[i]) if i is not None else prior_difficulty(rating)

    @property
    def calibrated_count(self) -> int:
        return int(self.calibrated.sum())


def _check(person: np.ndarray, item: np.ndarray, correct: np.ndarray) -> None:
    if not len(person) == len(item) == len(correct):
        raise ValueError("person, item and correct must have the same length")


def calibrate(
    sitting: np.ndarray,
    item: np.ndarray,
    correct: np.ndarray,
    prior: np.ndarray,
    *,
    min_answers: int = 30,
    keys: list[str] | None = None,
) -> Calibration:
    """Difficulties by joint posterior mode over sittings' abilities and questions.

    ``sitting`` and ``item`` index each answer (0..S−1, 0..K−1), ``correct`` is 0/1 and
    ``prior`` holds each question's rating in logits. Questions with fewer than
    ``min_answers`` answers keep their prior exactly: a difficulty from a dozen answers is
    mostly noise, and it would move every candidate's forecast with it. Calibrated ones
    keep a normal prior around their rating, which also pins the scale's origin to the
    authors' "medium" (the Rasch model alone fixes only differences θ − b).

    With 60+ answers per sitting the joint estimate's known bias (of order 1/answers per
    sitting) is a point or two in a percent and not worth marginal maximum likelihood.
    """
    sitting = np.asarray(sitting, dtype=np.intp)
    item = np.asarray(item, dtype=np.intp)
    x = np.asarray(correct, dtype=float)
    prior = np.asarray(prior, dtype=float)
    _check(sitting, item, x)
    k = len(prior)
    keys = keys if keys is not None else [str(i) for i in range(k)]
    answers = np.bincount(item, minlength=k)
    free = answers >= min_answers
    if not len(x) or not free.any():
        return Calibration(keys, prior.copy(), answers, free, min_answers=min_answers)
    s = int(sitting.max()) + 1
    free_idx = np.flatnonzero(free)
    slot = np.full(k, -1)
    slot[free_idx] = np.arange(len(free_idx))
    f = len(free_idx)
    tau2, sb2 = CALIBRATION_ABILITY_SD**2, DIFFICULTY_PRIOR_SD**2
    right_s = np.bincount(sitting, x, s)
    right_i = np.bincount(item, x, k)[free_idx]
    fixed_b = prior.copy()
    fixed_b[free_idx] = 0.0
    # The linear part of the log-likelihood, Σ x·(θ − b), needs only the counts of right
    # answers per sitting and per question (sufficient statistics); the fixed questions'
    # share of it is constant.
    # Parameters are optimised on a scale where the curvature is about one (diagonal
    # preconditioning): a question with 2,000 answers is otherwise 30 times stiffer than
    # a sitting with 65, and L-BFGS-B crawls.
    scale = 1 / np.sqrt(
        np.concatenate([np.bincount(sitting, minlength=s) / 4 + 1 / tau2, answers[free_idx] / 4])
        + 1 / sb2
    )
    scale = np.append(scale, 1 / np.sqrt(s / tau2))
    start = np.concatenate(
        [np.log((right_s + 0.5) / (np.bincount(sitting, 1 - x, s) + 0.5)), prior[free_idx], [0.0]]
    )

    def objective(u: np.ndarray) -> tuple[float, np.ndarray]:
        params = u * scale
        theta, bf, mu = params[:s], params[s : s + f], params[-1]
        b = fixed_b.copy()
        b[free_idx] = bf
        eta = theta[sitting] - b[item]
        loss = np.logaddexp(0.0, eta).sum() - theta @ right_s + bf @ right_i
        loss += ((theta - mu) ** 2).sum() / (2 * tau2)
        loss += ((bf - prior[free_idx]) ** 2).sum() / (2 * sb2)
        p = expit(eta)
        grad = np.empty_like(params)
        grad[:s] = np.bincount(sitting, p, s) - right_s + (theta - mu) / tau2
        grad[s : s + f] = (
            right_i - np.bincount(item, p, k)[free_idx] + (bf - prior[free_idx]) / sb2
        )
        grad[-1] = -(theta - mu).sum() / tau2
        return float(loss), grad * scale

    limit = np.array([BOUND + 4] * (s + f) + [BOUND]) / scale
    fit = minimize(
        objective, start / scale, jac=True, method="L-BFGS-B", bounds=Bounds(-limit, limit)
    )
    fit.x = fit.x * scale
    theta = fit.x[:s]
    difficulty = prior.copy()
    difficulty[free_idx] = fit.x[s : s + f]
    # The population's spread, net of each sitting's own measurement error (a moment
    # estimate), is the prior for a candidate's ability.
    p = expit(theta[sitting] - difficulty[item])
    info = np.bincount(sitting, p * (1 - p), s) + 1 / tau2
    spread = max(float(theta.var()) - float((1 / info).mean()), 0.25**2)
    return Calibration(
        keys,
        difficulty,
        answers,
        free,
        ability_mean=float(theta.mean()),
        ability_sd=float(np.sqrt(spread)),
        min_answers=min_answers,
    )


def estimate_abilities(
    person: np.ndarray,
    difficulty: np.ndarray,
    correct: np.ndarray,
    weight: np.ndarray | None = None,
    *,
    persons: int | None = None,
    prior_mean: float = DEFAULT_ABILITY[0],
    prior_sd: float = DEFAULT_ABILITY[1],
) -> tuple[np.ndarray, np.ndarray]:
    """Each person's ability (MAP) and standard error, from weighted answers.

    ``person`` indexes each answer, ``difficulty`` is the question's b for that answer
    and ``weight`` its decay weight. The weighted log-likelihood plus a normal prior is
    maximised for all persons at once (the problem is separable, so one L-BFGS-B run on
    the sum is as good as one per person, and far faster). The standard error is
    1/√(Σ w·p(1−p) + 1/σ²): old answers carry less information, so a candidate who has
    not practised for months gets a wider band, not a stale certainty.
    """
    person = np.asarray(person, dtype=np.intp)
    b = np.asarray(difficulty, dtype=float)
    x = np.asarray(correct, dtype=float)
    _check(person, b, x)
    w = np.ones_like(x) if weight is None else np.asarray(weight, dtype=float)
    n = persons if persons is not None else (int(person.max()) + 1 if len(person) else 0)
    prec = 1 / prior_sd**2
    right = np.bincount(person, w * x, n)
    # Preconditioned as in ``calibrate``: each person's curvature scaled to about one.
    scale = 1 / np.sqrt(np.bincount(person, w, n) / 4 + prec)

    def objective(u: np.ndarray) -> tuple[float, np.ndarray]:
        theta = u * scale
        eta = theta[person] - b
        loss = w @ np.logaddexp(0.0, eta) - theta @ right + w @ (b * x)
        loss += prec * ((theta - prior_mean) ** 2).sum() / 2
        grad = np.bincount(person, w * expit(eta), n) - right + prec * (theta - prior_mean)
        return float(loss), grad * scale

    start = np.full(n, prior_mean)
    if n and len(x):
        limit = BOUND / scale
        fit = minimize(
            objective, start / scale, jac=True, method="L-BFGS-B", bounds=Bounds(-limit, limit)
        )
        theta = fit.x * scale
    else:
        theta = start
    p = expit(theta[person] - b)
    info = np.bincount(person, w * p * (1 - p), n) + prec
    return theta, 1 / np.sqrt(info)


@dataclass(frozen=True)
class MockBlueprint:
    """A fresh mock: how many questions, how many to pass, which bank it draws from.

    ``weights`` is each bank question's chance of being drawn (by default equal); pass the
    domain's share divided by its bank size to follow a blueprint's domain weights.
    """

    question_count: int
    needed: int
    difficulties: np.ndarray
    weights: np.ndarray | None = None

    @classmethod
    def from_scale(
        cls,
        question_count: int,
        score_min: int,
        score_max: int,
        passing_score: int,
        difficulties: np.ndarray,
        weights: np.ndarray | None = None,
    ) -> "MockBlueprint":
        """The pass mark as a number correct, exactly as Attempt.meets_pass_ratio has it."""
        span, above = score_max - score_min, passing_score - score_min
        needed = ceil(question_count * above / span) if above > 0 else 0
        # Integer check of the float ceiling, so 45.000000001 cannot become 46.
        while needed > 0 and (needed - 1) * span >= question_count * above:
            needed -= 1
        while needed * span < question_count * above:
            needed += 1
        return cls(question_count, needed, np.asarray(difficulties, dtype=float), weights)

    def expected_share(self, theta: np.ndarray) -> np.ndarray:
        """The chance of getting a randomly drawn question right, at each ability."""
        theta = np.asarray(theta, dtype=float)
        p = expit(theta[..., None] - self.difficulties)
        if self.weights is None:
            return p.mean(axis=-1)
        w = np.asarray(self.weights, dtype=float)
        return p @ (w / w.sum())

    def pass_curve(self) -> tuple[np.ndarray, np.ndarray]:
        """P(pass | θ) on a fine grid of abilities, for interpolation.

        Given θ, each drawn question is right with the bank-average chance, independently
        of the others, so the number correct is binomial(question_count, that chance).
        """
        share = self.expected_share(GRID)
        return GRID, binom.sf(self.needed - 1, self.question_count, share)


def pass_probability(
    theta: np.ndarray,
    se: np.ndarray,
    blueprint: MockBlueprint,
    level: float = 0.8,
    nodes: int = 41,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The chance of passing a fresh mock, with an interval, for each (θ, SE) pair.

    The point value integrates P(pass | θ) over θ ~ Normal(estimate, SE²) by Gauss–Hermite
    quadrature: a candidate whose estimate sits right at the pass line but is uncertain
    gets about one half, not a confident yes or no. The interval is P(pass | θ) at the
    ends of the ability's own ``level`` interval; P(pass | θ) rises with θ, so those are
    the probability's ends too. It says how much the forecast could change as the
    ability estimate firms up, not how often the candidate would pass.
    """
    theta = np.atleast_1d(np.asarray(theta, dtype=float))
    se = np.atleast_1d(np.asarray(se, dtype=float))
    grid, curve = blueprint.pass_curve()
    x, w = hermegauss(nodes)
    w = w / w.sum()
    at = theta[:, None] + se[:, None] * x[None, :]
    point = np.interp(at, grid, curve) @ w
    z = z_for(level)
    low = np.interp(theta - z * se, grid, curve)
    high = np.interp(theta + z * se, grid, curve)
    # The integral includes the tails beyond the interval's ends, so on a steep curve it can
    # fall outside them; the point is the calibrated figure, so the interval gives way.
    return point, np.minimum(low, point), np.maximum(high, point)
