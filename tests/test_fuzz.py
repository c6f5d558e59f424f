"""Property-based fuzzing of every URL and parameter: no input gets a 5xx, and a refused
request changes no stored answer. Runs on whichever database the suite runs on."""

import zoneinfo
from datetime import timedelta
from urllib.parse import quote

import pytest
import time_machine
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exams import services
from exams.models import Attempt, AttemptItem
from tests.helpers import T0

SPECIAL = ["²", "١", "٣", "\x00", "a\x00b", "-1", "0", "1", "65", "66", "9" * 30, "1e3", " 1",
           "<script>alert(1)</script>", "%00", "../../etc/passwd", "NaN", "☃", "\ud800"[:0]]  # fmt: skip
values = st.one_of(
    st.sampled_from(SPECIAL),
    st.text(max_size=40),
    st.text(alphabet="0123456789²١", min_size=1, max_size=5),
    st.text(min_size=250, max_size=400),
)
FUZZ = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def answers_of(*attempts):
    return {
        (i.attempt_id, i.position): (list(i.selected), i.flagged, list(i.struck))
        for i in AttemptItem.objects.filter(attempt__in=attempts)
    }


@pytest.fixture
def world(alice, bob, mls_bank, client):
    """Alice with an open attempt and a finished one; Bob with an open one."""
    with time_machine.travel(T0 - timedelta(days=1), tick=False):
        old, _ = services.start_attempt(alice, mls_bank)
        services.finish_attempt(old, Attempt.FinishReason.SUBMITTED)
    with time_machine.travel(T0, tick=False):
        mine, _ = services.start_attempt(alice, mls_bank)
        theirs, _ = services.start_attempt(bob, mls_bank)
    client.force_login(alice)
    return client, mine, old, theirs


def check(response):
    assert response.status_code < 500, response.content[:300]


@FUZZ
@given(data=st.dictionaries(st.sampled_from(["option", "flagged", "struck", "go", "answer_form", "x"]),
                            st.lists(values, max_size=4), max_size=5),
       position=st.sampled_from(["1", "65", "0", "66", "99999"]),
       htmx=st.booleans())  # fmt: skip
def test_answer_posts(world, data, position, htmx):
    client, mine, old, theirs = world
    before = answers_of(mine, old, theirs)
    with time_machine.travel(T0, tick=False):
        for attempt in (mine, old, theirs):
            url = f"/attempts/{attempt.code}/q/{position}/"
            headers = {"HX-Request": "true"} if htmx else {}
            r = client.post(url, data, headers=headers)
            check(r)
            if r.status_code >= 400 or attempt is not mine:
                assert answers_of(mine, old, theirs) == before
            before = answers_of(mine, old, theirs)


READS = [
    ("home", lambda w: reverse("home")),
    ("history", lambda w: reverse("exams:history")),
    ("question", lambda w: reverse("exams:question", args=[w[1].code, 1])),
    ("review", lambda w: reverse("exams:review", args=[w[1].code])),
    ("results", lambda w: reverse("exams:results", args=[w[2].code])),
    ("answers", lambda w: reverse("exams:answers", args=[w[2].code])),
    ("strangers", lambda w: reverse("exams:question", args=[w[3].code, 1])),
    ("login", lambda w: reverse("login")),
    ("signup", lambda w: reverse("signup")),
    ("healthz", lambda w: "/healthz"),
    ("admin", lambda w: "/admin/login/"),
    ("begin", lambda w: reverse("exams:begin", args=[w[1].code])),
    ("preferences", lambda w: reverse("preferences")),
]


@FUZZ
@given(page=st.sampled_from([name for name, _ in READS]),
       params=st.dictionaries(st.sampled_from(["show", "domain", "objective", "page", "next", "x\x00"]),
                              values, max_size=4))  # fmt: skip
def test_query_parameters(world, page, params):
    client, mine, old, theirs = world
    url = dict(READS)[page](world)
    before = answers_of(mine, old, theirs)
    with time_machine.travel(T0, tick=False):
        check(client.get(url, params))
        check(
            client.get(url + "?" + "&".join(f"{quote(k)}={quote(v)}" for k, v in params.items()))
        )
    assert answers_of(mine, old, theirs) == before


