"""The cockpit's charts, read from the figures: no database, no request."""

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from dashboards import charts
from dashboards.charts import FONT_FAMILY, LAMP_COLOURS, LAMP_PATTERNS
from dashboards.cockpit import LampGroup, Ranked, key_rows
from dashboards.reporting import Cell, ReportingGrid
from departments.models import Department, Region
from plans.models import Indicator, IndicatorShare, Plan, Task
from plans.periods import Period
from tracking.obligations import Counts
from tracking.progress import Row, ShareRow
from tracking.status import Pace, Tally

PLAN = Plan(pk=1, title="测试计划", first_year=2024, last_year=2024)
BUREAU = Department(pk=7, name="县科技局")
FINANCE = Department(pk=8, name="县财政局")


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def indicator_url(pk: int) -> str:
    return f"/reports/indicator/{pk}/"


def make_row(
    pk=1, name="净增高新技术企业", target="310", value="120", lamp="yellow", lead=BUREAU, task=None, **extra
) -> Row:
    indicator = Indicator(
        pk=pk, plan=PLAN, name=name, unit="家", kind="count", comparator="=", target=Decimal(target)
    )
    values = {
        "value": Decimal(value) if value is not None else None,
        "value_period": Period(2024, 5),
        "history": [(Period(2024, 4), Decimal("100")), (Period(2024, 5), Decimal(value or 0))],
        "expected": 0.5,
        "completion": float(Decimal(value) / Decimal(target)) if value is not None else None,
        "computed_lamp": lamp,
        "reporting": "reported",
        **extra,
    }
    values["gap"] = 0.5 - values["completion"] if values["completion"] is not None else None
    return Row(
        indicator=indicator, plan=PLAN, section=None, task=task, lead=lead, period=Period(2024, 6), **values
    )


def _bars(fig, name=None):
    return [trace for trace in fig.data if trace.type == "bar" and (name is None or trace.name == name)]


def test_the_chart_font_is_the_pages_font_stack():
    css = (Path(settings.BASE_DIR) / "static/css/app.css").read_text(encoding="utf-8")
    stack = re.search(r"--font:\s*(.*?);", css, re.S).group(1)
    assert " ".join(stack.split()) == FONT_FAMILY
    assert "Noto Sans CJK SC" in FONT_FAMILY


def test_lamp_colours_are_those_of_the_stylesheet_and_print_apart():
    assert (LAMP_COLOURS["green"], LAMP_COLOURS["yellow"], LAMP_COLOURS["red"]) == (
        "#2e7d32",
        "#b7791f",
        "#c62828",
    )
    assert LAMP_COLOURS["done"] == "#1b5e20"
    patterns = [LAMP_PATTERNS[lamp] for lamp in ("done", "green", "yellow", "red")]
    assert len(set(patterns)) == 4  # red and green are the same grey: the patterns tell them apart


def test_sections_stack_their_lamp_counts_and_lead_to_their_tasks():
    url = "/plans/1/#section-{}".format
    groups = [
        LampGroup("工作目标", Tally({"red": 1, "green": 2}), url(None)),
        LampGroup("(一)标志性工程提速", Tally({"yellow": 3, "green": 1, "done": 4}), url(11), tasks=2),
        LampGroup("(二)平台能级提档", Tally(), url(12), tasks=3),
    ]
    fig = charts.lamp_counts_figure(groups, "各板块指标状态")
    assert fig.layout.title.text == "各板块指标状态"
    red, yellow, green, done = (_bars(fig, label)[0] for label in ("严重滞后", "滞后", "正常", "已完成"))
    assert list(red.x) == [1, 0, 0] and list(yellow.x) == [0, 3, 0] and list(done.x) == [0, 4, 0]
    assert (red.marker.color, red.marker.pattern.shape) == ("#c62828", "x")
    assert green.marker.color == "#2e7d32"
    assert list(done.customdata) == ["/plans/1/#section-None", "/plans/1/#section-11", "/plans/1/#section-12"]
    assert list(fig.layout.yaxis.ticktext) == ["工作目标", "(一)标志性工程提速", "(二)平台能级提档"]
    assert "3项任务无量化指标" in [a.text for a in fig.layout.annotations]
    assert fig.layout.font.family == FONT_FAMILY


