"""After an attempt: results, the answer review, and the history of attempts."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from exams import access, changes, reports, services
from exams.models import Attempt, AttemptItem
from exams.views.params import BadParameter, choice, optional_number
from examsite.errors import error_response
from questions.models import Objective, ProblemReport
from readiness.forecast import items_score_range

REVIEW_FILTERS = {
    "all": Q(),
    "sure-but-wrong": Q(is_correct=False, unsure=False) & ~Q(selected=[]),
    "incorrect": Q(is_correct=False),
    "unanswered": Q(selected=[]),
    "flagged": Q(flagged=True),
}
REVIEW_PAGE_SIZE = 10
# How many of the latest attempts the trend charts show.
TREND_LENGTH = 20


def _finished_attempt(request, code, attempt: Attempt | None = None) -> Attempt | HttpResponse:
    """The owner's finished attempt; an open one sends its owner back to the exam."""
    attempt = attempt or access.get_attempt(request, code)
    if not attempt.is_finished:
        if not attempt.is_expired():
            return redirect(attempt)
        attempt = services.finish_attempt(attempt, Attempt.FinishReason.EXPIRED)
    return attempt


def _locked(request, open_attempt: Attempt) -> HttpResponse:
    """Keys of past attempts stay hidden while an exam is on the clock.

    The bank repeats questions across mocks, so a second tab on an old review would show
    the open exam's answers.
    """
    return error_response(
        request,
        403,
        "Answer reviews are locked while your exam is in progress, because later mocks "
        "repeat questions. They open again when you submit it or its time runs out.",
        link=(open_attempt.get_absolute_url(), f"Back to your {open_attempt.exam.code} exam"),
    )


def _live_ids(attempt: Attempt) -> dict:
    rows = Objective.objects.filter(domain__exam=attempt.bank_id).values_list(
        "code", "pk", "domain__number", "domain_id"
    )
    return {
        "live_objectives": {code: pk for code, pk, _, _ in rows},
        "live_domains": {number: domain for _, _, number, domain in rows},
    }


@login_required
@require_safe
def results(request, code):
    attempt = _finished_attempt(request, code)
    if isinstance(attempt, HttpResponse):
        return attempt
    items = list(
        attempt.items.only(
            "position", "domain_number", "domain_name", "domain_weight", "objective_code",
            "objective_title", "is_correct", "selected", "flagged", "first_seen", "unsure",
            "scored", "options",
        )
    )  # fmt: skip
    # Pilot questions are left out of every figure of the score.
    domains = reports.domain_results(attempt, [i for i in items if i.scored])
    score_range = items_score_range(attempt, items) if attempt.mode_policy.scaled else None
    intervals = {d.number: d for d in score_range.domains} if score_range else {}
    ctx = {
        "attempt": attempt,
        "domains": domains,
        "bars": reports.domain_bars(attempt, domains),
        "score_range": score_range,
        "domain_rows": [(d, intervals.get(d.number)) for d in domains],
        "changes": changes.of_attempt(items),
        "pilots": attempt.pilot_count,
        "weak": [d for d in domains if not d.meets],
        "gates": reports.gate_results(attempt, items),
        "pace": reports.pace_chart(attempt, items) if attempt.is_timed else None,
        "answered": sum(1 for i in items if i.selected),
        "flagged": sum(1 for i in items if i.flagged),
        "missed_count": sum(1 for i in items if i.is_correct is False),
        "sure_but_wrong": [i for i in items if i.sure_but_wrong],
        # The live bank's ids for the drills (the attempt's own rows carry only codes).
        **_live_ids(attempt),
    }
    return render(request, "exams/results.html", ctx)


@login_required
@require_safe
def answers(request, code):
    attempt, running = access.get_attempt_and_open_exam(request, code)
    attempt = _finished_attempt(request, code, attempt)
    if isinstance(attempt, HttpResponse):
        return attempt
    if running is not None:
        return _locked(request, running)
    try:
        show = choice(request.GET.get("show", "all"), "show", REVIEW_FILTERS)
        domain = optional_number(request.GET.get("domain", ""), "domain", 1, 99)
        objective = request.GET.get("objective", "")
        if len(objective) > 16:
            raise BadParameter("objective takes an objective code such as 3.2.")
        page_number = optional_number(request.GET.get("page", ""), "page", 1, 10_000) or 1
    except BadParameter as e:
        return error_response(request, 400, str(e))
    items = attempt.items.filter(REVIEW_FILTERS[show])
    if domain is not None:
        items = items.filter(domain_number=domain)
    if objective:
        items = items.filter(objective_code=objective)
    page = Paginator(items.order_by("position"), REVIEW_PAGE_SIZE).get_page(page_number)
    params = request.GET.copy()
    params.pop("page", None)
    ctx = {
        "attempt": attempt,
        "page": page,
        "show": show,
        "domain": "" if domain is None else str(domain),
        "objective": objective,
        "filters": list(REVIEW_FILTERS),
        "report_kinds": ProblemReport.Kind.choices,
        # The blueprint of this attempt, from its own rows (not the live exam).
        "objectives": attempt.items.values_list(
            "domain_number", "domain_name", "objective_code", "objective_title"
        )
        .distinct()
        .order_by("domain_number", "objective_code"),
        "query": params.urlencode(),
    }
    template = "exams/answers.html#list" if request.htmx else "exams/answers.html"
    return render(request, template, ctx)


@login_required
@require_safe
def history(request):
    services.finalize_expired(user=request.user)
    attempts = list(Attempt.objects.filter(user=request.user).select_related("exam", "bank"))
    counted = [a for a in attempts if a.counts_in_trends]
    banks = list({a.bank_id: a.bank for a in counted}.values())
    wanted = request.GET.get("exam", "")
    bank = next((b for b in banks if b.code == wanted), banks[0] if banks else None)
    if wanted and (bank is None or bank.code != wanted):
        return error_response(request, 404, f"You have no counted mock of {wanted[:32]!r} yet.")
    latest = [a for a in counted if a.bank_id == getattr(bank, "pk", None)][:TREND_LENGTH]
    trend = latest[::-1]  # oldest first, as the charts read
    rows = (
        AttemptItem.objects.filter(attempt__in=[a.pk for a in trend], scored=True)
        .values("attempt_id", "domain_number", "domain_name")
        .annotate(asked=Count("id"), correct=Count("id", filter=Q(is_correct=True)))
        .order_by()
    )
    ctx = {
        "attempts": [a for a in attempts if a.mode_policy.exam_conditions],
        "practice": [a for a in attempts if not a.mode_policy.exam_conditions],
        "bank": bank,
        "banks": banks,
        "score_trend": reports.score_trend(trend),
        "domain_trend": reports.domain_trend(trend, rows),
    }
    return render(request, "exams/history.html", ctx)
