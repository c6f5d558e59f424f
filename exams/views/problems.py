"""Reporting a problem with a question from the answer review."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from exams import access
from examsite.errors import error_response
from questions.models import ProblemReport


class ProblemForm(forms.Form):
    kind = forms.ChoiceField(choices=ProblemReport.Kind.choices)
    note = forms.CharField(required=False, max_length=2000, strip=True)

    def clean(self):
        data = super().clean()
        if data.get("kind") == ProblemReport.Kind.OTHER and not data.get("note"):
            raise forms.ValidationError("Say what the problem is in the note.")
        return data


def _message(form: ProblemForm) -> str:
    parts = []
    for field, errors in form.errors.items():
        label = "" if field == "__all__" else f"{field}: "
        parts += [f"{label}{e}" for e in errors]
    return "The report was not sent. " + " ".join(parts)


@login_required
@require_POST
def report_problem(request, code, position: int):
    item = access.get_item(request, code, position)
    if not item.attempt.is_finished:
        # Only the review offers the form; an open attempt must not grow a side channel.
        return error_response(
            request, 409, "Questions can be reported from the review once the attempt is over."
        )
    form = ProblemForm(request.POST)
    if not form.is_valid():
        return error_response(request, 400, _message(form))
    ProblemReport.objects.create(
        question_id=item.question_id,
        question_key=item.question_key,
        item=item,
        user=request.user,
        kind=form.cleaned_data["kind"],
        note=form.cleaned_data["note"],
    )
    text = f"Thank you: your report on question {position} was sent to the authors."
    if request.htmx:
        return render(request, "exams/_reported.html", {"text": text})
    messages.success(request, text)
    return redirect(reverse("exams:answers", args=[code]) + f"#ri-{position}")
