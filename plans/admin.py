from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Indicator, IndicatorShare, Milestone, Plan, PlanImport, Responsibility, Section, Task


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0
    fields = ["position", "label", "title", "theme"]


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = ["title", "region", "kind", "first_year", "last_year", "status"]
    list_filter = ["status", "kind", "last_year", "region"]
    search_fields = ["title", "region__name"]
    list_select_related = ["region"]
    autocomplete_fields = ["region", "issuing_department"]
    readonly_fields = ["created_by", "created_at"]
    inlines = [SectionInline]


@admin.register(Responsibility)
class ResponsibilityAdmin(SimpleHistoryAdmin):
    list_display = ["task", "department", "role"]
    list_filter = ["role", "task__section__plan"]
    search_fields = ["task__title", "department__name"]
    list_select_related = ["task", "department"]
    raw_id_fields = ["task"]


class ResponsibilityInline(admin.TabularInline):
    model = Responsibility
    extra = 0
    autocomplete_fields = ["department"]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "plan", "theme"]
    list_filter = ["theme", "plan"]
    search_fields = ["title", "plan__title"]
    list_select_related = ["plan"]


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["__str__", "section", "list_kind"]
    list_filter = ["list_kind", "section__plan", "responsibilities__department"]
    search_fields = ["title", "text", "responsibilities__department__name"]
    list_select_related = ["section__plan"]
    inlines = [ResponsibilityInline, MilestoneInline]


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ["title", "task", "due_date", "done_on"]
    list_filter = ["due_date", "task__section__plan"]
    search_fields = ["title", "task__title"]
    list_select_related = ["task"]


@admin.register(PlanImport)
class PlanImportAdmin(admin.ModelAdmin):
    list_display = ["__str__", "region", "status", "created_by", "updated_at", "plan"]
    list_filter = ["status", "region"]
    search_fields = ["filename", "source_text"]
    list_select_related = ["region", "created_by", "plan"]
    readonly_fields = ["created_by", "created_at", "updated_at", "plan"]


class ShareInline(admin.TabularInline):
    model = IndicatorShare
    extra = 0
    autocomplete_fields = ["region", "department"]


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["name", "plan", "task", "kind", "comparator", "target", "target_max", "unit", "measure"]
    list_filter = ["kind", "measure", "plan"]
    search_fields = ["name", "source_text", "task__title"]
    list_select_related = ["plan", "task"]
    raw_id_fields = ["task"]
    inlines = [ShareInline]
