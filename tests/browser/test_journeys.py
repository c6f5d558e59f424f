import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from exams.models import Attempt
from questions.models import Objective, Question

pytestmark = pytest.mark.usefixtures("bank")


def sign_up(page: Page, base: str, name: str = "erin") -> None:
    page.goto(f"{base}/accounts/signup/")
    page.fill("#id_username", name)
    page.fill("#id_password1", "a-long-passphrase-9")
    page.fill("#id_password2", "a-long-passphrase-9")
    page.click("button[type=submit].primary")
    expect(page.locator(".messages")).to_contain_text(f"Welcome, {name}.")


def start_exam(page: Page, hide_clock: bool = False) -> Attempt:
    if hide_clock:
        page.check("input[name=hide_clock]")
    page.click("text=Start MLS-C01")
    # The instructions come first; the clock starts at Begin.
    page.get_by_role("button", name="Begin the exam").click()
    expect(page.locator(".qnum")).to_have_text("Question 1 of 65")
    ready(page)
    return Attempt.objects.get()


def ready(page: Page) -> None:
    # Deferred scripts (htmx, clock.js, answer.js) must have run before a change can autosave.
    page.wait_for_load_state("load")


def choose(page: Page) -> None:
    """Pick the first option, or the first k of a multiple-response question."""
    ready(page)
    fieldset = page.locator("fieldset.question")
    k = fieldset.get_attribute("data-choose")
    for i in range(1, int(k or 1) + 1):
        page.locator(f"input[name=option][data-key='{i}']").check()
    expect(page.locator("#save-status")).to_contain_text("Saved at")


def test_a_candidate_takes_a_whole_exam(page: Page, live_server, screenshot):
    base = live_server.url
    sign_up(page, base)
    screenshot(page, "home")
    attempt = start_exam(page)
    screenshot(page, "question")
    for n in range(1, 66):
        expect(page.locator(".qnum")).to_have_text(f"Question {n} of 65")
        if n == 22:
            expect(page.locator(".checkpoint")).to_contain_text("Checkpoint: question 22")
            screenshot(page, "checkpoint")
        choose(page)
        if n in (3, 30, 60):
            page.check("input[name=flagged]")
            expect(page.locator(f"#nav-{n} button")).to_have_attribute(
                "aria-label", re.compile("flagged")
            )
        page.locator("[data-nav=next]").click()
    expect(page.locator("h1")).to_have_text("Ready to submit?")
    expect(page.locator("#flagged-h")).to_have_text("Flagged for review (3)")
    expect(page.locator("#unanswered-h")).to_have_text("Unanswered (0)")
    screenshot(page, "review-and-submit")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("text=Submit exam")
    expect(page.locator("#score-h")).to_contain_text("Score")
    attempt.refresh_from_db()
    expect(page.locator("#score-h")).to_contain_text(str(attempt.scaled_score))
    expect(page.locator("#score-h")).to_contain_text("Pass" if attempt.passed else "Fail")
    expect(page.locator("#domains-h")).to_be_visible()
    expect(page.locator("#pace-h")).to_be_visible()
    screenshot(page, "results")
    page.click("text=Review every question")
    page.check("input[name=show][value=incorrect]")
    expect(page.locator("#review-list [role=status]")).to_contain_text(
        f"{65 - attempt.correct_count} question"
    )
    screenshot(page, "answers")
    page.click("header >> text=History")
    expect(page.locator("table").last).to_contain_text(str(attempt.scaled_score))
    screenshot(page, "history")


def test_answers_survive_a_reload_and_a_network_failure(page: Page, live_server):
    sign_up(page, live_server.url)
    start_exam(page)
    page.locator("input[name=option][data-key='1']").check()
    expect(page.locator("#save-status")).to_contain_text("Saved at")
    page.route(re.compile(r".*/q/1/$"), lambda route: route.abort())
    page.locator("input[name=flagged]").check()
    expect(page.locator("#save-status")).to_contain_text("Not saved — retrying")
    page.unroute(re.compile(r".*/q/1/$"))
    expect(page.locator("#save-status")).to_contain_text("Saved at", timeout=10_000)
    page.reload()
    expect(page.locator("input[name=option][data-key='1']")).to_be_checked()
    expect(page.locator("input[name=flagged]")).to_be_checked()


def test_the_hidden_clock_shows_only_at_the_gate(page: Page, live_server):
    sign_up(page, live_server.url)
    attempt = start_exam(page, hide_clock=True)
    page.goto(f"{live_server.url}/attempts/{attempt.code}/q/5/")
    expect(page.locator("#clock")).to_be_hidden()
    page.goto(f"{live_server.url}/attempts/{attempt.code}/q/22/")
    expect(page.locator("#clock")).to_be_visible()
    expect(page.locator(".checkpoint")).to_be_visible()


def test_time_expiry_ends_on_the_results(page: Page, live_server):
    sign_up(page, live_server.url)
    attempt = start_exam(page)
    choose(page)
    with time_machine.travel(attempt.deadline + timedelta(seconds=2), tick=True):
        page.locator("input[name=flagged]").check()
        expect(page.locator("#score-h")).to_be_visible()
        expect(page.locator(".messages")).to_contain_text("Time is up")
        expect(page.locator(".score")).to_contain_text("time expired")
    attempt.refresh_from_db()
    assert attempt.finish_reason == Attempt.FinishReason.EXPIRED
    first = attempt.items.get(position=1)
    assert first.selected  # saved in time, so it counts
    assert not first.flagged  # the flag came too late and was refused


