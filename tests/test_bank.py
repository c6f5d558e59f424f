"""Guards for the bundled banks: every future edit of fixtures/bank/ must keep these true."""

import os
import re
import subprocess
from collections import Counter
from io import StringIO

import pytest
import yaml
from django.core.management import call_command

from questions import bankcheck
from questions.bank import expand_paths, import_bank
from questions.blueprint import largest_remainder
from questions.blueprint_files import load_blueprints
from questions.models import Question
from tests.helpers import ROOT

BANK = ROOT / "fixtures" / "bank"
BLUEPRINTS = ROOT / "fixtures" / "blueprints"
EXAMS = {
    # Seven full exams of MLS-C01 and five of the MLA-C02 standard form, at least.
    "MLS-C01": {"total": 455, "exams": 7, "objective": 25},
    "MLA-C02": {"total": 325, "exams": 5, "objective": 20},
}
REFERENCE_HOSTS = (
    "docs.aws.amazon.com", "aws.amazon.com", "scikit-learn.org", "en.wikipedia.org",
    "www.deeplearningbook.org", "arxiv.org", "xgboost.readthedocs.io", "otexts.com",
    "developers.google.com", "jmlr.org", "www.jmlr.org", "pytorch.org", "numpy.org",
    "pandas.pydata.org", "www.tensorflow.org", "keras.io", "seaborn.pydata.org",
    "imbalanced-learn.org", "cs231n.github.io", "huggingface.co", "mlflow.org",
)  # fmt: skip
# Apache projects' own documentation (Spark, Flink, Parquet, Avro) counts as standard.
OUTDATED = [
    r"data pipeline", r"deepracer", r"amazon machine learning(?! specialty| engineer)",
    r"kinesis data firehose", r"kinesis data analytics(?!\))", r"all of the above",
    r"none of the above", r"mechanical turk",
]  # fmt: skip


def load() -> list[tuple[str, str, dict]]:
    questions = []
    for path in expand_paths([BANK]):
        for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            questions += [(doc["exam"], path.name, q) for q in doc["questions"]]
    return questions


def blueprint(code: str) -> dict:
    return yaml.safe_load((BLUEPRINTS / f"{code.lower()}.yaml").read_text(encoding="utf-8"))


QUESTIONS = load()
ACTIVE = {code: [q for e, _, q in QUESTIONS if e == code and q.get("status") == "active"]
          for code in EXAMS}  # fmt: skip
bank_of = pytest.mark.parametrize("code", list(EXAMS))


@bank_of
def test_every_domain_and_objective_fills_enough_exams(code):
    active, spec, bp = ACTIVE[code], EXAMS[code], blueprint(code)
    assert len(active) >= spec["total"]
    per_exam = largest_remainder(bp["question_count"], [d["weight"] for d in bp["domains"]])
    by_domain = Counter(str(q["objective"]).split(".")[0] for q in active)
    for domain, needed in zip(bp["domains"], per_exam, strict=True):
        have = by_domain[str(domain["number"])]
        assert have >= spec["exams"] * needed, f"{code} domain {domain['number']}: {have}"
    by_objective = Counter(str(q["objective"]) for q in active)
    low = {o: n for o, n in by_objective.items() if n < spec["objective"]}
    assert not low, f"{code}: objectives under {spec['objective']}: {low}"


@bank_of
def test_tags_name_objectives_of_the_exam(code):
    objectives = {str(o["code"]) for d in blueprint(code)["domains"] for o in d["objectives"]}
    tags = {str(q["objective"]) for q in ACTIVE[code]}
    assert tags <= objectives, tags - objectives
    assert tags == objectives  # every objective is covered


@bank_of
def test_multiple_response_is_15_to_30_percent_in_every_domain(code):
    active = ACTIVE[code]
    multiple = [q for q in active if q["type"] == "multiple"]
    assert 0.15 <= len(multiple) / len(active) <= 0.30
    assert {str(q["objective"])[0] for q in multiple} == {"1", "2", "3", "4"}


@bank_of
def test_options_fit_each_type(code):
    for q in ACTIVE[code]:
        options = q["options"]
        correct = sum(1 for o in options if o.get("correct") is True)
        if q["type"] == "single":
            assert (len(options), correct) == (4, 1), q["key"]
        else:
            assert (len(options), correct) in {(5, 2), (6, 3)}, q["key"]


