"""Phones, readable charts, the candidate's time zone and dark mode, in a real browser."""

import itertools
import time
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from accounts.models import Preferences
from exams import services
from exams.models import Attempt, AttemptItem
from questions.models import Exam
from tests.helpers import T0

pytestmark = pytest.mark.usefixtures("bank")

PASSWORD = "a-long-passphrase-9"


def log_in(page: Page, base: str, name: str = "alice") -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Practice exams")


def begin_mock(page: Page) -> None:
    """Start an MLS-C01 mock from the home page and begin it after its instructions."""
    page.get_by_role("button", name="Start MLS-C01", exact=True).click()
    page.get_by_role("button", name="Begin the exam").click()


def mocks(user, count: int, step=timedelta(days=1), code="MLS-C01") -> list[Attempt]:
    """``count`` finished mocks of ``code``, ``step`` apart from T0, with varied scores."""
    exam = Exam.objects.get(code=code)
    done = []
    for i in range(count):
        start = T0 + i * step
        with time_machine.travel(start, tick=False):
            attempt, _ = services.start_attempt(user, exam)
        items = list(attempt.items.all())
        right = 30 + (i * 7) % 30
        for item in items:
            wrong = sorted(item.option_ids() - item.correct_ids())[:1]
            item.selected = sorted(item.correct_ids()) if item.position <= right else wrong
        AttemptItem.objects.bulk_update(items, ["selected"])
        with time_machine.travel(start + timedelta(minutes=120), tick=False):
            done.append(services.finish_attempt(attempt, Attempt.FinishReason.SUBMITTED))
    return done


CHART_TEXT = """() => [...document.querySelectorAll('svg.chart')].flatMap(svg => {
  const r = svg.getBoundingClientRect();
  if (!r.width) return [];  // the frame for the other width
  const scale = r.width / svg.viewBox.baseVal.width;
  return [[svg.querySelector('title').textContent, r.left, r.right,
    [...svg.querySelectorAll('text')].map(t => {
      const b = t.getBoundingClientRect();
      return [t.textContent, parseFloat(getComputedStyle(t).fontSize) * scale,
              b.left, b.top, b.right, b.bottom];
    })]];
})"""


def check_charts(page: Page) -> list:
    """Every shown chart: text at least 11 px, inside the chart, no two labels overlapping."""
    charts = page.evaluate(CHART_TEXT)
    assert charts, "no chart shown"
    for title, left, right, texts in charts:
        for text, px, x0, _, x1, _ in texts:
            assert px >= 11, f"{title}: {text!r} at {px:.1f}px"
            assert x0 >= left - 1 and x1 <= right + 1, f"{title}: {text!r} leaves the chart"
        for a, b in itertools.combinations(texts, 2):
            apart = a[4] <= b[2] or b[4] <= a[2] or a[5] <= b[3] or b[5] <= a[3]
            assert apart, f"{title}: {a[0]!r} overlaps {b[0]!r}"
    return charts


@pytest.mark.parametrize("count", [1, 2, 20])
def test_it_draws_history_charts_that_read_at_1_2_and_20_attempts(
    page: Page, live_server, count, screenshot
):
    alice = User.objects.create_user("alice", password=PASSWORD)
    done = mocks(alice, count)
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/history/")
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        charts = check_charts(page)
        assert len(charts) == 2  # the score trend and the domains
        labels = [t[0] for t in charts[0][3]]
        assert str(done[-1].scaled_score) in labels  # the latest score reads as text
        assert f"pass {done[-1].passing_score}" in labels
        if count == 1:
            assert labels.count(str(done[0].scaled_score)) == 1
        assert "21 Nov" in " ".join(labels) or count == 20
    screenshot(page, f"history-{count}")


def test_it_tells_attempts_on_one_day_apart(page: Page, live_server):
    alice = User.objects.create_user("alice", password=PASSWORD)
    mocks(alice, 2, step=timedelta(hours=3))
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/history/")
    page.set_viewport_size({"width": 375, "height": 812})
    texts = [t[0] for t in check_charts(page)[0][3]]
    assert "21 Nov09:00" in texts and "21 Nov12:00" in texts  # date, then time under it
    expect(page.get_by_role("columnheader", name="21 Nov 12:00")).to_be_attached()


def test_it_draws_results_charts_that_read_on_a_phone(page: Page, live_server):
    alice = User.objects.create_user("alice", password=PASSWORD)
    (done,) = mocks(alice, 1)
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/attempts/{done.code}/results/")
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        titles = [c[0] for c in check_charts(page)]
        assert titles == [
            "Percent correct by domain",
            "Pace: question reached against minutes elapsed",
        ]


def wait_for_zone(user) -> Preferences:
    for _ in range(50):
        prefs = Preferences.objects.filter(user=user).first()
        if prefs and prefs.time_zone:
            return prefs
        time.sleep(0.1)
    raise AssertionError("the browser's time zone was never stored")