def test_an_exam_works_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_up(page, live_server.url, "nojs")
    attempt = start_exam(page)
    page.locator("input[name=option][data-key='1']").check()
    page.click("button[value=next]")
    expect(page.locator(".qnum")).to_have_text("Question 2 of 65")
    page.goto(f"{live_server.url}/attempts/{attempt.code}/review/")
    page.click("text=Submit exam")
    expect(page.locator("#score-h")).to_contain_text("Score")
    first = attempt.items.get(position=1)
    assert first.selected == [first.options[0]["id"]]
    context.close()


FOCUS_VISIBLE = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return [el.tagName, el.getAttribute('name') || el.textContent.trim().slice(0, 20),
          style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2];
}"""


def test_an_exam_can_be_taken_by_keyboard_alone(page: Page, live_server, screenshot):
    page.goto(f"{live_server.url}/accounts/signup/")
    screenshot(page, "signup")
    page.focus("#id_username")
    page.keyboard.type("kim")
    page.keyboard.press("Tab")
    page.keyboard.type("a-long-passphrase-9")
    page.keyboard.press("Tab")
    page.keyboard.type("a-long-passphrase-9")
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("Welcome, kim.")
    page.focus("input[name=extra_time]")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Begin the exam").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".qnum")).to_have_text("Question 1 of 65")
    ready(page)
    attempt = Attempt.objects.get()
    assert attempt.extra_time

    # Every control on the question page shows where the focus is.
    page.focus("body")
    seen = []
    for _ in range(24):  # past every option and its cross-out box to the marks
        page.keyboard.press("Tab")
        tag, name, visible = page.evaluate(FOCUS_VISIBLE)
        seen.append(name)
        assert visible, f"no visible focus on {tag} {name}"
    assert "option" in seen and "flagged" in seen

    for n in range(1, 4):
        ready(page)
        k = int(page.locator("fieldset.question").get_attribute("data-choose") or 1)
        for key in range(1, k + 1):
            page.keyboard.press(str(key))
        expect(page.locator("#save-status")).to_contain_text("Saved at")
        if n == 2:
            page.keyboard.press("f")
            expect(page.locator(f"#nav-{n} button")).to_have_attribute(
                "aria-label", re.compile("flagged")
            )
        page.keyboard.press("n")
        expect(page.locator(".qnum")).to_have_text(f"Question {n + 1} of 65")
    ready(page)
    page.keyboard.press("p")
    expect(page.locator(".qnum")).to_have_text("Question 3 of 65")
    page.goto(f"{live_server.url}/attempts/{attempt.code}/review/")
    expect(page.locator("#flagged-h")).to_have_text("Flagged for review (1)")
    expect(page.locator("#unanswered-h")).to_have_text("Unanswered (62)")
    page.focus(".submit-form button")
    page.once("dialog", lambda dialog: dialog.accept())
    page.keyboard.press("Enter")
    expect(page.locator("#score-h")).to_contain_text("Score")


def test_shortcuts_do_not_fire_while_typing(page: Page, live_server):
    sign_up(page, live_server.url)
    start_exam(page)
    page.evaluate(
        "document.querySelector('form[data-autosave]')"
        ".insertAdjacentHTML('beforeend', '<input id=notes type=text aria-label=notes>')"
    )
    page.focus("#notes")
    page.keyboard.type("n1f")
    expect(page.locator(".qnum")).to_have_text("Question 1 of 65")
    expect(page.locator("input[name=option][data-key='1']")).not_to_be_checked()
    expect(page.locator("input[name=flagged]")).not_to_be_checked()


def test_an_author_writes_questions_in_the_admin(page: Page, live_server, screenshot):
    User.objects.create_superuser("ada", "ada@example.org", "an-admin-passphrase")
    page.goto(f"{live_server.url}/accounts/login/")
    screenshot(page, "login")
    page.goto(f"{live_server.url}/admin/login/")
    screenshot(page, "admin-login")
    page.fill("#id_username", "ada")
    page.fill("#id_password", "an-admin-passphrase")
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/questions/question/add/")
    objective = Objective.objects.get(code="2.2", domain__exam__code="MLS-C01")

    def fill(key, type_, options):
        page.fill("#id_key", key)
        page.select_option("#id_objective", str(objective.pk))
        page.select_option("#id_type", type_)
        page.select_option("#id_status", "active")
        page.fill("#id_stem", "Which encodings suit a nominal feature with five values?")
        page.fill("#id_explanation", "One-hot avoids a false order. Label encoding implies one.")
        for i, (text, correct) in enumerate(options):
            page.fill(f"#id_options-{i}-text", text)
            if correct:
                page.check(f"#id_options-{i}-is_correct")

    fill("admin-mr-1", "multiple", [("One-hot", True), ("Hashing", True), ("Label", False),
                                    ("PCA", False), ("t-SNE", False)])  # fmt: skip
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    question = Question.objects.get(key="admin-mr-1")
    assert question.choose() == 2

    page.goto(f"{live_server.url}/admin/questions/question/add/")
    fill("admin-single-1", "single", [("One-hot", True), ("Hashing", True), ("Label", False),
                                      ("PCA", False), ("", False)])  # fmt: skip
    page.click("input[name=_save]")
    expect(page.locator(".errornote, .errorlist").first).to_be_visible()
    expect(page.locator("body")).to_contain_text("needs exactly one correct option (it has 2)")
    screenshot(page, "admin-validation-error")
    assert not Question.objects.filter(key="admin-single-1").exists()

    page.goto(f"{live_server.url}/admin/questions/question/{question.pk}/preview/")
    expect(page.locator("legend")).to_contain_text("Which encodings suit")
    expect(page.locator("legend")).to_contain_text("Choose 2.")
    expect(page.locator("input[type=checkbox][name=option]")).to_have_count(5)
    screenshot(page, "admin-preview")
