"""Reporting by department and month (the heatmap): on time, late or missing, in one grouped query.

A department owes a report each month on every target it leads (the same lead that
`plan_status` gives a row: the task's first lead, the issuing department for plan goals).
The query counts, per lead department and month, the targets reported on time and late;
what is owed and not counted is missing. One query whatever the number of targets,
departments or months: the rows come back already grouped.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import BigIntegerField, Case, Count, F, Q, When

from plans.periods import Period
from tracking.models import ProgressReport
from tracking.progress import COUNTED, Row
from tracking.services import first_lead


@dataclass
class Cell:
    owed: int
    on_time: int = 0
    late: int = 0

    @property
    def missing(self) -> int:
        return max(self.owed - self.on_time - self.late, 0)

    @property
    def share(self) -> float | None:
        """Share of what was owed that came on time."""
        return min(self.on_time / self.owed, 1.0) if self.owed else None


@dataclass
class ReportingGrid:
    """Departments (rows) × months (columns) of reporting cells."""

    months: list[Period]
    departments: list[tuple[int, str]]
    cells: dict[tuple[int, Period], Cell] = field(default_factory=dict)

    def cell(self, department_id: int, month: Period) -> Cell:
        return self.cells[(department_id, month)]


def heatmap_months(period: Period, first: Period) -> list[Period]:
    """The months of the as-of year up to the as-of month (from the plans' first month if later).

    A five-year plan would give sixty columns; a leader reads the reporting of this year.
    """
    month = max(Period(period.year, 1), first)
    found = []
    while month <= period:
        found.append(month)
        month = month.next()
    return found


def reporting_grid(rows: list[Row], months: list[Period]) -> ReportingGrid:
    """On-time, late and missing reports per lead department and month, for the given rows."""
    owed = Counter(row.lead.pk for row in rows if row.lead is not None)
    names = {row.lead.pk: row.lead.name for row in rows if row.lead is not None}
    departments = sorted(names.items(), key=lambda item: item[1])
    grid = ReportingGrid(
        months=months,
        departments=departments,
        cells={(pk, month): Cell(owed=owed[pk]) for pk, _ in departments for month in months},
    )
    if not rows or not months:
        return grid
    first, last = min(months), max(months)
    counted = (
        ProgressReport.objects.filter(
            period__range=(first, last),
            indicator_id__in=[row.indicator.pk for row in rows],
            share__isnull=True,
            status__in=COUNTED,
        )
        .annotate(
            lead_id=Case(
                When(indicator__task__isnull=True, then=F("indicator__plan__issuing_department_id")),
                default=first_lead("indicator__task"),
                output_field=BigIntegerField(),
            )
        )
        .values("lead_id", "period")
        .annotate(
            on_time=Count("indicator_id", distinct=True, filter=Q(late=False)),
            late_count=Count("indicator_id", distinct=True, filter=Q(late=True)),
        )
        .order_by()
    )
    for entry in counted:
        key = (entry["lead_id"], entry["period"])
        if key in grid.cells:
            grid.cells[key].on_time = entry["on_time"]
            grid.cells[key].late = entry["late_count"]
    return grid
