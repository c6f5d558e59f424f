from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import UserCreationForm
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from exams import reports, services
from exams.models import Attempt, AttemptItem
from questions.models import Exam


def _get_attempt_for_user(request, code) -> Attempt:
    # Someone else's attempt and a missing one look the same: 404.
    return get_object_or_404(Attempt.objects.select_related("exam"), code=code, user=request.user)


def _get_item_for_user(request, code, position: int) -> AttemptItem:
    try:
        return AttemptItem.objects.select_related("attempt__exam").get(
            attempt__code=code, attempt__user=request.user, position=position
        )
    except AttemptItem.DoesNotExist:
        attempt = _get_attempt_for_user(request, code)
        raise Http404(
            f"This attempt has questions 1 to {attempt.question_count}; there is no {position}."
        ) from None


def _time_header(response: HttpResponse, attempt: Attempt) -> HttpResponse:
    # Lets the browser's countdown re-sync with the server after every exchange.
    response["X-Time-Left"] = str(int(attempt.time_left().total_seconds()))
    return response


def _closed(request, attempt: Attempt, refused: int | None = None) -> HttpResponse:
    """Finish an attempt that is out of time and send its owner to the results.

    ``refused`` is the question whose change arrived too late, to say so.
    """
    if attempt.is_finished:
        text = "This attempt is finished: answers can no longer change."
    else:
        services.finish_attempt(attempt, Attempt.FinishReason.EXPIRED)
        text = "Time is up: the exam has ended."
    if refused is not None:
        text += f" Your last change to question {refused} was not saved."
    results = reverse("exams:results", args=[attempt.code])
    if request.htmx:
        response = HttpResponse(text, status=409, content_type="text/plain")
        response["HX-Redirect"] = results
        messages.warning(request, text)
        return response
    messages.warning(request, text)
    return redirect(results)


def home(request):
    exams = Exam.objects.order_by("code")
    ctx = {"exams": exams, "default_exam": settings.DEFAULT_EXAM_CODE}
    if request.user.is_authenticated:
        services.finalize_expired(user=request.user)
        ctx["open_attempt"] = Attempt.objects.in_progress().filter(user=request.user).first()
        ctx["recent"] = (
            Attempt.objects.finished().filter(user=request.user).select_related("exam")[:5]
        )
    return render(request, "exams/home.html", ctx)


def signup(request):
    if not settings.SIGNUP_ENABLED:
        raise Http404("Sign-up is turned off on this site; ask its administrator for an account.")
    if request.user.is_authenticated:
        return redirect("home")
    form = UserCreationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome, {user.username}. Pick an exam to start.")
        return redirect("home")
    return render(request, "registration/signup.html", {"form": form})


@login_required
@require_POST
def start(request):
    exam = Exam.objects.filter(code=request.POST.get("exam", "")).first()
    if exam is None:
        return HttpResponseBadRequest("Choose one of the listed exams.")
    try:
        attempt, created = services.start_attempt(
            request.user,
            exam,
            extra_time=request.POST.get("extra_time") == "on",
            hide_clock=request.POST.get("hide_clock") == "on",
        )
    except services.BankTooSmall as e:
        messages.error(request, f"{exam.code} cannot be started: {e}.")
        return render(
            request,
            "exams/home.html",
            {"exams": Exam.objects.order_by("code"), "default_exam": exam.code},
            status=409,
        )
    if not created:
        messages.info(request, "You already have an exam in progress: here it is.")
    return redirect(attempt)


@login_required
def resume(request, code):
    attempt = _get_attempt_for_user(request, code)
    return redirect(attempt)


