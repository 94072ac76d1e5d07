"""Every change on record for a target: its own fields, its reports and the evidence attached
to them or removed, who owed them, its lamps set by hand, its task's departments.

django-simple-history keeps a row per save; a change is the difference between a row and the
one before it for the same object. A fixed number of queries, whatever the number of months.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from plans.models import Indicator, Responsibility
from plans.numbers import plain

from .models import Evidence, Obligation, ProgressReport, StatusOverride

SKIPPED = {
    "id",
    "version",
    "updated_at",
    "created_at",
    "history_id",
    "history_date",
    "history_user",
    "history_type",
    "history_change_reason",
    "file",  # the stored name nobody can guess; the file's own name is shown
}


@dataclass
class Change:
    at: datetime
    user: str
    what: str
    kind: str  # created / changed / deleted
    fields: list[tuple[str, str, str]]
    reason: str


def indicator_history(indicator: Indicator, user, limit: int = 200) -> list[Change]:
    """Changes to the target, the reports on it the user may read and their evidence, who owed
    them (obligations, reassignments included), its lamps set by hand and its task's
    responsibilities, newest first."""
    changes = _changes(
        Indicator.history.filter(id=indicator.pk).select_related("history_user"),
        lambda row: str(_("target")),
        Indicator,
    )
    readable = ProgressReport.objects.readable_by(user).filter(obligation__indicator=indicator)
    reports = ProgressReport.history.filter(id__in=readable.values("pk")).select_related(
        "history_user", "obligation__department"
    )
    changes += _changes(
        reports, lambda row: f"{row.obligation.department.name} {row.period.label}", ProgressReport
    )
    evidence = Evidence.history.filter(report_id__in=readable.values("pk")).select_related(
        "history_user", "report__obligation__department"
    )
    changes += _changes(
        evidence,
        lambda row: (
            f"{row.report.obligation.department.name} {row.report.period.label} {_('evidence')}「{row.name}」"
        ),
        Evidence,
    )
    owed = Obligation.history.filter(indicator_id=indicator.pk).select_related("history_user", "department")
    who_reports, by_hand, responsibility = _("who reports"), _("lamp set by hand"), _("responsibility")
    changes += _changes(owed, lambda row: f"{who_reports}：{row.department.name}", Obligation)
    overrides = StatusOverride.history.filter(indicator_id=indicator.pk).select_related("history_user")
    changes += _changes(overrides, lambda row: f"{by_hand} {row.period.label}", StatusOverride)
    if indicator.task_id:
        responsibilities = Responsibility.history.filter(task_id=indicator.task_id).select_related(
            "history_user", "department"
        )
        changes += _changes(
            responsibilities, lambda row: f"{responsibility}：{row.department.name}", Responsibility
        )
    changes.sort(key=lambda change: change.at, reverse=True)
    return changes[:limit]


def _changes(rows, describe, model) -> list[Change]:
    rows = sorted(rows, key=lambda row: (row.id, row.history_date))
    # relations are named in `describe` (the department of a report or a responsibility)
    names = {f.name: str(f.verbose_name) for f in model._meta.fields if not f.is_relation}
    found, previous = [], {}
    for row in rows:
        before = previous.get(row.id)
        fields = []
        for name, label in names.items():
            if name in SKIPPED:
                continue
            new = _shown(row, name)
            old = _shown(before, name) if before is not None else ""
            if before is None and new in ("", "None"):
                continue
            if old != new:
                fields.append((label, old, new))
        kind = {"+": "created", "~": "changed", "-": "deleted"}[row.history_type]
        if fields or kind != "changed" or row.history_change_reason:
            user = row.history_user.get_full_name() or row.history_user.username if row.history_user else ""
            found.append(
                Change(row.history_date, user, describe(row), kind, fields, row.history_change_reason or "")
            )
        previous[row.id] = row
    return found


def _shown(row, name: str) -> str:
    display = getattr(row, f"get_{name}_display", None)
    value = display() if display else getattr(row, name, None)
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "Y-m-d H:i")
    return str(value)
