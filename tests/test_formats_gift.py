"""GIFT import: every mapping rule, skip reason and escape, from Moodle's documented examples."""

import pytest

from questions.interchange import gift, read
from questions.models import Question
from tests.formats_helpers import FIXTURES, refused_import, run_import

FEATURES = FIXTURES / "features.gift"
MAP = ["--exam", "MLS-C01", "--map", "Storage=1.1", "--map", "Modelling=3.2"]


def reasons(path):
    return [(s.where, s.name, s.reason) for s in read("gift", path.read_bytes(), path.name).skips]


def test_it_skips_every_gift_type_examsite_does_not_have_with_a_reason(mls):
    assert reasons(FIXTURES / "moodle-docs.gift") == [
        ("line 3", "Q1", "a true/false question"),
        ("line 10", "Q3", "a short-answer question (answers are typed, not chosen)"),
        ("line 13", "Q4", "a matching question"),
        ("line 16", "Q5", "a numerical question"),
        ("line 19", "Q7", "a numerical question"),
        ("line 25", "Q8", "an essay question (no answers to choose from)"),
        ("line 27", "Q9", "a description: it has no answers"),
    ]


def test_it_skips_a_question_the_models_refuse_with_their_own_message(mls):
    out, err = run_import(FIXTURES / "moodle-docs.gift", "--objective", "MLS-C01/1.1")
    assert "0 created" in out and "8 skipped" in out
    assert (
        "line 6 (Q2): moodle-docs-002: skip: options: A single-answer question needs at least 4 options (it has 3)."
        in err
    )


def test_it_maps_weights_to_kinds_and_refuses_partial_credit(mls):
    assert reasons(FEATURES) == [
        ("line 38", "Partial", "partial credit (50%) has no equivalent in examsite"),
        ("line 45", "Weights", "the correct options' weights add up to 80%, not 100% "
                               "(partial credit has no equivalent in examsite)"),
        ("line 53", "AnyOf", "2 options are each fully correct (any one accepted), which examsite cannot express"),
        ("line 62", "Picture", "it shows an image or other media, which examsite cannot show"),
    ]  # fmt: skip
    out, _ = run_import(FEATURES, *MAP)
    assert out == "5 created, 0 updated, 0 unchanged, 4 skipped.\n"
    kinds = dict(Question.objects.values_list("key", "type"))
    assert kinds == {
        "features-001": "single",  # =right ~wrong
        "features-002": "multiple",  # ~%50% twice, wrong ones negative
        "features-003": "single",
        "features-004": "multiple",  # ~%33.33333% three times adds up to 100%
        "features-008": "single",
    }
    three = Question.objects.get(key="features-004")
    assert [o.is_correct for o in three.options.all()] == [True] * 3 + [False] * 3


def test_it_maps_categories_text_and_feedback(mls):
    run_import(FEATURES, *MAP)
    q = Question.objects.get(key="features-001")
    assert (q.objective.code, q.status, q.references) == ("1.1", "draft", [])
    assert q.stem == "Which service stores objects & files?"
    assert q.explanation == (
        "S3 stores objects.\nSQS queues messages.\n\n"
        "About the options:\n- Amazon S3: Right: S3 is object storage.\n- Amazon SQS: A queue."
    )
    assert Question.objects.get(key="features-003").objective.code == "3.2"
    missing_word = Question.objects.get(key="features-008")
    assert missing_word.stem == "The capital of France is _____ and it is big."


def test_it_honours_gift_escapes_and_keeps_plain_text_literal(mls):
    run_import(FEATURES, *MAP)
    q = Question.objects.get(key="features-003")
    assert q.stem == "Which ratio is 1:3, with { braces }, = ~ # and a backslash \\?"
    assert [o.text for o in q.options.all()] == [
        "one third\n(1/3)",
        "one half",
        "two thirds",
        '<a href="https://example.com">a link</a>',
    ]


def test_an_unmapped_category_is_an_error_and_nothing_is_imported(mls):
    err = refused_import(FEATURES, "--exam", "MLS-C01", "--map", "Storage=1.1")
    assert "category 'Modelling' is not mapped to an objective" in err
    assert Question.objects.count() == 0


