"""The admin's item-analysis page, and the problem reports authors work through.

The page runs readiness.items over the finished attempts (two queries, whatever the size
of the bank), adds each question's status and open reports (one query each), then sorts,
filters and pages the rows in Python, so the number of queries stays fixed.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from questions.models import Exam, ProblemReport, Question
from readiness import items as analysis

FLAGS = {
    "any": None,
    "miskey": analysis.MISKEY,
    "negative": analysis.NEGATIVE,
    "easy": analysis.TOO_EASY,
    "hard": analysis.TOO_HARD,
}
SORTS = {
    "key": lambda r: (r.stats.exam, r.stats.key),
    "answers": lambda r: r.stats.answers,
    "facility": lambda r: r.stats.facility,
    # Questions without a figure sort after every real one, whichever the direction.
    "discrimination": lambda r: r.stats.discrimination,
    "median": lambda r: r.stats.median_seconds,
    "changes": lambda r: r.stats.changes.total,
    "reports": lambda r: r.reports,
}
PAGE_SIZE = 100


class Row:
    def __init__(self, stats: analysis.ItemStats, question: tuple | None, reports: int):
        self.stats = stats
        self.pk, self.status = question or (None, "")
        self.reports = reports

    @property
    def change_url(self) -> str | None:
        return reverse("admin:questions_question_change", args=[self.pk]) if self.pk else None


def _sorted(rows: list[Row], order: str) -> list[Row]:
    field = order.lstrip("-")
    key = SORTS[field]
    known = [r for r in rows if key(r) is not None]
    unknown = [r for r in rows if key(r) is None]
    return sorted(known, key=key, reverse=order.startswith("-")) + unknown


def statistics_view(model_admin, request):
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    exams = list(Exam.objects.banks().values_list("code", flat=True))
    exam = request.GET.get("exam", "")
    flag = request.GET.get("flag", "")
    order = request.GET.get("o", "key")
    # Unknown values fall back to the default rather than failing: these are links.
    exam = exam if exam in exams else ""
    flag = flag if flag in FLAGS else ""
    order = order if order.lstrip("-") in SORTS else "key"
    stats = analysis.item_analysis(exam or None)
    keys = [s.key for s in stats]
    questions = {
        k: (pk, status)
        for k, pk, status in Question.objects.filter(key__in=keys).values_list(
            "key", "pk", "status"
        )
    }
    reports = dict(
        ProblemReport.objects.filter(status=ProblemReport.Status.OPEN, question_key__in=keys)
        .values_list("question_key")
        .annotate(n=Count("id"))
        .order_by()
    )
    rows = [Row(s, questions.get(s.key), reports.get(s.key, 0)) for s in stats]
    if flag == "any":
        rows = [r for r in rows if r.stats.flags]
    elif flag:
        rows = [r for r in rows if FLAGS[flag] in r.stats.flags]
    rows = _sorted(rows, order)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("p", 1))
    params = {"exam": exam, "flag": flag}
    columns = [
        (field, label, _sort_link(params, field, order))
        for field, label in [
            ("key", "Question"),
            ("answers", "Answers"),
            ("facility", "Facility"),
            ("discrimination", "Discrimination"),
            ("median", "Median time"),
            ("changes", "Answer changes"),
            ("reports", "Open reports"),
        ]
    ]
    ctx = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": "Item analysis",
        "page": page,
        "columns": columns,
        "exams": exams,
        "exam": exam,
        "flags": list(FLAGS),
        "flag": flag,
        "order": order,
        "query": _query({**params, "o": order}),
        "reports_url": reverse("admin:questions_problemreport_changelist"),
    }
    return render(request, "admin/questions/question/statistics.html", ctx)


def _query(params: dict) -> str:
    from urllib.parse import urlencode

    return urlencode({k: v for k, v in params.items() if v})


def _sort_link(params: dict, field: str, order: str) -> str:
    # A first click sorts the figures from the top (worst discrimination last, and so on
    # reversed for keys); a second reverses it.
    if order == field:
        new = f"-{field}"
    elif order == f"-{field}":
        new = field
    else:
        new = field if field == "key" else f"-{field}"
    return "?" + _query({**params, "o": new})


def question_statistics(question: Question) -> str:
    """The question's figures for its change page: the exam's analysis, this row of it."""
    exam = question.objective.domain.exam
    stats = next((s for s in analysis.item_analysis(exam.code) if s.key == question.key), None)
    if stats is None:
        return "Not yet answered in a finished attempt."
    disc = "—" if stats.discrimination is None else f"{stats.discrimination:+.2f}"
    median = "—" if stats.median_seconds is None else f"{stats.median_seconds:.0f} s"
    c = stats.changes
    summary = format_html(
        "{} answers · facility {} % · discrimination {} · median time {} · "
        "{} answer changes ({} wrong → right, {} right → wrong, {} wrong → wrong){}",
        stats.answers,
        round(100 * stats.facility),
        disc,
        median,
        c.total,
        c.wrong_to_right,
        c.right_to_wrong,
        c.wrong_to_wrong,
        f" · flags: {', '.join(stats.flags)}" if stats.flags else "",
    )
    options = format_html_join(
        "",
        "<li>{}{} — all {} %, lower third {} %, upper third {} %</li>",
        (
            (
                "✓ " if o.correct else "",
                o.text[:120],
                round(100 * o.share),
                round(100 * o.lower),
                round(100 * o.upper),
            )
            for o in stats.options
        ),
    )
    return format_html("<p>{}</p><ul>{}</ul>", summary, options)


def question_reports(question: Question) -> str:
    """The question's reports, open first, for its change page (read-only, so the question's
    form carries no extra formset); each links to its own page, where it is closed."""
    reports = list(question.problem_reports.select_related("user"))
    if not reports:
        return "No problem reported."
    return format_html(
        "<ul>{}</ul>",
        format_html_join(
            "",
            '<li><a href="{}">{}</a>: {} — {}, {}{}</li>',
            (
                (
                    reverse("admin:questions_problemreport_change", args=[r.pk]),
                    r.get_status_display(),
                    r.get_kind_display(),
                    r.note[:300] or "no note",
                    r.user or "a deleted user",
                    f" (resolved: {r.resolution[:200]})" if r.resolution else "",
                )
                for r in reports
            ),
        ),
    )


@admin.register(ProblemReport)
class ProblemReportAdmin(admin.ModelAdmin):
    list_display = ["question_key", "kind", "status", "created", "user", "closed"]
    list_filter = [
        "status",
        "kind",
        ("question__objective__domain__exam", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["user"]
    search_fields = ["question_key", "note", "resolution"]
    date_hierarchy = "created"
    fields = [
        "question",
        "question_key",
        "item",
        "user",
        "kind",
        "note",
        "created",
        "status",
        "resolution",
        "closed",
    ]
    readonly_fields = ["question", "question_key", "item", "user", "kind", "note", "created",
                       "closed"]  # fmt: skip
    actions = ["reopen"]

    def has_add_permission(self, request):
        # Reports come from candidates' reviews, with the attempt they saw.
        return False

    def save_model(self, request, obj, form, change):
        if obj.status == ProblemReport.Status.CLOSED and obj.closed is None:
            obj.closed = timezone.now()
        elif obj.status == ProblemReport.Status.OPEN:
            obj.closed = None
        super().save_model(request, obj, form, change)

    @admin.action(description="Reopen selected reports", permissions=["change"])
    def reopen(self, request, queryset):
        count = queryset.update(status=ProblemReport.Status.OPEN, closed=None)
        self.message_user(request, f"Reopened {count} report(s).")
