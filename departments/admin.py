from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Department, DepartmentAlias, Membership, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "parent", "code"]
    list_filter = ["level"]
    search_fields = ["name", "code"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]


class AliasInline(admin.TabularInline):
    model = DepartmentAlias
    extra = 1


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "region"]
    list_filter = ["region"]
    search_fields = ["name", "short_name", "aliases__name"]
    list_select_related = ["region"]
    autocomplete_fields = ["region"]
    inlines = [AliasInline, MembershipInline]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "department", "role"]
    list_filter = ["role", "department__region"]
    search_fields = ["user__username", "user__first_name", "department__name"]
    list_select_related = ["user", "department"]
    autocomplete_fields = ["user", "department"]
