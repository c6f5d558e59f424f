from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import F
from django.forms.models import BaseInlineFormSet
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from questions.import_admin import import_view
from questions.models import Domain, Exam, Objective, Option, Question
from questions.statistics_admin import question_reports, question_statistics, statistics_view


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0


@admin.register(Exam)
class ExamAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "question_count", "duration_minutes", "passing_score"]
    inlines = [DomainInline]


class ObjectiveInline(admin.TabularInline):
    model = Objective
    extra = 0


@admin.register(Domain)
class DomainAdmin(admin.ModelAdmin):
    list_display = ["__str__", "exam", "number", "weight"]
    list_filter = ["exam"]
    inlines = [ObjectiveInline]


@admin.register(Objective)
class ObjectiveAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "domain"]
    list_filter = ["domain__exam", "domain"]
    search_fields = ["code", "title"]


class OptionFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        options = [
            (form.cleaned_data["text"], form.cleaned_data.get("is_correct", False))
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        try:
            self.instance.clean_options(options)
        except ValidationError as e:
            raise ValidationError(e.message_dict["options"]) from None


class OptionInline(admin.StackedInline):
    # Stacked, not tabular: each input gets its own label, which screen readers need.
    model = Option
    formset = OptionFormSet
    fields = [("text", "is_correct"), "order"]
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 70})}
    }
    extra = 0
    min_num = 4

    def get_extra(self, request, obj=None, **kwargs):
        return 0 if obj else 1


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["key", "objective", "type", "status", "updated", "preview_link"]
    list_filter = [
        ("objective__domain__exam", admin.RelatedOnlyFieldListFilter),
        "objective__domain",
        "objective",
        "type",
        "status",
    ]
    list_select_related = ["objective"]
    search_fields = ["key", "stem", "explanation"]
    readonly_fields = ["version", "created", "updated", "statistics", "problem_reports"]
    fields = [
        "key",
        "objective",
        "type",
        "status",
        "difficulty",
        "stem",
        "explanation",
        "references",
        ("version", "created", "updated"),
        "statistics",
        "problem_reports",
    ]
    inlines = [OptionInline]
    actions = ["activate", "pilot", "retire"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # A new version whenever what candidates read changed: attempt items record the
        # version they froze.
        content = {"type", "stem", "explanation", "references"}
        if change and (content & set(form.changed_data) or any(f.has_changed() for f in formsets)):
            Question.objects.filter(pk=form.instance.pk).update(version=F("version") + 1)

    def get_urls(self):
        preview = self.admin_site.admin_view(self.preview)
        upload = self.admin_site.admin_view(self.import_file)
        stats = self.admin_site.admin_view(self.statistics_page)
        return [
            path("<int:pk>/preview/", preview, name="questions_question_preview"),
            path("import/", upload, name="questions_question_import"),
            path("statistics/", stats, name="questions_question_statistics"),
            *super().get_urls(),
        ]

    def import_file(self, request):
        return import_view(self, request)

    def statistics_page(self, request):
        return statistics_view(self, request)

    @admin.display(description="Statistics")
    def statistics(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        return question_statistics(obj)

    @admin.display(description="Problem reports")
    def problem_reports(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        return question_reports(obj)

    @admin.display(description="Preview")
    def preview_link(self, obj):
        return format_html('<a href="{}">Preview</a>', obj.get_absolute_url())

    def preview(self, request, pk):
        if not self.has_view_permission(request):
            raise PermissionDenied
        question = get_object_or_404(
            Question.objects.select_related("objective__domain__exam"), pk=pk
        )
        options = list(question.options.all())
        ctx = {
            **self.admin_site.each_context(request),
            "question": question,
            "stem": question.stem,
            "is_multiple": sum(o.is_correct for o in options) > 1,
            "choose": sum(o.is_correct for o in options),
            "options": [{"id": o.id, "text": o.text, "checked": False} for o in options],
            "change_url": reverse("admin:questions_question_change", args=[pk]),
        }
        return render(request, "questions/preview.html", ctx)

    @admin.action(description="Activate selected questions", permissions=["change"])
    def activate(self, request, queryset):
        self._set_status(request, queryset, Question.Status.ACTIVE, "Activated", "activated")

    @admin.action(description="Pilot selected questions (asked unscored)", permissions=["change"])
    def pilot(self, request, queryset):
        self._set_status(request, queryset, Question.Status.PILOT, "Piloted", "piloted")

    def _set_status(self, request, queryset, status, done, not_done):
        # A pilot is shown and reviewed like an active question, so it must pass the same
        # checks first.
        changed, refused = [], []
        for q in queryset.prefetch_related("options"):
            q.status = status
            try:
                q.full_clean()
                q.clean_options([(o.text, o.is_correct) for o in q.options.all()])
            except ValidationError as e:
                reasons = "; ".join(m for ms in e.message_dict.values() for m in ms)
                refused.append(f"{q.key} ({reasons})")
                continue
            changed.append(q.pk)
        Question.objects.filter(pk__in=changed).update(status=status, updated=timezone.now())
        self.message_user(request, f"{done} {len(changed)} question(s).", messages.SUCCESS)
        if refused:
            self.message_user(request, f"Not {not_done}: {', '.join(refused)}", messages.WARNING)

    @admin.action(description="Retire selected questions", permissions=["change"])
    def retire(self, request, queryset):
        count = queryset.update(status=Question.Status.RETIRED, updated=timezone.now())
        self.message_user(request, f"Retired {count} question(s).", messages.SUCCESS)
