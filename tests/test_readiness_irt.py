"""The Rasch model: calibration, ability with decay, and the pass probability."""

from datetime import timedelta

import numpy as np
import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from scipy.special import expit

from exams.models import Attempt
from questions.models import Question
from readiness import irt
from readiness.forecast import bank_blueprint, cached_calibration, calibrate_exam, pass_forecast
from tests.factories import make_bank, make_exam
from tests.helpers import T0
from tests.readiness_factory import finished_sitting, options_of, right, wrong


def synthetic(seed=7, sittings=600, bank=40, per_sitting=30):
    rng = np.random.default_rng(seed)
    true_b = rng.normal(0, 1, bank)
    theta = rng.normal(0.5, 1, sittings)
    items = np.argsort(rng.random((sittings, bank)), axis=1)[:, :per_sitting]
    x = rng.random(items.shape) < expit(theta[:, None] - true_b[items])
    return true_b, np.repeat(np.arange(sittings), per_sitting), items.ravel(), x.ravel()


def test_it_recovers_difficulties_from_answers():
    true_b, sitting, item, x = synthetic()
    prior = np.round(true_b).clip(-1, 1)  # authors who are right about the direction
    cal = irt.calibrate(sitting, item, x, prior, min_answers=30)
    assert cal.calibrated.all()
    error = cal.difficulty - true_b
    assert np.sqrt((error**2).mean()) < 0.15
    assert abs(error.mean()) < 0.1
    assert 0.3 < cal.ability_mean < 0.7
    assert 0.8 < cal.ability_sd < 1.2


def test_it_keeps_the_author_rating_until_enough_answers():
    _, sitting, item, x = synthetic()
    counts = np.bincount(item)
    threshold = int(np.median(counts)) + 1
    prior = np.array([irt.prior_difficulty(r) for r in ["easy", "medium", "hard", ""] * 10])
    cal = irt.calibrate(sitting, item, x, prior, min_answers=threshold)
    few = counts < threshold
    assert few.any() and (~few).any()
    assert np.array_equal(cal.difficulty[few], prior[few])
    assert not np.allclose(cal.difficulty[~few], prior[~few])
    assert np.array_equal(cal.calibrated, ~few)
    assert cal.calibrated_count == int((~few).sum())


def test_it_maps_author_ratings_to_prior_logits():
    assert [irt.prior_difficulty(r) for r in ("easy", "medium", "hard", "")] == [-1, 0, 1, 0]


def test_it_halves_an_answers_weight_every_half_life():
    w = irt.decay_weights(np.array([0, 30, 60, -5]), half_life_days=30)
    assert w.tolist() == [1.0, 0.5, 0.25, 1.0]
    with pytest.raises(ValueError):
        irt.decay_weights(np.array([1.0]), 0)


def test_it_weights_recent_answers_more():
    """Forty wrong answers two months ago, forty right ones yesterday."""
    b = np.zeros(80)
    x = np.r_[np.zeros(40), np.ones(40)]
    age = np.r_[np.full(40, 60.0), np.full(40, 1.0)]
    person = np.zeros(80, dtype=np.intp)
    short, se_short = irt.estimate_abilities(person, b, x, irt.decay_weights(age, 10))
    long, se_long = irt.estimate_abilities(person, b, x, irt.decay_weights(age, 1000))
    flat, _ = irt.estimate_abilities(person, b, x)
    assert short[0] > 1.5 > long[0] > flat[0] - 0.01
    assert abs(flat[0]) < 0.01
    # Down-weighted answers carry less information: a wider standard error.
    assert se_short[0] > se_long[0]


def test_it_shrinks_a_short_record_toward_the_population():
    person = np.zeros(5, dtype=np.intp)
    theta, se = irt.estimate_abilities(person, np.zeros(5), np.ones(5), prior_mean=0.5)
    assert 0.5 < theta[0] < 2.5  # five right answers: stronger, not infinitely strong
    assert se[0] > 0.6


def test_it_sets_the_pass_mark_as_the_attempt_does():
    bp = irt.MockBlueprint.from_scale(65, 100, 1000, 720, np.zeros(3))
    attempt = Attempt(score_min=100, score_max=1000, passing_score=720, question_count=65)
    assert bp.needed == 45
    assert attempt.meets_pass_ratio(45, 65) and not attempt.meets_pass_ratio(44, 65)
    # An exact boundary: 50 of 100 maps to 550 on 100–1000.
    assert irt.MockBlueprint.from_scale(100, 100, 1000, 550, np.zeros(1)).needed == 50


def test_it_integrates_over_ability_and_the_number_correct():
    bp = irt.MockBlueprint.from_scale(65, 100, 1000, 720, np.linspace(-2, 2, 41))
    theta = np.array([-1.0, 1.0, 1.0, 1.0, 3.0])
    se = np.array([0.2, 0.05, 0.3, 1.0, 0.2])
    point, low, high = irt.pass_probability(theta, se, bp)
    assert point[0] < 0.01 and point[-1] > 0.99
    assert np.all((low <= point) & (point <= high))
    # At the same estimate, more uncertainty pulls the probability toward one half and
    # widens the interval.
    assert abs(point[1] - 0.5) > abs(point[2] - 0.5) > abs(point[3] - 0.5)
    assert (high - low)[1] < (high - low)[2] < (high - low)[3]
    # Check the point against a direct Monte Carlo of the same model.
    rng = np.random.default_rng(3)
    draws = rng.normal(1.0, 0.3, 20000)
    share = bp.expected_share(draws)
    passed = rng.binomial(65, share) >= 45
    assert point[2] == pytest.approx(passed.mean(), abs=0.015)


