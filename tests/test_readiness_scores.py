"""Score ranges: how far another draw of questions could move a score."""

import pytest
import time_machine
from scipy.stats import binom

from exams import services
from exams.models import Attempt
from readiness.forecast import attempt_score_range
from readiness.scores import DomainCount, Scale, score_range, wilson
from tests.helpers import T0

MLS = Scale(score_min=100, score_max=1000, passing_score=750, question_count=65)


def test_it_matches_the_wilson_interval_at_a_textbook_value():
    # 95 % Wilson interval for 8 of 10: 0.4902 to 0.9433 (Newcombe 1998, Table I style).
    lo, hi = wilson(8, 10, level=0.95)
    assert (round(lo, 4), round(hi, 4)) == (0.4902, 0.9433)


@pytest.mark.parametrize("p", [0.3, 0.5, 0.7, 0.9])
def test_it_covers_the_true_share_about_eight_times_in_ten(p):
    """Exact coverage: sum the binomial probability of every outcome whose interval holds p."""
    n = 65
    covered = sum(
        binom.pmf(k, n, p) for k in range(n + 1) if wilson(k, n)[0] <= p <= wilson(k, n)[1]
    )
    assert 0.75 <= covered <= 0.86


def test_it_keeps_the_interval_inside_zero_and_one_at_the_edges():
    assert wilson(0, 20)[0] == 0.0
    assert wilson(20, 20)[1] == 1.0
    assert wilson(0, 0) == (0.0, 1.0)
    assert 0 < wilson(0, 20)[1] < 0.1


def test_it_puts_the_stored_score_inside_its_range():
    r = score_range([(1, 13, 9), (2, 17, 12), (3, 23, 16), (4, 12, 8)], MLS)
    # 45 of 65 correct: 100 + 900 × 45/65 = 723.08, so 723, as the attempt stores it.
    assert r.scaled == 723
    assert r.low < 723 < r.high
    # Wilson at 80 %: 0.6150 to 0.7602 of 65, so 653 to 784 on the scale.
    assert (r.low, r.high) == (653, 784)
    assert r.straddles and not r.clearly_passes and not r.clearly_fails


def test_it_gives_domains_wider_ranges_than_the_whole():
    r = score_range([DomainCount(1, 13, 9), DomainCount(2, 52, 36)], MLS)
    whole = 100 * (r.high - r.low) / (MLS.score_max - MLS.score_min)
    assert [d.number for d in r.domains] == [1, 2]
    small, large = r.domains
    assert small.width > large.width > whole
    assert small.low_percent <= small.percent <= small.high_percent
    assert small.percent == 69


def test_it_says_in_one_sentence_what_the_range_means():
    straddling = score_range([(1, 65, 45)], MLS)
    assert straddling.explanation == (
        "On a different draw of 65 questions your score would, 8 times in 10, have fallen "
        "between 653 and 784; the passing score of 750 lies inside it, so this sitting "
        "alone does not settle whether you would pass."
    )
    strong = score_range([(1, 65, 62)], MLS)
    assert strong.clearly_passes
    assert strong.explanation.endswith("at or above the passing score of 750.")
    weak = score_range([(1, 65, 30)], MLS)
    assert weak.clearly_fails
    assert weak.explanation.endswith("below the passing score of 750.")
    assert weak.explanation.count(".") == 1


def test_it_narrows_as_the_exam_lengthens():
    short = score_range([(1, 20, 14)], Scale(100, 1000, 720, 20))
    long = score_range([(1, 200, 140)], Scale(100, 1000, 720, 200))
    assert short.scaled == long.scaled == 730
    assert (short.high - short.low) > 2.5 * (long.high - long.low)


def test_it_agrees_with_the_attempt_on_passing():
    attempt = Attempt(score_min=100, score_max=1000, passing_score=720, question_count=65)
    scale = Scale.of(attempt)
    for correct in range(66):
        assert scale.passes(correct, 65) == attempt.meets_pass_ratio(correct, 65)


def test_it_refuses_more_correct_than_asked():
    with pytest.raises(ValueError):
        score_range([(1, 10, 11)], Scale(100, 1000, 720, 10))


def test_it_reads_a_finished_attempt_in_one_query(attempt, django_assert_max_num_queries):
    with time_machine.travel(T0, tick=False):
        finished = services.finish_attempt(attempt, Attempt.FinishReason.SUBMITTED)
    with django_assert_max_num_queries(1):
        r = attempt_score_range(finished)
    assert r.scaled == finished.scaled_score
    assert sum(d.asked for d in r.domains) == finished.question_count
    assert r.low <= r.scaled <= r.high
