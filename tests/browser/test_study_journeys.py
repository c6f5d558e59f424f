"""Between mocks, in the browser: drill a weak objective with feedback after each question
(mouse, keyboard alone, no JavaScript), retake what was missed, review what is due."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import Page, expect

from exams import services
from exams.models import Attempt

from .test_journeys import ready, sign_up

pytestmark = pytest.mark.usefixtures("bank")


def a_failed_mock(name: str) -> Attempt:
    """A finished MLS-C01 mock with the first 30 questions right and the rest wrong."""
    from questions.models import Exam

    attempt, _ = services.start_attempt(User.objects.get(username=name),
                                        Exam.objects.get(code="MLS-C01"))  # fmt: skip
    for item in attempt.items.all():
        keys = [o["id"] for o in item.options if o["correct"]]
        wrong = [o["id"] for o in item.options if not o["correct"]][: len(keys)]
        item.selected = keys if item.position <= 30 else wrong
        item.save()
    return services.finish_attempt(attempt, Attempt.FinishReason.SUBMITTED)


def test_a_weak_objective_is_drilled_with_feedback_by_mouse(page: Page, live_server, screenshot):
    sign_up(page, live_server.url, "dana")
    mock = a_failed_mock("dana")
    page.goto(f"{live_server.url}/attempts/{mock.code}/results/")
    drill = page.get_by_role(
        "button", name=re.compile(r"^Practice \d\.\d \(10 questions\)$")
    ).first
    objective = re.search(r"\d\.\d", drill.inner_text()).group()
    drill.click()
    expect(page.locator(".qnum")).to_contain_text("Question 1 of")
    ready(page)
    screenshot(page, "practice-question")
    expect(page.get_by_text("EXPLANATION")).to_have_count(0)
    page.locator("input[name=option][data-key='1']").check()
    page.get_by_role("button", name="Confirm answer").click()
    expect(page.locator("#feedback-h")).to_have_text(re.compile("^(Right|Not right)$"))
    expect(page.locator(".feedback .explanation")).not_to_be_empty()
    screenshot(page, "practice-feedback")
    practice = Attempt.objects.filter(mode="practice").get()
    assert set(practice.items.values_list("objective_code", flat=True)) == {objective}
    page.locator("[data-nav=next]").click()
    expect(page.locator(".qnum")).to_contain_text("Question 2 of")


def test_practice_works_by_keyboard_alone(page: Page, live_server):
    sign_up(page, live_server.url, "kai")
    a_failed_mock("kai")
    page.goto(f"{live_server.url}/exams/MLS-C01/practice/")
    page.get_by_role("button", name="Start practice").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".qnum")).to_contain_text("Question 1 of 10")
    ready(page)
    page.keyboard.press("1")
    page.keyboard.press("Enter")  # the form's first button: Confirm answer
    expect(page.locator("#feedback-h")).to_be_visible()
    page.keyboard.press("n")
    expect(page.locator(".qnum")).to_contain_text("Question 2 of 10")


def test_practice_with_feedback_works_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_up(page, live_server.url, "nojs2")
    page.goto(f"{live_server.url}/exams/MLS-C01/practice/")
    page.get_by_role("button", name="Start practice").click()
    page.locator("input[name=option][data-key='1']").check()
    page.get_by_role("button", name="Confirm answer").click()
    expect(page.locator("#feedback-h")).to_be_visible()
    item = Attempt.objects.get(mode="practice").items.get(position=1)
    assert item.confirmed is not None and item.selected == [item.options[0]["id"]]
    context.close()


def test_the_missed_questions_are_retaken_and_come_back_for_review(
    page: Page, live_server, screenshot
):
    sign_up(page, live_server.url, "lee")
    mock = a_failed_mock("lee")
    page.goto(f"{live_server.url}/attempts/{mock.code}/results/")
    page.get_by_role("button", name="Retake the 35 you missed").click()
    expect(page.locator(".qnum")).to_have_text("Question 1 of 35")
    retake = Attempt.objects.get(mode="practice")
    assert set(retake.items.values_list("question", flat=True)) == set(
        mock.items.filter(is_correct=False).values_list("question", flat=True)
    )
    with time_machine.travel(timezone.now() + timedelta(days=2), tick=True):
        page.goto(f"{live_server.url}/")
        expect(page.get_by_text("35 questions due for review")).to_be_visible()
        screenshot(page, "home-due")
        page.goto(f"{live_server.url}/exams/MLS-C01/mastery/")
        screenshot(page, "mastery")
        page.get_by_role("button", name="Review the 35 due questions").click()
        expect(page.locator(".qnum")).to_have_text("Question 1 of 35")
    assert Attempt.objects.filter(mode="review").count() == 1