def test_bullets_show_completion_in_the_lamps_colour_with_expected_progress():
    rows = [
        make_row(1, value="120", lamp="yellow"),
        make_row(2, name="新认定省级基地", target="2", value="3", lamp="done"),
        make_row(3, name="引育企业研发中心", target="15", value="3", lamp="red"),
    ]
    fig = charts.bullets_figure(rows, indicator_url)
    assert fig.layout.title.text == "重点指标"
    yellow, red, done = _bars(fig, "滞后")[0], _bars(fig, "严重滞后")[0], _bars(fig, "已完成")[0]
    assert list(yellow.x) == [pytest.approx(120 / 310 * 100)]
    assert list(done.x) == [150.0]  # 150% is drawn at the cap
    assert list(red.x) == [pytest.approx(20.0)]
    assert (yellow.marker.color, red.marker.color, done.marker.color) == ("#b7791f", "#c62828", "#1b5e20")
    assert list(red.customdata) == ["/reports/indicator/3/"]
    expected = next(t for t in fig.data if t.name == "序时进度")
    assert list(expected.x) == [50.0, 50.0, 50.0]
    labels = next(t for t in fig.data if t.type == "scatter" and t.mode == "text")
    assert labels.text[0] == "120家 / 310家"


def test_the_trajectory_draws_values_expected_progress_target_and_projection():
    pace = Pace(needed=Decimal("27.14"), current=Decimal("24"), projected=Decimal("288"), remaining=7)
    row = make_row(value="120", pace=pace)
    fig = charts.trajectory_figure(row, indicator_url)
    assert fig.layout.title.text == "净增高新技术企业（310家）"
    by_name = {trace.name: trace for trace in fig.data}
    reported, expected = by_name["月报数值"], by_name["序时进度"]
    assert (list(reported.x), list(reported.y)) == (["2024-04", "2024-05"], [100.0, 120.0])
    assert list(reported.customdata) == ["/reports/indicator/1/"] * 2
    assert expected.y[5] == pytest.approx(155.0) and expected.y[11] == pytest.approx(310.0)
    projection = by_name["按当前进度预计"]
    assert (list(projection.x), list(projection.y)) == (["2024-05", "2024-12"], [120.0, 288.0])
    assert projection.line.dash == "dot"
    assert list(by_name["目标值 310家"].y) == [310.0, 310.0]
    assert list(fig.layout.xaxis.ticktext)[:2] == ["1月", "2月"]


def test_departments_are_ranked_by_completion_and_by_on_time_reporting():
    late = make_row(1, value="60", lamp="red", lead=FINANCE, reporting="missing")
    ahead = make_row(2, value="300", lamp="green", lead=BUREAU, reporting="late")
    groups = [
        Ranked(department.pk, department.name, f"/cockpit/?department={department.pk}", tally, reporting)
        for department, row, reporting in [
            (FINANCE, late, Counts(expected=1)),
            (BUREAU, ahead, Counts(expected=1, submitted=1, late=1)),
        ]
        for tally in [Tally().add(row.lamp, 1, min(row.completion, 1.0), 1)]
    ]
    fig = charts.departments_figure(groups)
    assert fig.layout.title.text == "单位排名"
    green, red = _bars(fig, "正常")[0], _bars(fig, "严重滞后")[0]
    assert (list(green.y), list(red.y)) == ([0], [1])  # the bureau first
    assert list(green.customdata) == ["/cockpit/?department=7"]
    on_time = next(t for t in _bars(fig) if t.xaxis == "x2")
    assert list(on_time.x) == [0, 0]  # a late report is not on time, a missing one neither


