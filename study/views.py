"""Studying between mocks: practice sessions, drills, retakes, spaced review, mastery."""

import random

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from exams import access, modes, selection, services
from exams.models import Attempt, AttemptItem
from examsite.errors import error_response
from questions.models import Exam, Objective, Question
from study import selection as sets
from study.forms import PracticeForm
from study.models import ReviewCard

# How many recent answers per objective the mastery page's accuracy reads.
RECENT_DAYS = 30


def _exam_or_404(code: str) -> Exam:
    return get_object_or_404(Exam.objects.select_related("form_of"), code=code)


def _under_exam_conditions(request) -> HttpResponse | None:
    """Practice reveals keys, and the bank repeats across sittings: not during a mock."""
    running = access.open_exam_attempt(request.user)
    if running is None:
        return None
    return error_response(
        request,
        403,
        "Practice is locked while your exam is in progress: it shows answers, and later "
        "sittings repeat questions. It opens again when you submit the exam or its time runs out.",
        link=(running.get_absolute_url(), f"Back to your {running.exam.code} exam"),
    )


def _start(request, exam: Exam, ids: list[int], asked: int, **options) -> HttpResponse:
    if not ids:
        messages.error(request, "No active questions match that choice yet: widen the scope.")
        return redirect("study:practice", exam.code)
    attempt = services.start_practice(request.user, exam, ids, **options)
    if len(ids) < asked:
        messages.info(request, f"Only {len(ids)} questions match, so the session has {len(ids)}.")
    return redirect(attempt)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def practice(request, code):
    exam = _exam_or_404(code)
    if locked := _under_exam_conditions(request):
        return locked
    form = PracticeForm(exam, request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "study/practice.html", {"exam": exam, "form": form}, status=400)
        data = form.cleaned_data
        objectives = {o.pk for o in data["objectives"]}
        if data["domains"]:
            objectives |= set(
                Objective.objects.filter(domain__in=data["domains"]).values_list("pk", flat=True)
            )
        ids = selection.by_objectives(
            exam,
            request.user,
            objectives or None,
            data["size"],
            random.SystemRandom(),
            among=sets.among(request.user, exam, data["source"]),
            unseen_only=data["source"] == "unseen",
        )
        minutes = None
        if data["timer"] == "pace":
            minutes = max(1, round(len(ids) * exam.duration_minutes / exam.question_count))
        return _start(request, exam, ids, data["size"], minutes=minutes, feedback=data["feedback"])
    return render(request, "study/practice.html", {"exam": exam, "form": form})


@login_required
@require_POST
def retake(request, code):
    """Practice exactly the questions missed (or flagged) in one finished sitting."""
    attempt = access.get_attempt(request, code)
    if not attempt.is_finished:
        return error_response(request, 409, "Finish the attempt before retaking its questions.")
    if locked := _under_exam_conditions(request):
        return locked
    which = request.POST.get("which", "missed")
    wanted = {"missed": Q(is_correct=False), "flagged": Q(flagged=True)}.get(which)
    if wanted is None:
        return error_response(request, 400, "Retake takes which=missed or which=flagged.")
    ids = list(
        attempt.items.filter(wanted, question__status=Question.Status.ACTIVE)
        .order_by("position")
        .values_list("question", flat=True)
    )
    return _start(request, attempt.exam, ids, len(ids), feedback=Attempt.Feedback.EACH)


@login_required
@require_POST
def review_due(request, code):
    """A spaced-review session of every question due now (up to 65)."""
    exam = _exam_or_404(code)
    if locked := _under_exam_conditions(request):
        return locked
    due = sorted(sets.due(request.user, exam))[:65]
    return _start(request, exam, due, len(due), feedback=Attempt.Feedback.EACH, mode=modes.REVIEW)


@login_required
@require_safe
def mastery(request, code):
    """Per domain and objective: seen of the bank, recent accuracy, due reviews, a button."""
    exam = _exam_or_404(code)
    bank = exam.bank
    now = timezone.now()
    objectives = list(
        Objective.objects.filter(domain__exam=bank)
        .select_related("domain")
        .annotate(active=Count("questions", filter=Q(questions__status=Question.Status.ACTIVE)))
        .order_by("domain__number", "code")
    )
    mine = AttemptItem.objects.filter(
        attempt__user=request.user, attempt__bank=bank, question__isnull=False
    ).exclude(is_correct=None)
    seen = dict(
        mine.values_list("question__objective")
        .annotate(n=Count("question", distinct=True))
        .order_by()
    )
    recent = {
        row["question__objective"]: row
        for row in mine.filter(attempt__started__gte=now - timezone.timedelta(days=RECENT_DAYS))
        .values("question__objective")
        .annotate(asked=Count("id"), right=Count("id", filter=Q(is_correct=True)))
        .order_by()
    }
    due = dict(
        ReviewCard.objects.due(now)
        .filter(user=request.user, question__objective__domain__exam=bank)
        .values_list("question__objective")
        .annotate(n=Count("id"))
        .order_by()
    )
    rows, domains = [], {}
    for o in objectives:
        r = recent.get(o.pk, {"asked": 0, "right": 0})
        row = {
            "objective": o,
            "seen": seen.get(o.pk, 0),
            "asked": r["asked"],
            "percent": round(100 * r["right"] / r["asked"]) if r["asked"] else None,
            "due": due.get(o.pk, 0),
        }
        rows.append(row)
        domains.setdefault(o.domain, []).append(row)
    ctx = {"exam": bank, "domains": domains, "due_total": sum(due.values()), "days": RECENT_DAYS}
    return render(request, "study/mastery.html", ctx)
