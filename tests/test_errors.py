"""Error pages: in the site's layout and escaped, plain text for htmx; 405 with Allow."""

import pytest
import time_machine
from django.urls import reverse

from exams import services
from exams.models import Attempt
from tests.helpers import T0

SCRIPT = "<script>alert(1)</script>"


def test_it_escapes_what_a_bad_request_sent(alice_client, attempt):
    services.finish_attempt(attempt, Attempt.FinishReason.SUBMITTED)
    r = alice_client.get(reverse("exams:answers", args=[attempt.code]), {"show": SCRIPT})
    assert r.status_code == 400
    assert SCRIPT not in r.text
    assert "&lt;script&gt;" in r.text
    assert 'aria-label="Site"' in r.text  # the site's navigation: the layout, not a bare body
    assert "nonce=" in r.text  # rendered with the CSP nonce like every page


def test_htmx_requests_get_plain_text_errors(alice_client, attempt):
    services.finish_attempt(attempt, Attempt.FinishReason.SUBMITTED)
    r = alice_client.get(
        reverse("exams:answers", args=[attempt.code]),
        {"show": SCRIPT},
        headers={"HX-Request": "true"},
    )
    assert r.status_code == 400
    assert r["Content-Type"].startswith("text/plain")
    assert "<html" not in r.text


def test_a_strangers_attempt_shows_the_sites_404(client, bob, attempt):
    client.force_login(bob)
    r = client.get(reverse("exams:results", args=[attempt.code]))
    assert r.status_code == 404
    assert "Page not found" in r.text
    assert 'aria-label="Site"' in r.text
    assert "<h1>" in r.text


def test_an_unknown_address_shows_the_sites_404(client, db):
    r = client.get("/no/such/page/")
    assert r.status_code == 404
    assert "There is nothing at this address." in r.text


def test_a_failed_csrf_check_explains_itself(client, alice, attempt):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(alice)
    r = strict.post(reverse("exams:submit", args=[attempt.code]))
    assert r.status_code == 403
    assert "nothing was saved" in r.text
    assert 'aria-label="Site"' in r.text


GET_ONLY = [
    ("home", lambda a: reverse("home")),
    ("history", lambda a: reverse("exams:history")),
    ("resume", lambda a: reverse("exams:resume", args=[a.code])),
    ("review", lambda a: reverse("exams:review", args=[a.code])),
    ("results", lambda a: reverse("exams:results", args=[a.code])),
    ("answers", lambda a: reverse("exams:answers", args=[a.code])),
]


@pytest.mark.parametrize(("name", "url"), GET_ONLY)
@pytest.mark.parametrize("method", ["put", "delete", "patch", "post"])
def test_read_only_pages_refuse_other_methods_with_allow(alice_client, attempt, name, url, method):
    with time_machine.travel(T0, tick=False):
        r = getattr(alice_client, method)(url(attempt))
    assert r.status_code == 405, (name, method)
    assert r["Allow"] == "GET, HEAD"
    assert "That method is not allowed here" in r.text
    attempt.refresh_from_db()
    assert not attempt.is_finished


@pytest.mark.parametrize(("name", "url"), GET_ONLY)
def test_head_works_wherever_get_does(alice_client, attempt, name, url):
    services.finish_attempt(attempt, Attempt.FinishReason.SUBMITTED)
    get, head = alice_client.get(url(attempt)), alice_client.head(url(attempt))
    assert head.status_code == get.status_code, name
    assert head.content == b""


def test_the_question_page_takes_get_head_and_post_only(alice_client, attempt):
    url = reverse("exams:question", args=[attempt.code, 1])
    with time_machine.travel(T0, tick=False):
        assert alice_client.head(url).status_code == 200
        r = alice_client.delete(url)
    assert r.status_code == 405
    assert r["Allow"] == "GET, HEAD, POST"


@pytest.mark.parametrize("name", ["start", "submit"])
def test_actions_take_post_only(alice_client, attempt, name):
    url = reverse(f"exams:{name}", args=[attempt.code] if name == "submit" else [])
    for method in ("get", "put", "delete"):
        r = getattr(alice_client, method)(url)
        assert r.status_code == 405
        assert r["Allow"] == "POST"


def test_healthz_takes_get_and_head_only(client, db):
    assert client.get("/healthz").status_code == 200
    assert client.head("/healthz").status_code == 200
    r = client.delete("/healthz")
    assert r.status_code == 405
    assert r["Allow"] == "GET, HEAD"
