from django.contrib import admin

from .models import Reminder


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["subject", "recipient", "department", "stage", "sent_at", "sent_by"]
    list_filter = ["stage", "plan", "period"]
    search_fields = ["subject", "recipient__username", "department__name"]
    list_select_related = ["recipient", "department", "sent_by"]
