from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Contribution,
    Evidence,
    FollowUp,
    ProgressReport,
    ReportConflict,
)


@admin.register(ProgressReport)
class ProgressReportAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "department", "period", "value", "status", "submitted_at"]
    list_filter = ["status", "period", "department__region", "indicator__plan"]
    search_fields = ["indicator__name", "task__title", "department__name", "progress"]
    list_select_related = ["indicator", "task", "department"]
    raw_id_fields = ["indicator", "task"]
    readonly_fields = ["created_by", "created_at", "updated_at"]


@admin.register(Contribution)
class ContributionAdmin(SimpleHistoryAdmin):
    list_display = ["task", "department", "period", "updated_at"]
    list_filter = ["period", "department__region"]
    search_fields = ["task__title", "department__name", "text"]
    list_select_related = ["task", "department"]
    raw_id_fields = ["task"]


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ["name", "report", "contribution", "size", "uploaded_by", "uploaded_at"]
    search_fields = ["name"]
    raw_id_fields = ["report", "contribution"]


@admin.register(ReportConflict)
class ReportConflictAdmin(admin.ModelAdmin):
    list_display = ["report", "user", "based_on_version", "created_at", "resolved_at"]
    list_filter = ["resolved_at"]
    raw_id_fields = ["report"]


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ["__str__", "department", "period", "lamp", "response_due", "status", "issued_by"]
    list_filter = ["status", "plan", "period"]
    search_fields = ["indicator__name", "task__title", "department__name", "note", "response"]
    list_select_related = ["plan", "indicator", "task", "department", "issued_by"]
    raw_id_fields = ["indicator", "task"]
    readonly_fields = ["issued_by", "issued_at", "responded_by", "responded_at"]
