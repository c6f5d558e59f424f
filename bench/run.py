"""`make bench`: examsite under load, on PostgreSQL, with the shipped configuration.

It starts gunicorn with gunicorn.conf.py and the environment of .env.example (plain HTTP
on 127.0.0.1, bench.settings adding the floor view), logs simulated candidates in, and:

1. at 1, 4, 16 and 64 concurrent candidates, each answering as the browser does (GET the
   question, think, POST the answer as htmx's autosave does, GET the next one as answer.js
   swaps it in), prints
   questions answered per second, p50/p95/p99 latency, queries per request, and the same
   for the floor view (session auth, CSRF, one UPDATE) driven the same way;
2. times a synchronised start of 200 candidates (each POSTs /start/ and GETs the
   instructions it is sent to);
3. estimates candidates per core with real think time (30–90 s, 60 s mean):
   throughput at the highest level with p95 under 250 ms and no errors × 60 s ÷ cores.

Not a test: no thresholds. Loopback only. Usage (the Makefile makes and drops the database):
    python -m bench.run postgres://postgres@127.0.0.1:5432/bench_run
"""

import gzip
import http.client
import os
import random
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from tests.serving import Server, free_port, manage, production_env

LEVELS = [1, 4, 16, 64]
SECONDS = float(os.getenv("BENCH_SECONDS", "10"))  # per level and view
THINK = (0.0, 0.1)  # seconds between requests in the run: compressed think time
REAL_THINK_MEAN = 60.0  # 30–90 s between questions in a real exam
BURST = 200
HOST = "127.0.0.1"


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    answered: int = 0
    errors: int = 0
    queries: dict[str, list[int]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, what: str) -> None:
        with self.lock:
            setattr(self, what, getattr(self, what) + 1)

    def add(self, kind: str, seconds: float, queries: int) -> None:
        with self.lock:
            self.latencies.append(seconds)
            self.queries.setdefault(kind, []).append(queries)


