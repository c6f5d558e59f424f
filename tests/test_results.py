import re
from datetime import timedelta
from xml.etree import ElementTree

import time_machine
from django.urls import reverse

from exams import reports, services
from exams.models import Attempt, AttemptItem
from questions.models import Question
from tests.factories import make_bank, make_exam
from tests.helpers import T0


def set_answers(attempt, right_per_domain: dict[int, int], flagged=()):
    """The first n questions of each domain right, the rest wrong or (every 5th) unanswered."""
    seen: dict[int, int] = {}
    items = list(attempt.items.all())
    for item in items:
        n = seen[item.domain_number] = seen.get(item.domain_number, 0) + 1
        if n <= right_per_domain.get(item.domain_number, 0):
            item.selected = sorted(item.correct_ids())
        elif n % 5 == 0:
            item.selected = []
        else:
            item.selected = sorted(item.option_ids() - item.correct_ids())[:1]
        item.flagged = item.position in flagged
    AttemptItem.objects.bulk_update(items, ["selected", "flagged"])


def finish(attempt, minutes=150):
    with time_machine.travel(T0 + timedelta(minutes=minutes), tick=False):
        return services.finish_attempt(attempt, Attempt.FinishReason.SUBMITTED)


def test_the_results_page_shows_score_domains_and_pace(alice_client, attempt):
    set_answers(attempt, {1: 13, 2: 8, 3: 20, 4: 6})
    done = finish(attempt)
    r = alice_client.get(reverse("exams:results", args=[attempt.code]))
    assert r.status_code == 200
    assert f"Score {done.scaled_score}" in r.text
    assert "47 of 65 correct" in r.text
    assert "time used 150:00 of 180:00 · submitted" in r.text
    assert "approximates AWS" in r.text
    domains = r.context["domains"]
    # Weak first: Exploratory Data Analysis (8/16) then ML Ops (6/13); then the rest.
    assert [(d.number, d.meets) for d in domains] == [(2, False), (4, False), (3, True), (1, True)]
    assert "Study next: 2. Exploratory Data Analysis" in r.text
    assert '<title id="bars-title">Percent correct by domain</title>' in r.text
    assert "Domain 2 Exploratory Data Analysis: 50 percent, needs improvement." in r.text


def test_a_domain_exactly_at_the_pass_ratio_meets_competencies(alice, db):
    # 750 of 100–1000 maps to 13/18 correct: an 18-question domain is the boundary.
    exam = make_exam(question_count=36, duration_minutes=60, passing_score=750, weights=(50, 50))
    make_bank(exam, per_objective=18, multiple_every=0)
    a, _ = services.start_attempt(alice, exam)
    set_answers(a, {1: 13, 2: 12})
    a = services.finish_attempt(a, Attempt.FinishReason.SUBMITTED)
    results = {d.number: d for d in reports.domain_results(a, a.items.all())}
    assert (results[1].correct, results[1].asked, results[1].meets) == (13, 18, True)
    assert (results[2].correct, results[2].asked, results[2].meets) == (12, 18, False)
    assert results[1].status == "Meets competencies"
    assert results[2].status == "Needs improvement"