def _parse_answer(request, item: AttemptItem) -> tuple[list[int], bool] | str:
    """The chosen option ids and flag from the form, or an error message."""
    if "answer_form" not in request.POST:
        return "The form was incomplete (answer_form is missing); nothing was saved."
    try:
        chosen = [int(v) for v in request.POST.getlist("option")]
    except ValueError:
        return "An option id was not a number; nothing was saved."
    if len(set(chosen)) != len(chosen):
        return "An option was sent twice; nothing was saved."
    unknown = set(chosen) - item.option_ids()
    if unknown:
        return f"Option {min(unknown)} is not an option of question {item.position}."
    limit = item.choose if item.is_multiple else 1
    if len(chosen) > limit:
        return f"Question {item.position} takes at most {limit} option(s); nothing was saved."
    # Keep the order shown, so stored answers do not depend on click order.
    order = [o["id"] for o in item.options]
    return sorted(chosen, key=order.index), request.POST.get("flagged") == "on"


@login_required
@require_http_methods(["GET", "POST"])
def question(request, code, position: int):
    item = _get_item_for_user(request, code, position)
    attempt = item.attempt
    now = timezone.now()
    if request.method == "POST":
        return _save_answer(request, item, now)
    if attempt.is_finished:
        return redirect(attempt)
    if attempt.is_expired(now):
        return _closed(request, attempt)

    if attempt.current_position != position:
        Attempt.objects.filter(pk=attempt.pk).update(current_position=position)
    if item.first_seen is None:
        item.first_seen = now
        AttemptItem.objects.filter(pk=item.pk, first_seen=None).update(first_seen=now)

    navigator = list(attempt.items.only("position", "selected", "flagged"))
    answered = sum(1 for i in navigator if i.selected)
    time_left = attempt.time_left(now)
    gate = attempt.checkpoint(position, now, answered)
    ctx = {
        "attempt": attempt,
        "item": item,
        "options": item.shown_options(),
        "navigator": navigator,
        "answered": answered,
        "flagged_count": sum(1 for i in navigator if i.flagged),
        "seconds_left": int(time_left.total_seconds()),
        "show_clock": attempt.shows_clock(position, now),
        "gate": gate,
        "prev": position - 1 if position > 1 else None,
        "next": position + 1 if position < attempt.question_count else None,
    }
    return _time_header(render(request, "exams/question.html", ctx), attempt)


def _save_answer(request, item: AttemptItem, now) -> HttpResponse:
    attempt = item.attempt
    if not attempt.accepts_changes(now):
        return _closed(request, attempt, item.position)
    parsed = _parse_answer(request, item)
    if isinstance(parsed, str):
        return HttpResponseBadRequest(parsed, content_type="text/plain")
    selected, flagged = parsed
    updated = AttemptItem.objects.filter(
        pk=item.pk, attempt__status=Attempt.Status.IN_PROGRESS
    ).update(
        selected=selected,
        flagged=flagged,
        answered=(item.answered if selected == item.selected else now) if selected else None,
    )
    if not updated:
        # Finished between our read and our write (a submit in another tab).
        return _closed(request, attempt, item.position)

    if request.htmx:
        item.selected, item.flagged = selected, flagged
        response = render(
            request, "exams/question.html#saved", {"attempt": attempt, "item": item, "now": now}
        )
        return _time_header(response, attempt)
    go = request.POST.get("go", "")
    if go == "review":
        return redirect("exams:review", attempt.code)
    target = item.position
    if go == "next" and item.position < attempt.question_count:
        target += 1
    elif go == "prev" and item.position > 1:
        target -= 1
    elif go.isdigit() and 1 <= int(go) <= attempt.question_count:
        target = int(go)
    return redirect("exams:question", attempt.code, target)


@login_required
def review(request, code):
    attempt = _get_attempt_for_user(request, code)
    if attempt.is_finished:
        return redirect(attempt)
    if attempt.is_expired():
        return _closed(request, attempt)
    items = list(attempt.items.only("position", "selected", "flagged"))
    ctx = {
        "attempt": attempt,
        "items": items,
        "answered_count": sum(1 for i in items if i.selected),
        "unanswered": [i for i in items if not i.selected],
        "flagged": [i for i in items if i.flagged],
        "seconds_left": int(attempt.time_left().total_seconds()),
        "show_clock": True,
    }
    return _time_header(render(request, "exams/review.html", ctx), attempt)


