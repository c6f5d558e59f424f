"""Review walks, moving between questions with one request, and leaving a question with
JavaScript off, in Chromium."""

import re

import pytest
from playwright.sync_api import Page, expect

from exams.models import Attempt
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_journeys import choose, ready, sign_up, start_exam

pytestmark = pytest.mark.usefixtures("bank")


def set_up(attempt: Attempt, flagged=(), answered=()) -> None:
    for item in attempt.items.filter(position__in=set(flagged) | set(answered)):
        item.flagged = item.position in flagged
        if item.position in answered:
            item.selected = [o["id"] for o in item.options[: item.choose]]
        item.save()


def heading(page: Page):
    return page.locator(".qnum")


def test_the_flagged_walk_keeps_its_questions_when_one_is_unflagged(
    page: Page, live_server, screenshot
):
    sign_up(page, live_server.url)
    attempt = start_exam(page)
    set_up(attempt, flagged=(5, 9, 14), answered=range(1, 66))
    page.get_by_role("button", name="Review & submit").first.click()
    expect(page.get_by_role("heading", name="Ready to submit?")).to_be_visible()
    expect(page.get_by_role("link", name="Review flagged (3)")).to_be_visible()
    screenshot(page, "review-walks")
    page.get_by_role("link", name="Review flagged (3)").click()
    ready(page)
    expect(heading(page)).to_have_text("Question 5 of 65")
    expect(page.locator(".walk")).to_contain_text("Reviewing flagged questions: 1 of 3")
    expect(page.get_by_role("button", name="Previous")).to_be_disabled()
    screenshot(page, "walk-flagged")
    for there in (9, 14):
        page.get_by_label("Flag for review").uncheck()
        expect(page.locator("#save-status")).to_contain_text("Saved at")
        page.get_by_role("button", name="Next").click()
        expect(heading(page)).to_have_text(f"Question {there} of 65")
    expect(page.locator(".walk")).to_contain_text("3 of 3")
    page.get_by_role("button", name="Previous").click()
    expect(heading(page)).to_have_text("Question 9 of 65")
    page.get_by_role("button", name="Next").click()
    expect(heading(page)).to_have_text("Question 14 of 65")
    page.get_by_role("button", name="Back to review").click()
    expect(page.get_by_role("heading", name="Ready to submit?")).to_be_visible()
    expect(page.locator("#flagged-h")).to_have_text("Flagged for review (1)")
    assert list(attempt.items.filter(flagged=True).values_list("position", flat=True)) == [14]


def test_the_incomplete_walk_visits_unanswered_and_incomplete_questions(page: Page, live_server):
    sign_up(page, live_server.url)
    attempt = start_exam(page)
    multi = attempt.items.filter(type="multiple").order_by("position").first()
    set_up(attempt, answered=[p for p in range(1, 66) if p not in (multi.position, 30, 61)])
    multi.selected = multi.selected[:1] or [multi.options[0]["id"]]
    multi.save()
    expected = sorted([multi.position, 30, 61])
    page.goto(f"{live_server.url}/attempts/{attempt.code}/review/")
    page.get_by_role("link", name="Review incomplete (3)").click()
    ready(page)
    for n, position in enumerate(expected, start=1):
        expect(heading(page)).to_have_text(f"Question {position} of 65")
        expect(page.locator(".walk")).to_contain_text(
            f"Reviewing unanswered and incomplete questions: {n} of 3"
        )
        if position == 30:
            # Answering one on the way does not take it out of the walk or skip the next.
            page.locator("input[name=option][data-key='1']").check()
            expect(page.locator("#save-status")).to_contain_text("Saved at")
        page.get_by_role("button", name="Next" if n < 3 else "Back to review").click()
    expect(page.get_by_role("heading", name="Ready to submit?")).to_be_visible()
    expect(page.locator("#unanswered-h")).to_have_text("Unanswered (1)")


def test_review_all_walks_every_question_and_ends_on_the_review_screen(page: Page, live_server):
    sign_up(page, live_server.url)
    attempt = start_exam(page)
    page.goto(f"{live_server.url}/attempts/{attempt.code}/review/")
    page.get_by_role("link", name="Review all (65)").click()
    ready(page)
    expect(heading(page)).to_have_text("Question 1 of 65")
    page.keyboard.press("n")
    expect(heading(page)).to_have_text("Question 2 of 65")
    expect(page.locator(".walk")).to_contain_text("Reviewing all questions: 2 of 65")
    # The navigator leaves the walk.
    page.get_by_role("button", name="Question 65, unanswered").click()
    expect(heading(page)).to_have_text("Question 65 of 65")
    expect(page.locator(".walk")).to_have_count(0)
    page.goto(f"{live_server.url}/attempts/{attempt.code}/q/65/?walk=all")
    ready(page)
    page.get_by_role("button", name="Back to review").click()
    expect(page.get_by_role("heading", name="Ready to submit?")).to_be_visible()


