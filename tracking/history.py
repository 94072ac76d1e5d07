"""Every change on record for a target: its own fields, its reports, its task's departments.

django-simple-history keeps a row per save; a change is the difference between a row and the
one before it for the same object. Three queries, whatever the number of months.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from plans.models import Indicator, Responsibility

from .models import ProgressReport

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
}


@dataclass
class Change:
    at: datetime
    user: str
    what: str
    kind: str  # created / changed / deleted
    fields: list[tuple[str, str, str]]
    reason: str


def indicator_history(indicator: Indicator, limit: int = 200) -> list[Change]:
    """Changes to the target, its reports and its task's responsibilities, newest first."""
    changes = _changes(
        Indicator.history.filter(id=indicator.pk).select_related("history_user"),
        lambda row: str(_("target")),
        Indicator,
    )
    reports = ProgressReport.history.filter(indicator_id=indicator.pk).select_related(
        "history_user", "department"
    )
    changes += _changes(reports, lambda row: f"{row.department.name} {row.period.label}", ProgressReport)
    if indicator.task_id:
        responsibilities = Responsibility.history.filter(task_id=indicator.task_id).select_related(
            "history_user", "department"
        )
        changes += _changes(
            responsibilities, lambda row: f"{_('responsibility')}：{row.department.name}", Responsibility
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
    if hasattr(value, "normalize"):
        return format(value.normalize(), "f")
    return str(value)
