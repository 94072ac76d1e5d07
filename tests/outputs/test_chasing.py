"""Chasing (催办): completeness of a month's reporting, the reminder cadence, and the manual send."""

import re
import threading
from collections import Counter
from datetime import date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.urls import reverse
from django_tasks import TaskResultStatus

from departments.models import Department, Membership, Role
from outputs import chasing
from outputs.models import Reminder
from outputs.tasks import send_reminders_task
from plans.models import Indicator, Task
from plans.periods import Period
from plans.services import create_plan
from tracking.models import ProgressReport

from ..conftest import make_report, make_user, owe

pytestmark = pytest.mark.django_db

ZONE = ZoneInfo("Asia/Shanghai")
JUNE = Period(2024, 6)
Status = ProgressReport.Status
Stage = Reminder.Stage


def at(day: date, hour: int = 8) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=ZONE)


@pytest.fixture(autouse=True)
def real_calendar(settings):
    """Tests fix the day with time-machine, whatever REPORTING_TODAY the shell has."""
    settings.REPORTING_TODAY = ""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def travel():
    """Freeze the clock at 8:00 (or the hour given) in the bureau's time zone on the given day."""
    travellers = []

    def _travel(day: date, hour: int = 8):
        if travellers:
            travellers.pop().stop()
        traveller = time_machine.travel(at(day, hour), tick=False)
        traveller.start()
        travellers.append(traveller)

    yield _travel
    for traveller in travellers:
        traveller.stop()


@pytest.fixture
def people(departments):
    """Reporters and a reviewer with email addresses, and the task force of the county."""
    return {
        "bureau_reporter": make_user(
            "bureau_reporter", departments["bureau"], Role.REPORTER, email="br@x.cn"
        ),
        "finance_reporter": make_user(
            "finance_reporter", departments["finance"], Role.REPORTER, email="fr@x.cn", first_name="财政科员"
        ),
        "bureau_reviewer": make_user(
            "bureau_reviewer", departments["bureau"], Role.REVIEWER, email="bv@x.cn"
        ),
        "task_force": make_user("task_force", departments["bureau"], Role.COORDINATOR, email="tf@x.cn"),
    }


def _report(indicator_name: str, department, status: str, *, late: bool = False, month: int = 6, **extra):
    indicator = Indicator.objects.get(name=indicator_name)
    return make_report(
        indicator=indicator,
        department=department,
        period=Period(2024, month),
        value=1,
        progress="推进中",
        status=status,
        late=late,
        submitted_at=None if status == Status.DRAFT else at(date(2024, month, 24)),
        **extra,
    )


def _run(day: date | None = None, *args: str) -> str:
    out = StringIO()
    options = ["--date", day.isoformat()] if day else []
    call_command("send_reminders", *options, *args, stdout=out)
    return out.getvalue()


# --- cadence ------------------------------------------------------------------------------


def test_june_reminders_fall_three_days_before_on_the_due_day_and_after_the_grace_days(plan):
    assert chasing.stage_days(plan, JUNE) == {
        Stage.BEFORE: date(2024, 6, 22),
        Stage.DUE: date(2024, 6, 25),
        Stage.OVERDUE: date(2024, 6, 28),
        Stage.ESCALATED: date(2024, 7, 1),
        Stage.TASK_FORCE: date(2024, 7, 5),
    }


def test_reminders_are_due_on_the_cadence_days_and_on_no_other_day(plan):
    expected = {
        date(2024, 6, 4): [(Period(2024, 5), Stage.TASK_FORCE)],
        date(2024, 6, 22): [(JUNE, Stage.BEFORE)],
        date(2024, 6, 25): [(JUNE, Stage.DUE)],
        date(2024, 6, 28): [(JUNE, Stage.OVERDUE)],
        date(2024, 7, 1): [(JUNE, Stage.ESCALATED)],
        date(2024, 7, 5): [(JUNE, Stage.TASK_FORCE)],
    }
    day = date(2024, 6, 1)
    while day <= date(2024, 7, 15):
        assert chasing.stages_on(plan, day) == expected.get(day, []), day
        day += timedelta(days=1)