def test_a_mapping_to_a_missing_objective_is_an_error(mls):
    err = refused_import(FEATURES, "--map", "Storage=MLS-C01/9.9", "--objective", "MLS-C01/1.1")
    assert "no objective '9.9' in exam 'MLS-C01' (for 'Storage')" in err


def test_a_map_file_maps_categories(mls, tmp_path):
    mapping = tmp_path / "map.txt"
    mapping.write_text(
        "# category = objective\n$course$/top/Storage = MLS-C01/1.1\nModelling=MLS-C01/3.2\n"
    )
    out, _ = run_import(FEATURES, "--map-file", mapping)
    assert out.startswith("5 created")


def test_names_need_not_be_unique_and_reimport_changes_nothing(mls, tmp_path):
    path = tmp_path / "Week 1 quiz.gift"
    path.write_text("\n\n".join(
        f"::Q1:: Question number {i}? {{=right ~wrong one ~wrong two ~wrong three}}" for i in range(30)
    ))  # fmt: skip
    out, _ = run_import(path, "--objective", "MLS-C01/1.1")
    assert out == "30 created, 0 updated, 0 unchanged, 0 skipped.\n"
    keys = sorted(Question.objects.values_list("key", flat=True))
    assert keys[:2] == ["week-1-quiz-001", "week-1-quiz-002"] and keys[-1] == "week-1-quiz-030"
    before = {q.key: q.updated for q in Question.objects.all()}
    out, _ = run_import(path, "--objective", "MLS-C01/1.1")
    assert out == "0 created, 0 updated, 30 unchanged, 0 skipped.\n"
    assert {q.key: q.updated for q in Question.objects.all()} == before


def test_an_examsite_key_comment_names_the_question(mls, tmp_path):
    path = tmp_path / "keys.gift"
    path.write_text("// examsite-key: my-key.1\n::Q1:: Which? {=a ~b ~c ~d}\n")
    run_import(path, "--objective", "MLS-C01/1.1")
    assert list(Question.objects.values_list("key", flat=True)) == ["my-key.1"]


def test_questions_are_drafts_unless_explained_and_asked_for_active(mls):
    run_import(FEATURES, *MAP, "--active")
    status = dict(Question.objects.values_list("key", "status"))
    assert status["features-001"] == "active"  # it has general feedback
    assert status["features-002"] == "draft"  # no explanation to show after an attempt


def test_dry_run_writes_nothing(mls):
    out, err = run_import(FEATURES, *MAP, "--dry-run")
    assert out == "Dry run, nothing written: 5 to create, 0 to update, 0 unchanged, 4 skipped.\n"
    assert "line 38 (Partial): -: skip: partial credit" in err
    assert Question.objects.count() == 0


GIFT_TEXT = "::Q1:: Quelle est la capitale? {=Café crème ~Thé ~“Eau” ~Bière}\n"


@pytest.mark.parametrize(
    "encoded",
    [
        GIFT_TEXT.encode("utf-8"),
        b"\xef\xbb\xbf" + GIFT_TEXT.encode("utf-8"),
        GIFT_TEXT.replace("\n", "\r\n").encode("utf-8"),
        GIFT_TEXT.replace("“", '"').replace("”", '"').encode("iso-8859-1"),
        GIFT_TEXT.replace("\n", "\r\n").encode("cp1252"),
        GIFT_TEXT.encode("utf-16"),
    ],
    ids=["utf-8", "utf-8 bom", "crlf", "iso-8859-1", "windows-1252", "utf-16 bom"],
)
def test_it_reads_every_usual_encoding(mls, encoded):
    (item,) = read("gift", encoded, "f.gift").items
    assert item.options[0] == ("Café crème", True)
    assert item.options[2][0] in ("“Eau”", '"Eau"')
    assert item.options[3][0] == "Bière"


def test_it_writes_what_it_reads():
    assert gift.escape("a=b {c} ~d #e: \\ \nf") == "a\\=b \\{c\\} \\~d \\#e\\: \\\\ \\nf"
