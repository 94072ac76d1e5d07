from decimal import Decimal

import pytest

from departments.access import access_of
from departments.models import Department, Region
from plans.models import IndicatorShare, Plan

from ..conftest import make_user

pytestmark = pytest.mark.django_db


def test_subtree_holds_the_region_and_everything_below(regions):
    ids = Region.objects.subtree_ids([regions["city"]])
    assert ids == {regions["city"].pk, regions["county"].pk, regions["other"].pk}
    assert Region.objects.subtree_ids([regions["county"]]) == {regions["county"].pk}


def test_a_department_resolves_by_its_name_and_by_an_alias(departments, regions):
    bureau = departments["bureau"]
    assert Department.objects.resolve("县科技局", region=regions["county"]) == bureau
    assert Department.objects.resolve(" 县商务科技和工业信息化局 ", region=regions["county"]) == bureau
    assert Department.objects.resolve("县科技局", region=regions["other"]) is None


def test_leader_of_the_city_sees_county_plans(plan, leader):
    assert list(Plan.objects.visible_to(leader)) == [plan]


def test_staff_of_another_county_see_nothing(plan, stranger):
    assert not Plan.objects.visible_to(stranger).exists()


def test_staff_of_the_county_do_not_see_the_city_plan(plan, reporter, regions):
    city_plan = Plan.objects.create(title="市计划", region=regions["city"], first_year=2024, last_year=2024)
    assert list(Plan.objects.visible_to(reporter)) == [plan]
    assert city_plan not in Plan.objects.visible_to(reporter)


def test_a_county_sees_the_city_plan_that_decomposes_a_target_to_it(plan, regions, stranger):
    city_plan = Plan.objects.create(title="市计划", region=regions["city"], first_year=2024, last_year=2024)
    indicator = city_plan.indicators.create(
        name="高新技术企业总数", kind="count", comparator=">=", target=650
    )
    IndicatorShare.objects.create(indicator=indicator, region=regions["other"], target=Decimal("80"))
    assert list(Plan.objects.visible_to(stranger)) == [city_plan]


def test_a_user_without_membership_sees_nothing_and_a_superuser_everything(plan):
    assert not Plan.objects.visible_to(make_user("nobody")).exists()
    assert list(Plan.objects.visible_to(make_user("root", is_superuser=True))) == [plan]


def test_only_leaders_are_read_only(leader, reporter):
    assert access_of(leader).is_read_only
    assert not access_of(reporter).is_read_only
