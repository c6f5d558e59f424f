"""Sign-up throttling per address; password reset only where mail can be sent."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core import mail
from django.test import override_settings
from django.urls import NoReverseMatch, clear_url_caches, reverse
from django.utils import timezone

from accounts.models import Signup


def sign_up(client, name, ip="203.0.113.9"):
    data = {
        "username": name,
        "password1": "a-long-passphrase-1",
        "password2": "a-long-passphrase-1",
    }
    r = client.post(reverse("signup"), data, REMOTE_ADDR=ip)
    client.logout()
    return r


def test_it_pauses_sign_up_from_an_address_after_the_limit(client, db, settings):
    settings.SIGNUP_LIMIT = 3
    with time_machine.travel(
        timezone.datetime(2026, 5, 1, 12, tzinfo=timezone.UTC), tick=False
    ) as t:
        for n in range(3):
            assert sign_up(client, f"user{n}").status_code == 302
        r = sign_up(client, "user3")
        assert r.status_code == 429
        assert "Too many sign-ups" in r.text
        assert not User.objects.filter(username="user3").exists()
        # Another address is not affected, and the window passes.
        assert sign_up(client, "user4", ip="198.51.100.4").status_code == 302
        t.shift(timedelta(minutes=61))
        assert sign_up(client, "user5").status_code == 302
    assert Signup.objects.count() == 5


def test_failed_sign_ups_do_not_count(client, db, settings):
    settings.SIGNUP_LIMIT = 1
    bad = {"username": "x", "password1": "a", "password2": "b"}
    for _ in range(3):
        assert client.post(reverse("signup"), bad).status_code == 200
    assert sign_up(client, "finally").status_code == 302


@pytest.fixture
def reload_urls():
    def reload(**overrides):
        import importlib

        import accounts.urls
        import examsite.urls

        with override_settings(**overrides):
            importlib.reload(accounts.urls)
            importlib.reload(examsite.urls)
        clear_url_caches()

    yield reload
    reload()


def test_password_reset_is_absent_without_mail(client, db, settings, reload_urls):
    settings.PASSWORD_RESET_ENABLED = False
    reload_urls(PASSWORD_RESET_ENABLED=False)
    with pytest.raises(NoReverseMatch):
        reverse("password_reset")
    assert client.get("/accounts/password_reset/").status_code == 404
    assert "Forgotten your password" not in client.get(reverse("login")).text


def test_password_reset_mails_a_working_link(client, alice, settings, reload_urls):
    settings.PASSWORD_RESET_ENABLED = True
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    reload_urls(PASSWORD_RESET_ENABLED=True)
    assert "Forgotten your password" in client.get(reverse("login")).text
    r = client.post(reverse("password_reset"), {"email": "alice@example.org"})
    assert r.status_code == 302
    (message,) = mail.outbox
    link = next(line for line in message.body.splitlines() if "/accounts/reset/" in line)
    r = client.get(link.split("testserver", 1)[1], follow=True)
    assert "Choose a new password" in r.text
    r = client.post(r.redirect_chain[-1][0], {"new_password1": "another-passphrase-2",
                                              "new_password2": "another-passphrase-2"})  # fmt: skip
    assert r.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("another-passphrase-2")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp+tls://me%40x.org:s%3Acret@mail.x.org", {"host": "mail.x.org", "port": 587,
         "use_tls": True, "use_ssl": False, "username": "me@x.org", "password": "s:cret"}),
        ("smtps://mail.x.org", {"host": "mail.x.org", "port": 465, "use_ssl": True}),
        ("smtp://mail.x.org:2525", {"port": 2525, "use_tls": False}),
    ],
)  # fmt: skip
def test_email_url_configures_the_mailer(url, expected):
    from examsite.settings import mailer

    options = mailer(url)["OPTIONS"]
    assert expected.items() <= options.items()


def test_a_bad_email_url_stops_the_start():
    from django.core.exceptions import ImproperlyConfigured

    from examsite.settings import mailer

    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL takes"):
        mailer("http://mail.x.org")
