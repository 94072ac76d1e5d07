from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from plans.models import Indicator, IndicatorShare, Plan, Section
from plans.periods import Period
from tracking.models import Obligation, ProgressReport

from ..conftest import make_report

pytestmark = pytest.mark.django_db


def _violates(create) -> bool:
    try:
        with transaction.atomic():
            create()
    except IntegrityError:
        return True
    return False


def test_one_report_per_obligation_and_month(plan, departments):
    indicator = plan.indicators.get(name="净增高新技术企业")
    fields = {"indicator": indicator, "department": departments["bureau"], "period": Period(2024, 6)}
    first = make_report(value=Decimal("120"), **fields)
    assert _violates(lambda: make_report(value=Decimal("130"), **fields))
    assert ProgressReport.objects.get(obligation=first.obligation, period=Period(2024, 6)).value == Decimal(
        "120"
    )


def test_one_open_obligation_per_target_share_and_task(plan, departments):
    indicator = plan.indicators.get(name="净增高新技术企业")
    owed = Obligation.objects.get(indicator=indicator, kind="report")
    assert _violates(
        lambda: Obligation.objects.create(
            plan=plan,
            kind="report",
            indicator=indicator,
            department=departments["finance"],
            starts=Period(2024, 6),
        )
    )
    co = Obligation.objects.get(task=indicator.task, kind="contribution")
    assert _violates(
        lambda: Obligation.objects.create(
            plan=plan, kind="contribution", task=co.task, department=co.department, starts=Period(2024, 6)
        )
    )
    owed.ends = Period(2024, 5)
    owed.save()  # once it ended, another department may owe it
    Obligation.objects.create(
        plan=plan,
        kind="report",
        indicator=indicator,
        department=departments["finance"],
        starts=Period(2024, 6),
    )


def test_an_obligation_is_on_an_item_that_fits_its_kind(plan, departments):
    indicator = plan.indicators.get(name="净增高新技术企业")
    base = {"plan": plan, "department": departments["bureau"], "starts": Period(2024, 1)}
    assert _violates(
        lambda: Obligation.objects.create(kind="report", indicator=indicator, task=indicator.task, **base)
    )
    assert _violates(lambda: Obligation.objects.create(kind="report", **base))
    assert _violates(lambda: Obligation.objects.create(kind="contribution", indicator=indicator, **base))
    assert _violates(
        lambda: Obligation.objects.create(
            kind="contribution", task=indicator.task, ends=Period(2023, 12), **base
        )
    )


def test_report_month_must_be_a_calendar_month(plan, departments):
    indicator = plan.indicators.first()
    with pytest.raises(ValueError):
        make_report(indicator=indicator, department=departments["bureau"], period=Period(2024, 13))
    with pytest.raises(ValidationError):
        make_report(indicator=indicator, department=departments["bureau"], period="2024-13")


def test_section_labels_are_unique_within_a_plan(plan):
    assert _violates(lambda: Section.objects.create(plan=plan, position=9, label="(一)", title="重复板块"))


def test_quantitative_target_needs_a_number_and_qualitative_has_none(plan):
    def make(**fields):
        return lambda: Indicator.objects.create(plan=plan, position=9, name="测试指标", **fields)

    assert _violates(make(kind="count", comparator="=", target=None))
    assert _violates(make(kind="qualitative", comparator="", target=Decimal("1")))
    assert _violates(make(kind="count", comparator="", target=Decimal("1")))
    assert not _violates(make(kind="qualitative", comparator=""))


def test_range_target_has_an_upper_end_not_below_the_lower(plan):
    def make(**fields):
        return lambda: Indicator.objects.create(
            plan=plan, position=9, name="省级基地", kind="count", comparator="range", **fields
        )

    assert _violates(make(target=Decimal("2"), target_max=None))
    assert _violates(make(target=Decimal("3"), target_max=Decimal("2")))
    assert not _violates(make(target=Decimal("2"), target_max=Decimal("3")))


def test_plan_years_must_be_in_order(regions):
    assert _violates(
        lambda: Plan.objects.create(title="倒置", region=regions["county"], first_year=2025, last_year=2021)
    )


def test_share_goes_to_a_region_or_a_department_once(plan, regions, departments):
    indicator = plan.indicators.get(name="净增高新技术企业")
    IndicatorShare.objects.create(indicator=indicator, region=regions["county"], target=Decimal("100"))
    assert _violates(
        lambda: IndicatorShare.objects.create(
            indicator=indicator, region=regions["county"], target=Decimal("5")
        )
    )
    assert _violates(
        lambda: IndicatorShare.objects.create(
            indicator=indicator,
            region=regions["other"],
            department=departments["finance"],
            target=Decimal("5"),
        )
    )
    assert _violates(lambda: IndicatorShare.objects.create(indicator=indicator, target=Decimal("5")))
