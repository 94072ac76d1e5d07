"""The province benchmark's data set, built small: what it builds is what the pages read.

`benchmarks/bench_province.py` times the pages on 120 counties; here one county is built on the
test database, so that a change to the models or the rules that breaks the builder (or makes it
build something the pages do not show) fails the suite rather than the next benchmark run.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from departments.models import Region
from plans.models import Indicator, Plan
from plans.periods import Period
from tracking import snapshot
from tracking.models import Obligation, ProgressReport, TargetStatus
from tracking.progress import judge, targets_of

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the builder writes reports with COPY"),
]


def _load(name: str):
    path = Path(__file__).resolve().parents[1] / "benchmarks" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"benchmark_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def province(settings):
    module = _load("province")
    settings.REPORTING_TODAY = module.TODAY
    module.Builder().counties(1)
    return module


def test_one_county_is_built_with_its_plans_people_and_reports(province):
    county = Region.objects.get(level=Region.Level.COUNTY)
    assert county.parent.parent.name == province.PROVINCE
    plans = Plan.objects.filter(region=county).order_by("first_year")
    assert [plan.first_year for plan in plans] == [2022, 2023, 2024]
    assert Indicator.objects.filter(plan__region=county).count() == 3 * 120
    assert (
        Indicator.objects.filter(plan__region__level=Region.Level.PROVINCE).count()
        == province.PROVINCE_TARGETS
    )
    # every target owes a report, each month up to June 2024; about an eighth of June's not in yet
    owed = Obligation.objects.filter(plan__region=county, kind=Obligation.Kind.REPORT).count()
    assert owed == 360
    june = ProgressReport.objects.filter(obligation__plan__region=county, period=Period(2024, 6))
    assert ProgressReport.objects.filter(obligation__plan__region=county).count() == 120 * 29 + june.count()
    assert 0.75 * 120 < june.count() < 120
    states = set(june.values_list("status", flat=True))
    assert states == {"draft", "returned", "submitted", "approved"}
    assert get_user_model().objects.filter(username__startswith="k0101-").count() == 2 + 2 * len(
        province.DEPARTMENTS
    )


def test_the_kept_status_is_what_the_engine_says(province):
    plan = Plan.objects.get(region__level=Region.Level.COUNTY, first_year=2024)
    months = snapshot.kept_months(plan)
    assert months[-1] == Period(2024, 6)
    kept = {
        (row.indicator_id, row.period): (row.lamp, row.value)
        for row in TargetStatus.objects.filter(plan=plan, share__isnull=True)
    }
    fresh = {
        (row.indicator.pk, period): (row.lamp, row.value)
        for period, rows in judge(targets_of([plan.pk]), months).items()
        for row in rows
    }
    assert kept == fresh
    lamps = {lamp for lamp, _value in kept.values()}
    assert {"green", "red"} <= lamps  # the data set moves at different paces, not all on track


def test_the_province_leader_sees_the_county_in_the_cockpit(province, client):
    client.force_login(get_user_model().objects.get(username="p-leader"))
    page = client.get("/cockpit/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "第01市" in text  # the regions one level below, each leading to its own cockpit
    city = Region.objects.get(level=Region.Level.CITY)
    assert f"region={city.pk}" in text
    plans = client.get("/plans/")
    assert plans.status_code == 200 and "第01市第01县科技局2024年工作要点" in plans.content.decode()
