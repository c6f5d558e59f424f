"""The engine's seams: modes through one save and finish path, a toy kind that needs no
edit outside its module, each rule in one place, abandon, and stable option identity."""

import math
import random
import textwrap
from fractions import Fraction

import pytest
from django.http import QueryDict
from django.urls import reverse

from exams import scoring, services
from exams.models import Attempt, AttemptItem
from questions import kinds
from questions.bank import import_bank
from questions.kinds.base import InvalidResponse, Kind
from questions.models import Objective, Option, Question
from tests.factories import make_bank, make_exam


def form(**fields) -> QueryDict:
    data = QueryDict(mutable=True)
    for k, v in fields.items():
        data.setlist(k, [str(x) for x in (v if isinstance(v, list) else [v])])
    return data


def answer_all(attempt: Attempt, right: int) -> None:
    """Answer the first ``right`` items correctly and the rest wrongly, through the service."""
    for item in attempt.items.order_by("position"):
        correct = [o["id"] for o in item.options if o["correct"]]
        wrong = [o["id"] for o in item.options if not o["correct"]][: len(correct)]
        chosen = correct if item.position <= right else wrong
        services.save_answer(attempt.items.all(), item.position, form(option=chosen))


def test_an_exam_and_a_practice_sitting_share_save_and_finish(alice, mls_bank):
    exam, _ = services.start_attempt(alice, mls_bank, rng=random.Random(1))
    ids = list(Question.objects.filter(objective__code="3.2").values_list("id", flat=True)[:5])
    practice = services.start_practice(alice, mls_bank, ids, rng=random.Random(2))
    assert (practice.mode, practice.deadline, practice.gate_positions()) == ("practice", None, [])
    assert practice.accepts_changes() and exam.accepts_changes()

    answer_all(exam, right=50)
    answer_all(practice, right=3)
    exam = services.finish_attempt(exam, Attempt.FinishReason.SUBMITTED)
    practice = services.finish_attempt(practice, Attempt.FinishReason.SUBMITTED)

    assert (exam.correct_count, exam.scaled_score, exam.passed) == (50, 792, True)
    assert (practice.correct_count, practice.scaled_score, practice.passed) == (3, None, None)
    assert practice.percent == 60
    assert list(Attempt.objects.in_trends()) == [exam]
    with pytest.raises(services.AttemptClosed):
        services.save_answer(practice.items.all(), 1, form(option=[]))


def test_a_practice_sitting_may_have_a_clock(alice, mls_bank):
    ids = list(Question.objects.values_list("id", flat=True)[:4])
    practice = services.start_practice(alice, mls_bank, ids, minutes=6)
    assert practice.duration.total_seconds() == 360
    assert practice.gate_positions() == []  # practice has no gates, clock or not


class YesNo(Kind):
    """A toy kind: two options, one right. Defined here, registered here, nothing else."""

    name = "yesno"
    label = "Yes or no"
    take_template = "exams/_question_body.html"

    def validate(self, options, rules=None):
        return [] if len(options) == 2 and sum(c for _, c in options) == 1 else ["Two options."]

    def snapshot(self, options, rng):
        return [{"id": o.id, "text": o.text, "correct": o.is_correct} for o in options]

    def parse(self, item, data):
        value = data.get("option", "")
        ids = [o["id"] for o in item.options]
        if value not in {str(i) for i in ids}:
            raise InvalidResponse("Say yes or no; nothing was saved.")
        return [int(value)]

    def grade(self, item):
        return item.selected == [o["id"] for o in item.options if o["correct"]]


@pytest.fixture
def yesno():
    kinds.register(YesNo())
    yield
    kinds.unregister("yesno")


def test_a_new_kind_needs_only_its_module(alice_client, alice, mls, yesno):
    objective = Objective.objects.get(domain__exam=mls, code="3.2")
    q = Question(key="toy-1", objective=objective, type="yesno", stem="Is DeepAR a forecaster?",
                 explanation="It is. Really.", status="active")  # fmt: skip
    q.full_clean()
    with pytest.raises(Exception, match="Two options"):
        q.clean_options([("Yes", True), ("No", False), ("Maybe", False)])
    q.clean_options([("Yes", True), ("No", False)])
    q.save()
    yes = Option.objects.create(question=q, text="Yes", is_correct=True, order=0)
    Option.objects.create(question=q, text="No", is_correct=False, order=1)

    attempt = services.start_practice(alice, mls, [q.pk])
    url = reverse("exams:question", args=[attempt.code, 1])
    page = alice_client.get(url)
    assert "Is DeepAR a forecaster?" in page.text
    assert alice_client.post(url, {"answer_form": "1", "option": "nope"}).status_code == 400
    assert alice_client.post(url, {"answer_form": "1", "option": str(yes.pk)}).status_code == 302
    done = services.finish_attempt(attempt, Attempt.FinishReason.SUBMITTED)
    assert done.correct_count == 1


