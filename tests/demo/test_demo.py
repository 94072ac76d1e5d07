"""The demo data: the seed plans complete, owners as written, decomposed targets, reports, logins, reruns."""

from __future__ import annotations

from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from demo.loader import (
    DEMO_MONTH,
    DEMO_PASSWORD,
    DEMO_TODAY,
    DEMO_YEAR,
    demo_usernames,
    load_demo,
    read_seed,
    read_spec,
    read_structure,
)
from departments.models import Department, DepartmentAlias, Membership, Region, Role
from plans.models import Indicator, IndicatorShare, Milestone, Plan, Responsibility, Section, Task
from plans.periods import Period
from tracking.models import ProgressReport

pytestmark = pytest.mark.django_db

# The table in shared/importer/gold/README.md: sections, tasks, goals, indicators in tasks.
GOLD_COUNTS = {
    "000_05034c8d6fd59b8f": (6, 17, 0, 11),
    "001_f95b799e28ed058d": (6, 14, 4, 16),
    "003_2a333607f86502c4": (6, 21, 0, 48),
    "004_156efd065d96fdef": (6, 25, 12, 41),
}
MODELS = [
    Region,
    Department,
    DepartmentAlias,
    Membership,
    Plan,
    Section,
    Task,
    Responsibility,
    Indicator,
    IndicatorShare,
    Milestone,
    ProgressReport,
    get_user_model(),
]


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    """Logins of two dozen users would spend seconds in PBKDF2; the test is about the password."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def spec():
    return read_spec()


@pytest.fixture
def demo():
    return load_demo()


def plan_of(entry) -> Plan:
    structure = read_structure(entry["file"])
    return Plan.objects.get(title=structure["title"], region__name=entry["region"].split("/")[-1])


def gold_tasks(structure):
    for section in structure["sections"]:
        for task in section["tasks"]:
            yield section, task


def test_every_section_task_and_target_of_the_seed_plans_is_loaded(demo, spec):
    assert demo["plans"] == 4
    for entry in spec["plans"]:
        gold = read_structure(entry["file"])
        plan = plan_of(entry)

        sections = list(plan.sections.order_by("position").values_list("label", "title", "theme"))
        assert sections == [(s["label"], s["title"], s["theme"]) for s in gold["sections"]]
        tasks = list(
            Task.objects.filter(section__plan=plan)
            .order_by("section__position", "position")
            .values_list("section__label", "number", "title", "text")
        )
        assert tasks == [(s["label"], t["number"], t["title"], t["text"]) for s, t in gold_tasks(gold)]
        goals = list(plan.indicators.filter(task=None).order_by("position").values_list("name", "kind"))
        assert goals == [(g["name"], g["kind"]) for g in gold["goals"]]
        in_tasks = list(
            plan.indicators.exclude(task=None)
            .order_by("task__section__position", "task__position", "position")
            .values_list("name", "kind", "source_text")
        )
        assert in_tasks == [
            (i["name"], i["kind"], i["text"]) for _, t in gold_tasks(gold) for i in t["indicators"]
        ]
        assert (len(sections), len(tasks), len(goals), len(in_tasks)) == GOLD_COUNTS[entry["file"]]
        assert not plan.indicators.filter(kind="qualitative", target__isnull=False).exists()
        assert plan.status == Plan.Status.ACTIVE
        assert plan.source_text == read_seed(entry["file"])
        assert plan.issuing_department.region == plan.region


def test_plan_kinds_and_years_follow_the_documents(demo):
    kinds = {p.title: (p.kind, p.first_year, p.last_year, p.region.name) for p in Plan.objects.all()}
    assert kinds == {
        "县科技局2024年工作计划": ("work_plan", 2024, 2024, "长沙县"),
        "通道侗族自治县创新提升行动实施方案": ("implementation", 2024, 2024, "通道侗族自治县"),
        "2024年全市科技创新工作要点": ("key_points", 2024, 2024, "咸宁市"),
        "建设科技强市三年工作方案": ("action_plan", 2021, 2025, "示范市"),
    }


def test_plan_001_names_every_lead_and_co_department_exactly_as_written(demo, spec):
    entry = next(e for e in spec["plans"] if e["file"].startswith("001"))
    plan = plan_of(entry)
    for section, gold in gold_tasks(read_structure(entry["file"])):
        task = Task.objects.get(section__plan=plan, section__label=section["label"], number=gold["number"])
        rows = task.responsibilities.order_by("position").select_related("department")
        assert [r.department.name for r in rows if r.role == "lead"] == gold["lead"]
        assert [r.department.name for r in rows if r.role == "co"] == gold["co"]
        assert [r.role for r in rows] == ["lead"] * len(gold["lead"]) + ["co"] * len(gold["co"])
        assert {r.department.region for r in rows} == {plan.region}


def test_plans_without_owners_in_their_text_get_the_demo_owners_task_by_task(demo, spec):
    for entry in spec["plans"]:
        if not entry["responsibilities"]:
            continue
        plan = plan_of(entry)
        for item in entry["responsibilities"]:
            task = Task.objects.get(section__plan=plan, section__label=item["section"], number=item["task"])
            rows = list(task.responsibilities.order_by("position").select_related("department"))
            assert [r.department.name for r in rows if r.role == "lead"] == item["lead"]
            assert [r.department.name for r in rows if r.role == "co"] == item["co"]
        assert not Task.objects.filter(section__plan=plan).exclude(responsibilities__role="lead").exists()


def test_xianning_targets_are_decomposed_to_its_counties(demo):
    city = Region.objects.get(name="咸宁市")
    plan = Plan.objects.get(region=city)
    decomposed = Indicator.objects.filter(plan=plan, shares__isnull=False).distinct()
    assert decomposed.count() >= 2
    counties = set(city.children.all())
    assert len(counties) == 6
    for indicator in decomposed:
        shares = list(indicator.shares.select_related("region"))
        assert {s.region for s in shares} == counties
        assert sum(s.target for s in shares) == indicator.target
        # each county's bureau reports on its own share
        reporting = set(
            ProgressReport.objects.filter(obligation__indicator=indicator)
            .exclude(obligation__department__region=city)
            .values_list("obligation__department__region", flat=True)
        )
        assert reporting == {c.pk for c in counties}


def test_loading_twice_creates_nothing_and_changes_no_count(demo):
    before = {model.__name__: model.objects.count() for model in MODELS}
    again = load_demo()
    assert again.keys() == demo.keys() and not any(again.values())
    assert {model.__name__: model.objects.count() for model in MODELS} == before
    assert before["Plan"] == 4 and before["ProgressReport"] == demo["reports"]


def test_every_demo_user_logs_in_with_the_demo_password_and_is_not_asked_to_change_it(demo, spec, client):
    for username in demo_usernames(spec):
        response = client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, username
        assert client.get(reverse("plans:plan-list")).status_code == 200, username
        client.post(reverse("logout"))
    assert get_user_model().objects.get(username="admin").is_superuser


def test_each_demo_region_has_a_leader_coordinator_reviewer_and_reporter(demo):
    for suffix in ["", "_changsha", "_xianning", "_shifan"]:
        for role in [Role.LEADER, Role.COORDINATOR, Role.REVIEWER, Role.REPORTER]:
            user = get_user_model().objects.get(username=f"{role}{suffix}")
            assert user.first_name
            assert Membership.objects.filter(user=user, role=role).exists()
    tongdao_bureau = Department.objects.get(name="县商务科技和工业信息化局")
    assert set(tongdao_bureau.memberships.values_list("user__username", flat=True)) >= {
        "reporter",
        "reviewer",
    }
    assert Membership.objects.filter(
        user__username="reporter_xianan", department__region__name="咸安区"
    ).exists()


def test_leaders_see_their_region_and_counties_see_the_city_plan_through_their_share(demo):
    User = get_user_model()
    leader_plans = set(
        Plan.objects.visible_to(User.objects.get(username="leader")).values_list("title", flat=True)
    )
    assert leader_plans == {"通道侗族自治县创新提升行动实施方案"}
    county_plans = Plan.objects.visible_to(User.objects.get(username="reporter_xianan"))
    assert list(county_plans.values_list("title", flat=True)) == ["2024年全市科技创新工作要点"]


def test_load_demo_command_refuses_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("load_demo")
    assert not Plan.objects.exists()


def test_load_demo_command_prints_a_chinese_summary_and_says_when_nothing_is_new(settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "已加载演示数据：4个计划、24个板块、77项任务、132个指标" in out.getvalue()
    again = StringIO()
    call_command("load_demo", "--force", stdout=again)
    assert "演示数据已存在，未新建任何数据" in again.getvalue()


def test_load_demo_command_with_force_loads_without_debug(settings):
    settings.DEBUG = False
    call_command("load_demo", "--force", stdout=StringIO())
    assert Plan.objects.count() == 4


def test_reports_show_the_whole_review_cycle_in_the_demo_month(demo):
    reports = ProgressReport.objects.all()
    assert set(reports.values_list("status", flat=True)) == {"draft", "submitted", "approved", "returned"}
    assert not reports.exclude(period__year=DEMO_YEAR).exists()
    assert not reports.filter(period__gt=Period(DEMO_YEAR, DEMO_MONTH)).exists()
    assert set(reports.filter(period__lt=Period(DEMO_YEAR, DEMO_MONTH)).values_list("status", flat=True)) == {
        "approved"
    }
    returned = reports.filter(status="returned")
    assert 0 < returned.count() < reports.filter(period=Period(DEMO_YEAR, DEMO_MONTH)).count() / 5
    assert not returned.filter(return_reason="").exists()
    assert not reports.filter(status__in=["approved", "returned"], reviewed_by=None).exists()
    assert not reports.filter(status="draft").exclude(submitted_by=None, submitted_at=None).exists()
    local = ZoneInfo(django_settings.TIME_ZONE)
    for report in reports.exclude(status="draft"):
        submitted = report.submitted_at.astimezone(local)
        last_day = DEMO_TODAY.day - 1 if report.period.month == DEMO_MONTH else 29
        assert (submitted.month, 20 <= submitted.day <= last_day) == (report.period.month, True)
        assert report.late == (submitted.day > 27)  # due the 25th, two grace days
        assert report.submitted_by is not None
        if report.reviewed_at is not None:
            assert report.submitted_at < report.reviewed_at
    assert reports.filter(late=True).exists()
    assert not reports.filter(period=Period(DEMO_YEAR, DEMO_MONTH), late=True).exists()
    # some departments have not even drafted the demo month's report
    first_month = reports.filter(period=Period(2024, 1)).count()
    assert reports.filter(period=Period(DEMO_YEAR, DEMO_MONTH)).count() < first_month


def test_values_to_date_grow_and_some_targets_lag_while_others_are_met(demo):
    lagging = met = 0
    for indicator in Indicator.objects.filter(measure="increase", plan__first_year=2024).exclude(
        kind="qualitative"
    ):
        own = ProgressReport.objects.filter(
            obligation__indicator=indicator, obligation__department__region=indicator.plan.region
        ).order_by("period")
        values = list(own.values_list("value", flat=True))
        assert values == sorted(values), indicator
        last = own.filter(period=Period(DEMO_YEAR, DEMO_MONTH)).first()
        if last is not None:
            lagging += last.value < indicator.target * 2 / 5
            met += last.value >= indicator.target
    assert lagging >= 5 and met >= 3


def test_rates_report_the_rate_itself(demo):
    growth = Indicator.objects.get(name="企业研发经费增速")
    values = ProgressReport.objects.filter(obligation__indicator=growth).values_list("value", flat=True)
    assert all(0 < v < 3 * growth.target for v in values)


def test_tasks_without_numbers_get_narrative_reports_and_goals_come_from_the_issuing_bureau(demo):
    narrative = ProgressReport.objects.filter(obligation__task__isnull=False).select_related(
        "obligation__task"
    )
    assert narrative.exists()
    assert not narrative.exclude(value=None).exists()
    for report in narrative[:20]:
        assert report.task.title in report.progress and report.problems and report.next_steps
        assert not report.task.indicators.exclude(kind="qualitative").exists()
    goals = ProgressReport.objects.filter(
        obligation__indicator__isnull=False, obligation__indicator__task=None
    ).select_related("obligation__indicator__plan")
    assert goals.exists()
    assert all(r.department_id == r.indicator.plan.issuing_department_id for r in goals)
