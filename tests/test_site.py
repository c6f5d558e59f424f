import os
import subprocess
import sys

from django.test import override_settings
from django.urls import reverse

from tests.helpers import ROOT


def test_the_home_page_lists_the_exam_and_links_the_admin(client, charlie, mls):
    r = client.get(reverse("home"))
    assert r.status_code == 200
    assert "AWS Certified Machine Learning – Specialty" in r.text
    assert "65 questions · 180 minutes · pass at 750 of 1000" in r.text
    client.force_login(charlie)
    assert reverse("admin:index") in client.get(reverse("home")).text


def test_it_signs_up_and_logs_in(client, mls):
    r = client.post(
        reverse("signup"),
        {
            "username": "dana",
            "password1": "a-long-passphrase-9",
            "password2": "a-long-passphrase-9",
        },
        follow=True,
    )
    assert "Welcome, dana." in r.text
    assert r.context["user"].username == "dana"
    assert "Start MLS-C01" in r.text


def test_sign_up_can_be_turned_off(client, db):
    with override_settings(SIGNUP_ENABLED=False):
        r = client.get(reverse("signup"))
        assert r.status_code == 404
        assert reverse("signup") not in client.get(reverse("login")).text


def test_it_logs_in_and_out_and_changes_the_password(client, alice):
    r = client.post(reverse("login"), {"username": "alice", "password": "password"})
    assert r.status_code == 302
    r = client.post(
        reverse("password_change"),
        {
            "old_password": "password",
            "new_password1": "n3w-passphrase!",
            "new_password2": "n3w-passphrase!",
        },
    )
    assert r.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("n3w-passphrase!")
    client.post(reverse("logout"))
    assert client.get(reverse("password_change")).status_code == 302


def run_settings(env):
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    base = {
        k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG", "ALLOWED_HOSTS")
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "examsite.settings", **env},
        capture_output=True,
        text=True,
    )


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off():
    r = run_settings({"DEBUG": "False", "ALLOWED_HOSTS": "example.org"})
    assert r.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off." in r.stderr
    r = run_settings({"DEBUG": "False", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "example.org"})
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "False"
    assert run_settings({"DEBUG": "True"}).returncode == 0
    r = run_settings({"DEBUG": "maybe"})
    assert "DEBUG is 'maybe'; use True or False." in r.stderr
