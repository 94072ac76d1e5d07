"""Issue 9, case 1: a decomposed target's page (a city target split to its counties) opens for
everyone who may read it — the admin, the city's task force and leader, a county's reporter —
where it answered 500 for a share given to a region (a share with no department).

The same on the demo's 咸宁 plan is in tests/demo/test_demo_pages.py."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from departments.models import Role
from plans.periods import Period

from ..conftest import make_report, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def june_24(settings):
    settings.REPORTING_TODAY = "2024-06-24"


def test_a_city_target_decomposed_to_counties_opens_for_admin_city_and_county(
    client, city_plan, departments, regions, leader
):
    indicator = city_plan.indicators.get()
    share = indicator.shares.get(region=regions["county"])
    make_report(share=share, period=Period(2024, 5), value=Decimal("180"), status="approved")
    coordinator = make_user("city_coordinator", departments["city_bureau"], Role.COORDINATOR)
    county_reporter = make_user("county_reporter", departments["bureau"], Role.REPORTER)
    admin = make_user("root", is_superuser=True)
    url = reverse("tracking:indicator-detail", args=[indicator.pk]) + "?period=2024-05"
    for user in (admin, coordinator, leader, county_reporter):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, user.username
        page = response.content.decode()
        assert "新增高新技术企业" in page and "分解目标" in page
        assert "<td>测试县</td>" in page and "<td>邻县</td>" in page and "400家" in page
        assert "180家" in page  # the county's May figure
