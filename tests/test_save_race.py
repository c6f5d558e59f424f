"""Saves racing finishes, with real threads on their own connections: a save acknowledged
as stored is counted in the score, and the stored answers grade to the stored score."""

import random
import threading
import time

import pytest
from django.db import close_old_connections, connection
from django.http import QueryDict

from exams import services
from exams.models import Attempt, AttemptItem
from tests.factories import make_bank, make_exam

ROUNDS = 12


def form(option_ids, flagged=False) -> QueryDict:
    data = QueryDict(mutable=True)
    data.setlist("option", [str(i) for i in option_ids])
    if flagged:
        data["flagged"] = "on"
    return data


def saver(attempt: Attempt, position: int, acknowledged: dict, stop: threading.Event, seed: int):
    """Keeps changing one item's answer until refused; records the last acknowledged one."""
    rng = random.Random(seed)
    try:
        item = AttemptItem.objects.get(attempt=attempt, position=position)
        ids = [o["id"] for o in item.options]
        for _ in range(200):
            if stop.is_set():
                break
            choice = [rng.choice(ids)] if item.choose == 1 else rng.sample(ids, item.choose)
            try:
                services.save_answer(
                    AttemptItem.objects.filter(attempt=attempt), position, form(choice)
                )
            except services.AttemptClosed:
                break
            acknowledged[position] = choice
    finally:
        connection.close()


def finisher(attempt: Attempt, delay: float, how: str):
    try:
        time.sleep(delay)
        if how == "submit":
            services.finish_attempt(attempt, Attempt.FinishReason.SUBMITTED)
        else:
            Attempt.objects.filter(pk=attempt.pk).update(deadline=attempt.started)
            services.finalize_expired()
    finally:
        connection.close()


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL's row locks are what this races; SQLite takes one write lock for the "
    "whole database (IMMEDIATE transactions), and its shared in-memory test database locks "
    "tables without waiting",
)
@pytest.mark.django_db(transaction=True)
def test_saves_racing_a_finish_are_counted_or_refused_never_lost(alice, settings):
    settings.EXAM_GRACE_SECONDS = 0
    exam = make_exam(code="RACE", question_count=6, duration_minutes=60, weights=(50, 50))
    make_bank(exam, per_objective=6, multiple_every=3)
    refused_after = 0
    for round_ in range(ROUNDS):
        attempt, _ = services.start_attempt(alice, exam, rng=random.Random(round_))
        acknowledged: dict[int, list[int]] = {}
        stop = threading.Event()
        threads = [
            threading.Thread(target=saver, args=(attempt, p, acknowledged, stop, round_ * 10 + p))
            for p in range(1, attempt.question_count + 1)
        ]
        how = "submit" if round_ % 2 else "expire"
        threads.append(threading.Thread(target=finisher, args=(attempt, 0.01 * (round_ % 4), how)))
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        stop.set()
        close_old_connections()

        attempt.refresh_from_db()
        assert attempt.is_finished
        items = list(attempt.items.order_by("position"))
        for item in items:
            # The answer the candidate was last told was saved is the one stored and graded.
            expected = sorted(acknowledged.get(item.position, []))
            assert sorted(item.selected) == expected, (round_, item.position)
            assert item.is_correct == item.grade(), (round_, item.position)
        assert attempt.correct_count == sum(i.is_correct for i in items)
        assert attempt.scaled_score == attempt.scaled(attempt.correct_count)
        refused_after += sum(1 for i in items if i.position in acknowledged)
    assert refused_after > 0  # the savers really did race the finishes
