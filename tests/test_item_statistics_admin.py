"""The admin's item-analysis page: sortable, filterable, a fixed number of queries."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from questions.models import ProblemReport, Question
from readiness.items import MISKEY
from tests.helpers import T0
from tests.readiness_factory import finished_sitting, options_of, right, wrong
from tests.test_readiness_items import planted, single_bank, users  # noqa: F401

URL = reverse("admin:questions_question_statistics")


def keys_in_order(r):
    return [row.stats.key for row in r.context["page"]]


def test_it_lists_every_question_with_its_figures(admin_client, planted):  # noqa: F811
    _, _, planted_q = planted
    r = admin_client.get(URL)
    assert r.status_code == 200
    assert r.context["page"].paginator.count == 20
    row = next(row for row in r.context["page"] if row.stats.key == planted_q.key)
    assert MISKEY in row.stats.flags
    assert reverse("admin:questions_question_change", args=[planted_q.pk]) in r.text
    assert "probable miskey" in r.text


def test_it_filters_by_flag_and_exam(admin_client, planted):  # noqa: F811
    _, _, planted_q = planted
    r = admin_client.get(URL, {"flag": "miskey"})
    assert keys_in_order(r) == [planted_q.key]
    assert admin_client.get(URL, {"exam": "PLANT"}).context["page"].paginator.count == 20
    single_bank("OTHER", 3)
    assert admin_client.get(URL, {"exam": "OTHER"}).context["page"].paginator.count == 0


def test_it_sorts_by_facility_discrimination_and_answers(admin_client, planted):  # noqa: F811
    stats, _, _ = planted
    by_facility = keys_in_order(admin_client.get(URL, {"o": "facility"}))
    facilities = [stats[k].facility for k in by_facility]
    assert facilities == sorted(facilities)
    down = keys_in_order(admin_client.get(URL, {"o": "-facility"}))
    assert [stats[k].facility for k in down] == sorted(facilities, reverse=True)
    by_disc = keys_in_order(admin_client.get(URL, {"o": "discrimination"}))
    known = [stats[k].discrimination for k in by_disc if stats[k].discrimination is not None]
    assert known == sorted(known)
    # Questions without a figure come last.
    assert all(stats[k].discrimination is None for k in by_disc[len(known) :])
    assert keys_in_order(admin_client.get(URL, {"o": "-answers"}))
    # An unknown order or filter is ignored rather than failing.
    assert admin_client.get(URL, {"o": "nonsense", "flag": "x"}).status_code == 200


def test_it_shows_open_reports_beside_the_figures(admin_client, planted):  # noqa: F811
    _, _, planted_q = planted
    ProblemReport.objects.create(question=planted_q, question_key=planted_q.key, kind="wrong_key")
    r = admin_client.get(URL, {"o": "-reports"})
    assert keys_in_order(r)[0] == planted_q.key
    assert r.context["page"][0].reports == 1


def test_candidates_cannot_see_it(alice_client, planted):  # noqa: F811
    assert alice_client.get(URL).status_code == 302


@pytest.mark.parametrize("bank_size", [10, 80])
def test_it_runs_a_fixed_number_of_queries_whatever_the_bank_size(
    admin_client,
    users,  # noqa: F811
    bank_size,
    django_assert_max_num_queries,
):
    questions = single_bank(f"SIZE{bank_size}", bank_size)
    opts = options_of(questions)
    exam = questions[0].objective.domain.exam
    for c, user in enumerate(users[:6]):
        finished_sitting(
            user,
            exam,
            questions,
            lambda i, q, o, c=c: right(q, o) if (i + c) % 3 else wrong(q, o),
            started=T0 + timedelta(days=c),
            options=opts,
        )
    Question.objects.filter(pk=questions[0].pk).update(status=Question.Status.PILOT)
    # session, user, exams, the two of item analysis, statuses, reports
    with django_assert_max_num_queries(7):
        r = admin_client.get(URL, {"o": "-discrimination"})
    assert r.context["page"].paginator.count == bank_size
    assert "pilot" in r.text


def test_the_question_list_links_to_it(admin_client, db):
    r = admin_client.get(reverse("admin:questions_question_changelist"))
    assert URL in r.text


def test_the_command_prints_the_answer_changes(planted):  # noqa: F811
    out = StringIO()
    call_command("item_analysis", "--exam", "PLANT", stdout=out)
    assert "Changes" in out.getvalue()
