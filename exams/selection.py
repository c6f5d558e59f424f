"""Which questions a sitting asks: by the blueprint, by objectives, or a given list.

Every selection prefers what the candidate has seen least and is random among equals.
It reads the candidate's own history once, so its cost never grows with other candidates'
attempts. The blueprint's draw (the start of every mock) does not read the bank's ids into
Python either: one query picks, per domain, a random handful big enough to hold the
least-seen questions (see ``draw_by_blueprint``), so a start costs the same two queries and
a few milliseconds whether the bank holds a thousand questions or a hundred thousand.
"""

import random
from collections import defaultdict
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection
from django.db.models import Count, F, Q, Window
from django.db.models.functions import Random, RowNumber

from exams.models import AttemptItem
from questions.blueprint import largest_remainder
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
    """Question ids per domain in the blueprint's numbers; raises BankTooSmall.

    Two queries whatever the sizes: the candidate's own history, then per domain a uniform
    random sample of its active questions, ``needed`` plus as many as the candidate has ever
    seen. That sample holds at least ``needed`` unseen questions whenever the domain does,
    so the least-seen choice among it is the choice among the whole domain; and when the
    domain is smaller than the sample, the sample is the whole domain.
    """
    counts = exam.domain_counts()
    seen = seen_counts(user, exam.bank)
    by_domain = random_sample({d.pk: needed + len(seen) for d, needed in counts.items()})
    drawn, shortfalls = [], []
    for domain, needed in counts.items():
        ids = least_seen(by_domain[domain.pk], seen, needed, rng)
        if len(ids) < needed:
            shortfalls.append((domain, needed, len(ids)))
        drawn.append((domain, ids))
    if shortfalls:
        raise BankTooSmall(shortfalls)
    return drawn


def draw_with_pilots(
    exam: Exam, user: AbstractBaseUser, rng: random.Random
) -> tuple[list[tuple[Domain, list[int]]], frozenset[int]]:
    """As draw_by_blueprint, with up to ``exam.unscored_count`` of the scored questions
    replaced by pilot questions of the same domain; returns the draw and the pilots' ids.

    Domain counts stay the blueprint's, so nothing in a mock's shape gives a pilot away.
    The bank must fill the blueprint with active questions alone: with no pilots in the
    bank, or none wanted, the draw is exactly draw_by_blueprint's.
    """
    drawn = draw_by_blueprint(exam, user, rng)
    if not exam.unscored_count:
        return drawn, frozenset()
    counts = {domain: len(ids) for domain, ids in drawn}
    pilot: dict[int, list[int]] = defaultdict(list)
    rows = (
        Question.objects.filter(status=Question.Status.PILOT, objective__domain__in=list(counts))
        .values_list("id", "objective__domain_id")
        .order_by()
    )
    for qid, domain_id in rows:
        pilot[domain_id].append(qid)
    if not pilot:
        return drawn, frozenset()
    seen = seen_counts(user, exam.bank)
    quotas = pilot_quotas(counts, {d: len(pilot[d.pk]) for d in counts}, exam.unscored_count)
    chosen: set[int] = set()
    mixed = []
    for domain, ids in drawn:
        extra = least_seen(pilot[domain.pk], seen, quotas[domain], rng)
        # The most-seen of the scored draw (least_seen puts them last) make way.
        mixed.append((domain, ids[: len(ids) - len(extra)] + extra))
        chosen.update(extra)
    return mixed, frozenset(chosen)


def pilot_quotas(counts: dict, available: dict, wanted: int) -> dict:
    """How many pilots each domain takes: ``wanted`` shared out like the scored questions
    (by the domains' counts), each capped by the domain's pilots and its own count; places
    a domain cannot fill go to the domains with the smallest share of pilots so far."""
    room = {d: min(available.get(d, 0), n) for d, n in counts.items()}
    wanted = min(wanted, sum(room.values()))
    if wanted <= 0:
        return dict.fromkeys(counts, 0)
    shares = largest_remainder(wanted, list(counts.values()))
    quotas = {d: min(s, room[d]) for d, s in zip(counts, shares, strict=True)}
    left = wanted - sum(quotas.values())
    while left > 0:
        d = min((d for d in counts if quotas[d] < room[d]), key=lambda d: quotas[d] / counts[d])
        quotas[d] += 1
        left -= 1
    return quotas


def random_sample(sizes: dict[int, int]) -> dict[int, list[int]]:
    """Up to ``sizes[domain_id]`` active question ids of each domain, chosen at random by
    the database, in one query; a domain with fewer has all of them."""
    by_domain: dict[int, list[int]] = defaultdict(list)
    if not sizes:
        return by_domain
    if connection.vendor == "postgresql":
        # Per domain, a top-N of random keys over the partial index of active questions
        # (question_active_by_objective): an index-only scan and a small heap, no full sort.
        question, objective = Question._meta.db_table, Question.objective.field.related_model
        sql = f"""
            SELECT d.id, x.id
            FROM unnest(%s::bigint[], %s::int[]) AS d(id, n)
            CROSS JOIN LATERAL (
                SELECT q.id FROM {question} q
                JOIN {objective._meta.db_table} o ON o.id = q.objective_id
                WHERE o.domain_id = d.id AND q.status = %s
                ORDER BY random() LIMIT d.n
            ) AS x
        """
        with connection.cursor() as cursor:
            cursor.execute(sql, [list(sizes), list(sizes.values()), Question.Status.ACTIVE])
            rows = cursor.fetchall()
    else:
        ranked = (
            Question.objects.active()
            .filter(objective__domain__in=list(sizes))
            .annotate(
                domain=F("objective__domain_id"),
                rank=Window(
                    RowNumber(), partition_by=F("objective__domain_id"), order_by=Random()
                ),
            )
        )
        wanted = Q()
        for domain_id, size in sizes.items():
            wanted |= Q(domain=domain_id, rank__lte=size)
        rows = ranked.filter(wanted).values_list("domain", "id").order_by()
    for domain_id, qid in rows:
        by_domain[domain_id].append(qid)
    return by_domain


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
