"""A cockpit over several regions (a city with its counties' plans, a province): one bar per
region below with a drill-down, rankings and reporting by region, bounded lists, flat queries."""

import copy
import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from dashboards import cockpit
from dashboards.tiles import TILES
from departments.models import Department, Region
from plans.periods import Period
from plans.services import create_plan
from tracking import snapshot
from tracking.models import ProgressReport

from ..conftest import PLAN_STRUCTURE, make_report, owe

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
JUNE = Period(2024, 6)


@pytest.fixture(autouse=True)
def june(settings):
    settings.REPORTING_TODAY = "2024-06-24"


def county_plan(region: Region, title: str):
    """A county's plan of two targets, both led by its own bureau and finance office."""
    bureau = Department.objects.create(name=f"{region.name}科创局", region=region)
    finance = Department.objects.create(name=f"{region.name}财政局", region=region)
    structure = {**copy.deepcopy(PLAN_STRUCTURE), "title": title}
    return owe(
        create_plan(
            structure=structure,
            region=region,
            departments={"县科技局": bureau, "县财政局": finance},
            status="active",
        )
    )


def lagging_firms(plan, value="60"):
    """净增高新技术企业 310家 at 60 by June: seriously behind (expected 50%)."""
    firms = plan.indicators.get(name="净增高新技术企业")
    lead = firms.task.responsibilities.get(role="lead").department
    make_report(indicator=firms, department=lead, period=JUNE, value=Decimal(value), status="approved")
    return firms


@pytest.fixture
def city(regions, plan, city_plan):
    """The city's plan, the county's (测试县) and the neighbour's (邻县), each county lagging."""
    other = county_plan(regions["other"], "邻县2024年工作计划")
    lagging_firms(plan)
    lagging_firms(other, "30")
    return {"city": city_plan, "county": plan, "other": other}


def _figure(html: str) -> dict:
    """The first chart's figure, from its JSON island."""
    island = re.search(r'<script type="application/json"[^>]*>(.*?)</script>', html, re.S).group(1)
    return json.loads(island)["figure"]


def _texts(html: str) -> list[str]:
    return [text for trace in _figure(html)["data"] for text in trace.get("text") or []]


def _page(client, **params):
    return client.get(reverse("dashboards:cockpit"), params)


def test_a_city_leader_sees_one_bar_per_region_below_each_a_drill_down(login, leader, city, regions):
    response = _page(login(leader))
    board, html = response.context["board"], response.content.decode()
    assert {p.pk for p in board.plans} == {p.pk for p in city.values()}
    assert not board.one_region and board.regions.root == regions["city"]
    figure = _figure(html)
    layout = figure["layout"]
    assert layout["title"]["text"] == "各地区指标状态"
    assert layout["yaxis"]["ticktext"] == ["测试市本级", "测试县", "邻县"]
    urls = {url for trace in figure["data"] for url in trace["customdata"]}
    assert f"/cockpit/?period=2024-06&region={regions['other'].pk}" in urls
    # the filters offer the regions, not the sections and departments of several plans
    assert 'name="region"' in html and 'name="section"' not in html and 'name="department"' not in html
    lagging = html[html.index('id="lagging"') :]
    assert "邻县 · 邻县2024年工作计划" in lagging and "测试县 · 测试县科技局2024年工作计划" in lagging
    assert lagging.index("邻县 · ") < lagging.index("测试县 · ")  # 30 of 310 is further behind than 60


def test_drilling_down_to_a_county_shows_its_plan_with_sections_and_departments(login, leader, city, regions):
    response = _page(login(leader), region=regions["other"].pk)
    board, html = response.context["board"], response.content.decode()
    assert board.plans == [city["other"]] and board.one_region and board.region_id == regions["other"].pk
    assert (
        _figure(html)["layout"]["title"]["text"] == "各板块指标状态"
        and 'name="section"' in html
        and 'name="department"' in html
    )
    assert f'<option value="{regions["other"].pk}" selected>' in html
    assert response.context["headline"].red == 1
    # a region the user cannot see, or that holds none of the plans, is ignored
    stranger_region = Region.objects.create(name="外省", level=Region.Level.PROVINCE)
    assert _page(login(leader), region=stranger_region.pk).context["board"].region_id is None


def test_the_lead_of_a_lagging_target_links_to_its_plans_cockpit_when_regions_are_side_by_side(
    login, leader, city
):
    html = _page(login(leader)).content.decode()
    other = city["other"]
    bureau = Department.objects.get(name="邻县科创局")
    assert f"/cockpit/plan/{other.pk}/?period=2024-06&amp;department={bureau.pk}" in html