def test_with_no_grace_days_the_overdue_reminder_still_keeps_the_quiet_days(plan):
    plan.report_grace_days = 0
    plan.report_opens_day = 24
    days = chasing.stage_days(plan, JUNE)
    assert Stage.BEFORE not in days  # three days before the 25th the window is not open yet
    assert days[Stage.OVERDUE] == date(2024, 6, 28)


def test_nothing_is_chased_before_the_plans_first_month(plan):
    assert chasing.stages_on(plan, date(2024, 1, 4)) == []
    assert chasing.stages_on(plan, date(2023, 12, 25)) == []


# --- the daily command --------------------------------------------------------------------


def test_due_day_reminds_each_departments_reporters_in_chinese(plan, people, travel):
    travel(date(2024, 6, 25))
    output = _run()
    assert sorted(m.to[0] for m in mail.outbox) == ["br@x.cn", "fr@x.cn"]
    message = next(m for m in mail.outbox if m.to == ["fr@x.cn"])
    assert message.subject == f"【催办】{plan.title} · 2024年6月月报 · 截止日提醒"
    for text in [
        "财政科员：",
        "今天（2024年6月25日）是2024年6月进度月报的截止日",
        f"计划：{plan.title}",
        "截止日期：2024年6月25日（2024年6月27日后报送记为迟报）",
        "县财政局：1项",
        "新认定省级基地（未填报）",
        "/reports/due/",
    ]:
        assert text in message.body, text
    assert "净增高新技术企业" not in message.body  # the bureau's item goes to the bureau
    reminders = Reminder.objects.order_by("recipient__username")
    assert [(r.recipient.username, r.department.name, r.stage) for r in reminders] == [
        ("bureau_reporter", "县商务科技和工业信息化局", Stage.DUE),
        ("finance_reporter", "县财政局", Stage.DUE),
    ]
    assert all(r.sent_at == at(date(2024, 6, 25)) and r.sent_by is None for r in reminders)
    assert reminders[1].body == message.body
    assert "截止日提醒：2封" in output
    assert "财政科员 <fr@x.cn>：县财政局" in output
    assert "合计：发送2封邮件，记录2条催办" in output


def test_a_department_that_submitted_everything_gets_nothing(plan, departments, people, travel):
    _report("净增高新技术企业", departments["bureau"], Status.SUBMITTED)
    travel(date(2024, 6, 25))
    _run()
    assert [m.to for m in mail.outbox] == [["fr@x.cn"]]
    assert not Reminder.objects.filter(department=departments["bureau"]).exists()


def test_drafts_and_returned_reports_are_chased_with_their_state(plan, departments, people, travel):
    _report(
        "净增高新技术企业",
        departments["bureau"],
        Status.RETURNED,
        return_reason="数据口径有误，请按统计局口径重报",
    )
    _report("新认定省级基地", departments["finance"], Status.DRAFT)
    travel(date(2024, 6, 22))
    _run()
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert "净增高新技术企业（已退回：数据口径有误，请按统计局口径重报）" in bodies["br@x.cn"]
    assert "新认定省级基地（草稿，未提交）" in bodies["fr@x.cn"]
    assert "2024年6月的进度月报将于2024年6月25日截止" in bodies["fr@x.cn"]
    assert set(Reminder.objects.values_list("stage", flat=True)) == {Stage.BEFORE}


def test_running_the_command_twice_on_the_same_day_sends_nothing_new(plan, people, travel):
    travel(date(2024, 6, 25))
    _run()
    output = _run()
    assert len(mail.outbox) == 2
    assert Reminder.objects.count() == 2
    assert "此阶段已发送过：" in output
    assert "合计：发送0封邮件，记录0条催办" in output


