"""Bulk data for the benchmarks and the draw's query-plan test, written with SQL in a few
statements (PostgreSQL only): questions for a bank, and other candidates' history."""

from django.db import connection

from questions.models import Exam, Objective

STEM = "A bench question about a data pipeline whose feature store and model drift " * 5


def add_questions(bank: Exam, count: int, prefix: str = "bench") -> None:
    """``count`` active single-answer questions spread over ``bank``'s objectives, each with
    four options (the first correct), stems as long as the bundled ones."""
    objectives = list(Objective.objects.filter(domain__exam=bank).values_list("id", flat=True))
    with connection.cursor() as c:
        c.execute(
            """
            INSERT INTO questions_question (key, type, stem, explanation, "references",
                status, created, updated, objective_id, difficulty, version)
            SELECT %s || '-' || g, 'single', %s || g, 'Because.', '[]', 'active', now(),
                now(), (%s::bigint[])[1 + g %% cardinality(%s::bigint[])], 'medium', 1
            FROM generate_series(1, %s) AS g
            """,
            [prefix, STEM, objectives, objectives, count],
        )
        c.execute(
            """
            INSERT INTO questions_option (text, is_correct, "order", question_id)
            SELECT 'Option ' || o, o = 1, o, q.id
            FROM questions_question q CROSS JOIN generate_series(1, 4) AS o
            WHERE q.key LIKE %s
            """,
            [prefix + "-%"],
        )


def add_history(bank: Exam, items: int, per_attempt: int = 65, candidates: int = 1000) -> None:
    """``items`` finished attempt items of ``candidates`` other candidates (new users), in
    attempts of ``per_attempt`` questions drawn at random from ``bank``'s active ones."""
    attempts = max(1, items // per_attempt)
    with connection.cursor() as c:
        c.execute("SELECT coalesce(max(id), 0) FROM auth_user")
        (first_user,) = c.fetchone()
        c.execute(
            """
            INSERT INTO auth_user (password, is_superuser, username, first_name, last_name,
                email, is_staff, is_active, date_joined)
            SELECT '!', false, 'bench-' || (%s + g), '', '', '', false, true, now()
            FROM generate_series(1, %s) AS g
            """,
            [first_user, candidates],
        )
        c.execute(
            """
            INSERT INTO exams_attempt (code, status, extra_time, hide_clock, started,
                deadline, finished, question_count, score_min, score_max,
                passing_score, pacing_segments, finish_reason, correct_count, exam_id,
                user_id, bank_id, feedback, mode, pilot_count, begun)
            SELECT gen_random_uuid(), 'finished', false, false, now() - interval '1 day',
                now(), now(), %s, 100, 1000, 750, 3, 'submitted', 0, %s,
                (SELECT id FROM auth_user WHERE username = 'bench-' || (%s + 1 + g %% %s)),
                %s, 'end', 'exam', 0, now() - interval '1 day'
            FROM generate_series(1, %s) AS g
            """,
            [per_attempt, bank.pk, first_user, candidates, bank.pk, attempts],
        )
        c.execute(
            """
            CREATE TEMP TABLE bench_active AS
            SELECT row_number() OVER () AS n, id, key FROM questions_question
            WHERE status = 'active' AND objective_id IN (
                SELECT o.id FROM questions_objective o
                JOIN questions_domain d ON d.id = o.domain_id WHERE d.exam_id = %s)
            """,
            [bank.pk],
        )
        c.execute("SELECT count(*) FROM bench_active")
        (active,) = c.fetchone()
        c.execute(
            """
            INSERT INTO exams_attemptitem (attempt_id, position, question_id, question_key,
                question_version, domain_number, domain_name, domain_weight, objective_code,
                objective_title, type, stem, options, explanation, "references", selected,
                flagged, is_correct, unsure, scored, struck)
            SELECT a.id, p, q.id, q.key, 1, 1, 'Domain', 20, '1.1', 'Objective', 'single',
                %s, '[{"id": 1, "text": "Option 1", "correct": true}]', '', '[]', '[1]',
                false, true, false, true, '[]'
            FROM (SELECT id FROM exams_attempt WHERE user_id > %s) a
            CROSS JOIN generate_series(1, %s) AS p
            JOIN bench_active q ON q.n = 1 + (hashint8(a.id * 1000 + p)::bigint %% %s + %s) %% %s
            """,
            [STEM, first_user, per_attempt, active, active, active],
        )
        c.execute("DROP TABLE bench_active")
    analyze(vacuum=not connection.in_atomic_block)


def analyze(vacuum: bool = True) -> None:
    """Fresh planner statistics (and, outside a transaction, the visibility map that lets
    the draw read the index alone), as autovacuum would leave them."""
    with connection.cursor() as c:
        for table in ("questions_question", "questions_option", "exams_attempt",
                      "exams_attemptitem", "auth_user"):  # fmt: skip
            c.execute(f"{'VACUUM ' if vacuum else ''}ANALYZE {table}")
