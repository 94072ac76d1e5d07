"""The leader dashboard: what each persona sees, the filters, the as-of month, access, assets, queries."""

import copy
import json
import re
from decimal import Decimal

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from dashboards.cockpit import headline, key_targets, load_board
from dashboards.finders import PACKAGE_DATA, PlotlyFinder
from dashboards.reporting import heatmap_months, reporting_grid
from dashboards.tiles import TILES
from departments.models import Department
from plans.models import IndicatorShare, Plan
from plans.numbers import short
from plans.periods import Period
from plans.services import create_plan
from tracking import snapshot
from tracking.models import ProgressReport
from tracking.progress import plan_status

from ..conftest import PLAN_STRUCTURE, make_report, owe, report_row

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def june(settings):
    settings.REPORTING_TODAY = "2024-06-24"


def _report(indicator, month, value, late=False, department=None, share=None):
    lead = department or indicator.task.responsibilities.get(role="lead").department
    return make_report(
        indicator=indicator,
        share=share,
        department=lead,
        period=Period(2024, month),
        value=Decimal(value),
        status="approved",
        late=late,
        progress="进展",
    )


@pytest.fixture
def reported(plan):
    """净增高新技术企业 310家: 100 by April, 120 in May (late), nothing in June; 基地 1 in June."""
    firms = plan.indicators.get(name="净增高新技术企业")
    bases = plan.indicators.get(name="新认定省级基地")
    _report(firms, 4, "100")
    _report(firms, 5, "120", late=True)
    _report(bases, 6, "1")
    return plan


def _page(client, plan=None, htmx=False, **params):
    url = reverse("dashboards:plan-cockpit", args=[plan.pk]) if plan else reverse("dashboards:cockpit")
    return client.get(url, params, **(HTMX if htmx else {}))


def _figure(html: str, css: str) -> str:
    return re.search(rf'class="figure {css}"[^>]*><b>([^<]*)</b>', html).group(1)


# --- what a user sees -------------------------------------------------------------------------


def test_the_page_is_in_chinese_with_the_headline_counts_of_plan_status(login, leader, reported):
    response = _page(login(leader), reported)
    html = response.content.decode()
    counts = plan_status([reported], Period(2024, 6)).totals.counts
    assert response.status_code == 200
    for text in ["领导驾驶舱", "截至2024年6月末", "落后清单", "已完成", "严重滞后", "本月填报率", "牵头单位"]:
        assert text in html, text
    assert _figure(html, "done") == str(counts["done"])
    assert _figure(html, "green") == str(counts["green"])
    assert _figure(html, "yellow") == str(counts["yellow"])
    assert _figure(html, "red") == str(counts["red"])
    assert _figure(html, "not-due") == str(counts["not_due"] + counts["pending"])
    # what was owed this month, as the completeness page counts it: the bureau's firms (none for
    # June) and the finance office's bases (in); the plan goal has no issuing department to owe it
    assert _figure(html, "reporting") == "50%"
    assert "应报2项，已报1项" in html  # reports owed and in, not the number of targets


def test_the_default_cockpit_is_the_users_region_as_of_the_month_being_reported(login, leader, reported):
    response = _page(login(leader))
    board = response.context["board"]
    assert (board.period, board.plans, board.plan) == (Period(2024, 6), [reported], None)
    assert reported.title in response.content.decode()


def test_the_lagging_list_names_lead_gap_and_pace_needed(login, leader, reported):
    html = _page(login(leader), reported).content.decode()
    lagging = html[html.index('id="lagging"') :]
    # 120 of 310 firms in May, expected 50% in June: 39% done, 11 points behind, 31.7 a month needed
    assert "净增高新技术企业" in lagging
    assert "县商务科技和工业信息化局" in lagging
    assert "需月均新增31.7家，当前月均20家" in lagging
    assert (
        reverse("tracking:indicator-detail", args=[reported.indicators.get(name="净增高新技术企业").pk])
        in lagging
    )


