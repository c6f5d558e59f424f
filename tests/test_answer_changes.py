"""Every change of answer is logged, and counted by direction on the results page."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from exams import services
from exams.changes import ChangeSummary, summarize
from exams.models import AnswerChange, Attempt
from readiness.items import item_analysis
from tests.helpers import T0

from .test_taking import answer

SINGLE = [{"id": 1, "correct": True}, {"id": 2, "correct": False}, {"id": 3, "correct": False}]
MULTIPLE = [{"id": i, "correct": i in (1, 2)} for i in range(1, 6)]


def singles(attempt, count):
    return list(attempt.items.filter(type="single").order_by("position")[:count])


def right(item):
    return sorted(item.correct_ids())


def wrong(item, n=0):
    return [sorted(item.option_ids() - item.correct_ids())[n]]


def test_it_records_every_change_of_answer_with_its_time(alice_client, attempt):
    (item,) = singles(attempt, 1)
    with time_machine.travel(T0 + timedelta(minutes=1), tick=False):
        answer(alice_client, attempt, item.position, wrong(item))
    with time_machine.travel(T0 + timedelta(minutes=2), tick=False):
        answer(alice_client, attempt, item.position, right(item))
        # The same answer again (a flag, a resubmit) is no change.
        answer(alice_client, attempt, item.position, right(item), flagged=True)
    log = list(AnswerChange.objects.filter(item=item).values_list("before", "after", "at"))
    assert log == [
        ([], wrong(item), T0 + timedelta(minutes=1)),
        (wrong(item), right(item), T0 + timedelta(minutes=2)),
    ]


def test_it_never_edits_a_recorded_change(alice_client, attempt):
    (item,) = singles(attempt, 1)
    answer(alice_client, attempt, item.position, right(item))
    change = AnswerChange.objects.get(item=item)
    change.after = []
    with pytest.raises(ValueError, match="never edited"):
        change.save()


def test_it_refuses_a_change_after_the_end_and_logs_nothing(alice_client, attempt):
    (item,) = singles(attempt, 1)
    services.finish_attempt(attempt, Attempt.FinishReason.SUBMITTED)
    answer(alice_client, attempt, item.position, right(item))
    assert not AnswerChange.objects.exists()


@pytest.mark.parametrize(
    ("afters", "options", "expected"),
    [
        ([[2]], SINGLE, (0, 0, 0)),  # a first answer is not a change
        ([[2], [1]], SINGLE, (1, 0, 0)),
        ([[1], [3]], SINGLE, (0, 1, 0)),
        ([[2], [3]], SINGLE, (0, 0, 1)),
        ([[2], [], [1]], SINGLE, (1, 0, 0)),  # cleared, then answered: one change
        ([[2], [], [2]], SINGLE, (0, 0, 0)),  # back to the same answer
        ([[1], [2], [1]], SINGLE, (1, 1, 0)),
        # Building up a two-option answer is not a change; swapping one option is.
        ([[3], [1, 3], [1], [1, 2]], MULTIPLE, (1, 0, 0)),
    ],
)
def test_it_classes_changes_by_direction(afters, options, expected):
    s = summarize(afters, options)
    assert (s.wrong_to_right, s.right_to_wrong, s.wrong_to_wrong) == expected


def test_it_says_it_in_one_sentence():
    assert ChangeSummary(2, 4, 1).sentence == (
        "You changed 7 answers: 2 wrong → right, 4 right → wrong, 1 wrong → wrong."
    )
    assert ChangeSummary(1, 0, 0).sentence == "You changed 1 answer: 1 wrong → right."
    assert ChangeSummary().sentence == "You did not change any answer."


def make_seven_changes(client, attempt):
    """2 wrong → right, 4 right → wrong, 1 wrong → wrong, on seven single-answer items."""
    items = singles(attempt, 7)
    for item in items[:2]:
        answer(client, attempt, item.position, wrong(item))
        answer(client, attempt, item.position, right(item))
    for item in items[2:6]:
        answer(client, attempt, item.position, right(item))
        answer(client, attempt, item.position, wrong(item))
    answer(client, attempt, items[6].position, wrong(items[6], 0))
    answer(client, attempt, items[6].position, wrong(items[6], 1))
    return items


def test_the_results_page_counts_the_changes_by_direction(alice_client, attempt):
    make_seven_changes(alice_client, attempt)
    services.finish_attempt(attempt, Attempt.FinishReason.SUBMITTED)
    r = alice_client.get(reverse("exams:results", args=[attempt.code]))
    assert "You changed 7 answers: 2 wrong → right, 4 right → wrong, 1 wrong → wrong." in r.text


def test_item_analysis_counts_changes_per_question(alice_client, attempt):
    items = make_seven_changes(alice_client, attempt)
    services.finish_attempt(attempt, Attempt.FinishReason.SUBMITTED)
    stats = {s.key: s for s in item_analysis(attempt.exam.code)}
    assert stats[items[0].question_key].changes.wrong_to_right == 1
    assert stats[items[2].question_key].changes.right_to_wrong == 1
    assert stats[items[6].question_key].changes.wrong_to_wrong == 1
    assert sum(s.changes.total for s in stats.values()) == 7
