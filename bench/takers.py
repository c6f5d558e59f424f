"""`make bench-takers`: how many candidates sitting an exam this machine carries, measured
with real think time, not estimated.

Each simulated candidate is a thread with its own cookies, logged in and 20 minutes into a
mock. It behaves like a person with a browser: it thinks 30–90 s over a question (uniform,
the profile of the Moodle 4.5 quiz load test), then its answer is saved as htmx's autosave
saves it, and it moves on to the next question (one GET). Candidates are added in stages
(BENCH_TAKERS, default 1000,2000,3000,4000); newcomers open a question within 30 s as if
in the middle of thinking, the stage settles for a minute, then it measures for
BENCH_TAKERS_SECONDS (default 60) and prints requests per
second, p50/p95/p99, errors and the load average. The answer: the largest stage whose p95
stayed under 250 ms with no errors, divided by the machine's cores (gunicorn, PostgreSQL
and this load generator all share them, so it is a lower bound).

Not a test: no thresholds. Loopback only. Usage (the Makefile makes and drops the database):
    python -m bench.takers postgres://postgres@127.0.0.1:5432/bench_takers
"""

import copy
import os
import random
import resource
import sys
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from bench.run import Candidate, answer, pct, serving

STAGES = [int(n) for n in os.getenv("BENCH_TAKERS", "1000,2000,3000,4000").split(",")]
MEASURE = float(os.getenv("BENCH_TAKERS_SECONDS", "60"))
SPREAD = 30.0  # newcomers open their question uniformly within this many seconds
SETTLE = 60.0  # from adding a stage's newcomers to measuring it
THINK = (30.0, 90.0)
P95_LIMIT_MS = 250
SESSION_SPAN = timedelta(days=1)


