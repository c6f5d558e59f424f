"""Bank and blueprint files that try to hurt: refused fast, with one line and no traceback."""

import time

import pytest
from django.core.management import CommandError, call_command

from questions.models import Exam, Question

BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
questions: *i
exam: MLS-C01
"""

HOSTILE = {
    "aliases": (BILLION_LAUGHS, "more than 20 YAML aliases"),
    "depth": ("exam: MLS-C01\nquestions: " + "[" * 200 + "]" * 200 + "\n", "nests deeper"),
    "python tag": (
        "exam: MLS-C01\nquestions: !!python/object/apply:os.system ['true']\n",
        "Not valid YAML",
    ),
    "a list document": ("- 1\n- 2\n", "Expected a mapping of 'exam' and 'questions'"),
    "unknown keys": ("exam: MLS-C01\nquestions: []\nextra: 1\n", "Expected a mapping"),
    "not UTF-8": (b"exam: \xff\xfe\n", "not UTF-8 text"),
}


def write(tmp_path, content, name="bank.yaml"):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    return path


@pytest.mark.parametrize("case", HOSTILE)
def test_import_refuses_hostile_bank_files_quickly(mls, tmp_path, capsys, case):
    content, reason = HOSTILE[case]
    path = write(tmp_path, content)
    began = time.perf_counter()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_questions", str(path))
    elapsed = time.perf_counter() - began
    err = capsys.readouterr().err
    assert f"{path}: -: file: " in err
    assert reason in err
    assert "Traceback" not in err
    assert Question.objects.count() == 0
    print(f"{case}: refused in {elapsed * 1000:.0f} ms")


def test_files_over_the_size_limit_are_refused_before_parsing(mls, tmp_path, settings, capsys):
    settings.BANK_FILE_MAX_KB = 1
    path = write(tmp_path, "exam: MLS-C01\nquestions: []\n" + "# padding\n" * 200)
    with pytest.raises(CommandError):
        call_command("import_questions", str(path))
    assert "over the limit of 1 KB (BANK_FILE_MAX_KB)" in capsys.readouterr().err


BLUEPRINT = """\
code: XYZ-C01
name: A test exam
question_count: 10
duration_minutes: 30
passing_score: 700
domains:
  - number: 1
    name: Only domain
    weight: 100
    objectives:
      - {code: "1.1", title: Only objective}
"""

BAD_BLUEPRINTS = {
    "aliases": (BILLION_LAUGHS, "more than 20 YAML aliases"),
    "a list": ("- 1\n", "expected a mapping"),
    "unknown key": (BLUEPRINT + "surprise: 1\n", "surprise: unknown field"),
    "missing key": (BLUEPRINT.replace("passing_score: 700\n", ""), "passing_score: this field is required"),
    "wrong type": (BLUEPRINT.replace("question_count: 10", "question_count: ten"), "question_count: has the wrong type"),
    "weights": (BLUEPRINT.replace("weight: 100", "weight: 90"), "add up to 90"),
    "pass mark": (BLUEPRINT.replace("passing_score: 700", "passing_score: 5000"), "passing_score"),
}  # fmt: skip


@pytest.mark.parametrize("case", BAD_BLUEPRINTS)
def test_load_blueprint_refuses_bad_files_with_a_line_each(db, tmp_path, capsys, case):
    content, reason = BAD_BLUEPRINTS[case]
    path = write(tmp_path, content, "exam.yaml")
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command("load_blueprint", str(path))
    err = capsys.readouterr().err
    assert str(path) in err
    assert reason in err
    assert "Traceback" not in err
    assert not Exam.objects.exists()


def test_a_good_blueprint_still_loads(db, tmp_path, capsys):
    call_command("load_blueprint", str(write(tmp_path, BLUEPRINT, "exam.yaml")))
    assert Exam.objects.get(code="XYZ-C01").domains.get().objectives.get().code == "1.1"
