from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from config.health import healthz

admin.site.site_header = _("Plan tracker administration")
admin.site.site_title = _("Plan tracker")
admin.site.index_title = _("Administration")

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path(
        "login/",
        require_http_methods(["GET", "POST"])(auth_views.LoginView.as_view(redirect_authenticated_user=True)),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path("", include("plans.urls")),
    path("reports/", include("tracking.urls")),
    path("", include("outputs.urls")),
    path("cockpit/", include("dashboards.urls")),
]