def test_the_heatmap_cell_is_the_share_on_time_and_leads_to_the_department_that_month():
    months = [Period(2024, 5), Period(2024, 6)]
    grid = ReportingGrid(
        months=months,
        departments=[(7, "县科技局")],
        cells={(7, months[0]): Cell(owed=4, on_time=3, late=1), (7, months[1]): Cell(owed=4, on_time=1)},
    )
    fig = charts.reporting_heatmap(grid, lambda pk, month: f"/cockpit/?department={pk}&period={month}")
    heatmap = fig.data[0]
    assert [list(z) for z in heatmap.z] == [[0.75, 0.25]]
    assert [list(t) for t in heatmap.text] == [["75%", "25%"]]
    assert heatmap.customdata[0][1] == "/cockpit/?department=7&period=2024-06"
    assert "按时1项，迟报0项，未报3项" in heatmap.hovertext[0][1]
    assert list(heatmap.x) == ["5月", "6月"]
    assert fig.layout.title.text == "各单位逐月按时报送情况"


def test_decomposed_targets_show_each_county_against_its_own_target():
    row = make_row()
    for pk, (name, target, value, lamp) in enumerate(
        [("甲县", "100", "60", "green"), ("乙县", "200", "20", "red")]
    ):
        share = IndicatorShare(
            pk=pk + 1, indicator=row.indicator, region=Region(pk=pk + 1, name=name), target=target
        )
        row.shares.append(ShareRow(share, Decimal(value), float(Decimal(value) / Decimal(target)), lamp))
    fig = charts.regions_figure([row], indicator_url)
    green, red = _bars(fig, "正常")[0], _bars(fig, "严重滞后")[0]
    assert (list(green.x), list(green.text)) == ([60.0], ["60/100"])
    assert (list(red.x), list(red.text)) == ([10.0], ["20/200"])
    assert list(red.customdata) == ["/reports/indicator/1/"]
    assert fig.layout.title.text == "分解指标（按县市区）"


def test_a_figure_renders_as_a_div_and_its_json_for_cockpit_js_with_no_inline_script():
    html = charts.render(charts.bullets_figure([make_row()], indicator_url))
    assert "<script src" not in html and "<html" not in html and "Plotly.newPlot" not in html
    found = re.fullmatch(
        r'<div class="cockpit-chart" id="(chart-\w+)" data-figure="(chart-\w+-figure)"></div>'
        r'<script type="application/json" id="(chart-\w+-figure)">(.*)</script>',
        html,
        re.S,
    )
    chart, island, island_id, payload = found.groups()
    assert island == island_id == f"{chart}-figure"
    spec = json.loads(payload)
    assert spec["config"]["displaylogo"] is False and spec["config"]["locale"] == "zh-CN"
    assert spec["figure"]["data"][0]["customdata"] == ["/reports/indicator/1/"]


def test_a_figure_s_json_cannot_close_its_script_element():
    row = make_row(name="</script><script>alert(1)</script>")
    html = charts.render(charts.bullets_figure([row], indicator_url))
    assert html.count("</script>") == 1 and "<script>" not in html


def test_key_targets_are_the_goals_the_furthest_behind_and_the_biggest():
    task = Task(pk=1, title="任务")
    goals = [make_row(pk, name=f"目标{pk}") for pk in (1, 2)]
    behind = [make_row(10 + n, name=f"落后{n}", value=str(10 + n), lamp="red", task=task) for n in range(10)]
    on_track = [
        make_row(30 + n, target=str(100 * n + 100), value="90", lamp="green", task=task) for n in range(5)
    ]
    chosen = key_rows(on_track + behind + goals)
    assert [row.indicator.pk for row in chosen] == [1, 2, 10, 11, 12, 34, 33, 32]


def test_a_rank_reads_first_place_on_top_and_a_fall_shows_below_zero():
    rank = make_row(name="全省综合考评排名", target="10", value="14", lamp="red")
    rank.indicator.kind, rank.indicator.comparator, rank.indicator.measure = "rank", "<=", "rate"
    low, high = charts.trajectory_figure(rank, indicator_url).layout.yaxis.range
    assert low > high and "序时进度" not in [
        trace.name for trace in charts.trajectory_figure(rank, indicator_url).data
    ]
    fall = make_row(name="研发经费增速", target="12", value="-3", lamp="red")
    fall.indicator.kind, fall.indicator.unit = "growth_rate", "%"
    assert charts.trajectory_figure(fall, indicator_url).layout.yaxis.range[0] < -3