@pytest.mark.parametrize(
    ("zone", "names", "shown"),
    [
        ("America/Los_Angeles", ("America/Los_Angeles",), "21 Nov 2026, 01:00"),
        ("Asia/Kolkata", ("Asia/Kolkata", "Asia/Calcutta"), "21 Nov 2026, 14:30"),
    ],
)
def test_it_shows_times_in_the_browsers_zone(browser, live_server, zone, names, shown):
    context = browser.new_context(timezone_id=zone)
    page = context.new_page()
    alice = User.objects.create_user("alice", password=PASSWORD)
    mocks(alice, 1)
    log_in(page, live_server.url)
    prefs = wait_for_zone(alice)
    assert prefs.time_zone in names and prefs.time_zone_detected
    page.goto(f"{live_server.url}/history/")
    expect(page.get_by_role("link", name=shown)).to_be_visible()
    expect(page.locator("footer")).to_contain_text(f"Times in {prefs.time_zone}")
    context.close()


def test_a_chosen_zone_stays_and_the_saved_time_uses_it(browser, live_server):
    context = browser.new_context(timezone_id="America/Los_Angeles")
    page = context.new_page()
    alice = User.objects.create_user("alice", password=PASSWORD)
    log_in(page, live_server.url)
    wait_for_zone(alice)
    page.get_by_role("link", name="Change time zone").click()
    page.get_by_label("Time zone").select_option("Asia/Tokyo")
    page.get_by_role("button", name="Save time zone").click()
    expect(page.locator(".messages")).to_contain_text("Times are now shown in Asia/Tokyo.")
    page.goto(f"{live_server.url}/")
    page.wait_for_load_state("load")
    prefs = Preferences.objects.get(user=alice)
    assert (prefs.time_zone, prefs.time_zone_detected) == ("Asia/Tokyo", False)

    begin_mock(page)
    page.wait_for_load_state("load")
    page.locator("input[name=option][data-key='1']").check()
    tokyo = (Attempt.objects.get().started + timedelta(hours=9)).strftime("%H:")
    expect(page.locator("#save-status")).to_contain_text(f"Saved at {tokyo}")
    context.close()


def test_the_exam_fits_a_touch_phone(browser, live_server):
    context = browser.new_context(
        viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    User.objects.create_user("alice", password=PASSWORD)
    log_in(page, live_server.url)
    begin_mock(page)
    expect(page.locator(".qnum")).to_have_text("Question 1 of 65")
    expect(page.locator(".keys")).to_be_hidden()  # no keyboard on a touch screen
    # Lines of what is laid out in the bar (not the screen reader's live region, nor the
    # no-JavaScript note): elements whose boxes share a line overlap vertically.
    rows = page.evaluate(
        "[...document.querySelectorAll('.exambar > *')]"
        ".filter(e => e.offsetWidth > 1 && e.offsetHeight > 1"
        " && getComputedStyle(e).position !== 'absolute')"
        ".map(e => e.getBoundingClientRect())"
        ".map(r => Math.round((r.top + r.bottom) / 2 / 24))"
    )
    assert len(set(rows)) <= 2, f"the exam bar takes {len(set(rows))} lines"
    assert page.locator(".exambar").bounding_box()["height"] <= 100
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    context.close()


def test_the_keyboard_hint_shows_with_a_mouse(page: Page, live_server):
    User.objects.create_user("alice", password=PASSWORD)
    log_in(page, live_server.url)
    begin_mock(page)
    expect(page.locator(".keys")).to_be_visible()


def test_every_page_fits_a_phone_and_passes_axe_in_light_and_dark(
    page: Page, live_server, screenshot
):
    base = live_server.url
    for path, name in (("/accounts/login/", "login"), ("/accounts/signup/", "signup"),
                       ("/no-such-page/", "not-found"), ("/", "home-anonymous")):  # fmt: skip
        page.goto(base + path)
        screenshot(page, name)
    alice = User.objects.create_user("alice", password=PASSWORD)
    done = mocks(alice, 3)
    log_in(page, base)
    for path, name in (
        ("/", "home"),
        ("/history/", "history"),
        (f"/attempts/{done[-1].code}/results/", "results"),
        (f"/attempts/{done[-1].code}/results/questions/?show=incorrect", "answers"),
        ("/exams/MLS-C01/mastery/", "mastery"),
        ("/exams/MLS-C01/practice/", "practice-setup"),
        ("/exams/MLS-C01/readiness/", "readiness"),
        ("/accounts/preferences/", "preferences"),
        ("/accounts/password_change/", "password-change"),
        (f"/attempts/{done[-1].code}/results/questions/?page=x", "bad-request"),
    ):
        page.goto(base + path)
        screenshot(page, name)
    page.goto(base + "/")
    page.get_by_role("button", name="Start MLS-C01", exact=True).click()
    expect(page.get_by_role("button", name="Begin the exam")).to_be_visible()
    screenshot(page, "instructions")
    page.get_by_role("button", name="Begin the exam").click()
    expect(page.locator(".qnum")).to_have_text("Question 1 of 65")
    page.wait_for_load_state("load")
    page.locator("input[name=option][data-key='1']").check()
    expect(page.locator("#save-status")).to_contain_text("Saved at")
    screenshot(page, "question")
    page.get_by_role("button", name="Review & submit").click()
    screenshot(page, "review")
    open_mock = Attempt.objects.get(finish_reason="")
    page.goto(f"{base}/attempts/{open_mock.code}/abandon/")
    screenshot(page, "abandon")
    page.goto(f"{base}/attempts/{done[0].code}/results/questions/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Not allowed")
    screenshot(page, "locked")