def test_it_weights_the_bank_as_the_blueprint_draws_it():
    easy_heavy = irt.MockBlueprint(10, 7, np.array([-2.0, 2.0]), np.array([0.9, 0.1]))
    hard_heavy = irt.MockBlueprint(10, 7, np.array([-2.0, 2.0]), np.array([0.1, 0.9]))
    assert easy_heavy.expected_share(np.array(0.0)) > 0.7 > hard_heavy.expected_share(0.0)


# Through the database.


@pytest.fixture
def bank(db):
    exam = make_exam(code="RASCH", question_count=20, passing_score=640, weights=(50, 50))
    make_bank(exam, per_objective=10, multiple_every=0)
    questions = list(Question.objects.for_exam(exam).select_related("objective__domain"))
    for i, q in enumerate(questions):
        q.difficulty = ("easy", "medium", "hard")[i % 3]
    Question.objects.bulk_update(questions, ["difficulty"])
    return exam, questions


def sit(user, exam, questions, skill: int, started):
    """Right on question i when i % 10 < skill (ten levels of strength)."""
    opts = options_of(questions)
    return finished_sitting(
        user,
        exam,
        questions,
        lambda i, q, o: right(q, o) if (i - 1) % 10 < skill else wrong(q, o),
        started=started,
        options=opts,
    )


def test_it_forecasts_from_a_candidates_finished_mocks(bank, django_assert_max_num_queries):
    exam, questions = bank
    strong = User.objects.create_user("strong")
    weak = User.objects.create_user("weak")
    for day in range(3):
        sit(strong, exam, questions, 9, T0 + timedelta(days=day))
        sit(weak, exam, questions, 4, T0 + timedelta(days=day))
    now = T0 + timedelta(days=10)
    calibration = calibrate_exam(exam, min_answers=30)
    assert calibration.calibrated_count == 0  # six answers each: all from the ratings
    with django_assert_max_num_queries(4):
        good = pass_forecast(strong, exam, now=now, calibration=calibration)
    bad = pass_forecast(weak, exam, now=now, calibration=calibration)
    assert good.probability > 0.9 > 0.1 > bad.probability
    assert good.low <= good.probability <= good.high
    assert (good.answers, good.sittings) == (60, 3)
    assert good.effective_answers < 60
    assert good.calibrated_share == 0.0
    assert good.based_on.startswith("Based on 60 answers in 3 finished mocks")
    assert pass_forecast(User.objects.create_user("new"), exam, now=now) is None


def test_it_calibrates_questions_once_they_have_enough_answers(bank):
    exam, questions = bank
    for n in range(6):
        sit(User.objects.create_user(f"u{n}"), exam, questions, 2 + n, T0 + timedelta(days=n))
    cal = calibrate_exam(exam, min_answers=6)
    assert cal.calibrated_count == len(questions)
    # Three questions the authors all rated easy: right for all six candidates, for four,
    # and for none.
    easy = [questions[0], questions[3], questions[9]]
    assert {q.difficulty for q in easy} == {"easy"}
    assert cal.of(easy[0].key) < cal.of(easy[1].key) < cal.of(easy[2].key)
    assert calibrate_exam(exam, min_answers=7).calibrated_count == 0
    bp = bank_blueprint(exam, cal)
    assert bp.question_count == 20 and bp.needed == 12
    assert len(bp.difficulties) == len(questions)
    # Each domain gives 10 of its 10 questions: every question is drawn once per mock.
    assert bp.weights.tolist() == [1.0] * 20


def test_it_gives_an_old_record_a_wider_band(bank):
    exam, questions = bank
    user = User.objects.create_user("lapsed")
    sit(user, exam, questions, 6, T0)
    cal = calibrate_exam(exam)
    soon = pass_forecast(user, exam, now=T0 + timedelta(days=1), calibration=cal)
    later = pass_forecast(user, exam, now=T0 + timedelta(days=120), calibration=cal)
    assert later.ability_se > soon.ability_se
    assert (later.high - later.low) > (soon.high - soon.low)


def test_it_recalibrates_only_when_another_attempt_finishes(bank, django_assert_num_queries):
    exam, questions = bank
    cache.clear()
    user = User.objects.create_user("cached")
    sit(user, exam, questions, 6, T0)
    first = cached_calibration(exam)
    with django_assert_num_queries(1):  # the stamp only
        assert cached_calibration(exam) is not first  # a copy from the cache
    assert cached_calibration(exam).keys == first.keys
    sit(user, exam, questions, 8, T0 + timedelta(days=1))
    with django_assert_num_queries(3):  # stamp, ratings, answers
        cached_calibration(exam)
    cache.clear()
