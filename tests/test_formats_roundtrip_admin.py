"""Round trips of the bundled bank through every format, and the admin's import page."""

import io
from io import StringIO

import pytest
from django.contrib.auth.models import Permission, User
from django.core.management import CommandError, call_command
from django.urls import reverse

from questions.bank import import_bank
from questions.models import Question
from tests.formats_helpers import BANK, FIXTURES, run_import, snapshot

FILES = [BANK / "mls-c01-3.2.yaml", BANK / "mls-c01-1.1.yaml"]
IMPORT = reverse("admin:questions_question_import")


def export(fmt, path) -> str:
    err = StringIO()
    call_command("export_questions", "--format", fmt, "-o", str(path), stderr=err)
    return err.getvalue()


@pytest.mark.parametrize("fmt,ext", [("gift", "gift"), ("moodle", "xml"), ("qti", "zip")])
def test_the_bundled_bank_round_trips(mls, tmp_path, fmt, ext):
    import_bank(FILES)
    before = snapshot(Question.objects.all())
    path = tmp_path / f"bank.{ext}"
    export(fmt, path)
    Question.objects.all().delete()
    out, err = run_import(path)
    assert out == f"{len(before)} created, 0 updated, 0 unchanged, 0 skipped.\n", err
    assert (
        snapshot(Question.objects.all()) == before
    )  # keys, objectives, stems, options, explanations
    out, _ = run_import(path)
    assert out == f"0 created, 0 updated, {len(before)} unchanged, 0 skipped.\n"


def test_aiken_round_trips_what_it_can_carry(mls, tmp_path):
    import_bank(FILES)
    singles = {
        (q.stem, tuple((o.text, o.is_correct) for o in q.options.all()))
        for q in Question.objects.filter(type="single").prefetch_related("options")
    }
    path = tmp_path / "bank.txt"
    err = export("aiken", path)
    multiple = Question.objects.filter(type="multiple").count()
    assert err.count("not exported: Aiken carries only single-answer questions") == multiple
    Question.objects.all().delete()
    out, _ = run_import(path, "--objective", "MLS-C01/3.2")
    assert out == f"{len(singles)} created, 0 updated, 0 unchanged, 0 skipped.\n"
    again = {
        (q.stem, tuple((o.text, o.is_correct) for o in q.options.all()))
        for q in Question.objects.prefetch_related("options")
    }
    assert again == singles


def test_exported_questions_keep_status_only_when_asked(mls, tmp_path):
    import_bank([FILES[0]])
    path = tmp_path / "bank.gift"
    export("gift", path)
    Question.objects.all().delete()
    run_import(path)
    assert set(Question.objects.values_list("status", flat=True)) == {"draft"}
    Question.objects.all().delete()
    run_import(path, "--active")
    assert set(Question.objects.values_list("status", flat=True)) == {"active"}


def test_a_qti_export_needs_a_file(mls):
    with pytest.raises(CommandError, match="A QTI package is a zip file"):
        call_command("export_questions", "--format", "qti")


def upload(name: str, data: bytes):
    f = io.BytesIO(data)
    f.name = name
    return f


def test_the_changelist_links_to_the_import_page(admin_client, mls):
    page = admin_client.get(reverse("admin:questions_question_changelist")).content.decode()
    assert IMPORT in page
    assert "Import from a file" in page
    assert "Import questions from a file" in admin_client.get(IMPORT).content.decode()


def test_the_admin_previews_then_imports(admin_client, mls):
    data = (FIXTURES / "features.gift").read_bytes()
    response = admin_client.post(IMPORT, {
        "file": upload("features.gift", data), "format": "", "exam": "MLS-C01",
        "mapping": "Storage=1.1\nModelling=3.2",
    })  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 200
    assert "Preview of features.gift (gift)" in page
    assert '<th scope="row">To create</th><td>5</td>' in page
    assert '<th scope="row">Skipped</th><td>4</td>' in page
    assert "partial credit (50%) has no equivalent in examsite" in page
    assert "line 62" in page and "Picture" in page
    assert Question.objects.count() == 0  # a preview writes nothing
    token = admin_client.session["question_import"]["token"]
    response = admin_client.post(IMPORT, {"confirm": token})
    assert response.status_code == 302
    assert Question.objects.count() == 5
    assert Question.objects.get(key="features-003").objective.code == "3.2"
    messages = admin_client.get(response.url).content.decode()
    assert "Imported features.gift: 5 created, 0 updated, 0 unchanged, 4 skipped." in messages
    # The preview is used up: confirming again imports nothing more.
    response = admin_client.post(IMPORT, {"confirm": token}, follow=True)
    assert "That preview has expired" in response.content.decode()


def test_the_admin_shows_unmapped_categories_and_offers_no_confirm(admin_client, mls):
    data = (FIXTURES / "features.gift").read_bytes()
    response = admin_client.post(IMPORT, {"file": upload("f.gift", data), "exam": "MLS-C01"})
    page = response.content.decode()
    assert "category &#x27;Storage&#x27; is not mapped to an objective" in page
    assert 'name="confirm"' not in page
    assert Question.objects.count() == 0


def test_the_admin_makes_active_only_when_asked(admin_client, mls):
    data = (FIXTURES / "moodle.xml").read_bytes()
    admin_client.post(IMPORT, {
        "file": upload("moodle.xml", data), "objective": "MLS-C01/2.1", "active": "on",
    })  # fmt: skip
    admin_client.post(IMPORT, {"confirm": admin_client.session["question_import"]["token"]})
    assert dict(Question.objects.values_list("key", "status")) == {
        "moodle-001": "active",  # it has general feedback
        "data-fractions": "draft",
    }


def test_the_import_page_is_for_staff_who_may_add_and_change(client, alice, mls):
    client.force_login(alice)
    assert client.get(IMPORT).status_code == 302  # to the admin's login
    alice.is_staff = True
    alice.save()
    assert client.get(IMPORT).status_code == 403
    alice.user_permissions.add(*Permission.objects.filter(
        codename__in=["add_question", "change_question"]
    ))  # fmt: skip
    alice = User.objects.get(pk=alice.pk)
    client.force_login(alice)
    assert client.get(IMPORT).status_code == 200


def test_the_import_page_needs_csrf(mls, charlie):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(charlie)
    response = strict.post(IMPORT, {"file": upload("a.gift", b"::Q:: x {=a ~b}")})
    assert response.status_code == 403
