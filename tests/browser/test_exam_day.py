"""Exam day in a browser: instructions then Begin, crossing out, the checkpoint box once,
and a clock that assistive technology treats as a timer with spoken warnings."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import Page, expect

from exams.models import Attempt
from tests.browser.test_journeys import ready, sign_up

pytestmark = pytest.mark.usefixtures("bank")


def begin(page: Page) -> Attempt:
    page.get_by_role("button", name="Begin the exam").click()
    expect(page.locator(".qnum")).to_have_text("Question 1 of 65")
    ready(page)
    return Attempt.objects.get()


def test_it_shows_the_instructions_and_starts_the_clock_only_at_begin(
    page: Page, live_server, screenshot
):
    sign_up(page, live_server.url)
    page.get_by_role("button", name="Start MLS-C01", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "AWS Certified Machine Learning – Specialty: before you begin"
    )
    facts = page.locator(".facts")
    expect(facts).to_contain_text("65")
    expect(facts).to_contain_text("180 minutes")
    expect(facts).to_contain_text("750 on a scale of 100 to 1000")
    expect(facts).to_contain_text(re.compile(r"\d+ single answer"))
    expect(
        page.get_by_role("table", name="Keyboard shortcuts on the question pages")
    ).to_be_visible()
    expect(page.get_by_text("Question 22: target 60:00 elapsed")).to_be_visible()
    expect(page.get_by_text("every answer saved by then is scored")).to_be_visible()
    expect(page.get_by_role("timer")).to_have_count(0)  # no clock runs before Begin
    screenshot(page, "instructions")
    attempt = Attempt.objects.get()
    assert (attempt.begun, attempt.deadline) == (None, None)

    # Left far longer than the exam lasts, the mock is still waiting, with all its time.
    with time_machine.travel(timezone.now() + timedelta(hours=5), tick=True):
        page.goto(f"{live_server.url}/")
        expect(page.get_by_text("Mock ready to begin:")).to_be_visible()
        page.get_by_role("link", name="Instructions and Begin MLS-C01").click()
        attempt = begin(page)
        expect(page.get_by_role("timer")).to_contain_text(re.compile(r"1(80:00|79:5\d)"))
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.IN_PROGRESS
    assert attempt.deadline - attempt.begun == timedelta(minutes=180)
    assert attempt.begun - attempt.started >= timedelta(hours=5)


def test_it_keeps_crossed_out_options_across_a_reload_and_in_the_review(
    page: Page, live_server, screenshot
):
    sign_up(page, live_server.url)
    page.get_by_role("button", name="Start MLS-C01", exact=True).click()
    attempt = begin(page)
    item = attempt.items.get(position=1)
    # With the mouse: the box beside option 2.
    page.get_by_role("checkbox", name="Cross out option 2").check()
    expect(page.locator("#save-status")).to_contain_text("Saved at")
    # With the keys: x, then the option's number; the number does not choose it.
    page.locator("#save-status").evaluate("el => el.textContent = ''")
    page.keyboard.press("x")
    expect(page.get_by_role("status").filter(has_text="Cross out which option?")).to_be_visible()
    page.keyboard.press("3")
    expect(page.get_by_role("checkbox", name="Cross out option 3")).to_be_checked()
    expect(page.locator("input[name=option][data-key='3']")).not_to_be_checked()
    expect(page.locator("#save-status")).to_contain_text("Saved at")
    struck_text = page.locator(".options li").nth(1).locator(".otext")
    expect(struck_text).to_have_css("text-decoration-line", "line-through")
    expect(page.locator(".options li").nth(1)).to_contain_text("(crossed out)")
    screenshot(page, "question-crossed-out")

    page.reload()
    ready(page)
    expect(page.get_by_role("checkbox", name="Cross out option 2")).to_be_checked()
    expect(page.get_by_role("checkbox", name="Cross out option 3")).to_be_checked()
    expect(page.get_by_role("checkbox", name="Cross out option 1")).not_to_be_checked()
    # A crossed-out option can still be chosen.
    page.locator("input[name=option][data-key='2']").check()
    expect(page.locator("#save-status")).to_contain_text("Saved at")
    item.refresh_from_db()
    assert item.struck == [item.options[1]["id"], item.options[2]["id"]]
    assert item.selected[0] == item.options[1]["id"]

    page.goto(f"{live_server.url}/attempts/{attempt.code}/review/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Submit exam").click()
    expect(page.locator("#score-h")).to_be_visible()
    page.goto(f"{live_server.url}/attempts/{attempt.code}/results/questions/")
    first = page.get_by_role("article").filter(
        has=page.get_by_role("heading", name=re.compile("^Question 1 "))
    )
    tags = first.get_by_text("You crossed this out")
    expect(tags).to_have_count(2)
    expect(first.locator("li.is-struck").first).to_contain_text(item.options[1]["text"])
    expect(first.locator("li.is-struck").nth(1)).to_contain_text(item.options[2]["text"])
    screenshot(page, "answers-crossed-out")


def test_it_crosses_out_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_up(page, live_server.url, "nojs")
    page.get_by_role("button", name="Start MLS-C01", exact=True).click()
    attempt = begin(page)
    page.get_by_role("checkbox", name="Cross out option 4").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("checkbox", name="Cross out option 4")).to_be_checked()
    item = attempt.items.get(position=1)
    assert item.struck == [item.options[3]["id"]]
    context.close()


def test_it_shows_the_checkpoint_box_once_and_a_note_on_return(page: Page, live_server):
    sign_up(page, live_server.url)
    page.get_by_role("button", name="Start MLS-C01", exact=True).click()
    attempt = begin(page)
    page.goto(f"{live_server.url}/attempts/{attempt.code}/q/21/")
    ready(page)
    expect(page.get_by_role("heading", name="Checkpoint: question 21")).to_have_count(0)
    page.locator("[data-nav=next]").click()
    expect(page.locator(".qnum")).to_have_text("Question 22 of 65")
    box = page.get_by_role("region", name="Checkpoint: question 22")
    expect(box).to_be_visible()
    expect(box).to_contain_text("target 60:00")
    expect(box).to_contain_text("ahead by")
    ready(page)
    page.locator("[data-nav=next]").click()
    expect(page.locator(".qnum")).to_have_text("Question 23 of 65")
    ready(page)
    page.locator("[data-nav=prev]").click()
    expect(page.locator(".qnum")).to_have_text("Question 22 of 65")
    expect(page.get_by_role("region", name="Checkpoint: question 22")).to_have_count(0)
    note = page.locator(".checkpoint-note")
    expect(note).to_have_text(
        re.compile(r"^Checkpoint at question 22: reached at \d+:\d\d, target 60:00\.$")
    )


def test_the_clock_is_a_quiet_timer_that_announces_its_warnings(page: Page, live_server):
    sign_up(page, live_server.url)
    page.get_by_role("button", name="Start MLS-C01", exact=True).click()
    attempt = begin(page)
    timer = page.get_by_role("timer", name="Time left")
    expect(timer).to_be_visible()
    expect(timer).to_have_attribute("aria-live", "off")
    alert = page.locator("#clock-alert")
    expect(alert).to_have_attribute("aria-live", "polite")
    expect(alert).to_have_text("")

    # Five seconds before the 15-minute mark: one message when it passes, none per second.
    Attempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() + timedelta(minutes=15, seconds=5)
    )
    page.reload()
    ready(page)
    expect(alert).to_have_text("")
    expect(alert).to_have_text("15 minutes left.", timeout=12_000)
    page.wait_for_timeout(1_500)
    expect(alert).to_have_text("15 minutes left.")
    expect(timer).to_have_class(re.compile(r"\bwarn\b"))

    Attempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() + timedelta(minutes=5, seconds=5)
    )
    page.reload()
    ready(page)
    expect(alert).to_have_text("15 minutes or less left.")  # said once on arrival
    expect(alert).to_have_text("5 minutes left.", timeout=12_000)
    expect(timer).to_have_class(re.compile(r"\burgent\b"))