@dataclass
class Log:
    # (started at, seconds, failure or "", method) of every request, from many threads
    requests: list[tuple[float, float, str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, started: float, seconds: float, failure: str, method: str) -> None:
        with self.lock:
            self.requests.append((started, seconds, failure, method))

    def window(self, start: float, end: float) -> list[tuple[float, float, str, str]]:
        with self.lock:
            return [r for r in self.requests if start <= r[0] < end]


def prepare(env: dict, count: int) -> list[tuple[str, str]]:
    """Sessions and open mocks for c0…c{count-1}, written straight to the database (starting
    thousands of exams through HTTP would measure the start, not the sitting).

    Returns (session key, attempt URL) per candidate.
    """
    os.environ.update(
        {k: v for k, v in env.items() if k.startswith(("DATABASE", "DJANGO", "SECRET", "ALLOWED"))}
    )
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import User
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from exams import services
    from exams.models import Attempt, AttemptItem
    from questions.models import Exam

    users = list(User.objects.filter(username__regex=r"^c\d+$").order_by("id")[:count])
    exam = Exam.objects.get(code=settings.DEFAULT_EXAM_CODE)
    now = timezone.now()
    template, _ = services.start_attempt(users[0], exam, now=now)  # begun, clock running
    items = list(template.items.all())
    attempts, clones = [], []
    for user in users[1:]:
        attempt = copy.copy(template)
        attempt.pk, attempt.code, attempt.user = None, uuid.uuid4(), user
        attempt._state = copy.copy(template._state)
        attempt._state.adding = True
        attempts.append(attempt)
    Attempt.objects.bulk_create(attempts, batch_size=500)
    for attempt in attempts:
        for item in items:
            clone = copy.copy(item)
            clone.pk, clone.attempt = None, attempt
            clone._state = copy.copy(item._state)
            clone._state.adding = True
            clones.append(clone)
    AttemptItem.objects.bulk_create(clones, batch_size=2000)
    sessions, out = [], []
    store = SessionStore()
    backend = "django.contrib.auth.backends.ModelBackend"
    for user, attempt in zip(users, [template, *attempts], strict=True):
        key = get_random_string(32)
        data = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: backend,
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
        sessions.append(
            Session(
                session_key=key, session_data=store.encode(data), expire_date=now + SESSION_SPAN
            )
        )
        out.append((key, f"/attempts/{attempt.code}/"))
    Session.objects.bulk_create(sessions, batch_size=2000)
    return out


def sit(c: Candidate, attempt: str, stop: threading.Event, log: Log, seed: int) -> None:
    rng = random.Random(seed)
    position = rng.randint(1, 65)

    def timed(method, url, form=None, htmx=False):
        t, wall = time.perf_counter(), time.monotonic()
        try:
            status, _, text = c.request(method, url, form, htmx=htmx)
            failure = "" if status == 200 else f"HTTP {status}"
        except OSError as e:
            status, text, failure = 0, "", type(e).__name__
        log.add(wall, time.perf_counter() - t, failure, method)
        return status, text

    if stop.wait(rng.uniform(0, SPREAD)):
        return
    status, page = timed("GET", f"{attempt}q/{position}/")
    # Joined mid-question: the first wait is what is left of a think, so the stage is at
    # its steady rate as soon as everyone has opened a question.
    think = rng.uniform(0, THINK[1])
    while status == 200 and not stop.wait(think):
        think = rng.uniform(*THINK)
        status, _ = timed("POST", f"{attempt}q/{position}/", answer(page, rng), htmx=True)
        if status != 200:
            return
        # Next: one GET whose answer answer.js swaps in (the answer is saved already).
        position = position % 65 + 1
        status, page = timed("GET", f"{attempt}q/{position}/", htmx=True)


def main() -> None:
    cores = os.cpu_count() or 1
    total = max(STAGES)
    threading.stack_size(256 * 1024)
    with serving(sys.argv[1], total) as (port, env):
        print(f"Sitting {total} mocks in the database...", flush=True)
        seats = prepare(env, total)
        print(
            f"examsite takers: {cores} cores shared by gunicorn "
            f"({env.get('GUNICORN_WORKERS')} workers × {env.get('GUNICORN_THREADS', '1')} "
            f"threads), PostgreSQL and this client; think {THINK[0]:.0f}–{THINK[1]:.0f} s; "
            f"newcomers open a question within {SPREAD:.0f} s, in mid-think; each stage "
            f"settles {SETTLE:.0f} s then measures {MEASURE:.0f} s; "
            f"load average before: {os.getloadavg()[0]:.2f}\n",
            flush=True,
        )
        print(
            f"{'candidates':>10}{'req/s':>8}{'answers/s':>10}{'p50 ms':>9}{'p95 ms':>9}"
            f"{'p99 ms':>9}{'errors':>8}{'load':>7}{'client cpu %':>14}"
        )
        log, stop, threads, best = Log(), threading.Event(), [], None
        running = 0
        try:
            for stage in STAGES:
                for i in range(running, stage):
                    key, attempt = seats[i]
                    c = Candidate(port, f"c{i}")
                    c.cookies["sessionid"] = key
                    th = threading.Thread(target=sit, args=(c, attempt, stop, log, i), daemon=True)
                    th.start()
                    threads.append(th)
                running = stage
                time.sleep(SETTLE)
                cpu0, t0 = _cpu(), time.monotonic()
                time.sleep(MEASURE)
                cpu1, t1 = _cpu(), time.monotonic()
                window = log.window(t0, t1)
                latencies = [r[1] for r in window]
                failures = Counter(r[2] for r in window if r[2])
                errors = sum(failures.values())
                answers = sum(1 for r in window if r[3] == "POST")
                p95 = pct(latencies, 95)
                print(
                    f"{stage:>10}{len(window) / (t1 - t0):>8.1f}{answers / (t1 - t0):>10.1f}"
                    f"{pct(latencies, 50):>9.1f}{p95:>9.1f}{pct(latencies, 99):>9.1f}"
                    f"{errors:>8}{os.getloadavg()[0]:>7.2f}"
                    f"{100 * (cpu1 - cpu0) / (t1 - t0):>14.0f}",
                    flush=True,
                )
                if failures:
                    print(f"{'':>10}  failures: {dict(failures)}", flush=True)
                if errors or not window or p95 >= P95_LIMIT_MS:
                    break
                best = stage
        finally:
            stop.set()
            for th in threads:
                th.join(timeout=70)
    if best:
        print(
            f"\nTakers per core (measured): {best} candidates with p95 under {P95_LIMIT_MS} ms "
            f"and no errors on {cores} cores = {best / cores:.0f} per core (database and load "
            f"generator included)."
        )
    else:
        print(f"\nNo stage kept p95 under {P95_LIMIT_MS} ms without errors.")


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    main()