@FUZZ
@given(fields=st.fixed_dictionaries({"username": values, "password": values}),
       url=st.sampled_from(["/accounts/login/", "/admin/login/"]))  # fmt: skip
def test_logins(client, db, fields, url):
    r = client.post(url, fields)
    assert r.status_code < 500, r.content[:300]
    assert "_auth_user_id" not in client.session  # no generated pair logs anyone in


@FUZZ
@given(
    fields=st.fixed_dictionaries({"username": values, "password1": values, "password2": values})
)
def test_signups(client, db, fields):
    r = client.post(reverse("signup"), fields)
    assert r.status_code < 500, r.content[:300]
    assert r.status_code in (200, 302, 400, 429)


@FUZZ
@given(fields=st.dictionaries(st.sampled_from(["exam", "extra_time", "hide_clock"]), values))
def test_starting(world, fields):
    client, mine, _, _ = world
    with time_machine.travel(T0, tick=False):
        check(client.post(reverse("exams:start"), fields))
    assert Attempt.objects.in_progress().filter(user=mine.user).count() == 1


@FUZZ
@given(fields=st.dictionaries(st.sampled_from(["go", "begin", "x"]), values, max_size=3),
       which=st.sampled_from(["ready", "old", "theirs"]))  # fmt: skip
def test_beginning(world, fields, which):
    client, mine, old, theirs = world
    with time_machine.travel(T0, tick=False):
        Attempt.objects.filter(pk__in=[mine.pk, theirs.pk]).update(begun=None, deadline=None)
        attempt = {"ready": mine, "old": old, "theirs": theirs}[which]
        check(client.post(reverse("exams:begin", args=[attempt.code]), fields))
    theirs.refresh_from_db()
    assert theirs.begun is None and theirs.deadline is None  # never someone else's clock
    old.refresh_from_db()
    assert old.is_finished


@FUZZ
@given(fields=st.dictionaries(st.sampled_from(["time_zone", "detected", "x"]), values, max_size=3))
def test_time_zones(world, fields):
    from accounts.models import Preferences

    client, mine, *_ = world
    Preferences.objects.update_or_create(user=mine.user, defaults={"time_zone": "Europe/Berlin"})
    r = client.post(reverse("preferences"), fields)
    check(r)
    stored = Preferences.objects.get(user=mine.user).time_zone
    if r.status_code >= 400:
        assert stored == "Europe/Berlin"
    else:
        assert stored in zoneinfo.available_timezones()


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/x-www-form-urlencoded; charset=utf-16", "answer_form=1&option=1".encode("utf-16")),
        ("application/x-www-form-urlencoded; charset=utf-16", b"answer_form=1&option=\xff"),
        ("application/x-www-form-urlencoded", b"answer_form=1&option=%00"),
        ("application/x-www-form-urlencoded", b"answer_form=1&option=%FF%FE"),
        ("multipart/form-data; boundary=xyz", b"--xyz\r\nContent-Disposition: form-data\r\n\r\nbroken"),
        ("multipart/form-data", b"no boundary at all"),
        ("multipart/form-data; boundary=" + "b" * 300, b"--" + b"b" * 300),
        ("application/json", b'{"option": [1]}'),
        ("application/x-www-form-urlencoded", b"&".join([b"answer_form=1"] + [b"option=%d" % i for i in range(5000)])),
    ],
)  # fmt: skip
def test_odd_bodies_get_a_4xx_and_change_nothing(world, content_type, body):
    client, mine, old, theirs = world
    before = answers_of(mine, old, theirs)
    with time_machine.travel(T0, tick=False):
        r = client.generic("POST", reverse("exams:question", args=[mine.code, 1]), body,
                           content_type=content_type)  # fmt: skip
    assert 400 <= r.status_code < 500, r.status_code
    assert answers_of(mine, old, theirs) == before


def test_a_nul_byte_in_the_session_cookie_is_a_logged_out_visitor(world):
    client, *_ = world
    client.cookies["sessionid"] = '"\\000abcdefgh"'
    r = client.get(reverse("home"))
    assert r.status_code == 200
    assert "Log in" in r.text


def test_over_long_usernames_are_failed_logins(client, alice):
    for url in ("/accounts/login/", "/admin/login/"):
        r = client.post(url, {"username": "a" * 256, "password": "x"})
        assert r.status_code == 200
        assert "correct username and password" in r.text
