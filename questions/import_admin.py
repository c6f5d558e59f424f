"""The admin's "Import from a file" page: upload, preview every verdict, then confirm.

Nothing is written until the author has seen what will be created, updated and skipped,
and why. Between the two steps the uploaded file waits in the session (server-side),
so the confirmation imports exactly the file that was previewed, re-checked against the
database as it is then.
"""

import base64
import secrets

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse

from questions import interchange
from questions.interchange.apply import Options, apply, parse_map_lines, plan
from questions.interchange.safety import limit
from questions.interchange.schema import FormatError
from questions.models import Exam

SESSION_KEY = "question_import"


class ImportForm(forms.Form):
    file = forms.FileField(help_text="GIFT, Moodle XML, Aiken, or a QTI 2.1/3.0 zip or item.")
    format = forms.ChoiceField(required=False)
    exam = forms.ModelChoiceField(
        Exam.objects.all(),
        required=False,
        to_field_name="code",
        help_text="The exam that objective codes such as 1.2 belong to.",
    )
    objective = forms.CharField(
        required=False,
        max_length=100,
        help_text="For every question whose category is not mapped below: 1.2, or EXAM/1.2.",
    )
    mapping = forms.CharField(
        required=False,
        label="Category mapping",
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text="One CATEGORY=OBJECTIVE per line. An unmapped category stops the import.",
    )
    active = forms.BooleanField(
        required=False,
        label="Make questions with an explanation active",
        help_text="Otherwise imported questions arrive as drafts.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["format"].choices = [("", "Tell from the file")] + [
            (name, interchange.get(name).label) for name in interchange.names()
        ]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > limit():
            raise forms.ValidationError(
                f"The file is {upload.size // 1024} KB, over the limit of {limit() // 1024} KB."
            )
        return upload

    def clean_mapping(self):
        try:
            return parse_map_lines(self.cleaned_data["mapping"].splitlines())
        except ValueError as e:
            raise forms.ValidationError(str(e)) from None


def _plan(stored: dict):
    """The plan for a stored upload, or a FormatError saying why the file cannot be read."""
    data = base64.b64decode(stored["data"])
    reading = interchange.read(stored["format"], data, stored["name"])
    return plan(
        reading,
        Options(
            exam=stored["exam"],
            objective=stored["objective"],
            categories=stored["mapping"],
            active=stored["active"],
        ),
    )


def import_view(admin, request):
    if not (admin.has_add_permission(request) and admin.has_change_permission(request)):
        raise PermissionDenied
    ctx = {
        **admin.admin_site.each_context(request),
        "opts": admin.model._meta,
        "title": "Import questions from a file",
    }
    here = reverse("admin:questions_question_import")
    if request.method == "POST" and "confirm" in request.POST:
        stored = request.session.get(SESSION_KEY)
        if not stored or not secrets.compare_digest(stored["token"], request.POST["confirm"]):
            messages.error(request, "That preview has expired; upload the file again.")
            return redirect(here)
        try:
            result = _plan(stored)
        except FormatError as e:
            messages.error(request, str(e))
            return redirect(here)
        if result.errors:
            return render(request, "admin/questions/question/import.html", {
                **ctx, "form": ImportForm(), "plan": result, "stored": stored,
            })  # fmt: skip
        done = apply(result)
        del request.session[SESSION_KEY]
        messages.success(
            request,
            f"Imported {stored['name']}: {len(done.created)} created, {len(done.updated)} "
            f"updated, {len(done.unchanged)} unchanged, {result.count('skip')} skipped.",
        )
        return redirect(reverse("admin:questions_question_changelist"))

    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        fmt = form.cleaned_data["format"] or interchange.guess(upload.name, data[:4096])
        if fmt is None:
            form.add_error("format", "The file's format cannot be told from it; choose one.")
        else:
            exam = form.cleaned_data["exam"]
            stored = {
                "token": secrets.token_urlsafe(),
                "name": upload.name.rsplit("/", 1)[-1],
                "format": fmt,
                "data": base64.b64encode(data).decode(),
                "exam": exam.code if exam else "",
                "objective": form.cleaned_data["objective"].strip(),
                "mapping": form.cleaned_data["mapping"],
                "active": form.cleaned_data["active"],
            }
            try:
                result = _plan(stored)
            except FormatError as e:
                form.add_error("file", e.reason)
            else:
                request.session[SESSION_KEY] = stored
                ctx |= {"plan": result, "stored": stored}
    return render(request, "admin/questions/question/import.html", {**ctx, "form": form})
