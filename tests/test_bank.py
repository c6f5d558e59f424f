"""Guards for the bundled bank: every future edit of fixtures/bank/ must keep these true."""

import itertools
import os
import re
import subprocess
from collections import Counter
from io import StringIO

import pytest
import yaml
from django.core.management import call_command

from questions.bank import expand_paths, import_bank
from questions.blueprint_files import load_blueprints
from questions.models import Question
from tests.conftest import ROOT

BANK = ROOT / "fixtures" / "bank"
DOMAIN_MINIMUMS = {"1": 65, "2": 80, "3": 115, "4": 65}
OBJECTIVE_MINIMUM = 15
REFERENCE_HOSTS = (
    "docs.aws.amazon.com", "aws.amazon.com", "scikit-learn.org", "en.wikipedia.org",
    "www.deeplearningbook.org", "arxiv.org", "xgboost.readthedocs.io", "otexts.com",
    "developers.google.com", "jmlr.org", "www.jmlr.org", "pytorch.org", "numpy.org",
    "pandas.pydata.org", "www.tensorflow.org",
    "keras.io", "seaborn.pydata.org", "imbalanced-learn.org", "cs231n.github.io",
)  # fmt: skip
# Apache projects' own documentation (Spark, Flink, Parquet, Avro) counts as standard.
OUTDATED = [
    r"data pipeline", r"deepracer", r"amazon machine learning(?! specialty| engineer)",
    r"kinesis data firehose", r"kinesis data analytics(?!\))", r"all of the above",
    r"none of the above", r"mechanical turk",
]  # fmt: skip


def load() -> list[tuple[str, dict]]:
    questions = []
    for path in expand_paths([BANK]):
        for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            questions += [(path.name, q) for q in doc["questions"]]
    return questions


QUESTIONS = load()
ACTIVE = [q for _, q in QUESTIONS if q.get("status") == "active"]


def test_it_has_at_least_325_active_questions_by_domain_and_objective():
    assert len(ACTIVE) >= 325
    by_domain = Counter(str(q["objective"]).split(".")[0] for q in ACTIVE)
    for domain, minimum in DOMAIN_MINIMUMS.items():
        assert by_domain[domain] >= minimum, f"domain {domain}: {by_domain[domain]} < {minimum}"
    by_objective = Counter(str(q["objective"]) for q in ACTIVE)
    assert len(by_objective) == 15
    low = {o: n for o, n in by_objective.items() if n < OBJECTIVE_MINIMUM}
    assert not low, f"objectives under {OBJECTIVE_MINIMUM}: {low}"


def test_multiple_response_is_15_to_30_percent_in_every_domain():
    multiple = [q for q in ACTIVE if q["type"] == "multiple"]
    assert 0.15 <= len(multiple) / len(ACTIVE) <= 0.30
    domains = {str(q["objective"])[0] for q in multiple}
    assert domains == {"1", "2", "3", "4"}


def test_options_fit_each_type():
    for q in ACTIVE:
        options = q["options"]
        correct = sum(1 for o in options if o.get("correct") is True)
        if q["type"] == "single":
            assert (len(options), correct) == (4, 1), q["key"]
        else:
            assert (len(options), correct) in {(5, 2), (6, 3)}, q["key"]


def test_every_question_explains_and_cites():
    for q in ACTIVE:
        sentences = re.findall(r"[.!?](?:\s|$)", q["explanation"])
        assert len(sentences) >= 2, f"{q['key']}: explanation needs two sentences or more"
        refs = q.get("references") or []
        assert refs, f"{q['key']}: no reference"
        for ref in refs:
            host = re.match(r"https://([^/]+)/", ref)
            assert host, f"{q['key']}: not an https URL: {ref}"
            known = host.group(1) in REFERENCE_HOSTS or host.group(1).endswith(".apache.org")
            assert known, f"{q['key']}: {ref} is not AWS documentation or a standard reference"


def test_stems_do_not_say_choose_k_and_names_are_current():
    for q in ACTIVE:
        assert not re.search(r"\bchoose (two|three|\d)\b", q["stem"], re.I), q["key"]
        text = " ".join([q["stem"], q["explanation"], *(o["text"] for o in q["options"])])
        for pattern in OUTDATED:
            assert not re.search(pattern, text, re.I), f"{q['key']}: /{pattern}/"


def test_no_two_stems_are_near_duplicates():
    words = [(q["key"], set(re.findall(r"[a-z0-9]+", q["stem"].lower()))) for q in ACTIVE]
    pairs = []
    for (k1, a), (k2, b) in itertools.combinations(words, 2):
        similarity = len(a & b) / len(a | b)
        if similarity > 0.6:
            pairs.append(f"{k1} ~ {k2} ({similarity:.2f})")
    assert not pairs, "near-duplicate stems: " + ", ".join(pairs)


def test_correct_answers_are_not_concentrated_in_one_position():
    positions = Counter(
        next(i for i, o in enumerate(q["options"]) if o.get("correct"))
        for q in ACTIVE
        if q["type"] == "single"
    )
    total = sum(positions.values())
    assert set(positions) == {0, 1, 2, 3}
    assert max(positions.values()) / total <= 0.35, positions


def test_keys_are_unique_and_follow_the_objective():
    keys = [q["key"] for _, q in QUESTIONS]
    assert len(keys) == len(set(keys))
    for _, q in QUESTIONS:
        assert re.fullmatch(r"mls-c01-\d\.\d-\d{3}", q["key"]), q["key"]


@pytest.fixture
def bank(db):
    load_blueprints([ROOT / "fixtures" / "blueprints"])
    return import_bank([BANK])


def test_the_whole_bank_imports_cleanly(bank):
    assert len(bank.created) == len(QUESTIONS)
    assert Question.objects.active().count() == len(ACTIVE)


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
