"""Hostile interchange files: refused quickly with one clear line, never a traceback or a 500."""

import io
import time
import zipfile

import pytest
from django.urls import reverse

from questions.interchange import read
from questions.interchange.schema import FormatError
from questions.models import Question
from tests.formats_helpers import FIXTURES, refused_import

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE quiz [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<quiz><question type="multichoice"><name><text>&lol9;</text></name></question></quiz>
"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE quiz [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<quiz><question type="multichoice"><name><text>&xxe;</text></name></question></quiz>
"""
REMOTE_DTD = """<?xml version="1.0"?>
<!DOCTYPE assessmentItem SYSTEM "http://127.0.0.1:9/evil.dtd">
<assessmentItem identifier="x"/>
"""


def zipped(**members) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buffer.getvalue()


MANIFEST = (FIXTURES / "qti" / "imsmanifest.xml").read_text()
HOSTILE = {
    "billion laughs": ("quiz.xml", BILLION_LAUGHS.encode(), "refused: the XML declares"),
    "external entity": ("quiz.xml", EXTERNAL.encode(), "refused: the XML declares"),
    "external DTD": ("item.xml", REMOTE_DTD.encode(), "refused: the XML declares a DTD"),
    "not XML": ("quiz.xml", b"<quiz><question>", "not well-formed XML"),
    "zip slip": (
        "slip.zip",
        zipped(**{"imsmanifest.xml": MANIFEST, "../../etc/evil.xml": "x"}),
        "refused: the zip member '../../etc/evil.xml' has an absolute or '..' path",
    ),
    "absolute member": (
        "abs.zip",
        zipped(**{"imsmanifest.xml": MANIFEST, "/etc/evil.xml": "x"}),
        "has an absolute or '..' path",
    ),
    "manifest path outside": (
        "href.zip",
        zipped(**{"imsmanifest.xml": MANIFEST.replace("items/choice-21.xml", "../x.xml")}),
        "refused: the manifest names the item path '../x.xml'",
    ),
    "billion laughs in a package": (
        "laughs.zip",
        zipped(**{"imsmanifest.xml": BILLION_LAUGHS}),
        "refused: the XML declares",
    ),
    "zip bomb": (
        "bomb.zip",
        zipped(**{"imsmanifest.xml": MANIFEST, "items/choice-21.xml": b"\0" * (6 * 1024 * 1024)}),
        "refused: the zip unpacks to more than 5120 KB",
    ),
    "well-compressed member": (
        "ratio.zip",
        zipped(**{"imsmanifest.xml": MANIFEST, "items/choice-21.xml": b"a" * (2 * 1024 * 1024)}),
        "is compressed suspiciously well",
    ),
    "not a zip": ("broken.zip", b"PK\x03\x04broken", "not a readable zip file"),
}


@pytest.mark.parametrize("case", HOSTILE)
def test_import_refuses_hostile_files_quickly(mls, tmp_path, case):
    name, data, reason = HOSTILE[case]
    path = tmp_path / name
    path.write_bytes(data)
    fmt = "moodle" if name == "quiz.xml" else "qti"
    began = time.perf_counter()
    err = refused_import(path, "--format", fmt, "--objective", "MLS-C01/1.1")
    assert time.perf_counter() - began < 5
    assert f"{path}: " in err
    assert reason in err
    assert "lollol" not in err and "root:" not in err
    assert Question.objects.count() == 0


def test_files_over_the_limit_are_refused_before_parsing(mls, tmp_path, settings):
    settings.BANK_FILE_MAX_KB = 1
    path = tmp_path / "big.gift"
    path.write_text("::Q:: x {=a ~b ~c ~d}\n\n" * 200)
    err = refused_import(path, "--objective", "MLS-C01/1.1")
    assert "over the limit of 1 KB" in err
    with pytest.raises(FormatError, match="over the limit of 1 KB"):
        read("gift", path.read_bytes(), "big.gift")


def test_deep_nesting_is_refused(mls, tmp_path):
    path = tmp_path / "deep.xml"
    body = "<div>" * 5000 + "</div>" * 5000
    path.write_text(
        f'<assessmentItem identifier="x"><responseDeclaration identifier="R"/><itemBody>{body}'
        '<choiceInteraction responseIdentifier="R"/></itemBody></assessmentItem>'
    )
    err = refused_import(path, "--format", "qti", "--objective", "MLS-C01/1.1")
    assert "refused: the XML nests deeper than 100 levels" in err


def test_the_admin_shows_a_hostile_upload_as_a_form_error(admin_client, mls):
    url = reverse("admin:questions_question_import")
    upload = io.BytesIO(BILLION_LAUGHS.encode())
    upload.name = "quiz.xml"
    response = admin_client.post(
        url, {"file": upload, "format": "moodle", "objective": "MLS-C01/1.1"}
    )
    assert response.status_code == 200
    assert "refused: the XML declares" in response.content.decode()
    assert Question.objects.count() == 0


def test_markup_from_a_file_is_never_rendered(admin_client, mls, tmp_path):
    path = tmp_path / "x.gift"
    path.write_text(
        "::Q:: [html]<script>alert(1)</script>Which? &lt;script&gt;alert(2)&lt;/script&gt; "
        "{=<b>a</b> ~b ~c ~d}\n"
    )
    from tests.formats_helpers import run_import

    run_import(path, "--objective", "MLS-C01/1.1")
    q = Question.objects.get()
    assert q.stem == "Which? <script>alert(2)</script>"
    page = admin_client.get(q.get_absolute_url()).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in page