def test_weak_domains_rank_by_what_they_cost(attempt):
    # Equal percent in Modeling (36 %) and Data Engineering (20 %): Modeling costs more.
    items = list(attempt.items.all())
    for item in items:
        item.is_correct = False
    for d in (1, 3):
        for_domain = [i for i in items if i.domain_number == d]
        for item in for_domain[: len(for_domain) // 2]:
            item.is_correct = True
    attempt.status = Attempt.Status.FINISHED
    results = reports.domain_results(attempt, items)
    d1 = next(r for r in results if r.number == 1)
    d3 = next(r for r in results if r.number == 3)
    assert round(d1.fraction, 2) == round(6 / 13, 2) and round(d3.fraction, 2) == round(11 / 23, 2)
    ranked = [r.number for r in results if not r.meets]
    assert ranked.index(3) < ranked.index(1)
    # And with exactly equal percent:
    equal = [
        reports.DomainResult(1, "Data Engineering", 20, 0.2, asked=10, correct=5, meets=False),
        reports.DomainResult(3, "Modeling", 36, 0.36, asked=10, correct=5, meets=False),
    ]
    assert max(equal, key=lambda d: d.cost).name == "Modeling"


def test_objectives_are_listed_under_their_domain_most_missed_first(alice_client, attempt):
    set_answers(attempt, {1: 13, 2: 16, 3: 0, 4: 13})
    finish(attempt)
    r = alice_client.get(reverse("exams:results", args=[attempt.code]))
    modeling = next(d for d in r.context["domains"] if d.number == 3)
    assert not modeling.meets
    missed = modeling.missed_objectives
    assert {o.code for o in missed} <= {"3.1", "3.2", "3.3", "3.4", "3.5"}
    assert [o.missed for o in missed] == sorted((o.missed for o in missed), reverse=True)
    assert "Select the appropriate model(s) for a given machine learning problem" in r.text


def test_the_pace_report_compares_gates_with_targets(alice_client, attempt):
    arrivals = {22: 55, 44: 125}
    for item in attempt.items.filter(position__lte=50):
        minutes = arrivals.get(item.position, item.position * 2.5)
        item.first_seen = T0 + timedelta(minutes=minutes)
        item.save()
    finish(attempt, minutes=170)
    r = alice_client.get(reverse("exams:results", args=[attempt.code]))
    gates = r.context["gates"]
    assert [(g.position, g.elapsed, g.target, g.ahead) for g in gates] == [
        (22, timedelta(minutes=55), timedelta(minutes=60), True),
        (44, timedelta(minutes=125), timedelta(minutes=120), False),
    ]
    assert (
        'question 22: reached at 55:00, target 60:00 — <span class="good">ahead by 5:00' in r.text
    )
    assert "behind by 5:00" in r.text
    assert "Time used: 170:00 of 180:00." in r.text
    assert r.context["pace"]["reached"] == 50
    assert '<title id="pace-title">' in r.text


def test_the_review_shows_answers_explanations_and_filters(alice_client, attempt):
    set_answers(attempt, {1: 13, 2: 16, 3: 20, 4: 13}, flagged=(1, 2, 3))
    finish(attempt)
    url = reverse("exams:answers", args=[attempt.code])
    r = alice_client.get(url)
    assert r.context["page"].paginator.count == 65
    assert "Correct answer" in r.text and "Your answer" in r.text
    assert "EXPLANATION-" in r.text
    assert "docs.aws.amazon.com" in r.text
    incorrect = alice_client.get(url, {"show": "incorrect"}).context["page"].paginator
    assert incorrect.count == 3  # the last 3 of Modeling
    assert all(not i.is_correct for i in incorrect.object_list)
    unanswered = alice_client.get(url, {"show": "unanswered"}).context["page"].paginator
    assert all(i.selected == [] for i in unanswered.object_list)
    flagged = alice_client.get(url, {"show": "flagged"}).context["page"].paginator
    assert [i.position for i in flagged.object_list] == [1, 2, 3]
    by_domain = alice_client.get(url, {"domain": "4"}).context["page"].paginator
    assert by_domain.count == 13
    by_objective = alice_client.get(url, {"objective": "3.2"}).context["page"].paginator
    assert {i.objective_code for i in by_objective.object_list} == {"3.2"}
    r = alice_client.get(url, {"show": "incorrect"}, headers={"HX-Request": "true"})
    assert r.text.lstrip().startswith('<div id="review-list">')


def test_the_review_refuses_unknown_filters(alice_client, attempt):
    finish(attempt)
    url = reverse("exams:answers", args=[attempt.code])
    r = alice_client.get(url, {"show": "everything"})
    assert r.status_code == 400
    assert "Unknown show &#x27;everything&#x27;" in r.text
    assert alice_client.get(url, {"domain": "x"}).status_code == 400
    assert alice_client.get(url, {"page": "999"}).status_code == 200  # the last page


def test_the_review_shows_the_snapshot_after_the_question_was_edited(alice_client, attempt):
    finish(attempt)
    item = attempt.items.get(position=1)
    Question.objects.filter(pk=item.question_id).update(
        stem="Edited later", explanation="New explanation"
    )
    r = alice_client.get(reverse("exams:answers", args=[attempt.code]))
    assert item.stem in r.text
    assert item.explanation in r.text
    assert "Edited later" not in r.text


def test_an_open_attempt_has_no_results_or_review_yet(alice_client, attempt):
    with time_machine.travel(T0 + timedelta(minutes=5), tick=False):
        for name in ("exams:results", "exams:answers"):
            r = alice_client.get(reverse(name, args=[attempt.code]))
            assert r.status_code == 302
            assert r["Location"] == reverse("exams:question", args=[attempt.code, 1])


def test_history_lists_attempts_newest_first_with_trends(alice_client, alice, mls_bank):
    codes = []
    for day, right in enumerate([(5, 5, 10, 5), (10, 12, 18, 10), (13, 16, 23, 13)]):
        start = T0 + timedelta(days=day)
        with time_machine.travel(start, tick=False):
            a, _ = services.start_attempt(alice, mls_bank)
        set_answers(a, dict(zip((1, 2, 3, 4), right, strict=True)))
        with time_machine.travel(start + timedelta(minutes=100), tick=False):
            services.finish_attempt(a, Attempt.FinishReason.SUBMITTED)
        codes.append(a.code)
    with time_machine.travel(T0 + timedelta(days=3), tick=False):
        open_attempt, _ = services.start_attempt(alice, mls_bank)
        r = alice_client.get(reverse("exams:history"))
    attempts = r.context["attempts"]
    assert [a.code for a in attempts] == [open_attempt.code, *reversed(codes)]
    assert "In progress: resume" in r.text
    trend = r.context["score_trend"]
    assert [p["attempt"].code for p in trend["points"]] == codes  # oldest first
    assert trend["passing"] == 750
    series = {s["number"]: s["values"] for s in r.context["domain_trend"]["series"]}
    assert series[1] == [38, 77, 100]
    assert series[3] == [43, 78, 100]
    assert '<title id="trend-title">' in r.text
    assert "pass 750" in r.text


def test_history_is_empty_for_a_new_candidate(alice_client):
    r = alice_client.get(reverse("exams:history"))
    assert "No attempts yet." in r.text


def test_results_pages_are_404_for_others(client, bob, attempt):
    finish(attempt)
    client.force_login(bob)
    for name in ("exams:results", "exams:answers"):
        assert client.get(reverse(name, args=[attempt.code])).status_code == 404
    r = client.get(reverse("exams:answers", args=[attempt.code]), headers={"HX-Request": "true"})
    assert r.status_code == 404
    assert attempt.code not in [
        a.code for a in client.get(reverse("exams:history")).context["attempts"]
    ]


def test_staff_see_attempts_read_only_in_the_admin(admin_client, attempt):
    finish(attempt)
    r = admin_client.get(reverse("admin:exams_attempt_change", args=[attempt.pk]))
    assert r.status_code == 200
    assert not r.context["has_change_permission"]
    assert (
        admin_client.post(reverse("admin:exams_attempt_delete", args=[attempt.pk])).status_code
        == 403
    )
    assert admin_client.get(reverse("admin:exams_attempt_changelist")).status_code == 200


def test_the_charts_are_valid_svg_with_titles(alice_client, alice, attempt):
    set_answers(attempt, {1: 10, 2: 10, 3: 10, 4: 10})
    finish(attempt)
    pages = [
        alice_client.get(reverse("exams:results", args=[attempt.code])).text,
        alice_client.get(reverse("exams:history")).text,
    ]
    svgs = [svg for page in pages for svg in re.findall(r"<svg.*?</svg>", page, re.S)]
    # Domain bars, pace, score trend, domain trend: each in a wide and a narrow (phone) frame.
    assert len(svgs) == 8
    for svg in svgs:
        root = ElementTree.fromstring(
            svg.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)
        )
        assert root.get("role") == "img"
        title = root.find("{http://www.w3.org/2000/svg}title")
        assert title is not None and title.text.strip()
        assert root.get("aria-labelledby", "").startswith(title.get("id"))
