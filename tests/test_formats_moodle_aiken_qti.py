"""Moodle XML, Aiken and QTI import, from the formats' documented examples."""

import io
import zipfile

from questions.interchange import guess, read
from questions.models import Question
from tests.formats_helpers import FIXTURES, refused_import, run_import

MOODLE = FIXTURES / "moodle.xml"
QTI = FIXTURES / "qti"
MOODLE_MAP = ["--exam", "MLS-C01", "--map", "Default for ML/Data=1.1", "--map", "Default for ML/Models=3.2"]  # fmt: skip


def test_it_maps_moodle_multichoice_and_skips_every_other_type(mls):
    out, err = run_import(MOODLE, *MOODLE_MAP)
    assert out == "2 created, 0 updated, 0 unchanged, 10 skipped.\n"
    for where, reason in [
        ("question 3 (Partial)", "partial credit (50%) has no equivalent in examsite"),
        ("question 4 (TF)", "a true/false question"),
        ("question 5 (SA)", "a short-answer question"),
        ("question 6 (NUM)", "a numerical question"),
        ("question 7 (ESSAY)", "an essay question"),
        ("question 8 (MATCH)", "a matching question"),
        ("question 9 (CLOZE)", "a cloze (embedded answers) question"),
        ("question 10 (DRAG)", "a drag-and-drop into text question"),
        ("question 11 (ORDER)", "an ordering question"),
        ("question 12 (DESC)", "a description: it has no answers"),
    ]:
        assert f"moodle.xml: {where}" in err
        assert reason in err


def test_it_turns_moodle_html_into_text_and_keeps_feedback(mls):
    run_import(MOODLE, *MOODLE_MAP)
    q = Question.objects.get(key="moodle-001")
    assert q.objective.code == "1.1"
    # Entities decoded, paragraphs and <br> kept as line breaks, the script gone.
    assert q.stem == "Which format is columnar & compressed?\n\nPick one.\nOnly one."
    assert [(o.text, o.is_correct) for o in q.options.all()] == [
        ("Apache Parquet", True),
        ("CSV", False),
        ("JSON Lines", False),
        ('<a href="https://example.com">text</a>', False),  # written as text, stays text
    ]
    assert q.explanation == (
        "Parquet is columnar.\n\nAbout the options:\n- Apache Parquet: Yes.\n- CSV: Row based."
    )


def test_it_reads_fractions_mathml_and_the_id_number(mls):
    (_, item) = read("moodle", MOODLE.read_bytes(), "moodle.xml").items
    assert item.key == "data-fractions"  # Moodle's ID number
    assert item.kind == "multiple"
    assert [c for _, c in item.options] == [True, True, True, False, False]
    assert item.stem == "What is 1/3 of 9, and \\(x^{2}\\)?"  # not "13 of 9"


def test_it_reads_declared_latin_1_moodle_xml(mls):
    text = MOODLE.read_text().replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')
    text = text.replace("Apache Parquet", "Apache Parquet – “columnar” café")
    data = text.encode("cp1252")
    item = read("moodle", data, "latin.xml").items[0]
    assert item.options[0][0] == "Apache Parquet – “columnar” café"


def test_it_reads_the_aiken_examples_as_literal_text(mls):
    out, err = run_import(
        FIXTURES / "moodle-docs.aiken", "--format", "aiken", "--objective", "MLS-C01/1.1"
    )
    assert out == "3 created, 0 updated, 0 unchanged, 3 skipped.\n"
    assert (
        "line 24 (A question whose answer names no option): -: skip: ANSWER: E names no option"
        in err
    )
    assert "ANSWER: A, B is not one letter (Aiken has one answer)" in err
    assert "line 38 (A question with no answer line): -: skip: no 'ANSWER:' line" in err
    first = Question.objects.get(key="moodle-docs-001")
    assert [o.is_correct for o in first.options.all()] == [False, False, False, True]
    literal = Question.objects.get(key="moodle-docs-003")
    assert literal.stem == "Aiken text is literal: <b>not bold</b> &amp; not an entity."
    assert [o.text for o in literal.options.all()][:3] == [
        '<a href="https://example.com">a link</a>',
        "1/3",
        "x &lt; y",
    ]


