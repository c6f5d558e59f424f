import pytest
from django.core.exceptions import ValidationError

from questions.models import Objective, Question


@pytest.fixture
def objective(mls):
    return Objective.objects.get(domain__exam=mls, code="3.2")


def messages_of(excinfo):
    return [m for ms in excinfo.value.message_dict.values() for m in ms]


def opts(total, correct):
    return [(f"Option {i}", i < correct) for i in range(total)]


def test_it_accepts_a_single_answer_question(objective):
    assert Question(type="single").clean_options(opts(4, 1)) is None


def test_it_accepts_a_multiple_response_question(objective):
    assert Question(type="multiple").clean_options(opts(5, 2)) is None
    assert Question(type="multiple").clean_options(opts(6, 3)) is None


@pytest.mark.parametrize(
    ("type", "options", "message"),
    [
        ("single", opts(4, 2), "A single-answer question needs exactly one correct option (it has 2)."),
        ("single", opts(4, 0), "A single-answer question needs exactly one correct option (it has 0)."),
        ("single", opts(3, 1), "A single-answer question needs at least 4 options (it has 3)."),
        ("multiple", opts(5, 1), "A multiple-response question needs at least 2 correct options (it has 1)."),
        ("multiple", opts(4, 2), "A multiple-response question needs at least 5 options (it has 4)."),
        ("multiple", opts(5, 5), "A multiple-response question needs at least one wrong option."),
        ("single", [("A", True), ("A", False), ("B", False), ("C", False)], "Options must differ; repeated: A"),
        ("single", [("A", True), ("", False), ("B", False), ("C", False)], "Every option needs text."),
    ],
)  # fmt: skip
def test_it_rejects_options_that_break_a_rule(type, options, message):
    with pytest.raises(ValidationError) as excinfo:
        Question(type=type).clean_options(options)
    assert message in excinfo.value.message_dict["options"]


def test_it_requires_an_explanation_for_active_questions(objective):
    q = Question(key="k-1", objective=objective, stem="Why?", status=Question.Status.ACTIVE)
    with pytest.raises(ValidationError) as excinfo:
        q.full_clean()
    assert excinfo.value.message_dict["explanation"] == [
        "An active question needs an explanation."
    ]
    q.status = Question.Status.DRAFT
    q.full_clean()


def test_it_rejects_a_bad_key_and_bad_references(objective):
    q = Question(key="has space", objective=objective, stem="Why?", references=["not a url"])
    with pytest.raises(ValidationError) as excinfo:
        q.full_clean()
    errors = excinfo.value.message_dict
    assert "key" in errors
    assert errors["references"] == ["Not a URL: not a url"]


def test_it_rejects_an_empty_stem(objective):
    q = Question(key="k-2", objective=objective, stem="   ")
    with pytest.raises(ValidationError) as excinfo:
        q.full_clean()
    assert "stem" in excinfo.value.message_dict


def test_it_says_choose_k_from_the_data(objective):
    q = Question.objects.create(key="k-3", objective=objective, stem="s", type="multiple")
    for i in range(6):
        q.options.create(text=f"o{i}", is_correct=i < 3)
    assert q.choose() == 3


def test_option_minimums_are_the_exams_rules(db):
    from django.core.exceptions import ValidationError

    from tests.factories import make_exam

    course = make_exam(code="COURSE-1", question_count=10, weights=(100,))
    course.single_min_options = 3
    course.save()
    objective = course.domains.get().objectives.get()
    three = [("Yes", True), ("No", False), ("Maybe", False)]
    Question(type="single", objective=objective).clean_options(three)  # fine for this course
    aws = make_exam(code="AWS-1", question_count=10, weights=(100,))
    with pytest.raises(ValidationError, match="needs at least 4 options"):
        Question(type="single", objective=aws.domains.get().objectives.get()).clean_options(three)
