from django.contrib import admin

from .models import Indicator, IndicatorShare, ProgressReport


class ShareInline(admin.TabularInline):
    model = IndicatorShare
    extra = 0
    autocomplete_fields = ["region", "department"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["name", "plan", "task", "kind", "comparator", "target", "target_max", "unit", "measure"]
    list_filter = ["kind", "measure", "plan"]
    search_fields = ["name", "source_text", "task__title"]
    list_select_related = ["plan", "task"]
    raw_id_fields = ["task"]
    inlines = [ShareInline]


@admin.register(ProgressReport)
class ProgressReportAdmin(admin.ModelAdmin):
    list_display = ["__str__", "department", "year", "month", "value", "status", "submitted_at"]
    list_filter = ["status", "year", "month", "department__region", "indicator__plan"]
    search_fields = ["indicator__name", "task__title", "department__name", "progress"]
    list_select_related = ["indicator", "task", "department"]
    raw_id_fields = ["indicator", "task"]
    readonly_fields = ["created_by", "created_at", "updated_at"]
