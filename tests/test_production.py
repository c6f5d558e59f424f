"""Production settings, the Content Security Policy, /healthz, and the deployment files."""

import json
import os
import re
import shutil
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
import time_machine
import yaml
from django.db import OperationalError
from django.test import RequestFactory
from django.urls import reverse

from accounts.throttle import client_ip
from questions.models import Question
from tests.helpers import T0
from tests.serving import BIN, ROOT, env_file, manage, production_env


def run_python(code: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_it_passes_check_deploy_with_the_documented_environment():
    r = manage("check", "--deploy", "--fail-level", "DEBUG", env=production_env())
    assert r.returncode == 0, r.stdout + r.stderr
    assert "System check identified no issues (0 silenced)." in r.stdout


def test_check_deploy_would_catch_a_weak_setup():
    """The test above can fail: plain HTTP draws the warnings it must not have."""
    r = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env=production_env(BEHIND_HTTPS_PROXY="False"),
    )
    assert r.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in r.stderr


def test_it_refuses_to_start_without_allowed_hosts_when_debug_is_off():
    r = run_python(
        "import django; django.setup()", production_env(ALLOWED_HOSTS="", DEBUG="False")
    )
    assert r.returncode != 0
    assert "ALLOWED_HOSTS must be set when DEBUG is off." in r.stderr


