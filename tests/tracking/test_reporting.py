"""The month's work in the browser: due list, entry with autosave, checks, review, locks, roles."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from departments.models import Role
from plans.models import Plan, Responsibility, Section, Task
from plans.periods import Period
from tracking import services
from tracking.models import Contribution, Evidence, ProgressReport, ReportConflict

from ..conftest import make_report, make_user, owe

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def june_22(settings):
    settings.REPORTING_TODAY = "2024-06-22"


@pytest.fixture
def active(plan, departments):
    plan.status = Plan.Status.ACTIVE
    plan.issuing_department = departments["bureau"]
    plan.save()
    return owe(plan)


@pytest.fixture
def firms(active):
    """净增高新技术企业 310家, led by the bureau: the item the reporter owes each month."""
    indicator = active.indicators.get(name="净增高新技术企业")
    return services.item_for(f"i{indicator.pk}", Period(2024, 6))


def _report(item, month=6, **fields):
    defaults = {
        "department": item.obligation.department,
        "period": Period(2024, month),
        "indicator": item.indicator,
    }
    return make_report(**defaults, **fields)


def _save(client, item, **data):
    url = reverse("tracking:save", args=[item.key]) + "?period=2024-06"
    payload = {"value": "", "progress": "", "problems": "", "next_steps": "", "version": "0"}
    payload.update(data)
    return client.post(url, payload, **HTMX)


def test_the_due_list_shows_what_the_department_owes_with_state_target_and_last_month(login, reporter, firms):
    _report(firms, month=5, value=Decimal("120"), status="approved")
    page = login(reporter).get(reverse("tracking:due")).content.decode()
    assert "本月待办" in page and "2024年6月" in page
    assert "净增高新技术企业" in page and "310家" in page
    assert "120家" in page  # last month's value
    assert "未填报" in page and "6月25日" in page
    assert "全社会研发经费投入增长" in page  # a plan goal, reported by the issuing bureau
    assert "建设省级基地" not in page  # led by the finance bureau


def test_typing_saves_a_draft_and_reads_the_number_into_the_targets_unit(login, reporter, firms):
    _report(firms, month=5, value=Decimal("1500"), status="approved")
    response = _save(login(reporter), firms, value="1,576家", progress="新认定高企12家")
    page = response.content.decode()
    assert "草稿已保存" in page and "读作 1576 家" in page
    report = ProgressReport.objects.get(obligation__indicator=firms.indicator, period=Period(2024, 6))
    assert (report.status, report.value, report.progress, report.version) == (
        "draft",
        Decimal("1576"),
        "新认定高企12家",
        1,
    )
    assert 'id="version-' in page and 'value="1"' in page  # the form now saves on version 1


@pytest.mark.parametrize("months", [1, 5])
def test_an_autosave_takes_the_same_few_queries_however_long_the_history(
    login, reporter, firms, django_assert_max_num_queries, months
):
    """The month-end rush is mostly autosaves: a fixed set of queries, not one per month or target."""
    for month in range(1, months + 1):
        _report(firms, month=month, value=Decimal(25 * month), status="approved")
    client = login(reporter)
    assert "草稿已保存" in _save(client, firms, value=str(25 * months + 5)).content.decode()
    with django_assert_max_num_queries(14):  # 12 reads and writes, a savepoint and its release
        page = _save(client, firms, value=str(25 * months + 6), version="1").content.decode()
    assert "草稿已保存" in page
    saved = ProgressReport.objects.get(obligation=firms.obligation, period=Period(2024, 6))
    assert saved.value == 25 * months + 6


def test_what_the_value_would_mean_is_shown_before_submitting(login, reporter, firms):
    page = _save(login(reporter), firms, value="100").content.decode()
    assert "完成率 32%" in page and "序时进度 50%" in page and ">滞后<" in page
    page = _save(login(reporter), firms, value="80", version="1").content.decode()
    assert "完成率 26%" in page and ">严重滞后<" in page


def test_a_value_that_cannot_be_read_gets_a_message_and_the_rest_is_saved(login, reporter, firms):
    page = _save(login(reporter), firms, value="一百多", progress="已开展摸底").content.decode()
    assert "请填写确切的数字" in page
    assert 'value="一百多"' not in page  # the input is not re-rendered: what was typed stays as typed
    report = ProgressReport.objects.get(obligation__indicator=firms.indicator)
    assert report.value is None and report.progress == "已开展摸底"


def test_a_falling_cumulative_figure_asks_for_confirmation_and_a_note(login, reporter, firms):
    _report(firms, month=5, value=Decimal("150"), status="approved")
    client = login(reporter)
    page = _save(client, firms, value="90", progress="本月进展").content.decode()
    assert "累计数由上月的 150 下降到 90" in page and "数值无误" in page
    report = ProgressReport.objects.get(obligation__indicator=firms.indicator, period=Period(2024, 6))
    assert report.value is None and report.progress == "本月进展"
    page = _save(
        client,
        firms,
        value="90",
        progress="本月进展",
        version=str(report.version),
        confirm_unusual="on",
        outlier_note="",
    ).content.decode()
    assert "请简要说明数值变化较大的原因" in page
    _save(
        client,
        firms,
        value="90",
        progress="本月进展",
        version=str(report.version),
        confirm_unusual="on",
        outlier_note="剔除3家迁出企业",
    )
    report.refresh_from_db()
    assert (report.value, report.outlier_note) == (Decimal("90"), "剔除3家迁出企业")


def test_a_jump_far_beyond_the_months_before_asks_for_confirmation(login, reporter, firms):
    for month, value in [(3, "20"), (4, "45"), (5, "70")]:
        _report(firms, month=month, value=Decimal(value), status="approved")
    page = _save(login(reporter), firms, value="700").content.decode()
    assert "本月增加 630" in page
    assert ProgressReport.objects.get(period=Period(2024, 6)).value is None


def test_a_second_save_on_an_old_version_is_refused_and_both_versions_kept(
    login, reporter, coordinator, firms
):
    _save(login(reporter), firms, value="100", progress="甲的版本")
    report = ProgressReport.objects.get(obligation__indicator=firms.indicator)
    # the task force saves in another browser, from the same version 1
    other = login(coordinator)
    _save(other, firms, value="120", progress="专班的版本", version="1")
    page = _save(login(reporter), firms, value="110", progress="甲的第二版", version="1").content.decode()
    assert "他人已保存" in page and "对比两个版本" in page
    report.refresh_from_db()
    assert (report.value, report.progress) == (Decimal("120"), "专班的版本")
    conflict = ReportConflict.objects.get()
    assert conflict.data["progress"] == "甲的第二版"
    url = reverse("tracking:conflict", args=[firms.key, conflict.pk])
    client = login(reporter)
    page = client.get(url).content.decode()
    assert "专班的版本" in page and "甲的第二版" in page
    client.post(url, {"keep": "mine"})
    report.refresh_from_db()
    assert report.progress == "甲的第二版"
    conflict.refresh_from_db()
    assert conflict.resolved_at is not None


def test_the_task_force_entering_on_a_departments_behalf_is_recorded(login, coordinator, firms):
    _save(login(coordinator), firms, value="100", progress="专班代填")
    report = ProgressReport.objects.get()
    assert report.entered_by_coordinator
    assert "代为填报" in report.history.first().history_change_reason


def _submit(client, item, period="2024-06"):
    """Submit as the confirmation does: the version the user was shown, and the confirmation."""
    report = ProgressReport.objects.filter(obligation=item.obligation, period=Period.parse(period)).first()
    data = {"version": report.version if report else 0, "confirm": "1"}
    return client.post(reverse("tracking:submit", args=[item.key]) + f"?period={period}", data, **HTMX)


def test_a_narrative_tasks_report_submitted_and_returned_moves_the_cached_cockpit(
    login, reporter, reviewer, leader, active, departments
):
    """The cockpit's headline is cached until what it counts changes: a task without a number has
    no status to judge again, but its report is counted as in or owed all the same."""
    section = Section.objects.create(plan=active, position=5, label="(三)", title="服务效能提效")
    task = Task.objects.create(section=section, position=0, number="1", title="优化科技服务")
    Responsibility.objects.create(task=task, department=departments["bureau"], role=Responsibility.Role.LEAD)
    owe(active)
    item = services.item_for(f"t{task.pk}", Period(2024, 6))
    cockpit = login(leader)
    reported = lambda: cockpit.get(reverse("dashboards:cockpit")).context["headline"].reported  # noqa: E731
    before = reported()
    client = login(reporter)
    _save(client, item, progress="已完成服务对接")
    assert reported() == before  # a draft is not in
    assert _submit(client, item).status_code == 200
    assert ProgressReport.objects.get(obligation=item.obligation).status == "submitted"
    assert reported() == before + 1
    report = ProgressReport.objects.get(obligation=item.obligation)
    services.return_report(
        report=report, user=reviewer, seen_version=report.version, reason="请补充服务企业名单"
    )
    assert reported() == before


def test_submitting_needs_a_value_and_progress(login, reporter, firms):
    client = login(reporter)
    _save(client, firms, progress="")
    page = _submit(client, firms).content.decode()
    assert "提交前请填写截至当月累计值" in page
    assert ProgressReport.objects.get().status == "draft"


def test_a_submitted_report_is_on_time_within_grace_and_late_after(login, reporter, firms, settings):
    client = login(reporter)
    _save(client, firms, value="100", progress="进展")
    report = ProgressReport.objects.get()
    june = services.item_for(firms.key, Period(2024, 6))
    services.submit_report(
        item=june,
        user=reporter,
        seen_version=report.version,
        at=datetime(2024, 6, 27, 23, 0, tzinfo=SHANGHAI),
    )
    report.refresh_from_db()
    assert (report.status, report.late) == ("submitted", False)
    may = _report(firms, month=5, value=Decimal("80"), progress="五月")
    services.submit_report(
        item=services.item_for(firms.key, Period(2024, 5)),
        user=reporter,
        seen_version=may.version,
        at=datetime(2024, 5, 28, 9, 0, tzinfo=SHANGHAI),
    )
    may.refresh_from_db()
    assert may.late


def test_a_submitted_report_cannot_be_edited_until_returned(login, reporter, firms):
    client = login(reporter)
    _save(client, firms, value="100", progress="进展")
    _submit(client, firms)
    report = ProgressReport.objects.get()
    page = _save(client, firms, value="200", progress="改", version=str(report.version)).content.decode()
    assert "已提交待审核" in page
    report.refresh_from_db()
    assert report.value == Decimal("100")


def _review(client, item, action, reason=""):
    """Approve or return the version on screen."""
    url = reverse("tracking:review", args=[item.key]) + "?period=2024-06"
    version = ProgressReport.objects.get(obligation=item.obligation, period=Period(2024, 6)).version
    return client.post(url, {"action": action, "reason": reason, "version": version})


def test_the_reviewer_returns_with_a_reason_and_the_reporter_can_correct(login, reporter, reviewer, firms):
    client = login(reporter)
    _save(client, firms, value="100", progress="进展")
    _submit(client, firms)
    reviewer_client = login(reviewer)
    _review(reviewer_client, firms, "return", "")
    assert ProgressReport.objects.get().status == "submitted"  # no reason, no return
    _review(reviewer_client, firms, "return", "请补充佐证材料")
    report = ProgressReport.objects.get()
    assert (report.status, report.return_reason, report.reviewed_by) == (
        "returned",
        "请补充佐证材料",
        reviewer,
    )
    page = login(reporter).get(reverse("tracking:entry", args=[firms.key])).content.decode()
    assert "请补充佐证材料" in page and "已退回" in page
    _save(login(reporter), firms, value="110", progress="已补充", version=str(report.version))
    assert ProgressReport.objects.get().value == Decimal("110")


def test_an_approved_report_is_locked_and_only_the_task_force_reopens_it(
    login, reporter, reviewer, coordinator, firms
):
    client = login(reporter)
    _save(client, firms, value="100", progress="进展")
    _submit(client, firms)
    _review(login(reviewer), firms, "approve")
    report = ProgressReport.objects.get()
    assert report.status == "approved"
    assert (
        "已审核通过并锁定"
        in _save(login(reporter), firms, value="1", version=str(report.version)).content.decode()
    )
    reopen = reverse("tracking:reopen", args=[firms.key]) + "?period=2024-06"
    assert login(reviewer).post(reopen, {"reason": "数据有误"}).status_code == 403
    login(coordinator).post(reopen, {"reason": "统计口径调整"})
    report.refresh_from_db()
    assert (report.status, report.return_reason) == ("returned", "统计口径调整")
    assert report.history.first().history_change_reason == "重新打开：统计口径调整"


@pytest.mark.parametrize(
    "name",
    [
        "tracking:save",
        "tracking:submit",
        "tracking:review",
        "tracking:reopen",
        "tracking:evidence-upload",
    ],
)
def test_a_leader_gets_403_on_every_write(login, leader, firms, name):
    _report(firms, status="submitted", value=Decimal("1"), progress="x")
    response = login(leader).post(reverse(name, args=[firms.key]) + "?period=2024-06", {"reason": "x"})
    assert response.status_code == 403
    assert ProgressReport.objects.get().status == "submitted"


def test_a_leader_reads_the_report(login, leader, firms):
    _report(firms, status="submitted", value=Decimal("99"), progress="进展顺利")
    page = login(leader).get(reverse("tracking:entry", args=[firms.key])).content.decode()
    assert "进展顺利" in page and "提交审核" not in page


@pytest.mark.parametrize("name", ["tracking:entry", "tracking:save", "tracking:submit"])
def test_staff_of_another_county_get_404(login, stranger, firms, name):
    client = login(stranger)
    response = (
        client.post(reverse(name, args=[firms.key]))
        if name != "tracking:entry"
        else client.get(reverse(name, args=[firms.key]))
    )
    assert response.status_code == 404


def test_another_department_of_the_county_gets_404_for_the_bureaus_report(login, departments, firms):
    finance_reporter = make_user("finance", departments["finance"], Role.REPORTER)
    assert login(finance_reporter).get(reverse("tracking:entry", args=[firms.key])).status_code == 404


def test_evidence_is_kept_and_served_only_to_those_who_may_see_it(
    login, reporter, stranger, firms, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client = login(reporter)
    url = reverse("tracking:evidence-upload", args=[firms.key]) + "?period=2024-06"
    upload = SimpleUploadedFile("认定名单.pdf", b"%PDF-1.4 list", content_type="application/pdf")
    page = client.post(url, {"file": upload}, **HTMX).content.decode()
    assert "认定名单.pdf" in page
    evidence = Evidence.objects.get()
    assert evidence.report.department_id == firms.department_id
    download = client.get(reverse("tracking:evidence-file", args=[evidence.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 list"
    assert login(stranger).get(reverse("tracking:evidence-file", args=[evidence.pk])).status_code == 404


def test_evidence_of_a_forbidden_type_or_size_is_refused(login, reporter, firms, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.EVIDENCE_MAX_BYTES = 10
    client = login(reporter)
    url = reverse("tracking:evidence-upload", args=[firms.key]) + "?period=2024-06"
    page = client.post(url, {"file": SimpleUploadedFile("run.exe", b"MZ")}, **HTMX).content.decode()
    assert "不能上传 .exe 类型的文件" in page
    page = client.post(url, {"file": SimpleUploadedFile("big.pdf", b"x" * 11)}, **HTMX).content.decode()
    assert "最大只能上传" in page
    assert not Evidence.objects.exists()


def test_a_co_responsible_department_contributes_and_the_lead_sees_it(login, departments, reporter, active):
    finance_reporter = make_user("finance", departments["finance"], Role.REPORTER)
    task = Task.objects.get(title="培育高新技术企业")
    client = login(finance_reporter)
    due = client.get(reverse("tracking:due")).content.decode()
    assert "配合任务" in due and "培育高新技术企业" in due
    url = reverse("tracking:contribute", args=[task.pk]) + "?period=2024-06"
    client.post(url, {"text": "兑现高企奖补资金200万元", "value": ""})
    contribution = Contribution.objects.get()
    assert (contribution.department, contribution.period) == (departments["finance"], Period(2024, 6))
    indicator = active.indicators.get(name="净增高新技术企业")
    page = login(reporter).get(reverse("tracking:entry", args=[f"i{indicator.pk}"])).content.decode()
    assert "兑现高企奖补资金200万元" in page and "县财政局" in page


def test_every_change_is_on_the_targets_page(login, reporter, reviewer, firms):
    client = login(reporter)
    _save(client, firms, value="100", progress="进展")
    _save(client, firms, value="130", progress="进展", version="1")
    page = (
        login(reviewer).get(reverse("tracking:indicator-detail", args=[firms.indicator.pk])).content.decode()
    )
    assert "变更记录" in page
    assert "<del>100</del> → 130" in page
    assert "reporter" in page


def test_the_coordinator_sets_the_calendar_and_bad_days_are_refused(login, coordinator, reporter, active):
    url = reverse("tracking:plan-calendar", args=[active.pk])
    assert login(reporter).get(url).status_code == 403
    client = login(coordinator)
    thresholds = {"lamp_green_gap": "0", "lamp_red_gap": "20"}
    page = client.post(
        url, {"report_opens_day": "26", "report_due_day": "25", "report_grace_days": "2", **thresholds}
    )
    assert "开始填报日不能晚于截止日" in page.content.decode()
    page = client.post(
        url,
        {
            "report_opens_day": "20",
            "report_due_day": "25",
            "report_grace_days": "2",
            "lamp_green_gap": "30",
            "lamp_red_gap": "20",
        },
    )
    assert "红灯阈值须大于绿灯阈值" in page.content.decode()
    client.post(
        url,
        {
            "report_opens_day": "15",
            "report_due_day": "20",
            "report_grace_days": "0",
            "lamp_green_gap": "5",
            "lamp_red_gap": "15",
        },
    )
    active.refresh_from_db()
    assert (active.report_opens_day, active.report_due_day, active.report_grace_days) == (15, 20, 0)
    assert (active.lamp_green_gap, active.lamp_red_gap) == (5, 15)


def test_the_due_list_queries_do_not_grow_with_the_plan(
    login, reporter, regions, departments, django_assert_max_num_queries
):
    from plans.services import create_plan

    from ..conftest import PLAN_STRUCTURE

    template = PLAN_STRUCTURE["sections"][0]["tasks"][0]
    for size in (1, 15):
        structure = {
            **PLAN_STRUCTURE,
            "title": f"计划{size}",
            "sections": [
                {
                    "label": "(一)",
                    "title": "板块",
                    "theme": "",
                    "tasks": [{**template, "number": str(n), "title": f"任务{n}"} for n in range(size)],
                }
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
            make_report(
                indicator=indicator,
                department=departments["bureau"],
                period=Period(2024, 5),
                value=1,
                status="approved",
            )
        client = login(reporter)
        with django_assert_max_num_queries(14):
            page = client.get(reverse("tracking:due")).content.decode()
        assert page.count('class="state-missing"') >= size


def test_current_period_follows_the_window_and_the_plan_span(active):
    from datetime import date

    assert active.reporting_period(date(2024, 6, 19)) == Period(2024, 5)
    assert active.reporting_period(date(2024, 6, 20)) == Period(2024, 6)
    assert active.reporting_period(date(2024, 1, 5)) is None  # before the plan's first month
    assert active.reporting_period(date(2025, 1, 10)) == Period(2024, 12)  # December's reports
    assert active.reporting_period(date(2025, 4, 1)) is None


def test_a_changed_target_and_a_changed_responsibility_are_on_record(login, coordinator, firms, departments):
    from plans.models import Responsibility

    indicator = firms.indicator
    indicator.target = Decimal("320")
    indicator._change_reason = "市政府调整目标"
    indicator.save()
    co = Responsibility.objects.get(task=indicator.task, department=departments["finance"])
    co.role = "lead"
    co.save()
    page = login(coordinator).get(reverse("tracking:indicator-detail", args=[indicator.pk])).content.decode()
    assert "<del>310</del> → 320" in page and "市政府调整目标" in page
    assert "责任分工：县财政局" in page and "<del>配合</del> → 牵头" in page


def test_a_leader_cannot_contribute_or_set_the_calendar(login, leader, active):
    task = Task.objects.get(title="培育高新技术企业")
    client = login(leader)
    assert client.post(reverse("tracking:contribute", args=[task.pk]), {"text": "x"}).status_code == 403
    assert client.post(reverse("tracking:plan-calendar", args=[active.pk]), {}).status_code == 403
    assert not Contribution.objects.exists()
