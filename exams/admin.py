from django.contrib import admin

from exams.models import Attempt, AttemptItem


class ReadOnlyAdmin(admin.ModelAdmin):
    """Staff may look at candidates' attempts but never change their record."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AttemptItemInline(admin.TabularInline):
    model = AttemptItem
    fields = [
        "position",
        "question_key",
        "objective_code",
        "selected",
        "flagged",
        "is_correct",
        "scored",
    ]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Attempt)
class AttemptAdmin(ReadOnlyAdmin):
    list_display = ["code", "user", "exam", "started", "status", "scaled_score", "passed"]
    list_filter = ["exam", "status", "finish_reason", "passed"]
    list_select_related = ["user", "exam"]
    search_fields = ["user__username", "code"]
    date_hierarchy = "started"
    inlines = [AttemptItemInline]
