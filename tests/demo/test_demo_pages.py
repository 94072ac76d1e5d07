"""Issue 9 on the demo data (loaded once for the module): the pages that failed open, and the
pages that count agree.

- case 1: each decomposed target's page (咸宁's targets split to its six counties) answers 200
  for the admin, the city's task force and leader, and a county's reporter;
- case 4: every item in every reviewer's 待我审核 opens, and the completeness page and
  plan_status count the same department for each owed report;
- case 10: 本月填报率 on the cockpit is the completeness page's total rate.
"""

from __future__ import annotations

import json
import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count, Q
from django.test import Client
from django.urls import reverse

from demo.loader import demo_usernames, read_spec
from departments.access import access_of
from outputs import chasing
from plans.models import Indicator, Plan, Responsibility, Task
from plans.periods import Period
from tracking import services
from tracking.models import Obligation, ProgressReport
from tracking.progress import plan_status

pytestmark = pytest.mark.django_db

XIANNING = "2024年全市科技创新工作要点"
COUNTIES = ["咸安区", "赤壁市", "崇阳县", "通城县", "嘉鱼县", "通山县"]


@pytest.fixture(autouse=True)
def demo_day(settings):
    settings.REPORTING_TODAY = "2024-06-24"


def _client(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


@pytest.mark.parametrize(
    "username", ["admin", "coordinator_xianning", "leader_xianning", "reporter_xianan", "reporter_tongshan"]
)
def test_every_decomposed_target_page_of_the_demo_opens(demo_db, username):
    decomposed = list(
        Indicator.objects.filter(shares__isnull=False).select_related("plan").distinct().order_by("pk")
    )
    assert len(decomposed) >= 3 and {i.plan.title for i in decomposed} == {XIANNING}
    client = _client(username)
    for indicator in decomposed:
        response = client.get(reverse("tracking:indicator-detail", args=[indicator.pk]))
        assert response.status_code == 200, f"{username} on {indicator.name}: {response.status_code}"
        page = response.content.decode()
        assert indicator.name in page and "分解目标" in page
        assert all(f"<td>{county}</td>" in page for county in COUNTIES)


def test_a_county_reporter_reads_only_its_own_shares_reports_on_the_demo(demo_db):
    indicator = Indicator.objects.filter(shares__region__name="咸安区").order_by("pk").first()
    page = _client("reporter_xianan").get(reverse("tracking:indicator-detail", args=[indicator.pk]))
    page = page.content.decode()
    reports = page[page.index("月度填报") : page.index("分解目标")]
    assert "咸安区科学技术局" in reports
    for other in ("赤壁市科学技术局", "通山县科学技术局", "崇阳县科学技术局", "市科技局"):
        assert other not in reports


# --- case 4: reports of a task's second lead department ---------------------------------------


def test_the_demo_has_tasks_with_two_lead_departments_and_only_the_first_reports(demo_db):
    two_leads = Task.objects.annotate(
        leads=Count("responsibilities", filter=Q(responsibilities__role=Responsibility.Role.LEAD))
    ).filter(leads__gte=2)
    assert two_leads.count() >= 5
    for task in two_leads:
        first, second = [
            r.department for r in task.responsibilities.filter(role="lead").order_by("position")
        ][:2]
        reports = ProgressReport.objects.filter(
            Q(obligation__task=task) | Q(obligation__indicator__task=task)
        )
        assert reports.exists()
        assert set(reports.values_list("obligation__department", flat=True)) == {first.pk}
        assert Obligation.objects.contributions().filter(task=task, department=second).exists()


def test_every_item_awaiting_each_reviewers_review_opens(demo_db):
    opened = 0
    for username in demo_usernames(read_spec()):
        user = get_user_model().objects.get(username=username)
        if not access_of(user).reviews_anything:
            continue
        client = _client(username)
        due = client.get(reverse("tracking:due")).content.decode()
        queue = due[due.index("待我审核") :] if "待我审核" in due else ""
        links = re.findall(r'href="(/[^"]*/item/[ist]\d+/\?period=[\d-]+)"', queue)
        assert len(links) == len(services.review_queue(user))
        for link in links:
            response = client.get(link.replace("&amp;", "&"))
            assert response.status_code == 200, f"{username}: {link} answered {response.status_code}"
            page = response.content.decode()
            assert "已提交" in page and "审核通过" in page
            opened += 1
    assert opened >= 20


def _counts(counts) -> tuple:
    return (counts.expected, counts.submitted, counts.approved, counts.returned, counts.draft, counts.missing)


@pytest.mark.parametrize("month", [5, 6])
def test_completeness_and_plan_status_count_the_same_department_for_each_owed_report(demo_db, month):
    period = Period(2024, month)
    for plan in Plan.objects.filter(status=Plan.Status.ACTIVE):
        page = chasing.completeness(plan, period)
        result = plan_status([plan], period)
        assert {row.department.pk: _counts(row) for row in page.rows} == {
            group.key: _counts(group.reporting) for group in result.reporting_departments
        }, plan.title
        on_page = {row.department.pk: row for row in page.rows}
        for group in result.departments:  # the lead departments the cockpit and bulletin rank
            assert group.key in on_page, f"{group.label} is ranked but owes nothing in {plan.title}"
            for row in group.rows:
                owed = (
                    Obligation.objects.reports().filter(indicator=row.indicator, share=None).active_in(period)
                )
                assert list(owed.values_list("department", flat=True)) == [group.key]
                reported = ProgressReport.objects.filter(
                    obligation__indicator=row.indicator, obligation__share=None, period__lte=period
                )
                assert set(reported.values_list("obligation__department", flat=True)) <= {group.key}


def test_the_plan_status_command_names_the_department_the_completeness_page_lists(demo_db):
    for plan in Plan.objects.filter(status=Plan.Status.ACTIVE):
        out = StringIO()
        call_command("plan_status", plan.pk, "--as-of", "2024-06", "--json", stdout=out)
        leads = {row["lead"] for row in json.loads(out.getvalue())["indicators"] if row["lead"]}
        page = _client("admin").get(reverse("outputs:completeness", args=[plan.pk]) + "?period=2024-06")
        rows = r'<tr id="chasing-department-\d+">\s*<td>([^<]+)</td>'
        listed = set(re.findall(rows, page.content.decode()))
        assert leads and leads <= listed, plan.title


# --- case 10: counts agree ----------------------------------------------------------------------


def test_the_due_lists_count_is_the_items_shown_as_needing_action(demo_db):
    checked = 0
    for username in demo_usernames(read_spec()):
        user = get_user_model().objects.get(username=username)
        if not access_of(user).reports:
            continue
        page = _client(username).get(reverse("tracking:due")).content.decode()
        section = page[page.index("待填报") : page.index("</table>")]
        count = int(re.search(r'class="muted count">(\d+)<', section).group(1))
        rows = re.findall(r'<tr class="state-(\w+)( overdue)?">', section)
        needing = [state for state, overdue in rows if state in ("missing", "draft", "returned") or overdue]
        assert count == len(needing), username
        assert len(rows) == len(services.due_items(user))
        checked += 1
    assert checked >= 8


@pytest.mark.parametrize("username", ["admin", "coordinator_xianning", "leader_changsha", "coordinator"])
def test_the_cockpits_reporting_rate_is_the_completeness_pages_total_rate(demo_db, username):
    client = _client(username)
    user = get_user_model().objects.get(username=username)
    for plan in Plan.objects.visible_to(user).filter(status=Plan.Status.ACTIVE):
        cockpit = client.get(reverse("dashboards:plan-cockpit", args=[plan.pk]) + "?period=2024-06")
        figure = re.search(
            r'class="figure reporting"><b>([^<]+)</b>本月填报率<small>([^<]+)</small>',
            cockpit.content.decode(),
        )
        completeness = chasing.completeness(plan, Period(2024, 6)).total
        assert figure.group(1) == f"{completeness.rate}%", plan.title
        assert figure.group(2) == f"应报{completeness.expected}项，已报{completeness.reported}项"
        page = client.get(
            reverse("outputs:completeness", args=[plan.pk]) + "?period=2024-06"
        ).content.decode()
        assert f"{completeness.reported} <small>({completeness.rate}%)</small>" in page
