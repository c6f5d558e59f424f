"""Taking an attempt: start, the question pages, the review screen, submit."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect

from exams import access, modes, services
from exams.models import Attempt, AttemptItem
from exams.views.params import BadParameter, choice, number
from exams.views.walks import KINDS, Walk
from examsite.errors import error_response
from questions import kinds
from questions.kinds import InvalidResponse
from questions.models import Exam

GO = ("stay", "next", "prev", "review", "confirm")


def _time_header(response: HttpResponse, attempt: Attempt) -> HttpResponse:
    # Lets the browser's countdown re-sync with the server after every exchange.
    left = attempt.time_left()
    if left is not None:
        response["X-Time-Left"] = str(int(left.total_seconds()))
    return response


def _closed(request, attempt: Attempt, refused: int | None = None) -> HttpResponse:
    """Finish an attempt that is out of time and send its owner to the results.

    ``refused`` is the question whose change arrived too late, to say so.
    """
    if attempt.is_finished:
        text = "This attempt is finished: answers can no longer change."
    else:
        attempt = services.finish_attempt(attempt, Attempt.FinishReason.EXPIRED)
        text = "Time is up: the exam has ended."
    if refused is not None:
        text += f" Your last change to question {refused} was not saved."
    results = reverse("exams:results", args=[attempt.code])
    messages.warning(request, text)
    if request.htmx:
        response = HttpResponse(text, status=409, content_type="text/plain; charset=utf-8")
        response["HX-Redirect"] = results
        return response
    return redirect(results)


def _banks_for_home(user) -> list[dict]:
    """Each exam with its forms, the default first; with the candidate's open mock and
    latest counted score per exam."""
    forms = list(Exam.objects.select_related("form_of").order_by("code"))
    banks = [e for e in forms if not e.is_form]
    banks.sort(key=lambda e: (e.code != settings.DEFAULT_EXAM_CODE, e.code))
    open_mocks, latest, due = {}, {}, {}
    if user.is_authenticated:
        # Study builds on exams, not the other way round: only the home page asks it.
        from study.selection import due_counts

        due = due_counts(user)
        mine = Attempt.objects.filter(user=user).exams().select_related("exam")
        for a in mine.in_progress():
            open_mocks[a.bank_id] = a
        for a in mine.in_trends().order_by("-started"):
            latest.setdefault(a.bank_id, a)
    return [
        {
            "exam": bank,
            "forms": [bank] + [f for f in forms if f.form_of_id == bank.pk],
            "open": open_mocks.get(bank.pk),
            "latest": latest.get(bank.pk),
            "due": due.get(bank.pk, 0),
        }
        for bank in banks
    ]


def _seconds(left) -> int | None:
    return None if left is None else int(left.total_seconds())


@require_safe
def home(request):
    ctx = {"default_exam": settings.DEFAULT_EXAM_CODE}
    if request.user.is_authenticated:
        services.finalize_expired(user=request.user)
        ctx["recent"] = (
            Attempt.objects.finished().filter(user=request.user).select_related("exam")[:5]
        )
    ctx["banks"] = _banks_for_home(request.user)
    return render(request, "exams/home.html", ctx)


@login_required
@require_POST
def start(request):
    exam = Exam.objects.filter(code=request.POST.get("exam", "")[:32]).first()
    if exam is None:
        return error_response(request, 400, "Choose one of the listed exams.")
    try:
        attempt, created = services.start_attempt(
            request.user,
            exam,
            extra_time=request.POST.get("extra_time") == "on",
            hide_clock=request.POST.get("hide_clock") == "on",
            begin=not modes.EXAM.instructions,
        )
    except services.BankTooSmall as e:
        messages.error(request, f"{exam.code} cannot be started: {e}.")
        ctx = {"banks": _banks_for_home(request.user), "default_exam": exam.bank.code}
        return render(request, "exams/home.html", ctx, status=409)
    if not created:
        messages.info(request, "You already have an exam in progress: here it is.")
    return redirect(attempt)


@login_required
@require_safe
def resume(request, code):
    return redirect(access.get_attempt(request, code))


@dataclass(frozen=True, slots=True)
class NavEntry:
    """An item as the navigator shows it, read as plain values: a page lists up to 130,
    and building a model instance for each was a large part of its time."""

    position: int
    selected: list
    flagged: bool
    type: str
    # With the kind: a multiple-response item short of choices is "incomplete".
    options: list

    @property
    def state(self) -> str:
        return kinds.get(self.type).state(self)


def _navigator(attempt: Attempt) -> list[NavEntry]:
    fields = ("position", "selected", "flagged", "type", "options")
    return [NavEntry(*row) for row in attempt.items.values_list(*fields)]


def _question_urls(attempt: Attempt, position: int, walk: Walk | None) -> dict:
    """Where the page's controls lead; the navigator's are the prefix plus a number."""
    here = reverse("exams:question", args=[attempt.code, position])
    prefix = here.removesuffix(f"{position}/")
    if walk:
        before, after = walk.before(position), walk.after(position)
    else:
        before = position - 1 if position > 1 else None
        after = position + 1 if position < attempt.question_count else None
    query = walk.query if walk else ""
    return {
        "here": here + query,
        "prefix": prefix,
        "prev_url": f"{prefix}{before}/{query}" if before else None,
        "next_url": f"{prefix}{after}/{query}" if after else None,
        "review_url": reverse("exams:review", args=[attempt.code]),
    }


def _walk(request, attempt: Attempt, position: int) -> Walk | None:
    """The review walk in the query string, checked against this attempt (BadParameter)."""
    walk = Walk.from_query(request.GET, attempt.question_count)
    if walk:
        walk.check(position)
    return walk


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def question(request, code, position: int):
    if request.method == "POST":
        return save(request, code, position)
    item = access.get_item(request, code, position)
    attempt = item.attempt
    now = timezone.now()
    if attempt.is_finished or attempt.awaits_begin:
        return redirect(attempt)
    if attempt.is_expired(now):
        return _closed(request, attempt)
    try:
        walk = _walk(request, attempt, position)
    except BadParameter as e:
        return error_response(request, 400, str(e))

    # One UPDATE records both the first arrival (pacing, checkpoints) and the latest, which
    # is the attempt's current position.
    first_arrival = item.first_seen is None
    AttemptItem.objects.filter(pk=item.pk).update(
        first_seen=Coalesce("first_seen", Value(now)), last_seen=now
    )
    if first_arrival:
        item.first_seen = now

    # With JavaScript, moving between questions swaps only #question; the navigator stays
    # in the page (answer.js moves its "current" mark), so it is read only for a full page
    # or for the answered count of a checkpoint's first showing.
    swap = bool(request.htmx) and not request.htmx.history_restore_request
    navigator = answered = None
    if not swap or (first_arrival and position in attempt.gate_positions()):
        navigator = _navigator(attempt)
        answered = sum(1 for i in navigator if i.state == "answered")
    options = item.shown_options()
    ctx = {
        "attempt": attempt,
        "item": item,
        "options": options,
        "navigator": navigator,
        "answered": answered,
        "walk": walk,
        "walk_index": walk.index(position) if walk else None,
        "seconds_left": _seconds(attempt.time_left(now)),
        "show_clock": attempt.shows_clock(position, now),
        # The checkpoint box once, on first arrival; revisits show when it was reached.
        "gate": attempt.checkpoint(position, item.first_seen, answered),
        "gate_first": first_arrival,
        "feedback_each": attempt.feedback == Attempt.Feedback.EACH,
        "keys": [o["text"] for o in options if o.get("correct")],
        **_question_urls(attempt, position, walk),
    }
    template = "exams/question.html#swap" if swap else "exams/question.html"
    response = _time_header(render(request, template, ctx), attempt)
    # The partial and the page share a URL: a browser cache must not serve one for the other.
    patch_vary_headers(response, ["HX-Request"])
    return response


def _parse_go(value: str) -> str | int:
    """Where to go after saving: one of GO, or a question number (range checked later)."""
    if value[:1].isascii() and value[:1].isdigit():
        return number(value, "go", 1, 9999)
    return choice(value or "stay", "go", GO)


def _target(attempt: Attempt, position: int, go: str | int, walk: Walk | None) -> str:
    """The URL a plain-form save moves on to: in a walk, its next or previous question,
    and the review screen after its last."""
    review = reverse("exams:review", args=[attempt.code])
    if isinstance(go, int):
        # The navigator leaves any walk.
        return reverse("exams:question", args=[attempt.code, min(go, attempt.question_count)])
    if go == "review":
        return review
    if walk:
        step = {"next": walk.after, "prev": walk.before}.get(go)
        target = step(position) if step else position
        if target is None:
            return review if go == "next" else _question_urls(attempt, position, walk)["here"]
        return reverse("exams:question", args=[attempt.code, target]) + walk.query
    target = {"next": position + 1, "prev": position - 1}.get(go, position)
    target = min(max(target, 1), attempt.question_count)
    return reverse("exams:question", args=[attempt.code, target])


def save(request, code, position: int) -> HttpResponse:
    try:
        if "answer_form" not in request.POST:
            raise BadParameter("The form was incomplete (answer_form is missing).")
        go = _parse_go(request.POST.get("go", ""))
        # A malformed walk is refused before anything is saved; its numbers are checked
        # against the attempt once it is read.
        Walk.from_query(request.GET, 9999)
        item = services.save_answer(
            access.items_of(request, code), position, request.POST, confirm=go == "confirm"
        )
    except (BadParameter, InvalidResponse) as e:
        message = str(e)
        if not message.endswith("nothing was saved."):
            message += " Nothing was saved."
        return error_response(request, 400, message)
    except AttemptItem.DoesNotExist:
        access.get_item(request, code, position)  # the owner-or-404 message
        raise Http404 from None
    except services.NotBegun as e:
        return error_response(
            request,
            409,
            "This mock has not begun: press Begin on its instructions page to start the "
            "clock. Nothing was saved.",
            link=(e.attempt.get_absolute_url(), "Read the instructions"),
        )
    except services.AttemptClosed as e:
        return _closed(request, e.attempt, position)

    attempt = item.attempt
    if request.htmx:
        ctx = {"attempt": attempt, "item": item, "now": timezone.now()}
        return _time_header(render(request, "exams/question.html#saved", ctx), attempt)
    try:
        walk = _walk(request, attempt, position)
    except BadParameter:
        walk = None  # a hand-edited number: the answer is saved; carry on outside the walk
    return redirect(_target(attempt, position, go, walk))


@login_required
@require_safe
def review(request, code):
    attempt = access.get_attempt(request, code)
    if attempt.is_finished or attempt.awaits_begin:
        return redirect(attempt)
    if attempt.is_expired():
        return _closed(request, attempt)
    items = list(attempt.items.only("position", "selected", "flagged", "type", "options"))
    prefix = reverse("exams:question", args=[attempt.code, 1]).removesuffix("1/")
    walks = []
    for kind in KINDS:
        walk = Walk.start(kind, items)
        url = f"{prefix}{walk.first}/{walk.query}" if walk.first else None
        walks.append({"kind": kind, "walk": walk, "url": url})
    ctx = {
        "attempt": attempt,
        "items": items,
        "walks": walks,
        "answered_count": sum(1 for i in items if i.state == "answered"),
        "unanswered": [i for i in items if not i.selected],
        "incomplete": [i for i in items if i.state == "incomplete"],
        "flagged": [i for i in items if i.flagged],
        "seconds_left": _seconds(attempt.time_left()),
        "show_clock": attempt.is_timed,
    }
    return _time_header(render(request, "exams/review.html", ctx), attempt)


@login_required
@require_POST
def submit(request, code):
    attempt = access.get_attempt(request, code)
    if attempt.awaits_begin:
        # Nothing seen, nothing to score: a mock is submitted only once it has begun.
        messages.error(request, "This mock has not begun, so there is nothing to submit yet.")
        return redirect(attempt)
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


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def abandon(request, code):
    """Leave a mock without submitting it: scored for the record, out of trends."""
    attempt = access.get_attempt(request, code)
    if attempt.is_finished:
        return redirect(attempt)
    if request.method == "POST":
        attempt = services.finish_attempt(attempt, Attempt.FinishReason.ABANDONED)
        if attempt.finish_reason == Attempt.FinishReason.ABANDONED:
            messages.info(
                request,
                "You abandoned this mock. It is kept for the record and its review, but it "
                "does not count in your score trend.",
            )
        return redirect("exams:results", attempt.code)
    return render(request, "exams/abandon.html", {"attempt": attempt})
