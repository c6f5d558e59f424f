"""Classical item analysis: which questions in the bank are misbehaving.

Candidates' answers say things about questions that no reviewer sees: a key that the
strongest candidates reject (probably miskeyed), a question that strong candidates get
wrong more often than weak ones (ambiguous, or outdated), one everybody gets right (it
teaches nothing) or nobody does. The figures are the classical ones an exam board would
look at first:

* facility: the share who got it right;
* discrimination: the corrected point-biserial, the correlation between getting this
  question right and the score on the *rest* of the attempt (the question's own point
  is left out, or it would correlate with itself);
* for each option, the share choosing it among the lower and upper thirds of candidates
  by attempt score;
* the median time from first seeing the question to the last change of answer;
* how often candidates changed their answer, and in which direction (exams.changes).

All of it is computed from two ``values_list`` queries, over the frozen AttemptItem rows
of finished attempts and over their AnswerChange log, so the cost in queries does not
grow with the bank. An unanswered question counts as wrong, as it does in the score.
Pilot (unscored) questions get statistics like the others, which is what they are asked
for, but the attempt score that ranks candidates and that discrimination is measured
against counts only scored questions, as the candidate's own score does.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from statistics import median

import numpy as np

from exams.changes import ChangeSummary, by_item, summarize
from exams.models import AnswerChange, Attempt, AttemptItem

MISKEY = "probable miskey"
NEGATIVE = "negative discrimination"
TOO_EASY = "too easy"
TOO_HARD = "too hard"


@dataclass(frozen=True)
class Thresholds:
    """When a figure is trusted enough to raise a flag.

    Below ``min_answers`` a question's facility moves by several points with each answer,
    so nothing is flagged; the miskey flag also needs ``min_group`` candidates in the
    upper third, as it rests on that group alone.
    """

    min_answers: int = 20
    min_group: int = 5
    too_easy: float = 0.9
    too_hard: float = 0.2


@dataclass
class OptionStats:
    id: int
    text: str
    correct: bool
    share: float = 0.0  # of everyone asked
    lower: float = 0.0  # of the lower third asked
    upper: float = 0.0  # of the upper third asked


@dataclass
class ItemStats:
    key: str
    exam: str
    answers: int  # times asked in a finished attempt
    omitted: int
    facility: float
    discrimination: float | None  # None when either side has no spread
    median_seconds: float | None
    lower_n: int
    upper_n: int
    options: list[OptionStats] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    changes: ChangeSummary = field(default_factory=ChangeSummary)
    scored: bool = True  # False when every answer came from a pilot sitting


@dataclass
class _Row:
    attempt: int
    x: int
    rest: float
    selected: list[int]
    seconds: float | None
    changes: ChangeSummary
    scored: bool


def _thirds(scores: dict[int, float]) -> dict[int, str]:
    """'lower' / 'upper' for the bottom and top thirds of attempts by score.

    By rank, ties broken by attempt id, so the groups have fixed sizes and the result
    does not depend on the order rows arrive in.
    """
    ranked = sorted(scores, key=lambda a: (scores[a], a))
    n, third = len(ranked), len(ranked) // 3
    groups = dict.fromkeys(ranked[:third], "lower")
    groups.update(dict.fromkeys(ranked[n - third :], "upper"))
    return groups


def _corr(x: list[int], y: list[float]) -> float | None:
    if len(x) < 2:
        return None
    xa, ya = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if xa.std() == 0 or ya.std() == 0:
        return None
    return float(np.corrcoef(xa, ya)[0, 1])


def analyse(
    rows: Iterable[tuple],
    thresholds: Thresholds | None = None,
    changes: dict[tuple[int, str], list[list[int]]] | None = None,
) -> list[ItemStats]:
    """Per-question statistics from rows of (attempt_id, exam_code, question_key, options,
    selected, is_correct, first_seen, answered[, scored]), as ``finished_rows`` yields
    them; ``changes`` maps (attempt_id, question_key) to the item's successive selections,
    as ``change_log`` gives them."""
    t = thresholds or Thresholds()
    rows = [r if len(r) > 8 else (*r, True) for r in rows]
    changes = changes or {}
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])  # attempt -> [asked, right]
    exam_of: dict[int, str] = {}
    for attempt, exam, _, _, _, correct, _, _, scored in rows:
        exam_of[attempt] = exam
        if scored:
            totals[attempt][0] += 1
            totals[attempt][1] += bool(correct)
    groups: dict[int, str] = {}
    for exam in set(exam_of.values()):
        scores = {a: r / n for a, (n, r) in totals.items() if exam_of[a] == exam}
        groups.update(_thirds(scores))

    by_key: dict[tuple[str, str], list[_Row]] = defaultdict(list)
    options: dict[tuple[str, str], dict[int, OptionStats]] = defaultdict(dict)
    for attempt, exam, key, opts, selected, correct, first_seen, answered, scored in rows:
        n, right = totals[attempt]
        x = int(bool(correct))
        # A pilot's own point is not in the score to begin with, so nothing to take out.
        mine, others = (x, n - 1) if scored else (0, n)
        rest = (right - mine) / others if others > 0 else 0.0
        seconds = None
        if first_seen and answered and answered >= first_seen:
            seconds = (answered - first_seen).total_seconds()
        moved = summarize(changes.get((attempt, key), []), opts)
        row = _Row(attempt, x, rest, list(selected or []), seconds, moved, bool(scored))
        by_key[exam, key].append(row)
        known = options[exam, key]
        for o in opts:
            # The latest attempt's wording wins (rows come in attempt order).
            known[o["id"]] = OptionStats(o["id"], o["text"], bool(o["correct"]))

    result = []
    for (exam, key), items in sorted(by_key.items()):
        result.append(_item(exam, key, items, options[exam, key], groups, t))
    return result


def _item(
    exam: str,
    key: str,
    items: list[_Row],
    options: dict[int, OptionStats],
    groups: dict[int, str],
    t: Thresholds,
) -> ItemStats:
    answers = len(items)
    lower = [r for r in items if groups.get(r.attempt) == "lower"]
    upper = [r for r in items if groups.get(r.attempt) == "upper"]
    for o in options.values():
        o.share = sum(o.id in r.selected for r in items) / answers
        o.lower = sum(o.id in r.selected for r in lower) / len(lower) if lower else 0.0
        o.upper = sum(o.id in r.selected for r in upper) / len(upper) if upper else 0.0
    times = [r.seconds for r in items if r.seconds is not None]
    stats = ItemStats(
        key=key,
        exam=exam,
        answers=answers,
        omitted=sum(not r.selected for r in items),
        facility=sum(r.x for r in items) / answers,
        discrimination=_corr([r.x for r in items], [r.rest for r in items]),
        median_seconds=median(times) if times else None,
        lower_n=len(lower),
        upper_n=len(upper),
        options=sorted(options.values(), key=lambda o: (not o.correct, o.id)),
        changes=sum((r.changes for r in items), ChangeSummary()),
        scored=any(r.scored for r in items),
    )
    stats.flags = flags(stats, t)
    return stats


def flags(s: ItemStats, t: Thresholds) -> list[str]:
    """What deserves an author's look, strongest evidence first."""
    if s.answers < t.min_answers:
        return []
    found = []
    if s.upper_n >= t.min_group and _miskeyed(s.options):
        found.append(MISKEY)
    if s.discrimination is not None and s.discrimination < 0:
        found.append(NEGATIVE)
    if s.facility > t.too_easy:
        found.append(TOO_EASY)
    if s.facility < t.too_hard:
        found.append(TOO_HARD)
    return found


