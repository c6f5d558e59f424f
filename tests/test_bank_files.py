import textwrap

import pytest
import yaml
from django.core.management import CommandError, call_command

from questions.bank import BankImportError, export_bank, import_bank
from questions.models import Option, Question

GOOD = """\
exam: MLS-C01
questions:
  - key: t-1
    objective: "3.2"
    type: single
    status: active
    stem: |
      A retailer needs a forecast.

      Which algorithm fits?
    options:
      - text: DeepAR
        correct: true
      - text: "K-means: clustering"
      - text: PCA
      - text: IP Insights
    explanation: DeepAR forecasts many related series. The others do not forecast.
    references:
      - https://docs.aws.amazon.com/sagemaker/latest/dg/deepar.html
  - key: t-2
    objective: 1.1
    type: multiple
    stem: Pick two storage services.
    options:
      - {text: Amazon S3, correct: true}
      - {text: Amazon FSx for Lustre, correct: true}
      - {text: Amazon SQS}
      - {text: Amazon SNS}
      - {text: AWS Lambda}
"""


def write(tmp_path, text, name="bank.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


def test_it_imports_a_bank_file(mls, tmp_path):
    result = import_bank([write(tmp_path, GOOD)])
    assert result.created == ["t-1", "t-2"]
    q = Question.objects.get(key="t-1")
    assert q.objective.code == "3.2"
    assert q.stem == "A retailer needs a forecast.\n\nWhich algorithm fits?"
    assert [o.text for o in q.options.all()] == [
        "DeepAR",
        "K-means: clustering",
        "PCA",
        "IP Insights",
    ]
    assert [o.is_correct for o in q.options.all()] == [True, False, False, False]
    assert q.references == ["https://docs.aws.amazon.com/sagemaker/latest/dg/deepar.html"]
    q2 = Question.objects.get(key="t-2")
    assert (q2.objective.code, q2.status, q2.choose()) == ("1.1", "draft", 2)


def test_it_is_idempotent_by_key(mls, tmp_path):
    path = write(tmp_path, GOOD)
    import_bank([path])
    before = {q.key: q.updated for q in Question.objects.all()}
    result = import_bank([path])
    assert result.unchanged == ["t-1", "t-2"]
    assert Question.objects.count() == 2
    assert Option.objects.count() == 9
    assert {q.key: q.updated for q in Question.objects.all()} == before


def test_it_updates_by_key_and_never_deletes(mls, tmp_path):
    import_bank([write(tmp_path, GOOD)])
    changed = GOOD.replace("PCA", "Principal component analysis").split("  - key: t-2")[0]
    result = import_bank([write(tmp_path, changed, "changed.yaml")])
    assert result.updated == ["t-1"]
    assert Question.objects.count() == 2  # t-2 is not in the file and stays
    texts = list(Question.objects.get(key="t-1").options.values_list("text", flat=True))
    assert "Principal component analysis" in texts
    assert Option.objects.filter(question__key="t-1").count() == 4


def test_it_keeps_questions_edited_here_when_asked(mls, tmp_path, capsys):
    """What a server does at every start: add missing questions, undo no author's work."""
    path = write(tmp_path, GOOD)
    import_bank([path])
    Question.objects.filter(key="t-1").update(stem="Edited in the admin", status="retired")
    Question.objects.filter(key="t-2").delete()
    call_command("import_questions", "--keep-existing", str(path))
    assert "1 created, 0 updated, 0 unchanged. 1 kept as edited here." in capsys.readouterr().out
    q = Question.objects.get(key="t-1")
    assert (q.stem, q.status) == ("Edited in the admin", "retired")
    assert Question.objects.filter(key="t-2").exists()


def test_it_round_trips_losslessly(mls, tmp_path):
    import_bank([write(tmp_path, GOOD)])
    exported = export_bank(Question.objects.all())
    snapshot = [
        (q.key, q.objective_id, q.type, q.status, q.stem, q.explanation, q.references,
         [(o.text, o.is_correct, o.order) for o in q.options.all()])
        for q in Question.objects.order_by("key")
    ]  # fmt: skip
    Question.objects.all().delete()
    import_bank([write(tmp_path, exported, "exported.yaml")])
    again = [
        (q.key, q.objective_id, q.type, q.status, q.stem, q.explanation, q.references,
         [(o.text, o.is_correct, o.order) for o in q.options.all()])
        for q in Question.objects.order_by("key")
    ]  # fmt: skip
    assert again == snapshot
    assert export_bank(Question.objects.all()) == exported


def test_it_imports_nothing_from_a_file_with_an_invalid_question(mls, tmp_path):
    bad_path = tmp_path / "bad.yaml"
    extra = textwrap.dedent("""\
        - key: t-3
          objective: "9.9"
          type: single
          stem: Which?
          options: [a, b, c, d]
        - key: t-4
          objective: "2.1"
          type: single
          status: active
          stem: Which?
          colour: blue
          options:
            - {text: a, correct: true}
            - {text: b, correct: true}
            - {text: c}
        - key: t-1
          objective: "2.1"
          type: single
          stem: Again?
          options: [a, b, c, d, e]
    """)
    bad_path.write_text(GOOD + textwrap.indent(extra, "  "))
    with pytest.raises(BankImportError) as excinfo:
        import_bank([bad_path])
    errors = [(e.file.rsplit("/", 1)[-1], e.key, e.field) for e in excinfo.value.errors]
    assert ("bad.yaml", "t-3", "objective") in errors
    assert ("bad.yaml", "t-4", "colour") in errors
    assert ("bad.yaml", "t-4", "options") in errors  # two correct
    assert ("bad.yaml", "t-4", "explanation") in errors  # active without one
    assert ("bad.yaml", "t-1", "key") in errors  # used twice
    messages = [e.message for e in excinfo.value.errors]
    assert "A single-answer question needs exactly one correct option (it has 2)." in messages
    assert "No objective 9.9 in exam 'MLS-C01'." in messages
    assert Question.objects.count() == 0


def test_it_reports_broken_yaml_and_missing_files(mls, tmp_path):
    broken = write(tmp_path, "exam: MLS-C01\nquestions: [\n", "broken.yaml")
    with pytest.raises(BankImportError) as excinfo:
        import_bank([broken, tmp_path / "missing.yaml"])
    fields = [(e.file.rsplit("/", 1)[-1], e.field) for e in excinfo.value.errors]
    assert fields == [("broken.yaml", "file"), ("missing.yaml", "file")]


def test_the_import_command_lists_every_error_and_fails(mls, tmp_path, capsys):
    path = write(tmp_path, GOOD.replace("correct: true}", "correct: false}"))
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_questions", str(path))
    err = capsys.readouterr().err
    assert "bank.yaml: t-2: options: A multiple-response question needs at least 2 correct" in err
    assert Question.objects.count() == 0


def test_the_commands_export_by_exam_and_objective(mls, tmp_path, capsys):
    call_command("import_questions", str(write(tmp_path, GOOD)))
    assert "2 created, 0 updated, 0 unchanged." in capsys.readouterr().out
    call_command("export_questions", "--objective", "3.2")
    doc = yaml.safe_load(capsys.readouterr().out)
    assert doc["exam"] == "MLS-C01"
    assert [q["key"] for q in doc["questions"]] == ["t-1"]
    out = tmp_path / "out.yaml"
    call_command("export_questions", "--exam", "MLS-C01", "-o", str(out))
    assert [q["key"] for q in yaml.safe_load(out.read_text())["questions"]] == ["t-1", "t-2"]
    with pytest.raises(CommandError, match="No exam with code 'NOPE'"):
        call_command("export_questions", "--exam", "NOPE")