def test_before_and_due_reminders_both_reach_the_reporter_three_days_apart(plan, people, travel):
    travel(date(2024, 6, 22))
    _run()
    travel(date(2024, 6, 25))
    _run()
    stages = Reminder.objects.filter(recipient=people["finance_reporter"]).values_list("stage", flat=True)
    assert sorted(stages) == sorted([Stage.BEFORE, Stage.DUE])


def test_nobody_hears_about_the_same_plan_and_month_again_within_three_days(
    plan, departments, people, travel
):
    Reminder.objects.create(
        plan=plan,
        department=departments["finance"],
        recipient=people["finance_reporter"],
        period=Period(2024, 6),
        stage=Stage.MANUAL,
        subject="手动",
        body="手动",
        sent_at=at(date(2024, 6, 23), 16),
        sent_by=people["task_force"],
    )
    travel(date(2024, 6, 25))
    output = _run()
    assert [m.to for m in mail.outbox] == [["br@x.cn"]]
    assert "3天内已催办，暂缓：财政科员" in output
    assert not Reminder.objects.filter(stage=Stage.DUE, recipient=people["finance_reporter"]).exists()


def test_escalation_goes_to_the_reviewer_then_to_the_task_force(plan, departments, people, travel):
    other_task_force = make_user(
        "other_task_force", departments["neighbour"], Role.COORDINATOR, email="other@x.cn"
    )
    travel(date(2024, 7, 1))
    output = _run()
    assert [m.to for m in mail.outbox] == [["bv@x.cn"]]
    assert "您是以下单位的审核员" in mail.outbox[0].body
    assert "没有可发送的人：县财政局" in output  # the finance bureau has no reviewer account
    travel(date(2024, 7, 5))
    _run()
    assert [m.to for m in mail.outbox[1:]] == [["tf@x.cn"]]
    body = mail.outbox[1].body
    assert "工作专班：本计划以下2024年6月进度月报仍未报送" in body
    assert "县商务科技和工业信息化局：1项" in body and "县财政局：1项" in body
    task_force = Reminder.objects.filter(stage=Stage.TASK_FORCE)
    assert {r.department.name for r in task_force} == {"县商务科技和工业信息化局", "县财政局"}
    assert {r.recipient for r in task_force} == {people["task_force"]}
    assert not Reminder.objects.filter(recipient=other_task_force).exists()


def test_users_without_an_email_address_are_skipped_and_counted(plan, departments, people, travel):
    make_user("no_mail", departments["finance"], Role.REPORTER, first_name="无邮箱科员")
    travel(date(2024, 6, 28))
    output = _run()
    assert sorted(m.to[0] for m in mail.outbox) == ["br@x.cn", "fr@x.cn"]
    assert "无邮箱地址，未发送：无邮箱科员" in output
    assert "1人无邮箱" in output
    assert not Reminder.objects.filter(recipient__username="no_mail").exists()
    assert "已逾期，请尽快补报" in mail.outbox[0].body


def test_nothing_is_sent_on_other_days_or_for_draft_plans(plan, people, travel):
    travel(date(2024, 6, 24))
    assert "今天没有需要发送的催办。" in _run()
    plan.status = "draft"
    plan.save()
    travel(date(2024, 6, 25))
    _run()
    assert mail.outbox == []
    assert not Reminder.objects.exists()


def test_a_dry_run_sends_and_records_nothing(plan, people):
    output = _run(date(2024, 6, 25), "--dry-run")
    assert "试运行：未发送，也未记录。" in output
    assert "截止日提醒：2封" in output
    assert mail.outbox == []
    assert not Reminder.objects.exists()


def test_the_date_option_replays_a_missed_day_and_records_it_on_that_day(plan, people, travel):
    travel(date(2024, 6, 30))
    _run(date(2024, 6, 28))
    assert {timezone_day(r.sent_at) for r in Reminder.objects.all()} == {date(2024, 6, 28)}
    assert {r.stage for r in Reminder.objects.all()} == {Stage.OVERDUE}