@pytest.mark.parametrize("tile", list(TILES))
def test_each_tile_answers_htmx_with_its_chart(login, leader, reported, regions, departments, tile):
    firms = reported.indicators.get(name="净增高新技术企业")
    share = IndicatorShare.objects.create(
        indicator=firms, region=regions["county"], target=Decimal("200"), reporter=departments["bureau"]
    )
    owe(reported)
    _report(firms, 6, "90", share=share)
    response = login(leader).get(reverse("dashboards:plan-tile", args=[reported.pk, tile]), **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'class="cockpit-chart"' in html and '<script type="application/json"' in html


def test_a_tile_without_javascript_is_a_page_of_its_own(login, leader, reported):
    response = login(leader).get(reverse("dashboards:plan-tile", args=[reported.pk, "trajectory"]))
    html = response.content.decode()
    assert "<html" in html and "plotly/plotly.min.js" in html and "js/cockpit.js" in html
    assert 'class="cockpit-chart"' in html


def test_an_unknown_tile_is_404(login, leader, reported):
    assert login(leader).get(reverse("dashboards:plan-tile", args=[reported.pk, "pie"])).status_code == 404


def test_the_trajectory_shows_the_target_asked_for_else_the_first_lagging(login, leader, reported):
    client = login(leader)
    url = reverse("dashboards:plan-tile", args=[reported.pk, "trajectory"])
    assert client.get(url, **HTMX).context["row"].indicator.name == "净增高新技术企业"
    bases = reported.indicators.get(name="新认定省级基地")
    assert client.get(url, {"indicator": bases.pk}, **HTMX).context["row"].indicator == bases


def test_the_page_loads_its_heavy_tiles_after_itself(login, leader, reported):
    html = _page(login(leader), reported).content.decode()
    for tile in TILES:
        url = reverse("dashboards:plan-tile", args=[reported.pk, tile])
        assert re.search(
            rf'id="tile-{tile}" hx-get="{re.escape(url)}\?period=2024-06" hx-trigger="load"', html
        )
        assert f'href="{url}?period=2024-06"' in html  # the same link works without JS


def test_a_plans_cockpit_and_its_regions_link_to_their_own_tiles_though_cached(login, coordinator, reported):
    """The county has one plan: its region's cockpit and the plan's count the same targets, and
    each still leads to its own pages when the second is drawn from the cache."""
    client = login(coordinator)
    region = client.get(reverse("dashboards:cockpit")).content.decode()
    plan = _page(client, reported).content.decode()
    assert 'hx-get="/cockpit/tiles/bullets/?period=2024-06"' in region
    bullets = reverse("dashboards:plan-tile", args=[reported.pk, "bullets"])
    assert f'hx-get="{bullets}?period=2024-06"' in plan and "/cockpit/tiles/" not in plan


# --- filters and the as-of month ----------------------------------------------------------------


def test_a_section_filter_narrows_the_rows(login, leader, reported):
    section = reported.sections.get(title="平台能级提档")
    response = _page(login(leader), reported, section=section.pk)
    rows = response.context["board"].statuses().in_order()
    assert [row.indicator.name for row in rows] == ["新认定省级基地"]
    assert "净增高新技术企业" not in response.content.decode().split('id="lagging"')[1]


def test_a_department_filter_narrows_the_rows(login, leader, reported, departments):
    response = _page(login(leader), reported, department=departments["bureau"].pk)
    rows = response.context["board"].statuses().in_order()
    assert [row.indicator.name for row in rows] == ["净增高新技术企业"]
    assert response.context["headline"].total == 1


def test_filters_answer_htmx_with_the_body_only(login, leader, reported, departments):
    response = _page(login(leader), reported, department=departments["finance"].pk, htmx=True)
    html = response.content.decode()
    assert "<html" not in html and 'id="lagging"' in html
    assert f'<option value="{departments["finance"].pk}" selected>' in html


def test_the_as_of_month_changes_the_figures(login, leader, reported):
    client = login(leader)
    april = _page(client, reported, period="2024-04")
    june = _page(client, reported, period="2024-06")
    firms = april.context["board"].statuses().get(indicator__name="净增高新技术企业")
    assert firms.value == Decimal("100")
    assert "截至2024年4月末" in april.content.decode()
    assert april.context["headline"].reported == 1  # April's report on the firms
    assert june.context["headline"].reported == 1  # June's on the bases
    june_firms = june.context["board"].statuses().get(indicator__name="净增高新技术企业")
    assert june_firms.value == Decimal("120")


def test_values_outside_the_choices_are_ignored(login, leader, reported):
    response = _page(login(leader), reported, period="2031-02", section="x", department="999999")
    board = response.context["board"]
    assert response.status_code == 200
    assert (board.period, board.section_id, board.department_id) == (Period(2024, 6), None, None)


# --- access -----------------------------------------------------------------------------------


def test_a_plan_the_user_cannot_see_is_404(login, stranger, reported):
    client = login(stranger)
    assert _page(client, reported).status_code == 404
    assert client.get(reverse("dashboards:plan-tile", args=[reported.pk, "bullets"])).status_code == 404
    assert reported.title not in _page(client).content.decode()


def test_the_leader_of_the_city_sees_the_county_plan(login, leader, reported):
    assert _page(login(leader), reported).status_code == 200
    assert reported.title in _page(login(leader)).content.decode()


@pytest.mark.parametrize("persona", ["reporter", "reviewer", "coordinator"])
def test_every_role_reads_the_cockpit_of_its_plans(login, reported, persona, request):
    response = _page(login(request.getfixturevalue(persona)), reported)
    assert response.status_code == 200 and "落后清单" in response.content.decode()


def test_a_draft_plan_is_not_on_the_region_cockpit(login, leader, reported, regions, departments):
    draft = create_plan(
        structure={**PLAN_STRUCTURE, "title": "草稿计划"},
        region=regions["county"],
        departments={"县科技局": departments["bureau"], "县财政局": departments["finance"]},
    )
    assert draft.status == Plan.Status.DRAFT
    assert "草稿计划" not in _page(login(leader)).content.decode()


def test_anonymous_users_are_sent_to_log_in(client, reported):
    assert _page(client).status_code == 302


# --- assets -----------------------------------------------------------------------------------


def test_no_cdn_plotly_is_loaded_once_from_our_static_files(login, leader, reported):
    html = _page(login(leader), reported).content.decode()
    sources = re.findall(r'<script[^>]*src="([^"]+)"', html)
    assert sources and all(src.startswith("/static/") for src in sources)
    assert "http" not in "".join(sources) and "cdn" not in html.lower()
    assert sources.count("/static/plotly/plotly.min.js") == 1


def test_the_finder_serves_plotly_js_from_the_plotly_package():
    found = finders.find("plotly/plotly.min.js")
    assert found == str(PACKAGE_DATA / "plotly.min.js")
    [(path, storage)] = list(PlotlyFinder().list([]))
    assert (path, storage.prefix) == ("plotly.min.js", "plotly")  # collectstatic: plotly/plotly.min.js
    assert finders.find("plotly/other.js") is None


# --- queries ----------------------------------------------------------------------------------

# session, user, the user's scope (2), the plans, plan_status (9), the heatmap's grouped query
QUERY_BOUND = 18  # the request, plan_status, and a tile's own reads


def _big_plan(regions) -> Plan:
    """Six sections of ten tasks, each with a target, led by five departments, reported Jan–Jun,
    the first section's targets decomposed to two counties."""
    names = [f"科{n}" for n in range(5)]
    departments = {name: Department.objects.create(name=name, region=regions["county"]) for name in names}
    template = PLAN_STRUCTURE["sections"][0]["tasks"][0]
    structure = {
        "title": "大计划",
        "year": 2024,
        "goals": PLAN_STRUCTURE["goals"],
        "sections": [
            {
                "label": f"({s})",
                "title": f"板块{s}",
                "theme": "",
                "tasks": [
                    {**template, "number": str(t), "title": f"任务{s}-{t}", "lead": [names[t % 5]], "co": []}
                    for t in range(10)
                ],
            }
            for s in range(6)
        ],
    }
    plan = owe(
        create_plan(structure=structure, region=regions["county"], departments=departments, status="active")
    )
    for indicator in plan.indicators.filter(task__section__position=0):
        for county in ("county", "other"):
            IndicatorShare.objects.create(
                indicator=indicator, region=regions[county], target=100, reporter=departments[names[0]]
            )
    owe(plan, starting=Period(2024, 6))  # decomposed in June: the shares are owed from then on
    reports = [
        report_row(
            indicator=indicator,
            department=departments[names[int(indicator.task.number) % 5]],
            period=Period(2024, month),
            value=Decimal(20 * month),
            status="approved",
            late=month % 3 == 0,
        )
        for indicator in plan.indicators.filter(task__isnull=False).select_related("task")
        for month in range(1, 7)
    ]
    for share in IndicatorShare.objects.filter(indicator__plan=plan):
        reports.append(
            report_row(
                share=share,
                department=departments[names[0]],
                period=Period(2024, 6),
                value=40,
                status="approved",
            )
        )
    ProgressReport.objects.bulk_create(reports)
    snapshot.refresh(plans=[plan])  # written past the services: judged again as they would
    return plan


def _small_plan(regions, departments) -> Plan:
    structure = {**copy.deepcopy(PLAN_STRUCTURE), "goals": []}
    structure["sections"] = structure["sections"][:1]
    task = structure["sections"][0]["tasks"][0]
    task["indicators"].append({**task["indicators"][0], "name": "净增科技型企业"})
    return owe(
        create_plan(
            structure=structure,
            region=regions["county"],
            departments={"县科技局": departments["bureau"], "县财政局": departments["finance"]},
            status="active",
        )
    )


@pytest.mark.parametrize("size", ["small", "large"])
def test_queries_do_not_grow_with_targets_departments_or_months(
    login, leader, regions, departments, django_assert_max_num_queries, size
):
    plan = _small_plan(regions, departments) if size == "small" else _big_plan(regions)
    assert plan.indicators.count() == (2 if size == "small" else 61)
    client = login(leader)
    with django_assert_max_num_queries(QUERY_BOUND):
        page = _page(client, plan)
    with django_assert_max_num_queries(QUERY_BOUND):
        region = _page(client)
    assert page.status_code == region.status_code == 200
    for tile in TILES:
        with django_assert_max_num_queries(QUERY_BOUND):
            response = client.get(reverse("dashboards:plan-tile", args=[plan.pk, tile]), **HTMX)
        assert response.status_code == 200


def test_the_heatmap_counts_on_time_late_and_missing_in_four_queries(
    login, leader, regions, django_assert_num_queries
):
    plan = _big_plan(regions)
    # 科0 missed six in May
    ProgressReport.objects.filter(obligation__indicator__task__number="0", period=Period(2024, 5)).delete()
    with django_assert_num_queries(4):
        grid = reporting_grid(plan.obligations.all(), heatmap_months(Period(2024, 6), Period(2024, 1)))
    assert [name for _pk, name in grid.departments] == [f"科{n}" for n in range(5)]
    first = grid.departments[0][0]
    may, june, april = (grid.cell(first, Period(2024, m)) for m in (5, 6, 4))
    assert (april.owed, april.on_time, april.late, april.missing, april.share) == (12, 12, 0, 0, 1.0)
    assert (may.on_time, may.missing, may.share) == (6, 6, 0.5)
    # June: twelve targets late, and the twenty shares decomposed to the counties on time
    assert (june.owed, june.on_time, june.late, june.share) == (32, 20, 12, 20 / 32)
    response = login(leader).get(reverse("dashboards:plan-tile", args=[plan.pk, "reporting"]), **HTMX)
    for n in range(5):
        assert json.dumps(f"科{n}") in response.content.decode()  # plotly writes its JSON in ASCII


# --- pure helpers -----------------------------------------------------------------------------


def test_narrowing_headline_and_key_targets_follow_the_rows(reported, departments, leader):
    reported.issuing_department = departments["finance"]  # the finance office answers for the goal
    reported.save()
    owe(reported)
    _report(reported.indicators.get(name="全社会研发经费投入增长"), 6, "8", department=departments["finance"])
    board = load_board(leader, {}, plan=reported)
    bureau = load_board(leader, {"department": str(departments["bureau"].pk)}, plan=reported)
    assert [row.indicator.name for row in bureau.statuses()] == ["净增高新技术企业"]
    assert (headline(bureau).total, headline(board).total, headline(board).reported) == (1, 3, 2)
    assert key_targets(board)[0].indicator.name == "全社会研发经费投入增长"  # the plan goal first
    assert [short(Decimal(x)) for x in ["31.666", "1.6111", "540.2", "0.1667", "0"]] == [
        "31.7",
        "1.61",
        "540",
        "0.17",
        "0",
    ]
