"""The reporting calendar: which month is being reported, when its window opens and closes.

A plan's months run from January of its first year to December of its last. The report on a
month is written in that month's window (default: opens the 20th, due the 25th, 每月25日前报送);
a report submitted after the due day plus the grace days is accepted and marked late.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.utils import timezone


@dataclass(frozen=True, order=True)
class Period:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Period:
        """'2024-06' → Period(2024, 6); raises ValueError on anything else."""
        year, _, month = text.partition("-")
        period = cls(int(year), int(month))
        if not 1 <= period.month <= 12:
            raise ValueError(text)
        return period

    @classmethod
    def of(cls, day: date) -> Period:
        return cls(day.year, day.month)

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d}"

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月"

    def previous(self) -> Period:
        return Period(self.year - 1, 12) if self.month == 1 else Period(self.year, self.month - 1)

    def next(self) -> Period:
        return Period(self.year + 1, 1) if self.month == 12 else Period(self.year, self.month + 1)

    def day(self, number: int) -> date:
        return date(self.year, self.month, number)


def today() -> date:
    """Today in the bureau's time zone, or the demo's fixed day (REPORTING_TODAY)."""
    if settings.REPORTING_TODAY:
        return date.fromisoformat(settings.REPORTING_TODAY)
    return timezone.localdate()


def first_period(plan) -> Period:
    return Period(plan.first_year, 1)


def last_period(plan) -> Period:
    return Period(plan.last_year, 12)


def periods(plan, until: Period | None = None) -> list[Period]:
    """Every month of the plan, up to `until` if given."""
    found, period = [], first_period(plan)
    end = min(last_period(plan), until) if until else last_period(plan)
    while period <= end:
        found.append(period)
        period = period.next()
    return found


def current_period(plan, on: date | None = None) -> Period | None:
    """The month being reported on `on`: this month once its window opened, else the month before.

    None before the plan's first month and once its last month's reporting is over.
    """
    on = on or today()
    period = Period.of(on) if on.day >= plan.report_opens_day else Period.of(on).previous()
    if period < first_period(plan):
        return None
    if period > last_period(plan):
        last = last_period(plan)
        return last if on <= on_time_until(plan, last) + timedelta(days=31) else None
    return period


def opens_on(plan, period: Period) -> date:
    return period.day(plan.report_opens_day)


def due_on(plan, period: Period) -> date:
    return period.day(plan.report_due_day)


def on_time_until(plan, period: Period) -> date:
    return due_on(plan, period) + timedelta(days=plan.report_grace_days)


def is_late(plan, period: Period, at: datetime) -> bool:
    """Submitted after the due day and its grace days (in the bureau's time zone)."""
    return timezone.localdate(at) > on_time_until(plan, period)
