"""The candidate's time zone: stored once, checked against IANA, shown everywhere."""

import pytest
import time_machine
from django.urls import reverse

from accounts import zones
from accounts.models import Preferences
from exams import services
from exams.models import Attempt
from tests.helpers import T0

URL = reverse("preferences")


def detect(client, name):
    return client.post(URL, {"time_zone": name, "detected": "1"})


@pytest.mark.parametrize(
    "name",
    ["", "Mars/Olympus_Mons", "PST", "+05:30", "UTC+2", "Europe/Berlin/x", "../etc/passwd",
     "europe/berlin", "A" * 65, "Europe/Berlin\n"],
)  # fmt: skip
def test_it_refuses_a_zone_that_is_not_an_iana_name(alice_client, alice, name):
    r = alice_client.post(URL, {"time_zone": name})
    assert r.status_code == 400
    assert "IANA name" in r.text
    assert not Preferences.objects.filter(user=alice).exists()
    assert "Times in UTC" in alice_client.get(reverse("home")).text


def test_it_refuses_a_bad_detected_zone_and_keeps_the_stored_one(alice_client, alice):
    assert detect(alice_client, "Asia/Kolkata").status_code == 204
    r = detect(alice_client, "Not/A_Zone")
    assert r.status_code == 400
    assert Preferences.objects.get(user=alice).time_zone == "Asia/Kolkata"


def test_it_stores_the_browsers_zone_and_shows_times_in_it(alice_client, alice, mls_bank):
    with time_machine.travel(T0, tick=False):
        attempt, _ = services.start_attempt(alice, mls_bank)
        services.finish_attempt(attempt, Attempt.FinishReason.SUBMITTED)
    assert "21 Nov 2026, 09:00" in alice_client.get(reverse("exams:history")).text

    r = detect(alice_client, "America/Los_Angeles")

    assert r.status_code == 204
    prefs = Preferences.objects.get(user=alice)
    assert (prefs.time_zone, prefs.time_zone_detected) == ("America/Los_Angeles", True)
    page = alice_client.get(reverse("exams:history")).text
    assert "21 Nov 2026, 01:00" in page  # 09:00 UTC is 01:00 in Los Angeles in November
    assert "Times in America/Los_Angeles" in page


def test_it_follows_the_browser_when_the_detected_zone_moves(alice_client, alice):
    detect(alice_client, "America/Los_Angeles")
    detect(alice_client, "Asia/Kolkata")
    assert Preferences.objects.get(user=alice).time_zone == "Asia/Kolkata"
    assert 'data-tz-stored="Asia/Kolkata"' in alice_client.get(reverse("home")).text


def test_it_keeps_a_chosen_zone_when_the_browser_reports_another(alice_client, alice):
    r = alice_client.post(URL, {"time_zone": "Europe/Berlin"}, follow=True)
    assert "Times are now shown in Europe/Berlin." in r.text
    assert detect(alice_client, "Asia/Kolkata").status_code == 204
    prefs = Preferences.objects.get(user=alice)
    assert (prefs.time_zone, prefs.time_zone_detected) == ("Europe/Berlin", False)
    assert 'data-tz-detected="0"' in alice_client.get(reverse("home")).text


def test_it_offers_every_zone_on_the_settings_page(alice_client):
    page = alice_client.get(URL).text
    assert '<label for="id_time_zone">Time zone</label>' in page
    assert '<option value="Asia/Kolkata">' in page
    assert '<option value="UTC" selected>' in page


def test_it_brings_the_stored_zone_back_at_the_next_login(client, alice):
    Preferences.objects.create(user=alice, time_zone="Asia/Tokyo", time_zone_detected=True)
    client.post(reverse("login"), {"username": "alice", "password": "password"})
    assert client.session[zones.SESSION_KEY] == ["Asia/Tokyo", True]
    assert "Times in Asia/Tokyo" in client.get(reverse("home")).text


def test_it_reads_a_session_from_before_zones_once(client, alice):
    Preferences.objects.create(user=alice, time_zone="Asia/Tokyo")
    client.force_login(alice)
    session = client.session
    del session[zones.SESSION_KEY]
    session.save()
    assert "Times in Asia/Tokyo" in client.get(reverse("home")).text
    assert client.session[zones.SESSION_KEY] == ["Asia/Tokyo", False]


def test_it_shows_the_saved_time_in_the_candidates_zone(alice_client, alice, mls_bank):
    detect(alice_client, "Asia/Kolkata")
    with time_machine.travel(T0, tick=False):
        attempt, _ = services.start_attempt(alice, mls_bank)
        item = attempt.items.get(position=1)
        r = alice_client.post(
            reverse("exams:question", args=[attempt.code, 1]),
            {"answer_form": "1", "option": [item.options[0]["id"]]},
            headers={"HX-Request": "true"},
        )
    assert "Saved at 14:30:00" in r.text  # 09:00 UTC is 14:30 in Kolkata


def test_it_leaves_anonymous_visitors_on_the_sites_zone(client, settings):
    settings.TIME_ZONE = "Europe/Paris"
    page = client.get(reverse("login")).text
    assert "Times in Europe/Paris" in page
    assert "data-tz-url" not in page


def test_it_needs_a_login_and_a_post_or_get(client, alice_client):
    assert client.post(URL, {"time_zone": "UTC"}).status_code == 302
    assert alice_client.put(URL).status_code == 405


def test_it_checks_names_with_zoneinfo():
    assert zones.is_zone("America/Argentina/Buenos_Aires")
    assert zones.is_zone("UTC")
    assert not zones.is_zone("America/Atlantis")
    assert "Europe/Berlin" in zones.choices()
