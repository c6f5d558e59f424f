"""Spaced review with FSRS (the maintained ``fsrs`` package): which questions come back when.

The rating of an answer is derived from what the candidate did, never asked for:
wrong → Again, right but unsure → Hard, right and sure → Good.
"""

from collections.abc import Iterable
from datetime import datetime

from fsrs import Card, Rating, Scheduler

from study.models import ReviewCard

# Questions are not flashcards: a missed one should come back after a day or more, not
# in a minute, so there are no intra-day learning steps. No fuzzing, so the schedule is the
# same for the same answers.
SCHEDULER = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)


def rating(correct: bool, unsure: bool) -> Rating:
    if not correct:
        return Rating.Again
    return Rating.Hard if unsure else Rating.Good


def enters_schedule(correct: bool, unsure: bool) -> bool:
    return not correct or unsure


def record(user_id: int, answers: Iterable[tuple[int, bool, bool]], now: datetime) -> None:
    """Update a candidate's schedule with (question id, correct, unsure) answers at ``now``.

    Two queries however many answers: read the cards these questions have, then write.
    """
    answers = [a for a in answers if a[0] is not None]
    if not answers:
        return
    cards = {
        c.question_id: c
        for c in ReviewCard.objects.filter(
            user_id=user_id, question_id__in=[a[0] for a in answers]
        )
    }
    new, changed = [], []
    for question_id, correct, unsure in answers:
        card = cards.get(question_id)
        if card is None and not enters_schedule(correct, unsure):
            continue
        fsrs_card = Card.from_dict(card.state) if card else Card(due=now)
        fsrs_card, _ = SCHEDULER.review_card(
            fsrs_card, rating(correct, unsure), review_datetime=now
        )
        if card is None:
            card = ReviewCard(user_id=user_id, question_id=question_id, reviews=0)
            cards[question_id] = card
            new.append(card)
        elif card not in changed:
            changed.append(card)
        card.state, card.due, card.last_review = fsrs_card.to_dict(), fsrs_card.due, now
        card.reviews += 1
    # Runs inside the engine's transaction (a save or a finish), so it adds no savepoint.
    ReviewCard.objects.bulk_create(new)
    ReviewCard.objects.bulk_update(changed, ["state", "due", "last_review", "reviews"])


def record_graded(sender, user_id, items, now, **kwargs) -> None:
    """The engine's answers_graded signal: every graded item moves its card."""
    record(user_id, [(i.question_id, bool(i.is_correct), i.unsure) for i in items], now)