def _miskeyed(options: list[OptionStats]) -> bool:
    """A distractor the strongest third prefers to a key, and prefers more than the weakest.

    The second half keeps a merely hard question out: when most strong candidates miss
    it, their wrong answers may well pile on one distractor, but weak candidates pile on
    it harder still. A key that is really wrong shows the opposite pattern: the option
    that draws the strong candidates is one the weak ones pass over.
    """
    keys = [o.upper for o in options if o.correct]
    return bool(keys) and any(
        not o.correct and o.upper > min(keys) and o.upper > o.lower for o in options
    )


def _finished_items(exam_code: str | None):
    qs = AttemptItem.objects.filter(attempt__status=Attempt.Status.FINISHED)
    if exam_code:
        qs = qs.filter(attempt__exam__code=exam_code)
    return qs


def change_log(exam_code: str | None = None) -> dict[tuple[int, str], list[list[int]]]:
    """The second query: every item's successive selections, keyed (attempt, question)."""
    rows = (
        AnswerChange.objects.filter(item__in=_finished_items(exam_code))
        .order_by("item_id", "at", "id")
        .values_list("item__attempt_id", "item__question_key", "after")
    )
    return by_item(((a, k), after) for a, k, after in rows)


def finished_rows(exam_code: str | None = None):
    """The first query: frozen items of finished attempts, in attempt order."""
    qs = _finished_items(exam_code)
    return qs.order_by("attempt_id", "position").values_list(
        "attempt_id",
        "attempt__exam__code",
        "question_key",
        "options",
        "selected",
        "is_correct",
        "first_seen",
        "answered",
        "scored",
    )


def item_analysis(
    exam_code: str | None = None, thresholds: Thresholds | None = None
) -> list[ItemStats]:
    """Item statistics for every question asked in a finished attempt (two queries)."""
    return analyse(finished_rows(exam_code), thresholds, change_log(exam_code))
