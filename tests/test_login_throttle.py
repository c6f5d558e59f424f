from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

LIMIT = 10  # LOGIN_FAILURE_LIMIT's default


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


def log_in(client, username, password, ip="203.0.113.5", url=None):
    return client.post(
        url or reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def fail(client, username, times, ip="203.0.113.5"):
    """``times`` failed logins; the one that reaches the limit is already refused."""
    for n in range(1, times + 1):
        r = log_in(client, username, "wrong password", ip)
        if n < LIMIT:
            assert r.status_code == 200
            assert "Please enter a correct username and password" in r.text
        else:
            assert r.status_code == 429


def test_it_locks_an_account_after_repeated_failures(client, alice):
    fail(client, "alice", LIMIT - 1)
    assert log_in(client, "alice", "password").status_code == 302  # one short: still fine
    client.post(reverse("logout"))

    fail(client, "alice", LIMIT - 1)
    r = log_in(client, "alice", "wrong password")
    assert r.status_code == 429
    assert "Too many failed logins" in r.text
    assert "paused for 15 minutes" in r.text

    # Even the right password, and from another address: the account is what is locked.
    r = log_in(client, "alice", "password", ip="198.51.100.7")
    assert r.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_locked_account_does_not_lock_others(client, alice, bob):
    fail(client, "alice", LIMIT, ip="198.51.100.1")
    assert log_in(client, "bob", "password", ip="198.51.100.2").status_code == 302


def test_it_locks_an_address_trying_many_accounts(client, alice, bob):
    for n in range(LIMIT):
        log_in(client, f"guess{n}", "wrong password")
    r = log_in(client, "bob", "password")
    assert r.status_code == 429
    assert "from your network address" in r.text
    # The same account from elsewhere is fine: the address is what is locked.
    assert log_in(client, "bob", "password", ip="198.51.100.9").status_code == 302


def test_it_unlocks_after_the_cool_off(client, alice, clock):
    fail(client, "alice", LIMIT)
    clock.shift(timedelta(minutes=10))
    assert log_in(client, "alice", "password").status_code == 429
    # Tries during the lock do not extend it, or anyone could keep an account locked.
    assert log_in(client, "alice", "wrong password").status_code == 429
    clock.shift(timedelta(minutes=6))
    assert log_in(client, "alice", "password").status_code == 302


def test_a_success_clears_that_accounts_failures_from_that_address(client, alice, bob, charlie):
    """A classroom shares one address: a few typos each must not lock everyone out."""
    for user in ("alice", "bob", "charlie", "alice", "bob"):
        fail(client, user, LIMIT - 2)
        assert log_in(client, user, "password").status_code == 302, user
        client.post(reverse("logout"))


def test_logging_in_to_ones_own_account_does_not_reset_a_guessing_run(client, alice, bob):
    fail(client, "alice", LIMIT - 1)
    assert log_in(client, "bob", "password").status_code == 302  # the guesser's own account
    client.post(reverse("logout"))
    r = log_in(client, "alice", "wrong password")
    assert r.status_code == 429
    assert log_in(client, "alice", "password", ip="198.51.100.7").status_code == 429


def test_the_admin_login_is_throttled_too(client, charlie):
    url = reverse("admin:login")
    for _ in range(LIMIT - 1):
        assert log_in(client, "charlie", "wrong password", url=url).status_code == 200
    assert log_in(client, "charlie", "wrong password", url=url).status_code == 429
    r = log_in(client, "charlie", "password", url=url)
    assert r.status_code == 429
    assert "Too many failed logins" in r.text


def test_it_counts_the_client_behind_a_trusted_proxy(client, alice, settings):
    settings.TRUSTED_PROXY_COUNT = 1

    def via_proxy(username, password, forwarded):
        return client.post(
            reverse("login"),
            {"username": username, "password": password},
            REMOTE_ADDR="10.0.0.2",  # the proxy
            HTTP_X_FORWARDED_FOR=forwarded,
        )

    for n in range(LIMIT):
        via_proxy(f"guess{n}", "x", "1.2.3.4, 203.0.113.77")  # forged, then what the proxy saw
    # Another client behind the same proxy is not locked out ...
    assert via_proxy("alice", "password", "203.0.113.78").status_code == 302
    client.post(reverse("logout"))
    # ... but the one who failed is, whatever it writes at the left of the header.
    assert via_proxy("alice", "password", "5.6.7.8, 203.0.113.77").status_code == 429
