"""Months: the one period type, the one clock, and which month a page shows.

Everything the product tracks happens in a month: a report is on a month, a lamp is as of a
month, a reminder chases a month. `Period` is that month everywhere (in Python, in URLs as
``2024-06``, in the database through `PeriodField` as the month's first day, so that SQL can
compare, group and order months).

The clock (`today()`, `now()`, the `Timestamp` field and dated `History`) lives in
departments.clock, below every app, and is imported here with the rest of what months need.

Which month a page shows: `shown_period(plans, asked)` — the month asked for when it can be
shown, else the month being reported now (the latest, for several plans), else the nearest end
of the plans. Every page (due list, entry, completeness, cockpit, ledger, bulletin) asks it.
"""

from __future__ import annotations

import calendar as month_calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from departments.clock import today


@dataclass(frozen=True, order=True)
class Period:
    """A calendar month: Period(2024, 6) is June 2024, written 2024-06."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"month out of range: {self.month}")

    @classmethod
    def parse(cls, text: str) -> Period:
        """'2024-06' → Period(2024, 6); raises ValueError on anything else."""
        year, sep, month = (text or "").strip().partition("-")
        if not sep or not year.isdigit() or not month.isdigit() or len(year) != 4:
            raise ValueError(text)
        return cls(int(year), int(month))

    @classmethod
    def of(cls, day: date) -> Period:
        return cls(day.year, day.month)

    @classmethod
    def from_index(cls, index: int) -> Period:
        return cls(index // 12, index % 12 + 1)

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d}"

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月"

    @property
    def index(self) -> int:
        """Months since year 0: differences of indexes count months."""
        return self.year * 12 + self.month - 1

    def previous(self) -> Period:
        return Period.from_index(self.index - 1)

    def next(self) -> Period:
        return Period.from_index(self.index + 1)

    def plus(self, months: int) -> Period:
        return Period.from_index(self.index + months)

    def on_day(self, number: int) -> date:
        """The given day of the month, or its last day when the month is shorter."""
        return date(self.year, self.month, min(number, month_calendar.monthrange(self.year, self.month)[1]))

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return self.on_day(31)

    def until(self, last: Period) -> list[Period]:
        """This month and every month after it up to `last` (empty when `last` is earlier)."""
        return [Period.from_index(i) for i in range(self.index, last.index + 1)]


def upto(period: Period, field: str = "period") -> models.Q:
    """Rows of that month or before: the figures known at the end of it."""
    return models.Q(**{f"{field}__lte": period})


class PeriodFormField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return Period.parse(value)
        except ValueError:
            raise ValidationError(_("Write the month as 2024-06."), code="invalid") from None

    def prepare_value(self, value):
        return str(value) if isinstance(value, Period) else value


class PeriodField(models.DateField):
    """A month, stored as its first day (so SQL compares and groups months), read as a Period."""

    description = _("Month")

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        if isinstance(value, str):
            value = date.fromisoformat(value[:10])
        return Period(value.year, value.month)

    def to_python(self, value):
        if value is None or isinstance(value, Period):
            return value
        if isinstance(value, date):
            return Period(value.year, value.month)
        text = str(value)
        try:
            return Period.parse(text[:7])
        except ValueError:
            raise ValidationError(_("Write the month as 2024-06."), code="invalid") from None

    def get_prep_value(self, value):
        value = self.to_python(value)
        return None if value is None else value.first_day

    def value_to_string(self, obj) -> str:
        value = self.value_from_object(obj)
        return "" if value is None else value.first_day.isoformat()

    def pre_save(self, model_instance, add):
        return getattr(model_instance, self.attname)

    def formfield(self, **kwargs):
        return models.Field.formfield(self, **{"form_class": PeriodFormField, **kwargs})


# --- statistics published with a lag -----------------------------------------------------------

FREQUENCY_MONTHS = {"monthly": 1, "quarterly": 3, "yearly": 12}


def published_as_of(period: Period, frequency: str = "monthly", lag: int = 0) -> Period:
    """The last month whose figure is out by the end of `period`.

    Monthly data with no lag: the month itself. Quarterly with a one-month lag, at June: March.
    Yearly with a six-month lag, at June 2024: December 2023.
    """
    step = FREQUENCY_MONTHS.get(frequency, 1)
    latest = period.index - lag
    return Period.from_index(latest - (latest + 1) % step)


def period_label(period: Period, frequency: str = "monthly") -> str:
    """How a statistic names the period a figure is for: 2024年5月, 2024年第1季度, 2023年 (given
    the last month of the quarter or year, as `published_as_of` returns it)."""
    if frequency == "yearly":
        return f"{period.year}年"
    if frequency == "quarterly":
        return f"{period.year}年第{(period.month - 1) // 3 + 1}季度"
    return period.label


def first_closing(first: Period, frequency: str = "monthly") -> Period:
    """The last month of the first period (a quarter, a year) that starts at `first`."""
    return first.plus(FREQUENCY_MONTHS.get(frequency, 1) - 1)


# --- which month a page shows -----------------------------------------------------------------


def default_period(plans: Iterable, on: date | None = None) -> Period:
    """The month being reported now (the latest of several plans); plans that are over show
    their last month, plans not yet begun their first."""
    plans = list(plans)
    on = on or today()
    current = [p for p in (plan.reporting_period(on) for plan in plans) if p is not None]
    if current:
        return max(current)
    ended = [plan.last_period for plan in plans if plan.last_period < Period.of(on)]
    if ended:
        return max(ended)
    return min((plan.first_period for plan in plans), default=Period.of(on))


def selectable_periods(plans: Iterable, on: date | None = None) -> list[Period]:
    """Every month a page about the plans can show: from their first month to the default one.

    Later months are not offered: nothing is owed or known for them yet.
    """
    plans = list(plans)
    latest = default_period(plans, on)
    first = min((plan.first_period for plan in plans), default=latest)
    return first.until(latest) or [latest]


class PeriodNotShown(ValueError):
    """A month was asked for that the page cannot show (unreadable, outside the plans, or future)."""


def shown_period(
    plans: Iterable, asked: str | None = None, *, on: date | None = None, strict: bool = True
) -> Period:
    """The month a page shows: the one asked for (?period=2024-05) when it can be shown, else
    the default. A month that cannot be shown raises PeriodNotShown (a link to it is broken: the
    views answer 404), unless `strict` is off (a filter form: the cockpit ignores it)."""
    choices = selectable_periods(list(plans), on)
    if not asked:
        return choices[-1]
    try:
        wanted = Period.parse(asked)
    except ValueError:
        wanted = None
    if wanted in choices:
        return wanted
    if strict:
        raise PeriodNotShown(asked)
    return choices[-1]
