"""Which questions a sitting asks: by the blueprint, by objectives, or a given list.

Every selection prefers what the candidate has seen least and is random among equals.
It reads the bank's question ids once and the candidate's own history once, so its cost
grows with the bank and with this candidate's attempts, never with other candidates'.
"""

import random
from collections import defaultdict
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count

from exams.models import AttemptItem
from questions.models import Domain, Exam, Question


class BankTooSmall(Exception):
    """The bank cannot fill one or more domains; ``shortfalls`` says by how much."""

    def __init__(self, shortfalls: list[tuple[Domain, int, int]]):
        self.shortfalls = shortfalls  # (domain, needed, available)
        super().__init__(
            "; ".join(
                f"Domain {d.number} ({d.name}) needs {needed} active questions "
                f"but has {available}: {needed - available} missing"
                for d, needed, available in shortfalls
            )
        )


def seen_counts(user: AbstractBaseUser, bank: Exam) -> dict[int, int]:
    """How often ``user`` has been asked each question of ``bank``, from their attempts only."""
    rows = (
        AttemptItem.objects.filter(attempt__user=user, attempt__bank=bank)
        .exclude(question=None)
        .values_list("question_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return dict(rows)


def least_seen(ids: Iterable[int], seen: dict[int, int], k: int, rng: random.Random) -> list[int]:
    pool = list(ids)
    rng.shuffle(pool)
    pool.sort(key=lambda qid: seen.get(qid, 0))  # stable: random among equals
    return pool[:k]


def draw_by_blueprint(
    exam: Exam, user: AbstractBaseUser, rng: random.Random
) -> list[tuple[Domain, list[int]]]:
    """Question ids per domain in the blueprint's numbers; raises BankTooSmall."""
    counts = exam.domain_counts()
    by_domain: dict[int, list[int]] = defaultdict(list)
    active = Question.objects.active().filter(objective__domain__in=list(counts))
    for qid, domain_id in active.values_list("id", "objective__domain_id").order_by():
        by_domain[domain_id].append(qid)
    seen = seen_counts(user, exam.bank)
    drawn, shortfalls = [], []
    for domain, needed in counts.items():
        ids = least_seen(by_domain[domain.pk], seen, needed, rng)
        if len(ids) < needed:
            shortfalls.append((domain, needed, len(ids)))
        drawn.append((domain, ids))
    if shortfalls:
        raise BankTooSmall(shortfalls)
    return drawn


def by_objectives(
    exam: Exam,
    user: AbstractBaseUser,
    objective_ids: Iterable[int] | None,
    size: int,
    rng: random.Random,
    among: Iterable[int] | None = None,
    unseen_only: bool = False,
) -> list[int]:
    """Up to ``size`` active questions of the given objectives (all when None), least seen
    first; ``among`` narrows them to a set of question ids (missed, flagged, due)."""
    active = Question.objects.active().for_exam(exam)
    if objective_ids is not None:
        active = active.filter(objective__in=list(objective_ids))
    if among is not None:
        active = active.filter(pk__in=list(among))
    ids = active.values_list("id", flat=True).order_by()
    seen = seen_counts(user, exam.bank)
    if unseen_only:
        ids = [i for i in ids if not seen.get(i)]
    return least_seen(ids, seen, size, rng)


def interleave(groups: list[list[int]], rng: random.Random) -> list[int]:
    """Spread each group evenly through the sequence instead of one block per group."""
    keyed = []
    for group in groups:
        shuffled = group[:]
        rng.shuffle(shuffled)
        n = len(shuffled)
        keyed += [((i + rng.random()) / n, qid) for i, qid in enumerate(shuffled)]
    return [qid for _, qid in sorted(keyed)]
