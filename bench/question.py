"""`make bench-question`: server time of the question page, as a full page and as the
swap answer.js asks for when moving on, on PostgreSQL with a kept connection.

Run with DATABASE_URL naming a new, empty database (the Makefile makes and drops one):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_question python -m bench.question
"""

import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "examsite.settings")
# As served: DEBUG off (no query log), a kept connection.
os.environ["DEBUG"] = "False"
os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("DB_CONN_MAX_AGE", "600")

import django

django.setup()

from django.conf import settings  # noqa: E402

# collectstatic's manifest is a deployment step, not part of the page's time.
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from bench import data  # noqa: E402
from exams import services  # noqa: E402
from questions.models import Exam  # noqa: E402

ROUNDS = 400


def timed(client: Client, urls: list[str], headers: dict) -> tuple[float, float, int]:
    """Median and 90th-percentile milliseconds per GET, and the queries of one."""
    times = []
    for i in range(ROUNDS):
        url = urls[i % len(urls)]
        t = time.perf_counter()
        response = client.get(url, headers=headers)
        times.append(time.perf_counter() - t)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as ctx:
        client.get(urls[0], headers=headers)
    times.sort()
    return statistics.median(times) * 1000, times[int(len(times) * 0.9)] * 1000, len(ctx)


def main() -> None:
    if connection.vendor != "postgresql":
        sys.exit("bench-question runs on PostgreSQL: set DATABASE_URL.")
    call_command("migrate", verbosity=0)
    call_command("load_blueprint", "fixtures/blueprints/mls-c01.yaml", verbosity=0)
    exam = Exam.objects.get(code="MLS-C01")
    data.add_questions(exam, 1000)
    data.analyze()
    user = User.objects.create_user("bench-candidate")
    attempt, _ = services.start_attempt(user, exam)
    client = Client()
    client.force_login(user)
    urls = [reverse("exams:question", args=[attempt.code, p]) for p in range(1, 66)]
    for url in urls:  # every question seen once: the steady state is a revisit
        client.get(url)
    print(f"PostgreSQL {connection.pg_version // 10000}, {os.cpu_count()} cores, "
          f"{attempt.question_count}-question attempt, {ROUNDS} GETs each, "
          "test Client (middleware included, no network)")  # fmt: skip
    print(f"{'page':>22} {'median ms':>10} {'p90 ms':>8} {'queries':>8}")
    for name, headers in (("full page", {}), ("swap (HX-Request)", {"HX-Request": "true"})):
        median, p90, queries = timed(client, urls, headers)
        print(f"{name:>22} {median:>10.2f} {p90:>8.2f} {queries:>8}")


if __name__ == "__main__":
    main()