@login_required
@require_POST
def submit(request, code):
    attempt = _get_attempt_for_user(request, code)
    if attempt.is_finished:
        # A second click or a second tab: the first submit already decided the result.
        messages.info(request, "This attempt was already submitted.")
    else:
        attempt = services.finish_attempt(attempt, Attempt.FinishReason.SUBMITTED)
        if attempt.finish_reason == Attempt.FinishReason.EXPIRED:
            messages.warning(request, "Time was up before the submit arrived.")
    if request.htmx:
        return HttpResponseClientRedirect(reverse("exams:results", args=[attempt.code]))
    return redirect("exams:results", attempt.code)


def _get_finished_attempt_for_user(request, code) -> Attempt | HttpResponse:
    """The owner's finished attempt; an open one sends its owner back to the exam."""
    attempt = _get_attempt_for_user(request, code)
    if not attempt.is_finished:
        if not attempt.is_expired():
            return redirect(attempt)
        attempt = services.finish_attempt(attempt, Attempt.FinishReason.EXPIRED)
    return attempt


@login_required
def results(request, code):
    attempt = _get_finished_attempt_for_user(request, code)
    if isinstance(attempt, HttpResponse):
        return attempt
    items = list(
        attempt.items.only(
            "position", "domain_number", "domain_name", "domain_weight", "objective_code",
            "objective_title", "is_correct", "selected", "flagged", "first_seen",
        )
    )  # fmt: skip
    domains = reports.domain_results(attempt, items)
    ctx = {
        "attempt": attempt,
        "domains": domains,
        "weak": [d for d in domains if not d.meets],
        "gates": reports.gate_results(attempt, items),
        "pace": reports.pace_chart(attempt, items),
        "answered": sum(1 for i in items if i.selected),
        "flagged": sum(1 for i in items if i.flagged),
    }
    return render(request, "exams/results.html", ctx)


REVIEW_FILTERS = {
    "all": Q(),
    "incorrect": Q(is_correct=False),
    "unanswered": Q(selected=[]),
    "flagged": Q(flagged=True),
}
REVIEW_PAGE_SIZE = 10
# How many of the latest attempts the trend charts show.
TREND_LENGTH = 20


@login_required
def answers(request, code):
    attempt = _get_finished_attempt_for_user(request, code)
    if isinstance(attempt, HttpResponse):
        return attempt
    show = request.GET.get("show", "all")
    if show not in REVIEW_FILTERS:
        return HttpResponseBadRequest(
            f"Unknown filter {show!r}: use one of {', '.join(REVIEW_FILTERS)}."
        )
    items = attempt.items.filter(REVIEW_FILTERS[show])
    domain = request.GET.get("domain", "")
    if domain:
        if not domain.isdigit():
            return HttpResponseBadRequest("The domain filter takes a domain number.")
        items = items.filter(domain_number=int(domain))
    objective = request.GET.get("objective", "")
    if objective:
        items = items.filter(objective_code=objective)
    page = Paginator(items.order_by("position"), REVIEW_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    params = request.GET.copy()
    params.pop("page", None)
    ctx = {
        "attempt": attempt,
        "page": page,
        "show": show,
        "domain": domain,
        "objective": objective,
        "filters": list(REVIEW_FILTERS),
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
def history(request):
    services.finalize_expired(user=request.user)
    attempts = list(Attempt.objects.filter(user=request.user).select_related("exam"))
    latest_exam = next((a.exam_id for a in attempts if a.is_finished), None)
    latest = [a for a in attempts if a.is_finished and a.exam_id == latest_exam][:TREND_LENGTH]
    trend = latest[::-1]  # oldest first, as the charts read
    rows = (
        AttemptItem.objects.filter(attempt__in=[a.pk for a in trend])
        .values("attempt_id", "domain_number", "domain_name")
        .annotate(asked=Count("id"), correct=Count("id", filter=Q(is_correct=True)))
        .order_by()
    )
    ctx = {
        "attempts": attempts,
        "score_trend": reports.score_trend(trend),
        "domain_trend": reports.domain_trend(trend, rows),
    }
    return render(request, "exams/history.html", ctx)