def timezone_day(moment: datetime) -> date:
    return moment.astimezone(ZONE).date()


def test_a_bad_date_is_refused_in_chinese():
    with pytest.raises(CommandError, match="须为形如 2024-06-25 的日期，而不是 25.6.2024"):
        _run(None, "--date", "25.6.2024")
    with pytest.raises(CommandError, match="25.6.2024"):
        call_command("send_reminders", date="25.6.2024")


# --- completeness -------------------------------------------------------------------------


def test_completeness_counts_each_state_and_keeps_lateness_apart_from_approval(plan, departments, travel):
    plan.issuing_department = departments["bureau"]
    plan.save()
    owe(plan)
    _report("净增高新技术企业", departments["bureau"], Status.APPROVED, late=True)
    _report("全社会研发经费投入增长", departments["bureau"], Status.SUBMITTED, late=False)
    _report("新认定省级基地", departments["finance"], Status.RETURNED)
    _report("新认定省级基地", departments["finance"], Status.APPROVED, month=5)  # another month
    result = chasing.completeness(plan, JUNE)
    bureau = result.row_for(departments["bureau"].pk)
    finance = result.row_for(departments["finance"].pk)
    assert (bureau.expected, bureau.submitted, bureau.approved, bureau.reported) == (2, 1, 1, 2)
    assert (bureau.on_time, bureau.late, bureau.missing, bureau.outstanding, bureau.rate) == (1, 1, 0, 0, 100)
    assert (finance.expected, finance.returned, finance.reported, finance.missing) == (1, 1, 0, 0)
    assert (finance.on_time, finance.late, finance.outstanding, finance.rate) == (0, 0, 1, 0)
    total = result.total
    assert (total.expected, total.reported, total.returned, total.on_time, total.late) == (3, 2, 1, 1, 1)
    assert [row.department for row in result.rows] == [departments["finance"], departments["bureau"]]


def test_a_narrative_task_and_a_draft_count_as_expected_and_not_reported(plan, departments):
    task = Task.objects.get(title="建设省级基地")
    Indicator.objects.filter(task=task).delete()  # now a task without a number: a narrative report
    owe(plan)
    make_report(task=task, department=departments["finance"], period=Period(2024, 6))
    row = chasing.completeness(plan, JUNE).row_for(departments["finance"].pk)
    assert (row.expected, row.draft, row.missing, row.reported) == (1, 1, 0, 0)


# --- the page -----------------------------------------------------------------------------


def _page(plan, period: str | None = None) -> str:
    url = reverse("outputs:completeness", args=[plan.pk])
    return f"{url}?period={period}" if period else url


def _remind_url(plan, department) -> str:
    return reverse("outputs:remind", args=[plan.pk, department.pk])


def test_coordinator_sees_completeness_per_department_in_chinese(
    login, coordinator, plan, departments, travel
):
    _report("净增高新技术企业", departments["bureau"], Status.SUBMITTED, late=True)
    travel(date(2024, 6, 28))
    response = login(coordinator).get(_page(plan))
    assert response.status_code == 200
    page = response.content.decode()
    for text in [
        "填报完整度",
        "县商务科技和工业信息化局",
        "县财政局",
        "应报",
        "未填报",
        "迟报",
        "全计划合计",
        "发送催办",
        "2024年6月",
        "截止已过",
        "2024年7月5日 · 逾期，提醒工作专班",
    ]:
        assert text in page, text
    assert page.index("县财政局") < page.index("县商务科技和工业信息化局")  # furthest behind first


def test_page_lists_each_email_once_with_the_departments_it_named(login, coordinator, plan, people, travel):
    travel(date(2024, 7, 5))
    _run()  # the task force's reminder names both departments: two rows, one email
    page = login(coordinator).get(_page(plan, "2024-06")).content.decode()
    assert page.count("逾期，提醒工作专班</td>") == 1
    assert "县商务科技和工业信息化局、县财政局" in page or "县财政局、县商务科技和工业信息化局" in page


