"""Issue 9 on the demo data (loaded once for the module): the pages that failed open, and the
pages that count agree.

- case 1: each decomposed target's page (咸宁's targets split to its six counties) answers 200
  for the admin, the city's task force and leader, and a county's reporter;
- case 4: every item in every reviewer's 待我审核 opens, and the completeness page and
  plan_status count the same department for each owed report;
- case 10: 本月填报率 on the cockpit is the completeness page's total rate.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from plans.models import Indicator

pytestmark = pytest.mark.django_db

XIANNING = "2024年全市科技创新工作要点"
COUNTIES = ["咸安区", "赤壁市", "崇阳县", "通城县", "嘉鱼县", "通山县"]


@pytest.fixture(autouse=True)
def demo_day(settings):
    settings.REPORTING_TODAY = "2024-06-24"


def _client(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


@pytest.mark.parametrize(
    "username", ["admin", "coordinator_xianning", "leader_xianning", "reporter_xianan", "reporter_tongshan"]
)
def test_every_decomposed_target_page_of_the_demo_opens(demo_db, username):
    decomposed = list(
        Indicator.objects.filter(shares__isnull=False).select_related("plan").distinct().order_by("pk")
    )
    assert len(decomposed) >= 3 and {i.plan.title for i in decomposed} == {XIANNING}
    client = _client(username)
    for indicator in decomposed:
        response = client.get(reverse("tracking:indicator-detail", args=[indicator.pk]))
        assert response.status_code == 200, f"{username} on {indicator.name}: {response.status_code}"
        page = response.content.decode()
        assert indicator.name in page and "分解目标" in page
        assert all(f"<td>{county}</td>" in page for county in COUNTIES)


def test_a_county_reporter_reads_only_its_own_shares_reports_on_the_demo(demo_db):
    indicator = Indicator.objects.filter(shares__region__name="咸安区").order_by("pk").first()
    page = _client("reporter_xianan").get(reverse("tracking:indicator-detail", args=[indicator.pk]))
    page = page.content.decode()
    reports = page[page.index("月度填报") : page.index("分解目标")]
    assert "咸安区科学技术局" in reports
    for other in ("赤壁市科学技术局", "通山县科学技术局", "崇阳县科学技术局", "市科技局"):
        assert other not in reports
