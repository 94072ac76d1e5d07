"""Every target as of a month: figures, the three lamps, pace, roll-up, overrides, the command."""

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from plans.models import IndicatorShare, Milestone, Plan, Responsibility, Task
from plans.periods import Period
from plans.services import create_plan
from tracking.models import StatusOverride
from tracking.progress import plan_status

from ..conftest import PLAN_STRUCTURE, make_report, owe

pytestmark = pytest.mark.django_db


@pytest.fixture
def active(plan, departments, settings):
    settings.REPORTING_TODAY = "2024-06-24"
    plan.status = Plan.Status.ACTIVE
    plan.issuing_department = departments["bureau"]
    plan.save()
    return owe(plan)


def _report(plan, name, month, value, status="approved", late=False, department=None):
    indicator = plan.indicators.get(name=name)
    lead = (
        department or indicator.task.responsibilities.get(role="lead").department if indicator.task else None
    )
    return make_report(
        indicator=indicator,
        department=lead or plan.issuing_department,
        period=Period(2024, month),
        value=Decimal(value),
        status=status,
        late=late,
        progress="进展",
    )


def _row(result, name):
    return next(row for row in result.rows if row.indicator.name == name)


def test_the_figure_is_the_latest_submitted_or_approved_up_to_the_month(active):
    _report(active, "净增高新技术企业", 4, "90")
    _report(active, "净增高新技术企业", 5, "120", status="submitted")
    _report(active, "净增高新技术企业", 6, "200", status="draft")
    row = _row(plan_status([active], Period(2024, 6)), "净增高新技术企业")
    assert (row.value, row.value_period) == (Decimal("120"), Period(2024, 5))
    assert [v for _, v in row.history] == [Decimal("90"), Decimal("120")]
    as_of_april = _row(plan_status([active], Period(2024, 4)), "净增高新技术企业")
    assert as_of_april.value == Decimal("90")


def test_each_row_carries_expected_progress_completion_gap_lamp_and_pace(active):
    _report(active, "净增高新技术企业", 6, "108")
    row = _row(plan_status([active], Period(2024, 6)), "净增高新技术企业")
    assert row.expected == pytest.approx(0.5)
    assert row.completion == pytest.approx(108 / 310)
    assert row.gap == pytest.approx(0.5 - 108 / 310)
    assert row.lamp == "yellow"
    assert (row.pace.current, row.pace.projected) == (Decimal("18"), Decimal("216"))


def test_the_reporting_lamp_says_reported_late_or_missing(active):
    _report(active, "净增高新技术企业", 6, "150", status="submitted", late=True)
    _report(active, "新认定省级基地", 6, "1", status="draft")
    result = plan_status([active], Period(2024, 6))
    assert _row(result, "净增高新技术企业").reporting == "late"
    assert _row(result, "新认定省级基地").reporting == "missing"


def test_a_statistic_not_yet_due_is_never_behind(active):
    indicator = active.indicators.get(name="全社会研发经费投入增长")
    indicator.data_frequency, indicator.data_lag_months = "yearly", 6
    indicator.save()
    _report(active, "全社会研发经费投入增长", 6, "3")
    row = _row(plan_status([active], Period(2024, 6)), "全社会研发经费投入增长")
    assert (row.availability, row.lamp, row.value) == ("not_due", "none", None)
    assert plan_status([active], Period(2024, 6)).totals.counts["not_due"] == 1


def test_an_override_shows_with_its_reason_and_the_computed_lamp_is_kept(active, coordinator):
    _report(active, "净增高新技术企业", 6, "60")
    indicator = active.indicators.get(name="净增高新技术企业")
    StatusOverride.objects.create(
        indicator=indicator, period=Period(2024, 6), lamp="yellow", reason="6月批次延至7月认定"
    )
    row = _row(plan_status([active], Period(2024, 6)), "净增高新技术企业")
    assert (row.lamp, row.computed_lamp, row.override.reason) == ("yellow", "red", "6月批次延至7月认定")


def test_a_task_takes_the_worst_lamp_of_its_targets_and_milestones(active):
    _report(active, "净增高新技术企业", 6, "310")
    task = active.indicators.get(name="净增高新技术企业").task
    Milestone.objects.create(task=task, title="完成首批申报", due_date="2024-05-31")
    result = plan_status([active], Period(2024, 6))
    task_row = next(t for t in result.tasks if t.task == task)
    assert (task_row.rows[0].lamp, task_row.milestone_lamp, task_row.lamp) == ("done", "red", "red")


def test_sections_departments_and_regions_roll_up(active, regions, departments):
    _report(active, "净增高新技术企业", 6, "155")
    _report(active, "新认定省级基地", 6, "0")
    indicator = active.indicators.get(name="净增高新技术企业")
    share = IndicatorShare.objects.create(
        indicator=indicator, region=regions["county"], target=Decimal("100"), reporter=departments["bureau"]
    )
    owe(active)
    make_report(
        indicator=indicator,
        share=share,
        department=departments["bureau"],
        period=Period(2024, 6),
        value=Decimal("20"),
        status="approved",
    )
    result = plan_status([active], Period(2024, 6))
    sections = {group.label: group for group in result.sections}
    assert sections["(一)标志性工程提速"].counts["green"] == 1
    assert sections["(二)平台能级提档"].counts["red"] == 1
    departments_by_name = {group.label: group for group in result.departments}
    assert departments_by_name["县财政局"].completion == 0.0
    [county] = result.regions()
    assert (county.label, county.rows[0].completion, county.rows[0].lamp) == ("测试县", 0.2, "red")
    assert [row.indicator.name for row in result.lagging] == ["新认定省级基地"]