def test_rankings_and_reporting_are_by_region_above_a_county(login, leader, city, regions):
    client = login(leader)
    ranking = client.get(reverse("dashboards:tile", args=["departments"]), **HTMX).content.decode()
    assert _figure(ranking)["layout"]["title"]["text"] == "地区排名" and json.dumps("邻县") in ranking
    heatmap = client.get(reverse("dashboards:tile", args=["reporting"]), **HTMX).content.decode()
    assert _figure(heatmap)["layout"]["title"]["text"] == "各地区逐月按时报送情况"
    assert json.dumps("测试市本级") in heatmap
    groups = {g.label: g for g in cockpit.ranking(client.get(reverse("dashboards:cockpit")).context["board"])}
    assert set(groups) == {"测试市本级", "测试县", "邻县"}
    # 邻县 owed its two targets in June (firms reported, bases not) and leads two targets
    assert (groups["邻县"].reporting.expected, groups["邻县"].reporting.reported) == (2, 1)
    assert groups["邻县"].targets == 3 and groups["邻县"].lamp == "red"


def test_the_lagging_list_is_bounded_and_says_how_many_there_are(login, leader, city, monkeypatch):
    monkeypatch.setattr(cockpit, "LAGGING_SHOWN", 1)
    response = _page(login(leader))
    html = response.content.decode()
    assert response.context["lagging_total"] == 2 and len(response.context["lagging"]) == 1
    assert "共2项中差距最大的1项" in html
    assert response.context["lagging"][0].row.plan == city["other"]  # 30 of 310 is further behind


def test_a_province_header_names_the_widest_plans_and_counts_the_rest(login, leader, city, monkeypatch):
    monkeypatch.setattr(cockpit, "PLANS_NAMED", 1)
    html = _page(login(leader)).content.decode()
    header = re.search(r'<p class="meta plans-covered">(.*?)</p>', html, re.S).group(1)
    assert re.findall(r">([^<]+)</a>", header) == [
        city["city"].title,
        "及其他2个计划",
    ]  # the city's own first
    assert f'href="{reverse("plans:plan-list")}"' in header


def test_tiles_are_kept_until_the_status_changes(login, leader, city, django_assert_max_num_queries):
    client = login(leader)
    url = reverse("dashboards:tile", args=["bullets"])
    first = client.get(url, **HTMX).content.decode()
    with django_assert_max_num_queries(12):  # the board only: the chart comes from the cache
        again = client.get(url, **HTMX).content.decode()
    strip = lambda html: re.sub(r"chart-\w+", "", html)  # noqa: E731
    assert strip(first) == strip(again)
    firms = city["other"].indicators.get(name="净增高新技术企业")
    ProgressReport.objects.filter(obligation__indicator=firms, period=JUNE).update(value=Decimal(300))
    snapshot.refresh(indicators=[firms], starting=JUNE)  # as the services do after a change
    after = client.get(url, **HTMX).content.decode()
    assert "300家 / 310家" not in _texts(first) and "300家 / 310家" in _texts(after)


def test_the_cockpit_is_kept_until_the_status_changes(login, leader, city, django_assert_max_num_queries):
    client = login(leader)
    assert _page(client).context["lagging_total"] == 2
    with django_assert_max_num_queries(12):  # the board only: the figures come from the cache
        again = _page(client)
    assert again.context["lagging_total"] == 2 and len(again.context["lagging"]) == 2
    firms = city["other"].indicators.get(name="净增高新技术企业")
    ProgressReport.objects.filter(obligation__indicator=firms, period=JUNE).update(value=Decimal(310))
    snapshot.refresh(indicators=[firms], starting=JUNE)  # as the services do after a change
    after = _page(client)
    assert after.context["lagging_total"] == 1 and after.context["lagging"][0].row.plan == city["county"]


QUERY_BOUND = 20


@pytest.mark.parametrize("counties", [1, 6])
def test_queries_do_not_grow_with_the_number_of_regions(
    login, leader, regions, city_plan, django_assert_max_num_queries, counties
):
    for n in range(counties):
        region = Region.objects.create(name=f"第{n}县", level=Region.Level.COUNTY, parent=regions["city"])
        lagging_firms(county_plan(region, f"第{n}县工作计划"))
    client = login(leader)
    with django_assert_max_num_queries(QUERY_BOUND):
        response = _page(client)
    assert len(response.context["board"].plans) == counties + 1
    for tile in TILES:
        with django_assert_max_num_queries(QUERY_BOUND):
            assert client.get(reverse("dashboards:tile", args=[tile]), **HTMX).status_code == 200
