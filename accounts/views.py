from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import PasswordChangeView
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from departments.access import access_of

from . import logins, services, sessions
from .forms import LoginLogForm, ReleaseForm


@method_decorator(require_http_methods(["GET", "POST"]), name="dispatch")
class PasswordChange(PasswordChangeView):
    """Every user changes their own password here; one with an initial password must, first."""

    template_name = "accounts/password_change.html"

    def get_success_url(self) -> str:
        return resolve_url(settings.LOGIN_REDIRECT_URL)

    def get_context_data(self, **kwargs) -> dict:
        forced = bool(self.request.session.get(sessions.MUST_CHANGE_PASSWORD))
        return super().get_context_data(forced=forced, **kwargs)

    def form_valid(self, form) -> HttpResponse:
        response = super().form_valid(form)
        services.password_changed(user=self.request.user)
        self.request.session.pop(sessions.MUST_CHANGE_PASSWORD, None)
        messages.success(self.request, _("Your password has been changed."))
        return response


def _overseen_usernames(request: HttpRequest) -> QuerySet | None:
    """The usernames whose logins the user oversees (None: everyone); 403 for anyone else."""
    access = access_of(request.user)
    if not access.runs_anything:
        raise PermissionDenied
    regions = access.run_regions()
    return None if regions is None else logins.usernames_in_regions(regions)


@login_required
@require_GET
def locked_accounts(request: HttpRequest) -> HttpResponse:
    locks = logins.locked_accounts(_overseen_usernames(request))
    return render(request, "accounts/locked.html", {"locks": locks, **logins.lockout_policy()})


@login_required
@require_POST
def release(request: HttpRequest) -> HttpResponse:
    form = ReleaseForm(request.POST, usernames=_overseen_usernames(request))
    if not form.is_valid():
        raise Http404
    username = form.cleaned_data["username"]
    logins.release(username=username)
    messages.success(request, _("The account %(username)s is unlocked.") % {"username": username})
    return redirect("accounts:locked")


@login_required
@require_GET
def login_log(request: HttpRequest) -> HttpResponse:
    usernames = _overseen_usernames(request)
    form = LoginLogForm(request.GET or None)
    events, truncated = logins.login_events(usernames=usernames, **form.filters())
    return render(
        request, "accounts/login_log.html", {"form": form, "events": events, "truncated": truncated}
    )