def test_a_section_without_targets_is_a_group_with_what_its_departments_owed(active, departments):
    section = active.sections.create(position=2, label="(三)", title="科技服务提效")
    task = Task.objects.create(section=section, position=0, number="1", title="建设科技大市场")
    Responsibility.objects.create(task=task, department=departments["finance"], role="lead")
    owe(active)
    make_report(task=task, department=departments["finance"], period=Period(2024, 6), status="submitted")
    result = plan_status([active], Period(2024, 6))
    groups = {group.label: group for group in result.sections}
    assert list(groups) == ["工作目标", "(一)标志性工程提速", "(二)平台能级提档", "(三)科技服务提效"]
    assert (groups["(三)科技服务提效"].rows, groups["(三)科技服务提效"].reporting.on_time) == ([], 1)
    assert sum(group.reporting.expected for group in groups.values()) == result.reporting.expected == 4


def _plan_of_size(regions, departments, sections, tasks, months):
    template = PLAN_STRUCTURE["sections"][0]["tasks"][0]
    structure = {
        **PLAN_STRUCTURE,
        "title": f"计划{sections}x{tasks}",
        "sections": [
            {
                "label": f"({s})",
                "title": f"板块{s}",
                "theme": "",
                "tasks": [{**template, "number": str(t), "title": f"任务{t}"} for t in range(tasks)],
            }
            for s in range(sections)
        ],
    }
    plan = owe(
        create_plan(
            structure=structure,
            region=regions["county"],
            departments={"县科技局": departments["bureau"], "县财政局": departments["finance"]},
            status="active",
        )
    )
    for indicator in plan.indicators.filter(task__isnull=False):
        for month in range(1, months + 1):
            make_report(
                indicator=indicator,
                department=departments["bureau"],
                period=Period(2024, month),
                value=Decimal(month * 10),
                status="approved",
            )
        Milestone.objects.create(task=indicator.task, title="节点", due_date="2024-06-30")
    return plan


@pytest.mark.parametrize(("sections", "tasks", "months"), [(1, 1, 1), (6, 10, 6)])
def test_the_queries_do_not_grow_with_targets_departments_or_months(
    regions, departments, django_assert_max_num_queries, sections, tasks, months
):
    plan = _plan_of_size(regions, departments, sections, tasks, months)
    with django_assert_max_num_queries(10):
        result = plan_status([plan], Period(2024, 6))
        assert len(result.rows) == sections * tasks + 1
        assert len(result.departments) >= 1 and result.totals.counts


def test_the_command_prints_the_same_figures_as_json(active):
    _report(active, "净增高新技术企业", 6, "108")
    out = StringIO()
    call_command("plan_status", str(active.pk), "--as-of", "2024-06", "--json", stdout=out)
    data = json.loads(out.getvalue())
    row = next(i for i in data["indicators"] if i["name"] == "净增高新技术企业")
    expected = _row(plan_status([active], Period(2024, 6)), "净增高新技术企业")
    assert row["value"] == 108.0 and row["expected"] == 0.5
    assert row["completion"] == round(expected.completion, 4) and row["lamps"]["performance"] == "yellow"
    assert row["lamps"]["reporting"] == "reported" and row["pace"]["needed_per_month"] == round(202 / 6, 4)
    assert data["counts"] == plan_status([active], Period(2024, 6)).totals.counts


def test_the_command_without_json_prints_a_chinese_line_per_target(active):
    _report(active, "净增高新技术企业", 6, "108")
    out = StringIO()
    call_command("plan_status", str(active.pk), "--as-of", "2024-06", stdout=out)
    assert "净增高新技术企业：108家 / 目标310家，完成率35%，序时进度50%，滞后，已报" in out.getvalue()


def test_the_coordinator_sets_a_lamp_by_hand_with_a_reason(login, coordinator, reporter, leader, active):
    _report(active, "净增高新技术企业", 6, "60")
    indicator = active.indicators.get(name="净增高新技术企业")
    url = reverse("tracking:override", args=[indicator.pk]) + "?period=2024-06"
    assert login(reporter).post(url, {"lamp": "green", "reason": "x"}).status_code == 403
    assert login(leader).post(url, {"lamp": "green", "reason": "x"}).status_code == 403
    client = login(coordinator)
    client.post(url, {"lamp": "green", "reason": ""})
    assert not StatusOverride.objects.exists()
    client.post(url, {"lamp": "yellow", "reason": "认定批次推迟"})
    page = client.get(reverse("tracking:indicator-detail", args=[indicator.pk]) + "?period=2024-06")
    text = page.content.decode()
    assert "人工调整" in text and "认定批次推迟" in text and ">滞后<" in text
    client.post(url, {"action": "clear"})
    assert not StatusOverride.objects.exists()
    assert StatusOverride.history.count() == 2  # set, then cleared: both on record
