from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from plans.models import Indicator, IndicatorShare, Plan, Section, Task
from plans.periods import Period
from tracking.models import ProgressReport

pytestmark = pytest.mark.django_db


def _violates(create) -> bool:
    try:
        with transaction.atomic():
            create()
    except IntegrityError:
        return True
    return False


def test_one_report_per_indicator_department_and_month(plan, departments):
    indicator = plan.indicators.get(name="净增高新技术企业")
    fields = {"indicator": indicator, "department": departments["bureau"], "period": Period(2024, 6)}
    ProgressReport.objects.create(value=Decimal("120"), **fields)
    assert _violates(lambda: ProgressReport.objects.create(value=Decimal("130"), **fields))
    assert ProgressReport.objects.get(**fields).value == Decimal("120")


def test_one_narrative_report_per_task_department_and_month(plan, departments):
    task = Task.objects.get(title="建设省级基地")
    fields = {"task": task, "department": departments["finance"], "period": Period(2024, 3)}
    ProgressReport.objects.create(progress="已启动申报", **fields)
    assert _violates(lambda: ProgressReport.objects.create(progress="重复", **fields))


def test_a_report_is_on_an_indicator_or_a_task_never_both_or_neither(plan, departments):
    indicator = plan.indicators.get(name="净增高新技术企业")
    task = indicator.task
    base = {"department": departments["bureau"], "period": Period(2024, 1)}
    assert _violates(lambda: ProgressReport.objects.create(indicator=indicator, task=task, **base))
    assert _violates(lambda: ProgressReport.objects.create(**base))


def test_report_month_must_be_a_calendar_month(plan, departments):
    indicator = plan.indicators.first()
    with pytest.raises(ValueError):
        ProgressReport.objects.create(
            indicator=indicator, department=departments["bureau"], period=Period(2024, 13)
        )
    with pytest.raises(ValidationError):
        ProgressReport.objects.create(indicator=indicator, department=departments["bureau"], period="2024-13")


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
