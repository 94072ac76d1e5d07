"""What a session carries about its own safety: when it was last used, and whether the user
must replace an initial password first. Both are written at login, so that checking them on
every request costs no query."""

from __future__ import annotations

from django.utils import timezone

from .models import PasswordState

LAST_SEEN = "accounts_last_seen"
MUST_CHANGE_PASSWORD = "accounts_must_change_password"
# The last-seen time is rewritten at most once a minute: a sliding timeout without a session
# write on every request.
TOUCH_EVERY_SECONDS = 60


def now() -> float:
    return timezone.now().timestamp()


def start_session(sender, request, user, **kwargs) -> None:
    """At every login (our page, the admin's, a test's force_login): the session's clock and flag.

    A receiver of `user_logged_in`, as Django's own `update_last_login`: it is the one place
    every way of logging in passes through.
    """
    session = getattr(request, "session", None)
    if session is None:
        return
    session[LAST_SEEN] = now()
    if PasswordState.must_change_for(user):
        session[MUST_CHANGE_PASSWORD] = True
    else:
        session.pop(MUST_CHANGE_PASSWORD, None)


def idle_seconds(session) -> float:
    """Seconds since the session was last used (0 for a session that never said)."""
    last = session.get(LAST_SEEN)
    return max(0.0, now() - last) if isinstance(last, int | float) else 0.0


def touch(session) -> None:
    last = session.get(LAST_SEEN)
    current = now()
    if not isinstance(last, int | float) or current - last >= TOUCH_EVERY_SECONDS:
        session[LAST_SEEN] = current
