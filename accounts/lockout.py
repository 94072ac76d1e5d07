"""The two hooks django-axes calls: who the client is, and what a locked-out login sees."""

from __future__ import annotations

import ipaddress

from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest
from django.shortcuts import render
from django.utils.translation import gettext as _


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT reverse proxies the address the outermost saw.

    Each proxy appends the address it was reached from to X-Forwarded-For, so the client is the
    N-th entry from the right; whatever stands further left the client wrote itself.
    """
    count = settings.TRUSTED_PROXY_COUNT
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if count and len(hops) >= count:
        try:
            return str(ipaddress.ip_address(hops[-count]))
        except ValueError:
            pass
    return request.META.get("REMOTE_ADDR") or None


def client_username(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """The username tried, as axes records it: at most the 255 characters its columns hold.

    Django's login forms pass any length on to authentication (no account has a name over 150
    characters, so nothing is lost); PostgreSQL would refuse the longer row with a 500.
    """
    source = credentials or getattr(request, "POST", {})
    username = source.get("username")
    return username[:255] if isinstance(username, str) else username


def lockout_message(request: HttpRequest | None = None, credentials: dict | None = None) -> str:
    minutes = int(get_cool_off(request).total_seconds() // 60)
    return _(
        "This account is locked after %(limit)s wrong passwords in a row. Try again in %(minutes)s "
        "minutes, or ask the task force coordinator of your region to unlock it."
    ) % {"limit": get_failure_limit(request, credentials), "minutes": minutes}


def lockout_response(request: HttpRequest, original_response=None, credentials: dict | None = None):
    """The login page again, with the lock explained in Chinese (axes' AXES_LOCKOUT_CALLABLE)."""
    form = AuthenticationForm(request, initial={"username": get_client_username(request, credentials)})
    context = {
        "form": form,
        "lockout": lockout_message(request, credentials),
        "next": request.POST.get("next", ""),
    }
    return render(request, "registration/login.html", context, status=429)
