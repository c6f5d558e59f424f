"""`make bench-draw`: the time to start an exam (the draw, then freezing the questions)
against the size of the bank and of other candidates' history, on PostgreSQL.

Run with DATABASE_URL naming a new, empty database (the Makefile makes and drops one):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_draw python -m bench.draw
"""

import os
import random
import statistics
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "examsite.settings")
django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench import data  # noqa: E402
from exams import selection, services  # noqa: E402
from exams.models import Attempt  # noqa: E402
from questions.models import Exam  # noqa: E402

ROUNDS = 15
# (active questions in the bank, other candidates' attempt items), grown step by step.
STEPS = [(1_000, 0), (10_000, 0), (100_000, 0), (100_000, 100_000), (100_000, 1_000_000)]


def measure(exam: Exam, user: User) -> tuple[float, float, int]:
    """Median milliseconds of the draw alone and of a whole start; queries of a start."""
    draws, starts, queries = [], [], 0
    rng = random.Random(1)
    for _ in range(ROUNDS):
        t = time.perf_counter()
        selection.draw_by_blueprint(exam, user, rng)
        draws.append(time.perf_counter() - t)
        with CaptureQueriesContext(connection) as ctx:
            t = time.perf_counter()
            attempt, created = services.start_attempt(user, exam, rng=rng)
            starts.append(time.perf_counter() - t)
        assert created
        queries = len(ctx.captured_queries)
        Attempt.objects.filter(pk=attempt.pk).delete()
    return statistics.median(draws) * 1000, statistics.median(starts) * 1000, queries


def main() -> None:
    if connection.vendor != "postgresql":
        sys.exit("bench-draw runs on PostgreSQL: set DATABASE_URL.")
    call_command("migrate", verbosity=0)
    call_command("load_blueprint", "fixtures/blueprints/mls-c01.yaml", verbosity=0)
    exam = Exam.objects.get(code="MLS-C01")
    user = User.objects.create_user("bench-candidate")
    print(f"PostgreSQL {connection.pg_version // 10000}, {os.cpu_count()} cores, "
          f"{ROUNDS} starts per row, median times")  # fmt: skip
    print(f"{'active questions':>17} {'others items':>13} {'draw ms':>8} {'start ms':>9} "
          f"{'queries':>8}")  # fmt: skip
    questions = history = 0
    for want_q, want_h in STEPS:
        t = time.perf_counter()
        if want_q > questions:
            data.add_questions(exam, want_q - questions, prefix=f"bench{want_q}")
            questions = want_q
        if want_h > history:
            data.add_history(exam, want_h - history)
            history = want_h
        if history == 0 and questions == want_q:
            data.analyze()
            # The candidate's own history: three finished mocks.
            if not Attempt.objects.filter(user=user).exists():
                for _ in range(3):
                    a, _ = services.start_attempt(user, exam)
                    services.finish_attempt(a, Attempt.FinishReason.SUBMITTED)
        setup = time.perf_counter() - t
        draw_ms, start_ms, queries = measure(exam, user)
        print(f"{questions:>17,} {history:>13,} {draw_ms:>8.1f} {start_ms:>9.1f} {queries:>8}"
              f"   (data made in {setup:.0f} s)")  # fmt: skip
        sys.stdout.flush()


if __name__ == "__main__":
    main()
