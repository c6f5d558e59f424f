"""A mock's instructions, and Begin: the clock starts only when the candidate is ready."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from exams import access, pacing, services
from exams.models import Attempt
from questions import kinds


def _kinds_drawn(attempt: Attempt) -> list[tuple[kinds.Kind, int]]:
    """Each kind of question in this draw with its count, the most common first."""
    rows = attempt.items.values_list("type").annotate(n=Count("id")).order_by("-n", "type")
    return [(kinds.get(kind), n) for kind, n in rows]


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def begin(request, code):
    """GET: what the mock is and how it runs. POST (Begin): start its clock."""
    attempt = access.get_attempt(request, code)
    if request.method == "POST":
        # Once only: a second Begin (another tab, a double click) resumes the running mock.
        return redirect(services.begin_attempt(attempt))
    if not attempt.awaits_begin:
        return redirect(attempt)
    ctx = {
        "attempt": attempt,
        "kinds": _kinds_drawn(attempt),
        "gates": [(g, attempt.gate_target(g)) for g in attempt.gate_positions()],
        "warnings": [round(w.total_seconds() / 60) for w in pacing.CLOCK_WARNINGS],
    }
    return render(request, "exams/begin.html", ctx)
