"""The one period type, the one clock, and which month a page shows."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from departments.clock import now, today
from plans.periods import Period, PeriodNotShown, default_period, selectable_periods, shown_period
from tracking.models import StatusOverride

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_a_period_reads_writes_and_counts_months():
    june = Period.parse("2024-06")
    assert (june.year, june.month, str(june), june.label) == (2024, 6, "2024-06", "2024年6月")
    assert (june.previous(), june.next(), Period(2024, 1).previous()) == (
        Period(2024, 5),
        Period(2024, 7),
        Period(2023, 12),
    )
    assert Period(2024, 11).plus(3) == Period(2025, 2)
    assert Period(2024, 2).last_day == date(2024, 2, 29)
    assert Period(2024, 11).until(Period(2025, 1)) == [Period(2024, 11), Period(2024, 12), Period(2025, 1)]
    for bad in ["2024-13", "2024-00", "juni", "", "24-06", "2024/06"]:
        with pytest.raises(ValueError):
            Period.parse(bad)


def test_the_default_month_is_the_one_being_reported_and_past_plans_their_last(plan):
    assert default_period([plan], date(2024, 6, 24)) == Period(2024, 6)
    assert default_period([plan], date(2024, 6, 10)) == Period(2024, 5)
    assert default_period([plan], date(2026, 3, 1)) == Period(2024, 12)
    assert default_period([plan], date(2023, 3, 1)) == Period(2024, 1)
    on = date(2024, 6, 24)
    assert shown_period([plan], "2024-05", on=on, strict=False) == Period(2024, 5)
    assert shown_period([plan], "2024-13", on=on, strict=False) == Period(2024, 6)


def test_a_page_shows_no_future_month_and_a_broken_link_is_refused(plan):
    on = date(2024, 6, 24)
    assert selectable_periods([plan], on) == Period(2024, 1).until(Period(2024, 6))
    assert shown_period([plan], None, on=on) == Period(2024, 6)
    for asked in ["2024-07", "2023-12", "juni"]:
        with pytest.raises(PeriodNotShown):
            shown_period([plan], asked, on=on)
        assert shown_period([plan], asked, on=on, strict=False) == Period(2024, 6)


def test_a_month_is_stored_as_its_first_day_and_read_back_as_a_period(plan, coordinator):
    indicator = plan.indicators.filter(kind="count").first()
    StatusOverride.objects.create(
        indicator=indicator, period=Period(2024, 6), lamp="green", reason="x", created_by=coordinator
    )
    row = StatusOverride.objects.get(period=Period(2024, 6))
    assert row.period == Period(2024, 6)
    assert StatusOverride.objects.filter(period__lte=Period(2024, 6), period__gt=Period(2024, 5)).count() == 1
    assert list(StatusOverride.objects.values_list("period", flat=True)) == [Period(2024, 6)]


def test_the_demo_day_moves_dates_and_timestamps_alike(settings, plan):
    settings.REPORTING_TODAY = "2024-06-24"
    assert today() == date(2024, 6, 24)
    moment = now().astimezone(SHANGHAI)
    assert moment.date() == date(2024, 6, 24)
    assert not plan.is_late(Period(2024, 6), now())
    settings.REPORTING_TODAY = ""
    assert now().year >= 2025 and today() == datetime.now(SHANGHAI).date()
