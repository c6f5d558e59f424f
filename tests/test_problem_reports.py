"""Reporting a problem with a question from the review; authors close reports in the admin."""

import pytest
from django.test import Client
from django.urls import reverse

from exams import services
from exams.models import Attempt
from questions.models import ProblemReport


@pytest.fixture
def finished(attempt):
    return services.finish_attempt(attempt, Attempt.FinishReason.SUBMITTED)


def report_url(attempt, position=1):
    return reverse("exams:report_problem", args=[attempt.code, position])


def test_the_review_offers_a_report_form_on_every_question(alice_client, finished):
    r = alice_client.get(reverse("exams:answers", args=[finished.code]))
    assert r.text.count("Report a problem with this question") == 10
    assert f'action="{report_url(finished, 1)}"' in r.text
    assert 'name="csrfmiddlewaretoken"' in r.text


def test_it_stores_a_report_and_sends_the_candidate_back(alice_client, alice, finished):
    r = alice_client.post(report_url(finished, 3), {"kind": "wrong_key", "note": "B is right."})
    assert r.status_code == 302
    assert r.url == reverse("exams:answers", args=[finished.code]) + "#ri-3"
    report = ProblemReport.objects.get()
    item = finished.items.get(position=3)
    assert (report.question_id, report.question_key, report.item, report.user) == (
        item.question_id,
        item.question_key,
        item,
        alice,
    )
    assert (report.kind, report.note, report.status) == ("wrong_key", "B is right.", "open")


def test_with_htmx_it_answers_with_the_thanks(alice_client, finished):
    r = alice_client.post(
        report_url(finished), {"kind": "typo", "note": ""}, headers={"HX-Request": "true"}
    )
    assert r.status_code == 200
    assert "your report on question 1 was sent" in r.text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "nonsense"}, "kind: Select a valid choice"),
        ({}, "kind: This field is required"),
        ({"kind": "other", "note": "  "}, "Say what the problem is"),
        ({"kind": "typo", "note": "x" * 2001}, "at most 2000 characters"),
    ],
)
def test_bad_input_is_a_400_with_a_message(alice_client, finished, data, message):
    r = alice_client.post(report_url(finished), data)
    assert r.status_code == 400
    assert message in r.text
    assert not ProblemReport.objects.exists()


def test_someone_elses_question_cannot_be_reported(client, bob, finished):
    client.force_login(bob)
    r = client.post(report_url(finished), {"kind": "typo"})
    assert r.status_code == 404
    assert not ProblemReport.objects.exists()


def test_an_open_attempt_cannot_report(alice_client, attempt):
    r = alice_client.post(report_url(attempt), {"kind": "typo"})
    assert r.status_code == 409
    assert not ProblemReport.objects.exists()


def test_it_takes_only_posts(alice_client, finished):
    assert alice_client.get(report_url(finished)).status_code == 405


def test_authors_see_reports_on_the_question_and_close_them_with_a_resolution(
    alice_client, charlie, finished
):
    alice_client.post(report_url(finished, 2), {"kind": "ambiguous", "note": "Two fit."})
    admin_client = Client()
    admin_client.force_login(charlie)
    report = ProblemReport.objects.get()
    change = reverse("admin:questions_question_change", args=[report.question_id])
    r = admin_client.get(change)
    assert "Ambiguous" in r.text and "Two fit." in r.text
    assert "1 answers · facility" in r.text  # the statistics beside it
    listing = admin_client.get(
        reverse("admin:questions_problemreport_changelist"), {"status__exact": "open"}
    )
    assert report.question_key in listing.text
    url = reverse("admin:questions_problemreport_change", args=[report.pk])
    r = admin_client.post(url, {"status": "closed", "resolution": ""})
    assert r.status_code == 200 and "Say how the report was resolved" in r.text
    r = admin_client.post(url, {"status": "closed", "resolution": "Reworded option C."})
    assert r.status_code == 302
    report.refresh_from_db()
    assert report.status == "closed" and report.closed is not None
    assert report.resolution == "Reworded option C."


def test_a_report_outlives_its_question(alice_client, finished):
    alice_client.post(report_url(finished, 1), {"kind": "outdated"})
    report = ProblemReport.objects.get()
    key = report.question_key
    report.question.attempt_items.update(question=None)
    report.question.delete()
    report.refresh_from_db()
    assert report.question is None and report.question_key == key
