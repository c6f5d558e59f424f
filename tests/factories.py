"""Objects for tests, built from data: exams of any shape and banks of any size."""

from questions.models import Domain, Exam, Objective, Option, Question


def make_exam(
    code="TEST-C02",
    question_count=65,
    duration_minutes=130,
    passing_score=720,
    weights=(28, 24, 24, 24),
) -> Exam:
    """An exam built from data alone, to show no MLS-C01 number is baked into the logic.

    By default shaped like the bundled MLA-C02 standard form (65 questions, 130 minutes,
    720 to pass, four domains at 28/24/24/24), with one objective per domain.
    """
    exam = Exam.objects.create(
        code=code,
        name=f"Exam {code}",
        question_count=question_count,
        duration_minutes=duration_minutes,
        passing_score=passing_score,
    )
    for number, weight in enumerate(weights, start=1):
        domain = Domain.objects.create(
            exam=exam, number=number, name=f"Domain {number}", weight=weight
        )
        Objective.objects.create(domain=domain, code=f"{number}.1", title=f"Objective {number}.1")
    return exam


def make_bank(
    exam: Exam, per_objective: int, multiple_every: int = 4, start: int = 0
) -> list[Question]:
    """``per_objective`` active questions on every objective of ``exam``, numbered from
    ``start`` (so a bank can be grown by a second call).

    Every ``multiple_every``-th question is multiple-response (2 correct of 5).
    """
    questions = []
    for objective in Objective.objects.filter(domain__exam=exam):
        for i in range(start, start + per_objective):
            multiple = multiple_every and i % multiple_every == multiple_every - 1
            questions.append(
                Question(
                    key=f"{exam.code}-{objective.code}-{i:05d}".lower(),
                    objective=objective,
                    type="multiple" if multiple else "single",
                    stem=f"Stem of question {i} on objective {objective.code}?",
                    explanation=f"EXPLANATION-{objective.code}-{i}: why the answer is right.",
                    references=["https://docs.aws.amazon.com/sagemaker/latest/dg/whatis.html"],
                    status=Question.Status.ACTIVE,
                )
            )
    Question.objects.bulk_create(questions, batch_size=2000)
    questions = list(Question.objects.filter(pk__in=[q.pk for q in questions]))
    options = []
    for q in questions:
        n, correct = (5, {0, 1}) if q.type == "multiple" else (4, {0})
        options += [
            Option(question=q, text=f"{q.key} option {j}", is_correct=j in correct, order=j)
            for j in range(n)
        ]
    Option.objects.bulk_create(options, batch_size=5000)
    return questions
