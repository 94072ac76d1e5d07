"""The admin of monthly reporting, and the plan-structure admins that keep obligations in step.

Editing a plan's tasks, responsibilities, targets or their decomposition in the admin changes
who owes what: after each such change the plan's obligations are brought in step
(`tracking.services.plan_changed`), from the month being reported on, and its targets are judged
again.
"""

from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from config.uploads import UploadField
from plans import admin as plan_admin
from plans.models import Indicator, IndicatorShare, Plan, Responsibility, Task

from . import services
from .models import Contribution, Evidence, FollowUp, Obligation, ProgressReport, ReportConflict, Waiver


class KeepsObligations:
    """After a change in the admin, the plan's obligations follow (see the module docstring)."""

    @staticmethod
    def plan_of(obj) -> Plan:
        for path in ("plan", "section.plan", "task.section.plan", "indicator.plan"):
            found = obj
            for name in path.split("."):
                found = getattr(found, name, None)
            if isinstance(found, Plan):
                return found
        return obj

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.plan_changed(self.plan_of(obj))

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.plan_changed(self.plan_of(form.instance))

    def delete_model(self, request, obj):
        plan = self.plan_of(obj)
        super().delete_model(request, obj)
        if isinstance(plan, Plan) and Plan.objects.filter(pk=plan.pk).exists():
            services.plan_changed(plan)

    def delete_queryset(self, request, queryset):
        plans = {self.plan_of(obj).pk for obj in queryset}
        super().delete_queryset(request, queryset)
        for plan in Plan.objects.filter(pk__in=plans):
            services.plan_changed(plan)


for model, base in [
    (Plan, plan_admin.PlanAdmin),
    (Task, plan_admin.TaskAdmin),
    (Responsibility, plan_admin.ResponsibilityAdmin),
    (Indicator, plan_admin.IndicatorAdmin),
]:
    admin.site.unregister(model)
    admin.site.register(model, type(base.__name__, (KeepsObligations, base), {"__module__": __name__}))


@admin.register(IndicatorShare)
class IndicatorShareAdmin(KeepsObligations, SimpleHistoryAdmin):
    list_display = ["indicator", "region", "department", "reporter", "target"]
    search_fields = ["indicator__name", "region__name", "department__name"]
    raw_id_fields = ["indicator"]


@admin.register(Obligation)
class ObligationAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "plan", "kind", "department", "starts", "ends"]
    list_filter = ["kind", "plan"]
    search_fields = ["indicator__name", "task__title", "department__name"]
    list_select_related = ["plan", "indicator", "share__region", "task", "department"]
    raw_id_fields = ["indicator", "share", "task"]


@admin.register(ProgressReport)
class ProgressReportAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "period", "value", "status", "submitted_at"]
    list_filter = ["status", "period", "obligation__department__region", "obligation__plan"]
    search_fields = ["obligation__indicator__name", "obligation__task__title", "obligation__department__name"]
    list_select_related = ["obligation__indicator", "obligation__task", "obligation__department"]
    raw_id_fields = ["obligation"]
    readonly_fields = ["created_by", "created_at", "updated_at"]


@admin.register(Waiver)
class WaiverAdmin(SimpleHistoryAdmin):
    list_display = ["obligation", "period", "reason", "created_by", "created_at"]
    raw_id_fields = ["obligation"]


@admin.register(Contribution)
class ContributionAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "period", "updated_at"]
    list_filter = ["period", "obligation__department__region"]
    search_fields = ["obligation__task__title", "obligation__department__name", "text"]
    list_select_related = ["obligation__task", "obligation__department"]
    raw_id_fields = ["obligation"]


@admin.register(Evidence)
class EvidenceAdmin(SimpleHistoryAdmin):
    formfield_overrides = {models.FileField: {"form_class": UploadField}}  # refuses a file over the limit
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
