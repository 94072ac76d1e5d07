"""Issue 9, case 10, on a small plan whose numbers are known: the due list counts the items
needing action it shows, and 本月填报率 on the cockpit is the completeness page's total rate.
(The same on every demo plan and user is in tests/demo/test_demo_pages.py.)"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from departments.models import Role
from plans.periods import Period

from ..conftest import make_report, make_user, owe

pytestmark = pytest.mark.django_db


@pytest.fixture
def june(settings, plan, departments):
    """June 22: the bureau submitted the firms and drafted the goal; 省级基地 is not started, and
    its May report was returned (so it is overdue on the finance bureau's list)."""
    settings.REPORTING_TODAY = "2024-06-22"
    plan.issuing_department = departments["bureau"]
    plan.save()
    owe(plan)
    names = {i.name: i for i in plan.indicators.all()}
    firms, goal, bases = names["净增高新技术企业"], names["全社会研发经费投入增长"], names["新认定省级基地"]
    for indicator in (firms, goal, bases):  # January to April (and May of the first two) are in
        for month in range(1, 6 if indicator != bases else 5):
            make_report(
                indicator=indicator, period=Period(2024, month), value=Decimal(month), status="approved"
            )
    make_report(
        indicator=bases, period=Period(2024, 5), value=Decimal(1), status="returned", return_reason="核实"
    )
    make_report(
        indicator=firms, period=Period(2024, 6), value=Decimal(150), progress="进展", status="submitted"
    )
    make_report(indicator=goal, period=Period(2024, 6), value=Decimal(9))
    return plan


def _count(page: str) -> int:
    return int(re.search(r'待填报 <span class="muted count">(\d+)</span>', page).group(1))


def test_the_due_list_counts_the_items_needing_action(login, reporter, departments, june):
    page = login(reporter).get(reverse("tracking:due")).content.decode()
    assert _count(page) == 1  # the goal's draft; the submitted firms are shown but need nothing
    assert page.count('<tr class="state-') == 2

    finance = make_user("finance_reporter", departments["finance"], Role.REPORTER)
    page = login(finance).get(reverse("tracking:due")).content.decode()
    assert _count(page) == 2  # June not started, May returned and overdue
    assert "有 1 项以前月份的填报已逾期" in page


def test_the_cockpits_reporting_rate_is_the_completeness_pages(login, coordinator, june):
    client = login(coordinator)
    cockpit = client.get(
        reverse("dashboards:plan-cockpit", args=[june.pk]) + "?period=2024-06"
    ).content.decode()
    assert '<div class="figure reporting"><b>33%</b>本月填报率<small>应报3项，已报1项</small>' in cockpit
    page = client.get(reverse("outputs:completeness", args=[june.pk]) + "?period=2024-06").content.decode()
    assert "<span>应报</span><b>3</b>" in page and "<b>1 <small>(33%)</small></b>" in page
