import pytest

from exams import services
from questions.blueprint import gate_positions, largest_remainder, scaled_score
from questions.blueprint_files import load_blueprints
from questions.models import Domain, Exam, Objective
from tests.factories import make_bank, make_exam
from tests.helpers import ROOT


def test_it_splits_65_by_20_24_36_20():
    assert largest_remainder(65, [20, 24, 36, 20]) == [13, 16, 23, 13]


@pytest.mark.parametrize(
    ("total", "weights", "expected"),
    [
        (130, [20, 24, 36, 20], [26, 31, 47, 26]),
        (10, [1, 1, 1], [4, 3, 3]),  # a tie goes to the earlier domain
        (7, [50, 50], [4, 3]),
        (65, [28, 26, 46], [18, 17, 30]),
        (1, [20, 24, 36, 20], [0, 0, 1, 0]),
        (0, [3, 4], [0, 0]),
        (100, [1, 2, 3], [17, 33, 50]),
    ],
)
def test_it_splits_uneven_totals_by_largest_remainder(total, weights, expected):
    counts = largest_remainder(total, weights)
    assert counts == expected
    assert sum(counts) == total


def test_it_rejects_weights_that_are_all_zero():
    with pytest.raises(ValueError):
        largest_remainder(10, [0, 0])


def test_it_places_gates_every_third_of_the_questions():
    assert gate_positions(65, 3) == [22, 44]
    assert gate_positions(130, 3) == [44, 88]
    assert gate_positions(50, 2) == [25]


def test_it_scales_scores_half_up():
    assert scaled_score(0, 65, 100, 1000) == 100
    assert scaled_score(65, 65, 100, 1000) == 1000
    assert scaled_score(46, 65, 100, 1000) == 737
    assert scaled_score(47, 65, 100, 1000) == 751
    assert scaled_score(1, 2, 0, 1) == 1  # exactly .5 rounds up


def test_it_loads_the_mls_c01_blueprint(mls):
    assert (mls.question_count, mls.duration_minutes, mls.passing_score) == (65, 180, 750)
    assert (mls.score_min, mls.score_max) == (100, 1000)
    domains = list(mls.domains.all())
    assert [d.weight for d in domains] == [20, 24, 36, 20]
    assert list(mls.domain_counts().values()) == [13, 16, 23, 13]
    codes = list(Objective.objects.filter(domain__exam=mls).values_list("code", flat=True))
    assert codes == ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "3.1", "3.2", "3.3", "3.4",
                     "3.5", "4.1", "4.2", "4.3", "4.4"]  # fmt: skip


def test_it_loads_idempotently_and_keeps_admin_edits(mls):
    Domain.objects.filter(exam=mls, number=1).update(name="Edited in the admin")
    load_blueprints([ROOT / "fixtures" / "blueprints"])
    report = load_blueprints([ROOT / "fixtures" / "blueprints"])
    assert report == ["MLA-C02: loaded, 0 new row(s)", "MLS-C01: loaded, 0 new row(s)",
                      "MLA-C02-BETA: loaded, 0 new row(s)", "MLS-C01-HALF: loaded, 0 new row(s)"]  # fmt: skip
    assert Exam.objects.count() == 4
    assert Domain.objects.filter(exam=mls).count() == 4
    assert Objective.objects.filter(domain__exam=mls).count() == 15
    assert Domain.objects.get(exam=mls, number=1).name == "Edited in the admin"


def test_it_overwrites_with_update(mls):
    Domain.objects.filter(exam=mls, number=1).update(name="Edited in the admin")
    load_blueprints([ROOT / "fixtures" / "blueprints"], update=True)
    assert Domain.objects.get(exam=mls, number=1).name == "Data Engineering"
    assert Objective.objects.filter(domain__exam=mls).count() == 15


def test_it_runs_a_second_exam_from_data_alone(alice):
    exam = make_exam(question_count=130, duration_minutes=130, passing_score=720)
    make_bank(exam, per_objective=70)
    assert list(exam.domain_counts().values()) == [37, 31, 31, 31]
    assert exam.gate_positions() == [44, 88]

    attempt, created = services.start_attempt(alice, exam)
    assert created
    assert attempt.items.count() == 130
    assert attempt.duration.total_seconds() == 130 * 60
    assert [attempt.gate_target(g).total_seconds() / 60 for g in (44, 88)] == [
        pytest.approx(130 / 3),
        pytest.approx(260 / 3),
    ]
    attempt.items.update(selected=[])
    done = services.finish_attempt(attempt, attempt.FinishReason.SUBMITTED)
    assert done.scaled_score == 100
    assert done.passed is False
    assert attempt.scaled(90) == 723  # 100 + 900 × 90/130 = 723.08
    assert attempt.scaled(89) == 716
