"""The container's start, and two app servers sharing one database, run for real:
gunicorn processes with the documented production environment (see tests/serving.py)."""

import json
import os
import re
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import cycle
from urllib.parse import urlsplit

import psycopg
import pytest
from psycopg import sql

from tests.serving import (
    Browser,
    Server,
    collectstatic_env,
    dockerfile_instruction,
    free_port,
    manage,
    production_env,
    request,
)

# Real gunicorn processes on the real clock: slow, and left out of `make test-fast`.
pytestmark = pytest.mark.deploy


@contextmanager
def new_postgres_database(server_url: str) -> Iterator[str]:
    """The URL of a new, empty database on the server of ``server_url``; dropped after."""
    name = f"examsite_deploy_{uuid.uuid4().hex[:8]}"
    server = urlsplit(server_url)
    with psycopg.connect(server._replace(path="/postgres").geturl(), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            yield server._replace(path=f"/{name}").geturl()
        finally:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture
def database_url(tmp_path):
    """A new, empty database for the servers: on the PostgreSQL server of DATABASE_URL when
    the suite runs on PostgreSQL (as CI does), else a SQLite file."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{tmp_path / 'deploy.sqlite3'}"
        return
    with new_postgres_database(url) as database:
        yield database


@pytest.fixture
def image_env(tmp_path, database_url):
    static_root = tmp_path / "staticfiles"
    # The Dockerfile's build step, with the same throwaway settings.
    build = manage(
        "collectstatic",
        "--no-input",
        "--verbosity",
        "0",
        env={**production_env(), **collectstatic_env(), "STATIC_ROOT": str(static_root)},
    )
    assert build.returncode == 0, build.stderr
    return production_env(
        DATABASE_URL=database_url,
        STATIC_ROOT=str(static_root),
        PORT=str(free_port()),
        GUNICORN_WORKERS="2",
        GUNICORN_THREADS="2",
    )


def start_container(env, log) -> Server:
    """ENTRYPOINT + CMD, exactly as the Dockerfile gives them."""
    server = Server(dockerfile_instruction("ENTRYPOINT") + dockerfile_instruction("CMD"), env, log)
    server.wait_until_healthy()
    return server


def test_it_starts_as_the_image_does(image_env, tmp_path):
    server = start_container(image_env, tmp_path / "first.log")
    try:
        out = server.output
        assert "Applying exams.0001_initial... OK" in out
        created = int(re.search(r"(\d+) created, 0 updated, 0 unchanged\.", out).group(1))
        assert created > 300
        assert "Booting worker" in out

        # The image's HEALTHCHECK passes.
        probe = subprocess.run(
            dockerfile_instruction("HEALTHCHECK"), env=image_env, capture_output=True, text=True
        )
        assert probe.returncode == 0, probe.stderr

        port = server.port
        health = request(port, "GET", "/healthz")
        assert (health.status, health.text) == (200, "ok\n")

        # Plain HTTP is sent to HTTPS; through the proxy, pages are served with their headers.
        r = request(port, "GET", "/accounts/login/", headers={"Host": "exams.example.org"})
        assert r.status == 301
        assert r.header("Location") == "https://exams.example.org/accounts/login/"

        browser = Browser()
        page = browser.get(port, "/accounts/login/")
        assert page.status == 200
        csp = page.header("Content-Security-Policy")
        nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
        assert "script-src 'self' 'nonce-" in csp
        assert "default-src 'self'" in csp
        assert f'nonce="{nonce}"' in page.text  # htmx's script tag carries it
        assert page.header("Strict-Transport-Security") == (
            "max-age=31536000; includeSubDomains; preload"
        )
        assert page.header("X-Content-Type-Options") == "nosniff"
        cookie = page.headers.get_all("Set-Cookie")[0]
        assert cookie.startswith("csrftoken=")
        assert "Secure" in cookie
        assert "HttpOnly" in cookie

        # The stylesheet, hashed at build time, is cached for good and sent compressed.
        href = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', page.text).group(1)
        proxied = {"Host": "exams.example.org", "X-Forwarded-Proto": "https"}
        css = request(port, "GET", href, headers={**proxied, "Accept-Encoding": "gzip"})
        assert css.status == 200
        assert css.header("Cache-Control") == "max-age=315360000, public, immutable"
        assert css.header("Content-Encoding") == "gzip"
        assert css.header("Content-Type").startswith("text/css")
        unhashed = request(port, "GET", "/static/css/site.css", headers=proxied)
        assert unhashed.header("Cache-Control") == ("max-age=60, public")
    finally:
        assert server.stop() == 0, server.output

    # A restart (or an upgrade) runs the same steps: nothing to migrate, nothing to load.
    server = start_container(image_env, tmp_path / "second.log")
    try:
        out = server.output
        assert "No migrations to apply." in out
        assert f"0 created, 0 updated, {created} unchanged." in out
        assert request(server.port, "GET", "/healthz").status == 200
    finally:
        assert server.stop() == 0, server.output


def test_it_can_be_told_not_to_load_the_bank(image_env, tmp_path):
    server = start_container({**image_env, "LOAD_BANK": "False"}, tmp_path / "nobank.log")
    try:
        assert "Not loading the bundled bank" in server.output
        home = Browser().get(server.port, "/")
        assert "No exams are loaded yet" in home.text
    finally:
        server.stop()


def test_healthz_says_503_while_the_database_is_away(image_env, tmp_path):
    env = {**image_env, "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none"}
    server = Server(dockerfile_instruction("CMD"), env, tmp_path / "nodb.log")  # no entrypoint
    try:
        r = server.first_answer("/healthz", seconds=60)
        assert (r.status, r.text) == (503, "database unavailable\n")
        assert "Health check: the database did not answer" in server.output
    finally:
        server.stop()


def answer_everything(browser: Browser, ports: tuple[int, int], attempt_path: str, count: int):
    """Every question shown by one server and answered on the other, turn about."""
    for position in range(1, count + 1):
        url = f"{attempt_path}q/{position}/"
        page = browser.get(ports[position % 2], url)
        assert page.status == 200, page.text
        options = re.findall(r'name="option" value="(\d+)"', page.text)
        choose = re.search(r'data-choose="(\d+)"', page.text)
        chosen = options[: int(choose.group(1)) if choose else 1]
        saved = browser.post(
            ports[(position + 1) % 2],
            url,
            {
                "csrfmiddlewaretoken": page.csrf_token(),
                "answer_form": "1",
                "option": chosen,
                "go": "stay",
            },
        )
        assert saved.status == 302, saved.text


def test_two_app_servers_share_one_database(image_env, tmp_path):
    setup = manage("bootstrap", env=image_env)
    assert setup.returncode == 0, setup.stderr
    made = manage(
        "shell",
        "-c",
        "from django.contrib.auth.models import User;"
        "User.objects.create_user('alice', password='correct horse battery')",
        env=image_env,
    )
    assert made.returncode == 0, made.stderr
    servers = [
        Server(
            dockerfile_instruction("CMD"),
            {**image_env, "PORT": str(free_port())},
            tmp_path / f"web{n}.log",
        )
        for n in (1, 2)
    ]
    try:
        for server in servers:
            server.wait_until_healthy()
        a, b = (s.port for s in servers)
        ports = cycle([a, b])
        alice = Browser()

        login = alice.get(next(ports), "/accounts/login/")
        r = alice.post(
            next(ports),
            "/accounts/login/",
            {
                "csrfmiddlewaretoken": login.csrf_token(),
                "username": "alice",
                "password": "correct horse battery",
            },
        )
        assert r.status == 302, r.text
        home = alice.get(next(ports), "/")
        assert "Start MLS-C01" in home.text
        r = alice.post(
            next(ports), "/start/", {"csrfmiddlewaretoken": home.csrf_token(), "exam": "MLS-C01"}
        )
        assert r.status == 302
        attempt_path = re.match(r"(/attempts/[0-9a-f-]+/)begin/", r.header("Location")).group(1)
        instructions = alice.get(next(ports), f"{attempt_path}begin/")
        assert "The clock starts only when you press Begin" in instructions.text
        r = alice.post(
            next(ports),
            f"{attempt_path}begin/",
            {"csrfmiddlewaretoken": instructions.csrf_token()},
        )
        assert r.header("Location") == f"{attempt_path}q/1/"

        answer_everything(alice, (a, b), attempt_path, 65)

        review = alice.get(next(ports), f"{attempt_path}review/")
        assert "You have answered 65 of 65 questions." in review.text
        r = alice.post(
            next(ports), f"{attempt_path}submit/", {"csrfmiddlewaretoken": review.csrf_token()}
        )
        assert r.status == 302
        assert r.header("Location").endswith(f"{attempt_path}results/")

        scores = {
            re.search(r"Score (\d+)", alice.get(port, f"{attempt_path}results/").text).group(1)
            for port in (a, b)
        }
        assert len(scores) == 1  # both servers show the same result

        stored = manage(
            "shell",
            "-c",
            "import json; from exams.models import Attempt; a = Attempt.objects.get();"
            "print(json.dumps([a.status, a.scaled_score,"
            " a.items.exclude(selected=[]).count(), a.items.count()]))",
            env=image_env,
        )
        assert stored.returncode == 0, stored.stderr
        status, score, answered, total = json.loads(stored.stdout.splitlines()[-1])
        assert (status, answered, total) == ("finished", 65, 65)
        assert scores == {str(score)}
        # Each server showed questions and saved answers.
        for server in servers:
            assert server.output.count('"GET /attempts/') >= 30
            assert server.output.count('"POST /attempts/') >= 30
    finally:
        for server in servers:
            server.stop()


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="backup and restore are PostgreSQL's (CI runs this on PostgreSQL)",
)
def test_the_readme_backup_restores_into_a_new_database(image_env, tmp_path):
    assert manage("bootstrap", env=image_env).returncode == 0
    made = manage(
        "shell",
        "-c",
        "from django.contrib.auth.models import User; User.objects.create_user('alice')",
        env=image_env,
    )
    assert made.returncode == 0, made.stderr
    dump = tmp_path / "examsite.dump"
    source = image_env["DATABASE_URL"]
    with dump.open("wb") as out:
        subprocess.run(["pg_dump", "--format=custom", "-d", source], stdout=out, check=True)

    # The README's restore, into a new server's freshly started (migrated, loaded) database.
    with new_postgres_database(source) as target:
        restored_env = {**image_env, "DATABASE_URL": target}
        assert manage("bootstrap", env=restored_env).returncode == 0
        with dump.open("rb") as backup:
            subprocess.run(
                ["pg_restore", "-d", target, "--clean", "--if-exists", "--no-owner"],
                stdin=backup,
                check=True,
            )
        again = manage("bootstrap", env=restored_env)
        assert "No migrations to apply." in again.stdout
        assert re.search(r"0 created, 0 updated, \d+ unchanged\.", again.stdout)
        users = manage(
            "shell",
            "-c",
            "from django.contrib.auth.models import User;"
            "print(list(User.objects.values_list('username', flat=True)))",
            env=restored_env,
        )
        assert users.stdout.splitlines()[-1] == "['alice']"


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="kept connections and pg_terminate_backend are PostgreSQL's (CI runs this there)",
)
def test_kept_connections_survive_the_database_dropping_them(image_env, tmp_path):
    """Workers keep their connection between requests; when the server drops it (a restart,
    an idle timeout, a failover), the next request reopens it instead of failing."""
    server = start_container(image_env, tmp_path / "kept.log")
    try:
        made = manage(
            "shell",
            "-c",
            "from django.contrib.auth.models import User;"
            "User.objects.create_user('alice', password='correct horse battery')",
            env=image_env,
        )
        assert made.returncode == 0, made.stderr
        alice = Browser()
        login = alice.get(server.port, "/accounts/login/")
        form = {
            "csrfmiddlewaretoken": login.csrf_token(),
            "username": "alice",
            "password": "correct horse battery",
        }
        assert alice.post(server.port, "/accounts/login/", form).status == 302
        assert "Start MLS-C01" in alice.get(server.port, "/").text

        database = urlsplit(image_env["DATABASE_URL"]).path.lstrip("/")
        admin = urlsplit(os.environ["DATABASE_URL"])._replace(path="/postgres").geturl()
        with psycopg.connect(admin, autocommit=True) as conn:
            kept = conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                [database],
            ).fetchall()
        assert kept, "no worker kept its connection"

        for _ in range(4):  # whichever worker answers, its old connection is gone
            home = alice.get(server.port, "/")
            assert home.status == 200, home.text
            assert "Start MLS-C01" in home.text
    finally:
        server.stop()


def test_a_new_master_binds_while_the_old_one_drains(image_env, tmp_path):
    """A supervisor's restart on bare metal: the new gunicorn starts on the same port at
    once, while the old one is still running."""
    assert manage("bootstrap", env=image_env).returncode == 0
    env = {**image_env, "PORT": str(free_port())}
    old = Server(dockerfile_instruction("CMD"), env, tmp_path / "old.log")
    try:
        old.wait_until_healthy()
        new = Server(dockerfile_instruction("CMD"), env, tmp_path / "new.log")
        try:
            # Both answer on one port, so wait for the new master's own word that it bound.
            deadline = time.monotonic() + 60
            while "Booting worker" not in new.output and new.process.poll() is None:
                assert time.monotonic() < deadline, new.output
                time.sleep(0.2)
            assert new.process.poll() is None, new.output
            assert "Address already in use" not in new.output
            assert old.stop() == 0  # the old master drains and leaves
            assert request(old.port, "GET", "/healthz").status == 200  # the new one serves
        finally:
            new.stop()
    finally:
        old.stop()