SHOW = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({
    "proxy_header": s.SECURE_PROXY_SSL_HEADER, "redirect": s.SECURE_SSL_REDIRECT,
    "hsts": s.SECURE_HSTS_SECONDS, "session_secure": s.SESSION_COOKIE_SECURE,
    "csrf_secure": s.CSRF_COOKIE_SECURE, "session_httponly": s.SESSION_COOKIE_HTTPONLY,
    "csrf_httponly": s.CSRF_COOKIE_HTTPONLY, "session_engine": s.SESSION_ENGINE,
}))
"""


def test_https_hardening_is_on_only_behind_a_tls_proxy():
    behind = json.loads(run_python(SHOW, production_env()).stdout)
    assert behind == {
        "proxy_header": ["HTTP_X_FORWARDED_PROTO", "https"],
        "redirect": True,
        "hsts": 31536000,
        "session_secure": True,
        "csrf_secure": True,
        "session_httponly": True,
        "csrf_httponly": True,
        "session_engine": "django.contrib.sessions.backends.db",
    }
    # Without the flag a client could claim HTTPS with a header; it is not trusted.
    plain = json.loads(run_python(SHOW, production_env(BEHIND_HTTPS_PROXY="False")).stdout)
    assert plain["proxy_header"] is None
    assert (plain["redirect"], plain["hsts"], plain["session_secure"]) == (False, 0, False)
    assert (plain["session_httponly"], plain["csrf_httponly"]) == (True, True)


def assert_csp_clean(response):
    """The page has a nonce policy, and nothing inline that the policy would refuse."""
    csp = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp
    assert "object-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    html = response.content.decode()
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert 'src="/static/' in tag or f'nonce="{nonce}"' in tag, tag
    assert "<style" not in html
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html), re.search(r"\son[a-z]+=[^>]*", html)


def test_every_page_fits_the_content_security_policy(client, alice, charlie, attempt):
    client.force_login(alice)
    code = attempt.code
    pages = [
        reverse("home"),
        reverse("exams:question", args=[code, 1]),
        reverse("exams:review", args=[code]),
        reverse("exams:history"),
    ]
    # While the attempt is open: the fixture started it at T0.
    with time_machine.travel(T0 + timedelta(minutes=5), tick=False):
        for url in pages:
            r = client.get(url)
            assert r.status_code == 200, url
            assert_csp_clean(r)
        client.post(reverse("exams:submit", args=[code]))
    for url in (reverse("exams:results", args=[code]), reverse("exams:answers", args=[code])):
        r = client.get(url)
        assert r.status_code == 200, url
        assert_csp_clean(r)

    client.post(reverse("logout"))
    for url in (reverse("login"), reverse("signup"), reverse("admin:login")):
        assert_csp_clean(client.get(url))
    client.force_login(charlie)
    question = Question.objects.first()
    for url in (
        reverse("admin:index"),
        reverse("admin:questions_question_changelist"),
        reverse("admin:questions_question_add"),
        reverse("admin:questions_question_change", args=[question.pk]),
        reverse("admin:questions_question_preview", args=[question.pk]),
        reverse("admin:exams_attempt_changelist"),
        reverse("admin:exams_attempt_change", args=[attempt.pk]),
    ):
        r = client.get(url)
        assert r.status_code == 200, url
        assert_csp_clean(r)


def test_htmx_is_configured_for_the_policy(client, db):
    html = client.get(reverse("home")).content.decode()
    meta = re.search(r"<meta name=\"htmx-config\" content='([^']+)'>", html).group(1)
    assert json.loads(meta) == {"allowEval": False, "includeIndicatorStyles": False}


def test_healthz_answers_before_host_checks_and_https_redirects(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    r = client.get("/healthz", HTTP_HOST="10.0.0.5:8000")
    assert (r.status_code, r.content) == (200, b"ok\n")
    assert r["Cache-Control"] == "no-store"
    assert client.get("/", HTTP_HOST="10.0.0.5:8000").status_code == 400


def test_healthz_costs_one_query_and_no_session(client, db, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        r = client.get("/healthz")
    assert r.status_code == 200
    assert "Set-Cookie" not in r.headers


def test_healthz_says_503_when_the_database_does_not_answer(client, db):
    with mock.patch("examsite.middleware.connection.cursor", side_effect=OperationalError):
        r = client.get("/healthz")
    assert r.status_code == 503
    assert r.content == b"database unavailable\n"


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (0, "198.51.100.1", "", "198.51.100.1"),
        (0, "198.51.100.1", "203.0.113.9", "198.51.100.1"),  # no proxy: header ignored
        (1, "10.0.0.2", "203.0.113.9", "203.0.113.9"),
        (1, "10.0.0.2", "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # the left part is forged
        (2, "10.0.0.2", "6.6.6.6, 203.0.113.9, 10.0.0.3", "203.0.113.9"),
        (2, "10.0.0.2", "203.0.113.9", "10.0.0.2"),  # fewer hops than promised
    ],
)
def test_it_finds_the_client_address(settings, proxies, remote, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    request = RequestFactory().get("/", REMOTE_ADDR=remote, **headers)
    assert client_ip(request) == expected


def configured_names() -> set[str]:
    """Every environment variable the app, gunicorn, the entrypoint or compose reads."""
    names = set()
    for path in ("examsite/settings.py", "gunicorn.conf.py", "docker/healthcheck.py"):
        text = (ROOT / path).read_text()
        names |= set(re.findall(r"(?:getenv|envbool|envint|envlist)\(\s*[\"']([A-Z_]+)", text))
    for path in ("docker/entrypoint.sh", "compose.yaml"):
        names |= set(re.findall(r"\$\{([A-Z_]+)", (ROOT / path).read_text()))
    return names


def test_env_example_lists_every_setting():
    listed = set(re.findall(r"^#? ?([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    # Fixed in the image (the Dockerfile sets them; compose maps port 8000).
    names = configured_names() - {"PORT", "STATIC_ROOT"}
    assert {"SECRET_KEY", "GUNICORN_WORKERS", "LOAD_BANK", "WEB_PORTS"} <= names
    assert names - listed == set()
    assert listed - names == set()
    # ... and each is in the README's configuration table.
    readme = (ROOT / "README.md").read_text()
    assert [n for n in sorted(configured_names()) if f"`{n}`" not in readme] == []


def test_compose_runs_the_app_on_postgresql_behind_one_address():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    web, balancer, db = (compose["services"][name] for name in ("web", "balancer", "db"))
    assert web["build"] == "."
    assert web["depends_on"] == {"db": {"condition": "service_healthy"}}
    assert "ports" not in web  # so that --scale web=N cannot clash on a host port
    assert "@db:5432/examsite" in web["environment"]["DATABASE_URL"]
    assert balancer["ports"] == ["${WEB_PORTS:-127.0.0.1:8000}:8000"]
    assert balancer["depends_on"] == {"web": {"condition": "service_healthy"}}
    assert balancer["volumes"] == ["./docker/balancer.conf:/etc/nginx/conf.d/default.conf:ro"]
    assert db["image"].startswith("postgres:")
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    volume = db["volumes"][0].split(":")[0]
    assert volume in compose["volumes"]
    # Secrets are left blank, so nothing starts with a published placeholder.
    documented = env_file(ROOT / ".env.example")
    assert documented["SECRET_KEY"] == documented["POSTGRES_PASSWORD"] == ""


NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


@pytest.mark.skipif(
    not Path(NGINX).exists() and not os.environ.get("CI"), reason="nginx is not installed"
)
def test_the_balancer_configuration_is_valid_nginx(tmp_path):
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log stderr;\nevents {{}}\n"
        f"http {{ include {ROOT}/docker/balancer.conf; }}\n"
    )
    r = subprocess.run(
        [NGINX, "-t", "-c", tmp_path / "nginx.conf", "-p", tmp_path],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr
    conf = (ROOT / "docker" / "balancer.conf").read_text()
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in conf
    assert "proxy_set_header X-Forwarded-Proto $http_x_forwarded_proto;" in conf


def test_the_dockerfile_passes_hadolint():
    r = subprocess.run([BIN / "hadolint", "Dockerfile"], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_the_image_runs_unprivileged_and_builds_its_static_files():
    dockerfile = (ROOT / "Dockerfile").read_text()
    stages = re.findall(r"^FROM (\S+)", dockerfile, re.M)
    assert stages == ["python:3.13-slim", "python:3.13-slim"]
    user = re.findall(r"^USER (\S+)", dockerfile, re.M)
    assert user and user[-1].split(":")[0] not in ("0", "root")
    assert "collectstatic" in dockerfile.split("FROM python:3.13-slim\n")[0]
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".git", ".venv", "tests", "docs", ".env"} <= set(ignored)


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="PostgreSQL only"
)
def test_it_uses_psycopgs_pool_only_when_asked():
    url = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres"
    show = (
        "import django; django.setup(); from django.db import connection;"
        "connection.cursor().execute('SELECT 1');"
        "print(type(connection.pool).__name__ if connection.pool else None,"
        " connection.settings_dict['CONN_MAX_AGE'])"
    )
    pooled = run_python(show, production_env(DATABASE_URL=url, DB_POOL="True"))
    assert pooled.returncode == 0, pooled.stderr
    assert pooled.stdout.split() == ["ConnectionPool", "0"]
    kept = run_python(show, production_env(DATABASE_URL=url))
    assert kept.stdout.split() == ["None", "600"]
