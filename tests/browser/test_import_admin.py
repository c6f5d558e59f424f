"""An author previews a Moodle/Aiken file in the admin, sees every question's verdict, and
imports it."""

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from questions.models import Question
from tests.helpers import ROOT

pytestmark = pytest.mark.usefixtures("bank")


def test_an_author_previews_and_imports_a_file(page: Page, live_server, screenshot):
    User.objects.create_superuser("ines", "ines@example.org", "an-admin-passphrase")
    before = Question.objects.count()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "ines")
    page.fill("#id_password", "an-admin-passphrase")
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/questions/question/")
    page.get_by_role("link", name="Import from a file").click()
    page.set_input_files("#id_file", str(ROOT / "tests/fixtures/formats/moodle-docs.aiken"))
    page.select_option("#id_exam", "MLS-C01")
    page.fill("#id_objective", "3.2")
    page.locator("input[type=submit]").last.click()
    expect(page.get_by_text("Nothing has been written yet.")).to_be_visible()
    expect(page.locator("#import-verdicts")).to_contain_text("skip")
    screenshot(page, "admin-import-preview")
    assert Question.objects.count() == before  # the preview writes nothing
    created = int(page.locator("#import-counts tr").first.locator("td").inner_text())
    assert created > 0
    page.get_by_role("button", name=f"Import {created} question(s)").click()
    assert Question.objects.count() == before + created
    assert Question.objects.filter(status="draft").count() >= created  # drafts unless asked
