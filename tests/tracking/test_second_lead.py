"""Issue 9, case 4: a task with two lead departments (牵头单位).

Only the first lead owes the target's monthly report; the second owes a contribution (配合).
When the first lead changes, what is owed moves from the month being reported on, and the
reports already filed stay with the department that filed them: counted for it, not again.
(The demo's tasks with two leads are checked in tests/demo/test_demo_pages.py.)
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from departments.models import Role
from outputs import chasing
from plans.models import Responsibility
from plans.periods import Period
from tracking import obligations, services
from tracking.models import Obligation
from tracking.progress import plan_status

from ..conftest import make_report, make_user

pytestmark = pytest.mark.django_db

MAY, JUNE, JULY = Period(2024, 5), Period(2024, 6), Period(2024, 7)


@pytest.fixture(autouse=True)
def june_22(settings):
    settings.REPORTING_TODAY = "2024-06-22"


@pytest.fixture
def firms(plan, departments):
    """净增高新技术企业, its task led by the bureau and then the finance bureau (two leads)."""
    indicator = plan.indicators.get(name="净增高新技术企业")
    Responsibility.objects.filter(task=indicator.task, department=departments["finance"]).update(
        role=Responsibility.Role.LEAD
    )
    obligations.sync(plan, starting=plan.first_period)
    return indicator


def _owed(indicator, period):
    return {
        (o.kind, o.department.name)
        for o in Obligation.objects.filter(task=indicator.task).active_in(period)
        | Obligation.objects.filter(indicator=indicator, share=None).active_in(period)
    }


def _completeness(plan, period) -> dict[int, tuple[int, int]]:
    """Owed and reported per department, as the completeness page counts them."""
    return {
        row.department.pk: (row.expected, row.reported) for row in chasing.completeness(plan, period).rows
    }


def _make_finance_the_first_lead(indicator, departments):
    Responsibility.objects.filter(task=indicator.task, department=departments["finance"]).update(position=0)
    Responsibility.objects.filter(task=indicator.task, department=departments["bureau"]).update(position=1)
    return obligations.sync(indicator.plan)  # from the month being reported: June


def test_only_the_first_lead_owes_the_targets_report_the_second_a_contribution(firms, departments, login):
    assert _owed(firms, JUNE) == {("report", "县商务科技和工业信息化局"), ("contribution", "县财政局")}
    finance = make_user("finance_reporter", departments["finance"], Role.REPORTER)
    page = login(finance).get(reverse("tracking:due")).content.decode()
    assert "配合任务" in page and "培育高新技术企业" in page
    assert "净增高新技术企业" not in page[: page.index("配合任务")]  # not on its list to report
    assert login(finance).get(reverse("tracking:entry", args=[f"i{firms.pk}"])).status_code == 404


def test_a_new_first_lead_owes_from_the_month_being_reported_and_past_reports_stay(firms, departments):
    for month in range(1, 6):
        make_report(indicator=firms, period=Period(2024, month), value=Decimal(20 * month), status="approved")
    before = {period: _completeness(firms.plan, period) for period in (MAY, JUNE)}
    result = _make_finance_the_first_lead(firms, departments)
    assert result.changed

    assert _owed(firms, MAY) == {("report", "县商务科技和工业信息化局"), ("contribution", "县财政局")}
    assert _owed(firms, JUNE) == {("report", "县财政局"), ("contribution", "县商务科技和工业信息化局")}
    key = f"i{firms.pk}"
    may, june = services.item_for(key, MAY), services.item_for(key, JUNE)
    assert (may.obligation.department, may.state) == (departments["bureau"], "approved")
    assert (june.obligation.department, june.state) == (departments["finance"], "missing")

    # May stays counted once, for the bureau that filed it; June's report moves to the finance bureau
    assert _completeness(firms.plan, MAY) == before[MAY]
    bureau, finance = departments["bureau"].pk, departments["finance"].pk
    assert before[MAY][bureau] == (1, 1)
    after = _completeness(firms.plan, JUNE)
    assert before[JUNE][bureau] == (1, 0) and bureau not in after  # it owed only this target
    assert after[finance] == (before[JUNE][finance][0] + 1, 0)
    for period, lead in ((MAY, "县商务科技和工业信息化局"), (JUNE, "县财政局")):
        (row,) = plan_status([firms.plan], period).rows_for(firms)
        assert row.lead.name == lead
        assert row.value == Decimal("100")  # May's figure is still the latest known

    # the history of the item keeps May with the bureau
    assert [r.department for r in services.history_of(june)][-1] == departments["bureau"]


def test_a_month_the_old_lead_began_stays_with_it_and_the_new_lead_starts_after(firms, departments):
    make_report(indicator=firms, period=JUNE, value=Decimal("90"), progress="已开始填报", status="draft")
    _make_finance_the_first_lead(firms, departments)
    key = f"i{firms.pk}"
    june, july = services.item_for(key, JUNE), services.item_for(key, JULY)
    assert (june.obligation.department, june.state) == (departments["bureau"], "draft")
    assert june.report.progress == "已开始填报"
    assert july.obligation.department == departments["finance"]
    rows = {r.department.pk: (r.expected, r.draft) for r in chasing.completeness(firms.plan, JUNE).rows}
    assert rows[departments["bureau"].pk] == (1, 1)  # its draft, still its to finish
    assert rows[departments["finance"].pk] == (1, 0)  # 新认定省级基地 only, as before the change