class Candidate:
    """One browser: a keep-alive connection (reopened when gunicorn closes it), cookies."""

    def __init__(self, port: int, username: str):
        self.port = port
        self.username = username
        self.conn = http.client.HTTPConnection(HOST, port, timeout=60)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None, htmx: bool = False):
        headers = {"Host": f"{HOST}:{self.port}", "Accept-Encoding": "gzip"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"http://{HOST}:{self.port}"
        if htmx:
            headers["HX-Request"] = "true"
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                r = self.conn.getresponse()
                raw = r.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()  # the server closed a kept connection: open a new one
                if attempt == 2:
                    raise
        if r.getheader("Content-Encoding") == "gzip":
            raw = gzip.decompress(raw)
        for value in r.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(value).items():
                self.cookies[name] = morsel.value
        return r.status, r.headers, raw.decode("utf-8", "replace")

    def login(self) -> None:
        _, _, page = self.request("GET", "/accounts/login/")
        form = {"csrfmiddlewaretoken": token(page), "username": self.username, "password": "pw"}
        status, _, _ = self.request("POST", "/accounts/login/", form)
        assert status == 302, f"login of {self.username} said {status}"

    def start(self) -> str:
        _, _, home = self.request("GET", "/")
        status, headers, _ = self.request(
            "POST", "/start/", {"csrfmiddlewaretoken": token(home), "exam": "MLS-C01"}
        )
        assert status == 302, f"start said {status}"
        # The mock waits on its instructions until Begin starts the clock.
        instructions = headers["Location"]
        _, _, page = self.request("GET", instructions)
        status, headers, _ = self.request(
            "POST", instructions, {"csrfmiddlewaretoken": token(page)}
        )
        assert status == 302, f"begin said {status}"
        return headers["Location"].rsplit("q/", 1)[0]


def token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def answer(page: str, rng: random.Random) -> dict:
    """The autosave's form for the question on ``page``: as many options as it asks for."""
    options = re.findall(r'name="option" value="(\d+)"', page)
    choose = re.search(r'data-choose="(\d+)"', page)
    return {
        "csrfmiddlewaretoken": token(page),
        "answer_form": "1",
        "option": rng.sample(options, int(choose.group(1)) if choose else 1),
    }


def timed(stats: Stats, kind: str, call):
    t = time.perf_counter()
    try:
        status, headers, text = call()
    except OSError as e:
        # A refused or reset connection is a failed request, counted, not a crash.
        print(f"  {kind}: {type(e).__name__}: {e}", flush=True)
        return 0, ""
    stats.add(kind, time.perf_counter() - t, int(headers.get("X-Bench-Queries", "0")))
    return status, text


def exam_loop(c: Candidate, attempt: str, stop: float, stats: Stats, rng: random.Random):
    position = rng.randint(1, 65)
    moved = False  # the first page is a whole one; then answer.js swaps the question in
    while time.monotonic() < stop:
        url = f"{attempt}q/{position}/"
        status, page = timed(
            stats, "question", lambda url=url, m=moved: c.request("GET", url, htmx=m)
        )
        if status != 200:
            stats.count("errors")
            return
        moved = True
        time.sleep(rng.uniform(*THINK))
        form = answer(page, rng)
        status, _ = timed(stats, "save", lambda f=form, u=url: c.request("POST", u, f, htmx=True))
        if status != 200:
            stats.count("errors")
            return
        stats.count("answered")
        position = position % 65 + 1


def floor_loop(c: Candidate, _attempt: str, stop: float, stats: Stats, rng: random.Random):
    while time.monotonic() < stop:
        status, page = timed(stats, "question", lambda: c.request("GET", "/bench/floor/"))
        if status != 200:
            stats.count("errors")
            return
        time.sleep(rng.uniform(*THINK))
        form = {"csrfmiddlewaretoken": token(page), "value": str(rng.random())}
        status, _ = timed(stats, "save", lambda f=form: c.request("POST", "/bench/floor/", f))
        if status != 200:
            stats.count("errors")
            return
        stats.count("answered")


def run_level(loop, candidates, attempts, n: int) -> tuple[Stats, float]:
    stats = Stats()
    stop = time.monotonic() + SECONDS
    threads = [
        threading.Thread(target=loop, args=(c, a, stop, stats, random.Random(i)))
        for i, (c, a) in enumerate(zip(candidates[:n], attempts[:n], strict=True))
    ]
    t = time.monotonic()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return stats, time.monotonic() - t


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000


def parallel(fn, items) -> list:
    out = [None] * len(items)

    def work(i, item):
        out[i] = fn(item)

    threads = [threading.Thread(target=work, args=(i, x)) for i, x in enumerate(items)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return out


@contextmanager
def serving(database_url: str, users: int):
    """gunicorn with the shipped configuration on ``database_url``, with candidates c0…c{users-1}
    (password "pw"); yields (port, env)."""
    static_root = Path(tempfile.mkdtemp(prefix="bench-static-"))
    env = production_env(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="bench.settings",
        STATIC_ROOT=str(static_root),
        PORT=str(free_port()),
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        BEHIND_HTTPS_PROXY="False",
        TRUSTED_PROXY_COUNT="0",
        CSRF_TRUSTED_ORIGINS="",
        LOGIN_FAILURE_LIMIT="100000",
        **{k: v for k, v in os.environ.items() if k.startswith(("GUNICORN_", "DB_"))},
    )
    print("Preparing: collectstatic, migrate, bank, users...", flush=True)
    for args in (
        ["collectstatic", "--no-input", "--verbosity", "0"],
        ["bootstrap"],
        [
            "shell",
            "-c",
            "from django.contrib.auth.models import User;"
            "from django.contrib.auth.hashers import make_password;"
            "pw = make_password('pw');"
            f"User.objects.bulk_create([User(username=f'c{{i}}', password=pw) "
            f"for i in range({users})])",
        ],
    ):
        done = manage(*args, env=env)
        assert done.returncode == 0, done.stdout + done.stderr
    log = Path(tempfile.mkdtemp(prefix="bench-log-")) / "gunicorn.log"
    server = Server([str(Path(sys.executable).parent / "gunicorn"), "examsite.wsgi"], env, log)
    try:
        server.wait_until_healthy()
        yield server.port, env
    finally:
        server.stop()
        subprocess.run(["rm", "-rf", str(static_root)], check=False)


def main() -> None:
    with serving(sys.argv[1], BURST + max(LEVELS)) as (port, env):
        report(port, env)


def report(port: int, env: dict) -> None:
    cores = os.cpu_count() or 1
    workers, threads = env.get("GUNICORN_WORKERS"), env.get("GUNICORN_THREADS", "1")
    print(
        f"examsite bench: {cores} cores (gunicorn, PostgreSQL and this client share them), "
        f"gunicorn {workers} workers × {threads} threads, DB_CONN_MAX_AGE="
        f"{env.get('DB_CONN_MAX_AGE')}, DB_POOL={env.get('DB_POOL')}, {SECONDS:.0f} s per row, "
        f"think time "
        f"{THINK[0] * 1000:.0f}–{THINK[1] * 1000:.0f} ms, load average before: "
        f"{os.getloadavg()[0]:.2f}",
        flush=True,
    )
    users = [Candidate(port, f"c{i}") for i in range(BURST + max(LEVELS))]
    parallel(Candidate.login, users)
    loop_users = users[: max(LEVELS)]
    attempts = parallel(Candidate.start, loop_users)
    print(
        f"\n{'view':<9}{'cands':>6}{'answered/s':>12}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
        f"{'errors':>8}{'q/GET':>7}{'q/POST':>7}{'÷floor':>8}"
    )
    best = None
    for n in LEVELS:
        rates = {}
        for name, loop in (("exam", exam_loop), ("floor", floor_loop)):
            stats, took = run_level(loop, loop_users, attempts, n)
            rate = stats.answered / took
            rates[name] = rate
            ratio = f"{rates['exam'] / max(rate, 1e-9):>8.2f}" if name == "floor" else ""
            q = {k: statistics.mean(v) for k, v in stats.queries.items()}
            p95 = pct(stats.latencies, 95)
            print(
                f"{name:<9}{n:>6}{rate:>12.1f}{pct(stats.latencies, 50):>9.1f}{p95:>9.1f}"
                f"{pct(stats.latencies, 99):>9.1f}{stats.errors:>8}"
                f"{q.get('question', 0):>7.1f}{q.get('save', 0):>7.1f}{ratio}",
                flush=True,
            )
            if name == "exam" and p95 < 250 and not stats.errors and rate:
                best = (n, rate, p95)
    print("\n(÷floor: the exam's answered/s over the floor's at the same concurrency.)")

    # A synchronised start: 200 candidates press Start at once, then load the instructions.
    burst = users[max(LEVELS) :]
    gate = threading.Barrier(len(burst))
    times: list[float] = []

    def press(c: Candidate) -> None:
        _, _, home = c.request("GET", "/")
        gate.wait()
        t = time.perf_counter()
        status, headers, _ = c.request(
            "POST", "/start/", {"csrfmiddlewaretoken": token(home), "exam": "MLS-C01"}
        )
        ok = status == 302 and c.request("GET", headers["Location"])[0] == 200
        times.append(time.perf_counter() - t if ok else float("inf"))

    t = time.perf_counter()
    parallel(press, burst)
    total = time.perf_counter() - t
    failed = sum(1 for x in times if x == float("inf"))
    fine = [x for x in times if x != float("inf")]
    print(
        f"\nSynchronised start of {len(burst)} candidates (POST /start/ + GET its instructions): "
        f"all done in {total:.1f} s; each p50 {pct(fine, 50):.0f} ms, p95 {pct(fine, 95):.0f} "
        f"ms, max {max(fine) * 1000:.0f} ms; {failed} failed."
    )

    if best:
        n, rate, p95 = best
        carried = rate * REAL_THINK_MEAN
        print(
            f"\nTakers per core (estimated, not measured with real think time): at {n} "
            f"candidates the exam served {rate:.1f} answered questions/s at p95 {p95:.0f} ms "
            f"with no errors. With 30–90 s between questions (60 s mean) a candidate answers "
            f"1/60 question/s, so this machine carries about {rate:.1f} × 60 = {carried:.0f} "
            f"candidates, {carried / cores:.0f} per core ({cores} cores, database included)."
        )
    else:
        print("\nNo level kept p95 under 250 ms without errors: no takers-per-core estimate.")


if __name__ == "__main__":
    main()