@bank_of
def test_every_question_explains_and_cites(code):
    for q in ACTIVE[code]:
        sentences = re.findall(r"[.!?](?:\s|$)", q["explanation"])
        assert len(sentences) >= 2, f"{q['key']}: explanation needs two sentences or more"
        refs = q.get("references") or []
        assert refs, f"{q['key']}: no reference"
        for ref in refs:
            host = re.match(r"https://([^/]+)/", ref)
            assert host, f"{q['key']}: not an https URL: {ref}"
            known = host.group(1) in REFERENCE_HOSTS or host.group(1).endswith(".apache.org")
            assert known, f"{q['key']}: {ref} is not AWS documentation or a standard reference"


@bank_of
def test_stems_do_not_say_choose_k_and_names_are_current(code):
    for q in ACTIVE[code]:
        assert not re.search(r"\bchoose (two|three|\d)\b", q["stem"], re.I), q["key"]
        text = " ".join([q["stem"], q["explanation"], *(o["text"] for o in q["options"])])
        for pattern in OUTDATED:
            assert not re.search(pattern, text, re.I), f"{q['key']}: /{pattern}/"


@bank_of
def test_option_length_does_not_give_the_key_away(code):
    report = bankcheck.length_cues(ACTIVE[code])
    assert report.problems() == [], "\n".join(bankcheck.describe(report))


def test_the_length_cue_check_catches_a_cue():
    # Make every key the longest option: the check must say so.
    cued = [
        {**q, "options": [{**o, "text": o["text"] + " padding" * 40 * bool(o.get("correct"))}
                          for o in q["options"]]}
        for q in ACTIVE["MLS-C01"]
    ]  # fmt: skip
    problems = bankcheck.length_cues(cued).problems()
    assert any("length rank 1" in p for p in problems)
    assert any("always picking the longest" in p for p in problems)


@bank_of
def test_no_two_questions_test_the_same_fact_the_same_way(code):
    pairs = bankcheck.near_duplicates(ACTIVE[code])
    assert not pairs, "near-duplicates: " + ", ".join(f"{a} ~ {b} ({s:.2f})" for a, b, s in pairs)


def test_the_near_duplicate_check_catches_a_reworded_copy():
    q = next(q for q in ACTIVE["MLS-C01"] if q["type"] == "single")
    copy = {**q, "key": "copy", "stem": "In short: " + q["stem"].replace("company", "firm")}
    assert bankcheck.near_duplicates([q, copy])


@bank_of
def test_most_questions_are_medium_or_hard(code):
    levels = Counter(q.get("difficulty") for q in ACTIVE[code])
    assert set(levels) <= {"easy", "medium", "hard"}, levels
    assert (levels["medium"] + levels["hard"]) / len(ACTIVE[code]) >= 0.65, levels


@bank_of
def test_correct_answers_are_not_concentrated_in_one_position(code):
    positions = Counter(
        next(i for i, o in enumerate(q["options"]) if o.get("correct"))
        for q in ACTIVE[code]
        if q["type"] == "single"
    )
    total = sum(positions.values())
    assert set(positions) == {0, 1, 2, 3}
    assert max(positions.values()) / total <= 0.35, positions


def test_keys_are_unique_and_name_their_exam():
    keys = [q["key"] for _, _, q in QUESTIONS]
    assert len(keys) == len(set(keys))
    for exam, _, q in QUESTIONS:
        assert re.fullmatch(rf"{exam.lower()}-\d\.\d-\d{{3}}", q["key"]), q["key"]


@pytest.fixture
def bank(db):
    load_blueprints([BLUEPRINTS])
    return import_bank([BANK])


def test_the_whole_bank_imports_cleanly(bank):
    assert len(bank.created) == len(QUESTIONS)
    assert Question.objects.active().count() == sum(len(a) for a in ACTIVE.values())


def test_the_bank_document_is_up_to_date(bank):
    out = StringIO()
    call_command("bank_report", stdout=out)
    assert out.getvalue() == (ROOT / "docs" / "question-bank.md").read_text(), (
        "docs/question-bank.md is stale: run `make bank-doc`"
    )


def test_make_run_loads_the_bank_on_a_fresh_database(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}"}
    r = subprocess.run(
        ["make", "-s", "db"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert r.returncode == 0, r.stderr
    assert f"{len(QUESTIONS)} created, 0 updated, 0 unchanged." in r.stdout
    r = subprocess.run(["make", "-s", "db"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert f"0 created, 0 updated, {len(QUESTIONS)} unchanged." in r.stdout
