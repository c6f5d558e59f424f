"""Spaced review with FSRS (the maintained ``fsrs`` package): which questions come back when.

The rating of an answer is derived from what the candidate did, never asked for:
wrong → Again, right but unsure → Hard, right and sure → Good.
"""

from collections.abc import Iterable
from datetime import datetime

from django.db.models import OuterRef, Subquery
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


CARD_FIELDS = ("id", "state", "reviews")


def card_columns() -> dict[str, Subquery]:
    """The candidate's card for an item's question, as columns of the item's own query
    (``card_id``, ``card_state``, ``card_reviews``; None when it has no card)."""
    cards = ReviewCard.objects.filter(
        user_id=OuterRef("attempt__user_id"), question_id=OuterRef("question_id")
    )
    return {f"card_{f}": Subquery(cards.values(f)[:1]) for f in CARD_FIELDS}


def record(
    user_id: int,
    answers: Iterable[tuple[int, bool, bool]],
    now: datetime,
    cards: dict[int, ReviewCard] | None = None,
) -> None:
    """Update a candidate's schedule with (question id, correct, unsure) answers at ``now``.

    Two queries however many answers: read the cards these questions have, then write;
    one when the caller read ``cards`` (by question id) already.
    """
    answers = [a for a in answers if a[0] is not None]
    if not answers:
        return
    if cards is None:
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
    answers = [(i.question_id, bool(i.is_correct), i.unsure) for i in items]
    cards = None
    if items and all(hasattr(i, "card_id") for i in items):
        # Read with the items (see card_columns): no query of our own.
        cards = {
            i.question_id: ReviewCard(
                id=i.card_id,
                user_id=user_id,
                question_id=i.question_id,
                state=i.card_state,
                reviews=i.card_reviews,
            )
            for i in items
            if i.card_id is not None
        }
    record(user_id, answers, now, cards)
