"""Fast at any size: the draw reads only the candidate's own history, a save on a kept
connection costs what it must, and pages are compressed (docs/scaling.md)."""

import gzip
import random
import re

import pytest
import time_machine
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench import data
from exams import selection, services
from exams.models import Attempt, AttemptItem
from tests.factories import make_bank
from tests.helpers import T0

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="query plans are PostgreSQL's (CI runs both)"
)


def touched(plan: dict, table: str) -> int:
    """Rows of ``table`` that the executed plan read: returned or filtered away, per loop."""
    rows = 0
    if plan.get("Relation Name") == table:
        per_loop = (
            plan.get("Actual Rows", 0)
            + plan.get("Rows Removed by Filter", 0)
            + plan.get("Rows Removed by Index Recheck", 0)
        )
        rows += per_loop * plan.get("Actual Loops", 1)
    for child in plan.get("Plans", []):
        rows += touched(child, table)
    return rows


@on_postgres
def test_the_draw_never_reads_other_candidates_attempt_items(alice, mls):
    make_bank(mls, per_objective=8)
    for _ in range(2):
        mine, _ = services.start_attempt(alice, mls)
        services.finish_attempt(mine, Attempt.FinishReason.SUBMITTED)
    data.add_questions(mls, 3000)
    data.add_history(mls, 60_000, candidates=300)  # others' items, 300 times Alice's
    own = AttemptItem.objects.filter(attempt__user=alice).count()
    assert own == 130
    assert AttemptItem.objects.exclude(attempt__user=alice).count() >= 59_000

    with CaptureQueriesContext(connection) as ctx:
        drawn = selection.draw_by_blueprint(mls, alice, random.Random(3))
    assert sum(len(ids) for _, ids in drawn) == 65
    # Constant: the blueprint's domains, the candidate's history, one sample of the bank.
    assert len(ctx.captured_queries) == 3
    reads = 0
    with connection.cursor() as cursor:
        for query in ctx.captured_queries:
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + query["sql"])
            (plan,) = cursor.fetchone()[0]
            reads += touched(plan["Plan"], "exams_attemptitem")
    assert 0 < reads <= own


def test_the_draw_is_least_seen_first_from_a_random_sample(alice, mls):
    """The sample holds needed + seen questions per domain: enough unseen ones always."""
    make_bank(mls, per_objective=16)
    first, _ = services.start_attempt(alice, mls)
    services.finish_attempt(first, Attempt.FinishReason.SUBMITTED)
    seen = set(first.items.values_list("question_id", flat=True))
    for seed in range(3):
        drawn = selection.draw_by_blueprint(mls, alice, random.Random(seed))
        assert not seen & {qid for _, ids in drawn for qid in ids}


def test_a_save_on_a_kept_connection_is_three_statements_besides_session_and_user(
    alice_client, attempt, settings, monkeypatch
):
    """On a kept connection a save sends the health check, the locked read of the item and
    its attempt, and the UPDATE: three statements, besides the session's and the user's.
    A save that changes the chosen options also appends its row to the answer history
    (a fourth, counted in tests/test_queries.py); this one re-saves them with a flag."""
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] > 0  # the shipped default
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"]
    item = attempt.items.get(position=1)
    url = reverse("exams:question", args=[attempt.code, 1])
    form = {"answer_form": "1", "option": [item.options[0]["id"]]}
    with time_machine.travel(T0, tick=False):
        alice_client.post(url, form, headers={"HX-Request": "true"})
    form["flagged"] = "on"
    health_checks = []
    db = connections["default"]
    real = db.is_usable
    monkeypatch.setattr(db, "is_usable", lambda: health_checks.append(1) or real())
    # As between two requests of a worker: the kept connection is due for its check.
    monkeypatch.setattr(db, "health_check_enabled", True)
    monkeypatch.setattr(db, "health_check_done", False)
    with time_machine.travel(T0, tick=False), CaptureQueriesContext(connection) as ctx:
        r = alice_client.post(url, form, headers={"HX-Request": "true"})
    assert r.status_code == 200
    sql = [q["sql"] for q in ctx.captured_queries]
    session = [s for s in sql if "django_session" in s]
    user = [s for s in sql if 'FROM "auth_user"' in s]
    rest = [s for s in sql if s not in session + user]
    assert (len(session), len(user)) == (1, 1)
    assert len(rest) + len(health_checks) == 3, rest
    assert rest[0].startswith('SELECT "exams_attemptitem"')
    assert "FOR UPDATE" in rest[0] or connection.vendor == "sqlite"  # IMMEDIATE locks there
    assert rest[1].startswith('UPDATE "exams_attemptitem"')


def test_pages_are_gzipped_with_a_fresh_csrf_token_each_time(alice_client, attempt):
    url = reverse("exams:question", args=[attempt.code, 1])
    with time_machine.travel(T0, tick=False):
        pages = [alice_client.get(url, headers={"Accept-Encoding": "gzip"}) for _ in range(2)]
    for page in pages:
        assert page["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in page["Vary"]
    html = [gzip.decompress(p.content).decode() for p in pages]
    tokens = [re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', h).group(1) for h in html]
    # BREACH needs a secret repeated byte for byte across responses; the token is not.
    assert tokens[0] != tokens[1]
    assert len(pages[0].content) < len(html[0]) / 3
    plain = alice_client.get(url)
    assert not plain.has_header("Content-Encoding")