def test_moving_on_from_an_answered_question_is_one_get(page: Page, live_server):
    sign_up(page, live_server.url)
    attempt = start_exam(page)
    choose(page)
    clock_before = page.locator("#clock").element_handle()
    sent = []
    page.on("request", lambda r: "/attempts/" in r.url and sent.append((r.method, r.url)))
    page.get_by_role("button", name="Next").click()
    expect(heading(page)).to_have_text("Question 2 of 65")
    expect(page).to_have_title(re.compile("^Question 2 — MLS-C01"))
    assert sent == [("GET", f"{live_server.url}/attempts/{attempt.code}/q/2/")]
    assert page.url.endswith("/q/2/")
    # Screen readers land on the new question; the countdown was not re-created.
    assert page.evaluate("document.activeElement.tagName") == "H1"
    assert page.evaluate("(el) => el.isConnected", clock_before)
    expect(page.get_by_role("button", name="Question 2, unanswered")).to_have_attribute(
        "aria-current", "page"
    )
    expect(page.get_by_role("button", name="Question 1, answered")).not_to_have_attribute(
        "aria-current", "page"
    )
    expect(page.locator("#answered-count")).to_have_text("1")
    # An answer chosen and left at once is saved first, then the move is one GET.
    sent.clear()
    page.locator("input[name=option][data-key='2']").check()
    page.get_by_role("button", name="Next").click()
    expect(heading(page)).to_have_text("Question 3 of 65")
    assert [m for m, _ in sent] == ["POST", "GET"]
    second = attempt.items.get(position=2)
    assert second.selected == [second.options[1]["id"]]
    # Back and reload work on the pushed URLs.
    page.go_back()
    expect(heading(page)).to_have_text("Question 2 of 65")
    expect(page.locator("input[name=option][data-key='2']")).to_be_checked()
    page.reload()
    expect(heading(page)).to_have_text("Question 2 of 65")
    attempt.refresh_from_db()
    assert attempt.current_position == 2


def test_without_javascript_the_grid_and_review_keep_a_choice(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_up(page, live_server.url, "nojs")
    attempt = start_exam(page)
    expect(page.locator(".nojs-note")).to_contain_text(
        "The countdown is not live without JavaScript: time ends at"
    )
    # No axe scan here: it runs as a promise, which a page without scripting never settles.
    page.screenshot(path=SCREENSHOTS / "question-nojs.png", full_page=True)
    page.locator("input[name=option][data-key='1']").check()
    page.get_by_role("button", name="Question 7, unanswered").click()
    expect(heading(page)).to_have_text("Question 7 of 65")
    first = attempt.items.get(position=1)
    assert first.selected == [first.options[0]["id"]]
    expect(page.locator("#nav-1 button")).to_have_attribute(
        "aria-label", re.compile(r"^Question 1, (answered|incomplete)$")
    )

    page.locator("input[name=option][data-key='2']").check()
    page.get_by_label("Flag for review").check()
    page.get_by_role("button", name="Review & submit").first.click()
    expect(page.get_by_role("heading", name="Ready to submit?")).to_be_visible()
    seventh = attempt.items.get(position=7)
    assert seventh.selected == [seventh.options[1]["id"]] and seventh.flagged

    # A flagged walk's links save too.
    page.get_by_role("link", name="Review flagged (1)").click()
    expect(page.locator(".walk")).to_contain_text("Reviewing flagged questions: 1 of 1")
    page.get_by_label("I'm not sure").check()
    page.get_by_role("button", name="Back to review").click()
    expect(page.get_by_role("heading", name="Ready to submit?")).to_be_visible()
    seventh.refresh_from_db()
    assert seventh.unsure and seventh.selected == [seventh.options[1]["id"]]
    context.close()


def test_a_multiple_response_question_with_too_few_choices_is_incomplete(page: Page, live_server):
    sign_up(page, live_server.url)
    attempt = start_exam(page)
    multi = attempt.items.filter(type="multiple").order_by("position").first()
    page.goto(f"{live_server.url}/attempts/{attempt.code}/q/{multi.position}/")
    ready(page)
    page.locator("input[name=option][data-key='1']").check()
    expect(page.locator("#save-status")).to_contain_text("Saved at")
    entry = page.get_by_role("button", name=f"Question {multi.position}, incomplete")
    expect(entry).to_contain_text("◐")
    expect(page.locator("#answered-count")).to_have_text("0")
    page.get_by_role("button", name="Review & submit").first.click()
    expect(page.locator("#incomplete-h")).to_have_text("Incomplete (1)")
    listed = page.locator("section[aria-labelledby=incomplete-h]").get_by_role(
        "link", name=f"Question {multi.position}", exact=True
    )
    expect(listed).to_be_visible()
    listed.click()
    ready(page)
    for key in range(2, multi.choose + 1):
        page.locator(f"input[name=option][data-key='{key}']").check()
    expect(page.locator("#save-status")).to_contain_text("Saved at")
    expect(page.get_by_role("button", name=f"Question {multi.position}, answered")).to_be_visible()
    expect(page.locator("#answered-count")).to_have_text("1")


def test_a_choice_made_the_moment_a_question_arrives_is_saved(page: Page, live_server):
    sign_up(page, live_server.url)
    attempt = start_exam(page)
    # Widen the moment between the swap and htmx's own settling, when a fast key press
    # used to be shown as "Saving…" and never sent.
    page.evaluate("htmx.config.defaultSettleDelay = 1500")
    page.get_by_role("button", name="Next").click()
    expect(heading(page)).to_have_text("Question 2 of 65")
    page.keyboard.press("1")
    expect(page.locator("#save-status")).to_contain_text("Saved at", timeout=3000)
    item = attempt.items.get(position=2)
    assert item.selected == [item.options[0]["id"]]
