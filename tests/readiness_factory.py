"""Finished attempts built row by row, with chosen answers, for the readiness tests.

services.start_attempt draws questions at random; these tests need to say exactly who
answered what, so they write the frozen rows themselves, as finish_attempt leaves them.
"""

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from exams.models import Attempt, AttemptItem
from questions.models import Exam, Option, Question


def options_of(questions: Sequence[Question]) -> dict[int, list[Option]]:
    found: dict[int, list[Option]] = defaultdict(list)
    for o in Option.objects.filter(question__in=questions).order_by("question_id", "order"):
        found[o.question_id].append(o)
    return found


def finished_sitting(
    user,
    exam: Exam,
    questions: Sequence[Question],
    choose: Callable[[int, Question, list[Option]], list[int]],
    *,
    started: datetime,
    seconds: Callable[[int, Question], float] = lambda i, q: 60.0,
    options: dict[int, list[Option]] | None = None,
) -> Attempt:
    """A finished attempt of ``user`` on ``questions`` in that order.

    ``choose(position, question, options)`` returns the chosen option ids; the item is
    graded as the site grades it. Each question is first seen a minute after the previous
    one and answered ``seconds(position, question)`` later.
    """
    options = options if options is not None else options_of(questions)
    attempt = Attempt.objects.create(
        user=user,
        exam=exam,
        bank=exam.bank,
        status=Attempt.Status.FINISHED,
        started=started,
        begun=started,
        deadline=started + timedelta(minutes=exam.duration_minutes),
        finished=started + timedelta(minutes=len(questions) + 1),
        finish_reason=Attempt.FinishReason.SUBMITTED,
        question_count=len(questions),
        score_min=exam.score_min,
        score_max=exam.score_max,
        passing_score=exam.passing_score,
        pacing_segments=exam.pacing_segments,
    )
    items = []
    for position, q in enumerate(questions, start=1):
        opts = options[q.pk]
        selected = choose(position, q, opts)
        first_seen = started + timedelta(minutes=position)
        item = AttemptItem(
            attempt=attempt,
            position=position,
            question=q,
            question_key=q.key,
            domain_number=q.objective.domain.number,
            domain_name=q.objective.domain.name,
            domain_weight=q.objective.domain.weight,
            objective_code=q.objective.code,
            objective_title=q.objective.title,
            type=q.type,
            stem=q.stem,
            options=[{"id": o.id, "text": o.text, "correct": o.is_correct} for o in opts],
            selected=selected,
            first_seen=first_seen,
            answered=first_seen + timedelta(seconds=seconds(position, q)) if selected else None,
        )
        item.is_correct = item.grade()
        items.append(item)
    AttemptItem.objects.bulk_create(items)
    attempt.correct_count = sum(i.is_correct for i in items)
    attempt.scaled_score = attempt.scaled(attempt.correct_count)
    attempt.passed = attempt.scaled_score >= attempt.passing_score
    attempt.save()
    return attempt


def right(q: Question, opts: list[Option]) -> list[int]:
    return [o.id for o in opts if o.is_correct]


def wrong(q: Question, opts: list[Option]) -> list[int]:
    """The first distractor (plus keys to make up the count on multiple response)."""
    keys = [o.id for o in opts if o.is_correct]
    distractor = next(o.id for o in opts if not o.is_correct)
    return [distractor, *keys[1:]]
