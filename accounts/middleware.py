"""Per-request rules of a signed-in session, and the caching rule of everything it is shown."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from . import sessions


def _go(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """A redirect, or for htmx a full-page one (a fragment must not become the login page)."""
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(response["Location"])
    return response


class SessionPolicyMiddleware:
    """Ends a session idle for SESSION_IDLE_MINUTES; sends a user with an initial password to
    the password page before anything else (logout and static files stay reachable). The
    health check (/healthz) is no page of a session: it passes untouched."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info != reverse("healthz") and request.user.is_authenticated:
            refused = self._expired(request) or self._password_first(request)
            if refused is not None:
                return refused
        return self.get_response(request)

    def _expired(self, request: HttpRequest) -> HttpResponse | None:
        minutes = settings.SESSION_IDLE_MINUTES
        if sessions.idle_seconds(request.session) <= minutes * 60:
            sessions.touch(request.session)
            return None
        logout(request)
        messages.warning(
            request,
            _("Your session ended after %(minutes)s minutes without activity. Please log in again.")
            % {"minutes": minutes},
        )
        return _go(request, redirect_to_login(request.get_full_path()))

    def _password_first(self, request: HttpRequest) -> HttpResponse | None:
        if not request.session.get(sessions.MUST_CHANGE_PASSWORD):
            return None
        open_paths = {reverse("accounts:password-change"), reverse("logout"), reverse("admin:logout")}
        if request.path_info in open_paths or request.path_info.startswith(
            "/" + settings.STATIC_URL.lstrip("/")
        ):
            return None
        return _go(request, redirect("accounts:password-change"))


class NoStoreMiddleware:
    """`Cache-Control: private, no-store` on every response to a signed-in user and on every
    download: a shared PC's browser cache or a proxy keeps no page, ledger or evidence file.
    Static files never get here (WhiteNoise answers them first, with their long cache)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        download = response.get("Content-Disposition", "").lower().startswith("attachment")
        if download or (user is not None and user.is_authenticated):
            response["Cache-Control"] = "private, no-store"
        return response
