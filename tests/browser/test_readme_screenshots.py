"""The README's screenshots, taken from a real browser: `make screenshots` writes them to
docs/screenshots/. Without README_SCREENSHOTS set, the same pages go to artifacts/ only, so
the journey they show stays tested."""

import os
import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from accounts.models import Preferences
from exams import services
from exams.models import Attempt, AttemptItem
from questions.models import Exam
from tests.helpers import ROOT, T0

from .conftest import SCREENSHOTS

pytestmark = pytest.mark.usefixtures("bank")

PASSWORD = "a-long-passphrase-9"
TARGET = ROOT / "docs" / "screenshots" if os.environ.get("README_SCREENSHOTS") else SCREENSHOTS


def begin_mock(page: Page) -> None:
    """Start an MLS-C01 mock from the home page and begin it after its instructions."""
    page.get_by_role("button", name="Start MLS-C01", exact=True).click()
    page.get_by_role("button", name="Begin the exam").click()


def sat(user, exam: Exam, start, right: int, minutes: int = 150) -> Attempt:
    """A finished mock: the first ``right`` questions right, reached at a steady pace."""
    with time_machine.travel(start, tick=False):
        attempt, _ = services.start_attempt(user, exam)
    items = list(attempt.items.all())
    per_question = timedelta(minutes=minutes) / len(items)
    for item in items:
        wrong = sorted(item.option_ids() - item.correct_ids())[:1]
        item.selected = sorted(item.correct_ids()) if item.position <= right else wrong
        item.first_seen = start + per_question * (item.position - 1)
        item.unsure = item.position % 9 == 0
    AttemptItem.objects.bulk_update(items, ["selected", "first_seen", "unsure"])
    with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
        return services.finish_attempt(attempt, Attempt.FinishReason.SUBMITTED)


def shoot(page: Page, name: str, width=1280, height=800, full=False, dark=False) -> None:
    TARGET.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": width, "height": height})
    page.emulate_media(color_scheme="dark" if dark else "light")
    page.screenshot(path=TARGET / f"{name}.png", full_page=full)
    page.emulate_media(color_scheme="light")


def test_the_readme_screenshots(browser, live_server):
    context = browser.new_context(
        timezone_id="Europe/Berlin", viewport={"width": 1280, "height": 800}
    )
    page = context.new_page()
    base = live_server.url
    ada = User.objects.create_user("ada", password=PASSWORD)
    Preferences.objects.create(user=ada, time_zone="Europe/Berlin", time_zone_detected=True)
    mls = Exam.objects.get(code="MLS-C01")
    # Eight weeks of mocks, two of them on one day, improving towards the pass mark.
    starts = [T0 - timedelta(days=7 * (7 - i)) for i in range(8)]
    starts.insert(5, starts[4] + timedelta(hours=4))
    for i, start in enumerate(starts):
        latest = sat(ada, mls, start, right=[28, 33, 31, 38, 36, 41, 40, 44, 48][i])

    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Practice exams")
    shoot(page, "home")

    page.goto(f"{base}/history/")
    shoot(page, "history", height=1100)
    shoot(page, "history-dark", height=1100, dark=True)

    page.goto(f"{base}/attempts/{latest.code}/results/")
    shoot(page, "results", full=True)

    page.goto(f"{base}/exams/MLS-C01/mastery/")
    shoot(page, "mastery", height=1000)

    page.goto(f"{base}/")
    begin_mock(page)
    expect(page.locator(".qnum")).to_have_text("Question 1 of 65")
    page.wait_for_load_state("load")
    for n in range(1, 5):
        page.wait_for_load_state("load")
        page.locator("input[name=option][data-key='1']").check()
        expect(page.locator("#save-status")).to_contain_text("Saved at")
        if n == 3:
            page.locator("input[name=flagged]").check()
            expect(page.locator(f"#nav-{n} button")).to_have_attribute(
                "aria-label", re.compile("flagged")
            )
        page.locator("[data-nav=next]").click()
        expect(page.locator(".qnum")).to_have_text(f"Question {n + 1} of 65")
    page.wait_for_load_state("load")
    page.locator("input[name=option][data-key='2']").check()
    expect(page.locator("#save-status")).to_contain_text("Saved at")
    shoot(page, "exam", height=1000)
    shoot(page, "phone", width=375, height=812)
    shoot(page, "phone-dark", width=375, height=812, dark=True)
    open_mock = Attempt.objects.get(finish_reason="")
    services.finish_attempt(open_mock, Attempt.FinishReason.ABANDONED)

    page.goto(f"{base}/attempts/{latest.code}/results/")
    page.get_by_role(
        "button", name=re.compile(r"^Practice \d\.\d \(10 questions\)$")
    ).first.click()
    expect(page.locator(".qnum")).to_contain_text("Question 1 of")
    page.wait_for_load_state("load")
    page.locator("input[name=option][data-key='1']").check()
    page.get_by_role("button", name="Confirm answer").click()
    expect(page.locator("#feedback-h")).to_have_text(re.compile("^(Right|Not right)$"))
    shoot(page, "practice", height=1000)
    context.close()
