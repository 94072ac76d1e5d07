"""Reading django-axes' records for the people who oversee logins: who is locked, who came when.

A coordinator (专班管理员) oversees the users with a membership in a department of their regions
(and every region below); a superuser oversees everyone, including names that match no user.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from axes.helpers import get_cool_off
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from axes.utils import reset
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Max, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from departments.models import Membership


def usernames_in_regions(region_ids) -> QuerySet:
    """Usernames of the users who work in a department of these regions."""
    return (
        get_user_model()
        .objects.filter(memberships__department__region_id__in=region_ids)
        .values_list("username", flat=True)
        .distinct()
    )


def lockout_policy() -> dict:
    """The limit and the cool-off as the pages say them."""
    return {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "lockout_minutes": int(get_cool_off().total_seconds() // 60),
    }


@dataclass
class Lock:
    username: str
    failures: int
    last_failure: datetime
    until: datetime
    name: str = ""
    departments: str = ""


def locked_accounts(usernames: QuerySet | None) -> list[Lock]:
    """Accounts refused at login right now: as many failures as the limit within the cool-off.

    The same reading as axes' own (lockout by username, failures summed over every address and
    browser, only those newer than the cool-off), so that the list shows exactly who is refused.
    """
    cool_off = get_cool_off()
    rows = (
        AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - cool_off)
        .values("username")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last")
    )
    if usernames is not None:
        rows = rows.filter(username__in=usernames)
    locks = [Lock(r["username"], r["failures"], r["last"], r["last"] + cool_off) for r in rows]
    users = get_user_model().objects.filter(username__in=[lock.username for lock in locks])
    people = {user.username: user for user in users}
    places: dict[int, list[str]] = {}
    for user_id, department in Membership.objects.filter(user__in=users).values_list(
        "user_id", "department__name"
    ):
        places.setdefault(user_id, []).append(department)
    for lock in locks:
        user = people.get(lock.username)
        if user is not None:
            lock.name = user.get_full_name()
            lock.departments = "、".join(dict.fromkeys(places.get(user.pk, [])))
    return locks


def release(*, username: str) -> int:
    """Unlock an account at once (axes' reset API); the failures stay in the login log."""
    return reset(username=username)


EVENT_LABELS = {
    "login": _("Logged in"),
    "logout": _("Logged out"),
    "failure": _("Wrong password"),
    "locked": _("Refused: account locked"),
}


@dataclass
class LoginEvent:
    when: datetime
    username: str
    kind: str
    ip_address: str | None
    user_agent: str

    @property
    def label(self) -> str:
        return str(EVENT_LABELS[self.kind])


def login_events(
    *, usernames: QuerySet | None, username: str = "", since: datetime, limit: int = 500
) -> tuple[list[LoginEvent], bool]:
    """Logins, logouts, wrong passwords and refusals since a moment, newest first.

    At most `limit` events; the flag says whether older ones were left out.
    """
    logs = AccessLog.objects.all()
    failures = AccessFailureLog.objects.filter(attempt_time__gte=since)
    if usernames is not None:
        logs, failures = logs.filter(username__in=usernames), failures.filter(username__in=usernames)
    if username:
        logs, failures = logs.filter(username=username), failures.filter(username=username)
    fields = ["username", "ip_address", "user_agent", "attempt_time"]
    events = []
    for row in logs.filter(attempt_time__gte=since).order_by("-attempt_time").values(*fields)[:limit]:
        events.append(_event(row, "login", row["attempt_time"]))
    for row in (
        logs.filter(logout_time__gte=since).order_by("-logout_time").values(*fields, "logout_time")[:limit]
    ):
        events.append(_event(row, "logout", row["logout_time"]))
    for row in failures.order_by("-attempt_time").values(*fields, "locked_out")[:limit]:
        events.append(_event(row, "locked" if row["locked_out"] else "failure", row["attempt_time"]))
    events.sort(key=lambda event: event.when, reverse=True)
    return events[:limit], len(events) > limit


def _event(row: dict, kind: str, when: datetime) -> LoginEvent:
    return LoginEvent(when, row["username"] or "", kind, row["ip_address"], row["user_agent"])