def test_the_69_percent_case_reads_consistently(alice_client, alice, db):
    # An MLA-shaped scale: 720 of 100–1000. 11 of 16 is 68.75 %, under the 68.89 % bar.
    exam = make_exam(question_count=16, duration_minutes=30, passing_score=720, weights=(100,))
    make_bank(exam, per_objective=16, multiple_every=0)
    attempt, _ = services.start_attempt(alice, exam)
    answer_all(attempt, right=11)
    services.finish_attempt(attempt, Attempt.FinishReason.SUBMITTED)
    r = alice_client.get(reverse("exams:results", args=[attempt.code]))
    (domain,) = r.context["domains"]
    assert (domain.meets, domain.needed, domain.percent) == (False, 12, 68.7)
    assert "meets competencies</em> at 68.8 % or more" in r.text
    assert "68.7 %" in r.text and "69 %" not in r.text


@pytest.mark.parametrize("passing", [750, 720])
def test_a_shown_share_never_contradicts_the_verdict(passing):
    ratio = scoring.pass_ratio(100, 1000, passing)
    bar = scoring.shown_percent(ratio)
    for asked in range(1, 61):
        for correct in range(asked + 1):
            shown = scoring.shown_percent(Fraction(correct, asked))
            assert scoring.meets(correct, asked, ratio) == (shown >= bar), (correct, asked)
            assert scoring.needed(asked, ratio) == math.ceil(asked * ratio)


def test_abandon_ends_the_mock_scored_but_out_of_trends(alice_client, alice, mls_bank):
    attempt, _ = services.start_attempt(alice, mls_bank)
    answer_all(attempt, right=40)
    url = reverse("exams:abandon", args=[attempt.code])
    assert "Abandon this mock?" in alice_client.get(url).text
    attempt.refresh_from_db()
    assert not attempt.is_finished  # the confirmation page changes nothing
    r = alice_client.post(url)
    assert r.status_code == 302
    attempt.refresh_from_db()
    assert (attempt.finish_reason, attempt.correct_count) == ("abandoned", 40)
    assert attempt.scaled_score is not None
    assert not Attempt.objects.in_trends().exists()
    history = alice_client.get(reverse("exams:history"))
    assert history.context["score_trend"] is None or not history.context["score_trend"]
    assert alice_client.get(reverse("exams:answers", args=[attempt.code])).status_code == 200
    # A new mock can start at once.
    _, created = services.start_attempt(alice, mls_bank)
    assert created


BANK_FILE = textwrap.dedent("""\
    exam: MLS-C01
    questions:
      - key: stable-1
        objective: "3.2"
        type: single
        status: active
        stem: Which algorithm forecasts many related series?
        options:
          - {text: DeepAR, correct: true}
          - {text: K-means}
          - {text: PCA}
          - {text: IP Insights}
        explanation: DeepAR forecasts. The others do not.
    """)


def test_options_keep_their_identity_across_a_reimport(alice, mls, tmp_path):
    path = tmp_path / "bank.yaml"
    path.write_text(BANK_FILE)
    import_bank([path])
    q = Question.objects.get(key="stable-1")
    before = {o.text: o.pk for o in q.options.all()}
    assert q.version == 1

    assert import_bank([path]).unchanged == ["stable-1"]
    assert {o.text: o.pk for o in q.options.all()} == before

    path.write_text(BANK_FILE.replace("{text: PCA}", "{text: Principal component analysis}"))
    assert import_bank([path]).updated == ["stable-1"]
    q.refresh_from_db()
    after = {o.text: o.pk for o in q.options.all()}
    assert q.version == 2
    assert {t: after[t] for t in ("DeepAR", "K-means", "IP Insights")} == {
        t: before[t] for t in ("DeepAR", "K-means", "IP Insights")
    }
    assert after["Principal component analysis"] not in before.values()

    attempt = services.start_practice(alice, mls, [q.pk])
    assert AttemptItem.objects.get(attempt=attempt).question_version == 2
