from django.contrib import admin

from .models import ExportJob, Reminder


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["subject", "recipient", "department", "stage", "sent_at", "sent_by"]
    list_filter = ["stage", "plan", "period"]
    search_fields = ["subject", "recipient__username", "department__name"]
    list_select_related = ["recipient", "department", "sent_by"]


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    list_display = ["kind", "region", "period", "requested_by", "requested_at", "status", "filename"]
    list_filter = ["kind", "status"]
    list_select_related = ["region", "requested_by"]
    readonly_fields = ["requested_at", "started_at", "finished_at", "steps_done", "steps_total", "error"]