def test_period_links_have_href_and_hx_get_and_select_the_month(
    login, coordinator, plan, departments, travel
):
    _report("新认定省级基地", departments["finance"], Status.APPROVED, month=5)
    travel(date(2024, 6, 28))
    client = login(coordinator)
    page = client.get(_page(plan)).content.decode()
    may = _page(plan, "2024-05")
    assert f'href="{may}"' in page and f'hx-get="{may}"' in page
    assert f'href="{_page(plan, "2024-07")}"' not in page  # July owes nothing yet
    fragment = client.get(may, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment and 'id="completeness"' in fragment
    assert "2024年5月" in fragment
    assert client.get(_page(plan, "2024-07")).status_code == 404
    assert client.get(_page(plan, "juni")).status_code == 404


def test_leader_reads_the_page_but_cannot_send(login, leader, plan, departments, travel):
    travel(date(2024, 6, 28))
    client = login(leader)
    response = client.get(_page(plan))
    assert response.status_code == 200
    assert 'class="remind"' not in response.content.decode()
    assert client.post(_remind_url(plan, departments["finance"]), {"period": "2024-06"}).status_code == 403
    assert not Reminder.objects.exists()


def test_stranger_gets_404_and_a_reporter_of_the_plan_403(login, client, stranger, reporter, plan):
    assert login(stranger).get(_page(plan)).status_code == 404
    client.logout()
    assert login(reporter).get(_page(plan)).status_code == 403


def test_coordinator_sends_a_reminder_by_hand_and_sees_the_row_again(
    login, coordinator, plan, departments, people, travel
):
    travel(date(2024, 6, 25))
    _run()  # the due-day reminder went out this morning; a manual one is not held back
    travel(date(2024, 6, 25), hour=15)
    response = login(coordinator).post(
        _remind_url(plan, departments["finance"]), {"period": "2024-06"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    row = response.content.decode()
    assert row.lstrip().startswith("<tr") and "县财政局" in row
    assert "已向财政科员发送催办。" in row and "人工催办" in row
    manual = Reminder.objects.get(stage=Stage.MANUAL)
    assert (manual.sent_by, manual.recipient, manual.department) == (
        coordinator,
        people["finance_reporter"],
        departments["finance"],
    )
    assert mail.outbox[-1].to == ["fr@x.cn"]
    assert "工作专班coordinator提醒您" in mail.outbox[-1].body
    assert "新认定省级基地（未填报）" in mail.outbox[-1].body


def test_manual_send_without_htmx_redirects_with_a_message(login, coordinator, plan, departments, people):
    client = login(coordinator)
    response = client.post(_remind_url(plan, departments["finance"]), {"period": "2024-06"}, follow=True)
    assert response.redirect_chain[-1][0] == _page(plan, "2024-06")
    assert "已向财政科员发送催办。" in response.content.decode()


def test_manual_send_to_a_department_that_owes_nothing_is_refused(
    login, coordinator, plan, departments, people
):
    _report("新认定省级基地", departments["finance"], Status.SUBMITTED)
    response = login(coordinator).post(
        _remind_url(plan, departments["finance"]), {"period": "2024-06"}, headers={"HX-Request": "true"}
    )
    assert "县财政局在2024年6月没有待报事项。" in response.content.decode()
    assert mail.outbox == [] and not Reminder.objects.exists()


def test_manual_send_to_a_department_outside_the_plan_is_404(login, coordinator, plan, departments):
    response = login(coordinator).post(_remind_url(plan, departments["neighbour"]), {"period": "2024-06"})
    assert response.status_code == 404


def test_manual_send_counts_reporters_without_email(login, coordinator, plan, departments):
    make_user("no_mail", departments["finance"], Role.REPORTER, first_name="无邮箱科员")
    response = login(coordinator).post(
        _remind_url(plan, departments["finance"]), {"period": "2024-06"}, headers={"HX-Request": "true"}
    )
    assert "没有邮箱地址：无邮箱科员。" in response.content.decode()
    assert mail.outbox == [] and not Reminder.objects.exists()


# --- sent once, even by two runs at once ---------------------------------------------------


def _claimed_meanwhile(monkeypatch, *, recipient, departments):
    """Another run claims these reminders after this run read the earlier ones, before it inserts."""
    compose = chasing.compose

    def compose_and_be_overtaken(**kwargs):
        if kwargs["recipient"] == recipient and not Reminder.objects.filter(recipient=recipient).exists():
            for department in departments:
                Reminder.objects.create(
                    plan=kwargs["plan"],
                    department=department,
                    recipient=recipient,
                    period=kwargs["period"],
                    stage=kwargs["stage"],
                    subject="另一进程",
                    body="另一进程",
                    sent_at=at(date(2024, 6, 25)),
                )
        return compose(**kwargs)

    monkeypatch.setattr(chasing, "compose", compose_and_be_overtaken)


def test_a_reminder_another_run_claimed_first_is_not_sent_again(
    plan, departments, people, travel, monkeypatch
):
    _claimed_meanwhile(
        monkeypatch, recipient=people["finance_reporter"], departments=[departments["finance"]]
    )
    travel(date(2024, 6, 25))
    output = _run()
    assert [m.to for m in mail.outbox] == [["br@x.cn"]]
    assert "此阶段已发送过：财政科员" in output
    assert "合计：发送1封邮件，记录1条催办" in output
    kept = Reminder.objects.get(recipient=people["finance_reporter"])
    assert kept.subject == "另一进程"  # the other run's claim stands; nothing was added beside it


def test_a_message_names_only_the_departments_this_run_claimed(
    plan, departments, people, travel, monkeypatch
):
    both = make_user("both", departments["finance"], Role.REPORTER, email="both@x.cn")
    Membership.objects.create(user=both, department=departments["bureau"], role=Role.REPORTER)
    _claimed_meanwhile(monkeypatch, recipient=both, departments=[departments["bureau"]])
    travel(date(2024, 6, 25))
    _run()
    message = next(m for m in mail.outbox if m.to == ["both@x.cn"])
    assert "县财政局：1项" in message.body
    assert "县商务科技和工业信息化局" not in message.body  # the other run told them about that one
    mine = Reminder.objects.get(recipient=both, department=departments["finance"])
    assert mine.body == message.body
    assert Reminder.objects.filter(recipient=both).count() == 2


def test_a_second_run_sends_nothing_new_and_a_dry_run_claims_nothing(plan, people, travel):
    travel(date(2024, 6, 25))
    _run(None, "--dry-run")
    assert not Reminder.objects.exists() and mail.outbox == []
    _run()
    first = sorted((m.to[0], m.subject) for m in mail.outbox)
    assert len(first) == 2
    _run()
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == first
    assert Reminder.objects.count() == 2


def test_an_email_that_fails_gives_its_claim_back_for_the_next_run(plan, people, travel, monkeypatch):
    send = mail.EmailMessage.send

    def refuse_finance(message, *args, **kwargs):
        if message.to == ["fr@x.cn"]:
            raise OSError("relay refused")
        return send(message, *args, **kwargs)

    monkeypatch.setattr(mail.EmailMessage, "send", refuse_finance)
    travel(date(2024, 6, 25))
    output = _run()
    assert "发送失败：财政科员" in output
    assert not Reminder.objects.filter(recipient=people["finance_reporter"]).exists()
    monkeypatch.setattr(mail.EmailMessage, "send", send)
    _run()
    assert sorted(m.to[0] for m in mail.outbox) == ["br@x.cn", "fr@x.cn"]


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_each_reminder_exactly_once(plan, departments, travel):
    if connection.vendor != "postgresql":
        pytest.skip("needs two writers at once: SQLite serialises them (run with DATABASE_URL=postgres://…)")
    for n in range(12):
        for key in ("bureau", "finance"):
            make_user(f"{key}{n}", departments[key], Role.REPORTER, email=f"{key}{n}@x.cn")
    travel(date(2024, 6, 25))
    start = threading.Barrier(2)
    outputs, errors = [], []

    def run() -> None:
        try:
            start.wait()
            outputs.append(_run(date(2024, 6, 25)))
        except Exception as exc:  # noqa: BLE001 — reported by the assertion below
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    sent = Counter((m.to[0], m.subject) for m in mail.outbox)
    assert len(sent) == 24 and set(sent.values()) == {1}, sent
    assert Reminder.objects.count() == 24
    assert sum(int(re.search(r"发送(\d+)封邮件", out)[1]) for out in outputs) == 24


def test_the_reminder_run_is_also_a_task_and_the_command_can_queue_it(plan, people, travel, settings):
    travel(date(2024, 6, 25))
    result = send_reminders_task.enqueue("2024-06-25")
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert "截止日提醒：2封" in "\n".join(result.return_value)
    assert len(mail.outbox) == 2
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    output = _run(date(2024, 6, 25), "--enqueue")
    assert "催办已交给后台任务进程执行" in output
    assert len(mail.outbox) == 2  # queued, not run: the worker will find nothing new either


# --- query counts -------------------------------------------------------------------------


def _big_plan(region, count: int, tasks_each: int):
    """A plan whose `count` departments each lead `tasks_each` tasks with two targets and one without."""
    departments = {
        f"部门{n}": Department.objects.create(name=f"部门{n}", region=region) for n in range(count)
    }
    sections = []
    for n, name in enumerate(departments):
        tasks = [
            {
                "number": str(t + 1),
                "title": f"{name}任务{t}",
                "text": "",
                "lead": [name],
                "co": [],
                "indicators": [
                    {
                        "name": f"{name}指标{t}-{i}",
                        "value": 10,
                        "unit": "家",
                        "comparator": ">=",
                        "kind": "count",
                    }
                    for i in range(2 if t else 0)
                ],
            }
            for t in range(tasks_each)
        ]
        sections.append({"label": f"({n + 1})", "title": f"板块{n}", "theme": "", "tasks": tasks})
    structure = {"title": f"大计划{count}", "year": 2024, "goals": [], "sections": sections}
    plan = owe(create_plan(structure=structure, region=region, departments=departments, status="active"))
    for indicator in Indicator.objects.filter(plan=plan)[: count * 3]:
        lead = indicator.task.responsibilities.get().department
        make_report(
            indicator=indicator, department=lead, period=Period(2024, 6), status=Status.SUBMITTED, value=1
        )
    return plan, departments


@pytest.mark.parametrize(("count", "tasks_each"), [(2, 2), (10, 6)])
def test_completeness_page_queries_do_not_grow_with_the_plan(
    login, coordinator, regions, travel, django_assert_max_num_queries, count, tasks_each
):
    plan, departments = _big_plan(regions["county"], count, tasks_each)
    for department in list(departments.values())[:3]:
        Reminder.objects.create(
            plan=plan,
            department=department,
            recipient=coordinator,
            period=Period(2024, 6),
            stage=Stage.DUE,
            subject="s",
            body="b",
            sent_at=at(date(2024, 6, 25)),
        )
    travel(date(2024, 6, 28))
    client = login(coordinator)
    with django_assert_max_num_queries(12):
        response = client.get(_page(plan))
    page = response.content.decode()
    assert page.count('id="chasing-department-') == count
    assert f"<b>{count * (tasks_each - 1) * 2 + count}</b>" in page  # expected: targets + narrative tasks
