"""Reporting by department (or region below) and month (the heatmap): on time, late or missing.

What each department owed each month is its report obligations (`tracking.obligations`), the
same the completeness page and the bulletin count, counted in the database: four queries
whatever the number of targets, departments or months.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from departments.models import Department
from plans.periods import Period
from tracking.obligations import Counts, reporting_counts


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
    """Departments or regions (rows) × months (columns) of reporting cells."""

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


def reporting_grid(
    obligations,
    months: list[Period],
    *,
    below: Callable[[int], int] | None = None,
    label: Callable[[int], str] | None = None,
) -> ReportingGrid:
    """On-time, late and missing reports per department and month for the given obligations,
    counted as the completeness page counts them; or, with `below` (a plan's region → the region
    shown for it) and `label`, per region below."""
    if below is None:
        counts = reporting_counts(obligations, months, by="department")
        names = dict(Department.objects.filter(pk__in={pk for pk, _m in counts}).values_list("pk", "name"))
    else:
        counts: dict[tuple[int, Period], Counts] = {}
        for (region_id, month), cell in reporting_counts(obligations, months, by="region").items():
            counts.setdefault((below(region_id), month), Counts()).add(cell)
        names = {pk: label(pk) for pk, _m in counts}
    rows = sorted(names.items(), key=lambda item: item[1])
    grid = ReportingGrid(months=months, departments=rows)
    for pk, _name in rows:
        for month in months:
            cell = counts.get((pk, month), Counts())
            grid.cells[(pk, month)] = Cell(owed=cell.expected, on_time=cell.on_time, late=cell.late)
    return grid
