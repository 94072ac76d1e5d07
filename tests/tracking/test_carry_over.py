"""Issue 9, case 5: the month rolls over.

On 20 July (July's window open), June's returned, draft and missing items stay on 本月待办
marked 逾期; the reminders chase the same items; once the task force waives one (免报, with a
reason) it leaves the due list, the reminders and the completeness counts, with the waiver on
record.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from departments.models import Role
from outputs import chasing
from plans.periods import Period
from tracking.models import Waiver

from ..conftest import make_report, make_user

pytestmark = pytest.mark.django_db

JUNE, JULY = Period(2024, 6), Period(2024, 7)
FIRMS, GOAL, BASES = "净增高新技术企业", "全社会研发经费投入增长", "新认定省级基地"


@pytest.fixture
def june_left_undone(settings, plan, departments):
    """June as the 20th of July finds it: the bureau's firms returned and its goal a draft, the
    finance bureau's 省级基地 not even started (January to May approved)."""
    settings.REPORTING_TODAY = "2024-07-20"
    plan.issuing_department = departments["bureau"]  # the plan goal is the bureau's to report
    plan.save()
    from ..conftest import owe

    owe(plan)
    indicators = {i.name: i for i in plan.indicators.all()}
    for indicator in indicators.values():  # January to May are in
        for month in range(1, 6):
            make_report(
                indicator=indicator, period=Period(2024, month), value=Decimal(month), status="approved"
            )
    make_report(
        indicator=indicators[FIRMS],
        period=JUNE,
        value=Decimal("130"),
        progress="六月进展",
        status="returned",
        return_reason="请补充认定名单",
    )
    make_report(indicator=indicators[GOAL], period=JUNE, value=Decimal("9.5"), status="draft")
    return indicators


@pytest.fixture
def people(departments):
    return {
        "bureau": make_user("bureau_reporter", departments["bureau"], Role.REPORTER, email="b@example.org"),
        "finance": make_user(
            "finance_reporter", departments["finance"], Role.REPORTER, email="f@example.org"
        ),
        "task_force": make_user("task_force", departments["bureau"], Role.COORDINATOR, email="t@example.org"),
    }


def _due_rows(client) -> list[tuple[str, str, bool]]:
    """(target, month, overdue) of each row of the due list as shown."""
    page = client.get(reverse("tracking:due")).content.decode()
    found = []
    for chunk in page.split('<tr class="state-')[1:]:
        head = chunk[: chunk.index("</tr>")]
        month = re.search(r"2024年\d+月", head).group(0)
        title = next(name for name in (FIRMS, GOAL, BASES) if name in head)
        found.append((title, month, "逾期" in head))
    return found


@pytest.mark.parametrize("day", ["2024-07-20", "2024-07-24"])
def test_last_months_unfinished_items_stay_on_the_due_list_marked_overdue(
    client, settings, june_left_undone, people, day
):
    settings.REPORTING_TODAY = day
    client.force_login(people["bureau"])
    page = client.get(reverse("tracking:due")).content.decode()
    assert "有 2 项以前月份的填报已逾期" in page
    assert set(_due_rows(client)) == {
        (FIRMS, "2024年6月", True),
        (FIRMS, "2024年7月", False),
        (GOAL, "2024年6月", True),
        (GOAL, "2024年7月", False),
    }
    client.force_login(people["finance"])
    assert sorted(_due_rows(client)) == [(BASES, "2024年6月", True), (BASES, "2024年7月", False)]
    entry = client.get(reverse("tracking:entry", args=[f"i{june_left_undone[BASES].pk}"]) + "?period=2024-06")
    assert "逾期" in entry.content.decode() and "未填报" in entry.content.decode()


def test_the_reminders_chase_the_same_items_the_due_lists_show(june_left_undone, people, departments):
    owed = chasing.outstanding(june_left_undone[FIRMS].plan, JUNE)
    shown = {
        (department, entry.item.title, entry.state)
        for department, entries in owed.items()
        for entry in entries
    }
    assert shown == {
        (departments["bureau"].pk, FIRMS, "returned"),
        (departments["bureau"].pk, GOAL, "draft"),
        (departments["finance"].pk, BASES, "missing"),
    }
    call_command("send_reminders", "--date", "2024-07-05")  # June's reminder to the task force
    (to_task_force,) = [m for m in mail.outbox if m.to == ["t@example.org"]]
    assert "2024年6月" in to_task_force.subject
    for line in (
        f"· {FIRMS}（已退回：请补充认定名单）",
        f"· {GOAL}（草稿，未提交）",
        f"· {BASES}（未填报）",
    ):
        assert line in to_task_force.body


def test_a_waived_month_leaves_the_due_list_and_the_counts_with_the_waiver_on_record(
    client, june_left_undone, people, departments
):
    plan, bases = june_left_undone[BASES].plan, june_left_undone[BASES]
    before = chasing.completeness(plan, JUNE).total
    client.force_login(people["task_force"])
    response = client.post(
        reverse("tracking:waive", args=[f"i{bases.pk}"]) + "?period=2024-06",
        {"reason": "项目调整，六月无认定工作"},
        follow=True,
    )
    assert "本月月报已免报，不再计为未报。" in response.content.decode()

    waiver = Waiver.objects.get()
    assert (waiver.obligation.department, waiver.period, waiver.reason, waiver.created_by) == (
        departments["finance"],
        JUNE,
        "项目调整，六月无认定工作",
        people["task_force"],
    )
    assert timezone.localdate(waiver.created_at).isoformat() == "2024-07-20"
    assert waiver.history.count() == 1

    client.force_login(people["finance"])
    assert _due_rows(client) == [(BASES, "2024年7月", False)]
    entry = client.get(reverse("tracking:entry", args=[f"i{bases.pk}"]) + "?period=2024-06").content.decode()
    assert "已免报" in entry and "工作专班已免报本月月报： 项目调整，六月无认定工作" in entry

    after = chasing.completeness(plan, JUNE).total
    assert (after.expected, after.missing) == (before.expected - 1, before.missing - 1)
    assert chasing.completeness(plan, JUNE).row_for(departments["finance"].pk) is None  # owes nothing now
    assert departments["finance"].pk not in chasing.outstanding(plan, JUNE)
    call_command("send_reminders", "--date", "2024-07-05")
    (to_task_force,) = [m for m in mail.outbox if m.to == ["t@example.org"]]
    assert BASES not in to_task_force.body and FIRMS in to_task_force.body
