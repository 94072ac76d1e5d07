from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from . import services
from .models import PasswordState

User = get_user_model()


class PasswordStateInline(admin.StackedInline):
    model = PasswordState
    fk_name = "user"
    fields = ["must_change", "set_by", "set_at"]
    readonly_fields = ["set_by", "set_at"]
    can_delete = False


admin.site.unregister(User)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Django's user admin; a password an administrator gives someone must be changed at first login."""

    def get_inlines(self, request, obj):
        return [PasswordStateInline] if obj is not None else []

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        if not change and obj.has_usable_password():
            services.require_password_change(user=obj, by=request.user)

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302 and str(request.user.pk) != str(id):
            user = self.get_object(request, id)
            if user is not None and user.has_usable_password():
                services.require_password_change(user=user, by=request.user)
        return response