def test_it_reads_a_qti_2_1_item_with_literal_text_and_mathml(mls):
    (item,) = read("qti", (QTI / "choice-21.xml").read_bytes(), "choice.xml").items
    assert item.name == "Unattended Luggage"
    assert item.stem == (
        "A sign reads: <b>Do not leave luggage unattended</b> & more.\n\n"
        "What does it say is likely to happen to luggage left unattended?"
    )
    assert item.options[0] == ("You must stay with your luggage at all times.", True)
    assert item.options[3] == ("It costs 1/3 of the fare.", False)
    assert item.explanation == (
        "Luggage left alone is removed.\n\n"
        "About the options:\n- You must stay with your luggage at all times.: Right."
    )


def test_it_reads_a_qti_3_0_item(mls):
    (item,) = read("qti", (QTI / "choice-multiple-30.xml").read_bytes(), "water.xml").items
    assert item.kind == "multiple"
    assert item.stem == "Which of the following elements are used to form water?"
    assert [t for t, c in item.options if c] == ["Hydrogen", "Oxygen"]


def package(**members) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buffer.getvalue()


def test_it_imports_a_qti_package_by_its_manifest(mls, tmp_path):
    path = tmp_path / "package.zip"
    path.write_bytes(package(**{
        "imsmanifest.xml": (QTI / "imsmanifest.xml").read_bytes(),
        "test.xml": b"<assessmentTest/>",
        **{f"items/{p.name}": p.read_bytes() for p in QTI.glob("*-*.xml")},
    }))  # fmt: skip
    assert guess(path.name) == "qti"
    out, err = run_import(path, "--map", "items=MLS-C01/2.1")
    assert out == "2 created, 0 updated, 0 unchanged, 3 skipped.\n"
    assert (
        "package.zip: items/order-21.xml (Grand Prix of Bahrain): -: skip: an ordering question"
        in err
    )
    assert "items/text-entry-21.xml (Richard III): -: skip: a text entry question" in err
    assert "items/missing.xml: -: skip: the manifest names it but the zip lacks it" in err
    assert sorted(Question.objects.values_list("key", "type")) == [
        ("package-001", "single"), ("package-002", "multiple"),
    ]  # fmt: skip
    out, _ = run_import(path, "--map", "items=MLS-C01/2.1")
    assert out == "0 created, 0 updated, 2 unchanged, 3 skipped.\n"


def test_a_qti_package_needs_a_manifest(mls, tmp_path):
    path = tmp_path / "bare.zip"
    path.write_bytes(package(**{"item.xml": (QTI / "choice-21.xml").read_bytes()}))
    err = refused_import(path, "--objective", "MLS-C01/1.1")
    assert "bare.zip: a QTI package needs imsmanifest.xml at its root" in err


def test_qti_1_2_is_refused_clearly(mls, tmp_path):
    path = tmp_path / "old.xml"
    path.write_text("<questestinterop><item ident='x'/></questestinterop>")
    err = refused_import(path, "--format", "qti", "--objective", "MLS-C01/1.1")
    assert "QTI 1.2 is not supported (QTI 2.1 and 3.0 are)" in err


def test_the_extension_and_content_tell_the_format():
    assert guess("a.gift") == "gift"
    assert guess("a.txt", b"Q?\nA. x\nB. y\nANSWER: A\n") == "aiken"
    assert guess("a.txt", b"::Q:: x {=a ~b}") == "gift"
    assert guess("a.xml", b'<?xml version="1.0"?><quiz>') == "moodle"
    assert guess("a.xml", b"<assessmentItem>") == "qti"
    assert guess("a.zip") == "qti"
    assert guess("a.doc") is None
