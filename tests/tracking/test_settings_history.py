"""Every setting that changes what users see or owe is on record: who changed it, when, from what.

The reporting calendar and the lamp thresholds (which recolour every lamp), a target's curve,
lamps set by hand, evidence added or removed, memberships and roles; and a target's page shows
the overrides and the reassignments of who reports it, with who, when and why.
"""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from departments.models import Membership, Role
from plans.models import Plan, Responsibility
from plans.periods import Period
from tracking import obligations
from tracking.models import Evidence, Obligation, StatusOverride

from ..conftest import make_report, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def june(settings, tmp_path):
    settings.REPORTING_TODAY = "2024-06-24"
    settings.MEDIA_ROOT = tmp_path


def test_the_calendar_and_the_thresholds_are_on_record_with_who_changed_them(login, coordinator, plan):
    url = reverse("tracking:plan-calendar", args=[plan.pk])
    login(coordinator).post(
        url,
        {
            "report_opens_day": 18,
            "report_due_day": 22,
            "report_grace_days": 1,
            "lamp_green_gap": 5,
            "lamp_red_gap": 25,
        },
    )
    change = Plan.history.filter(id=plan.pk).order_by("-history_date").first()
    before = change.prev_record
    assert (change.history_user, change.report_due_day, change.lamp_red_gap) == (coordinator, 22, 25)
    assert (before.report_due_day, before.lamp_red_gap) == (25, 20)
    assert {c.field for c in change.diff_against(before).changes} >= {"report_due_day", "lamp_red_gap"}


def test_a_curve_and_a_lamp_set_by_hand_are_on_record_and_on_the_targets_page(login, coordinator, plan):
    indicator = plan.indicators.get(name="净增高新技术企业")
    indicator.curve = [0, 0, 0, 0, 0, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 1]
    indicator.save()
    client = login(coordinator)
    override = reverse("tracking:override", args=[indicator.pk]) + "?period=2024-06"
    client.post(override, {"lamp": "yellow", "reason": "6月批次延至7月认定"})
    client.post(override, {"action": "clear"})
    assert indicator.history.count() == 2  # created, then the curve
    rows = StatusOverride.history.filter(indicator_id=indicator.pk).order_by("history_date")
    assert [(row.history_type, row.history_user) for row in rows] == [("+", coordinator), ("-", coordinator)]
    page = client.get(reverse("tracking:indicator-detail", args=[indicator.pk])).content.decode()
    assert "人工调整状态" in page and "6月批次延至7月认定" in page


def test_a_reassignment_of_who_reports_a_target_is_on_the_targets_page(login, coordinator, plan, departments):
    indicator = plan.indicators.get(name="净增高新技术企业")
    lead = Responsibility.objects.get(task=indicator.task, role="lead")
    co = Responsibility.objects.get(task=indicator.task, role="co")
    lead.role, co.role = "co", "lead"
    lead.position, co.position = 1, 0
    lead.save()
    co.save()
    obligations.sync(plan, starting=Period(2024, 6))
    owed = Obligation.objects.filter(indicator=indicator, kind="report").order_by("starts")
    assert [(o.department, o.starts, o.ends) for o in owed] == [
        (departments["bureau"], Period(2024, 1), Period(2024, 5)),
        (departments["finance"], Period(2024, 6), None),
    ]
    page = login(coordinator).get(reverse("tracking:indicator-detail", args=[indicator.pk])).content.decode()
    assert "填报单位：县财政局" in page and "填报单位：县商务科技和工业信息化局" in page


def test_evidence_added_and_removed_is_on_record(login, reporter, plan):
    indicator = plan.indicators.get(name="净增高新技术企业")
    report = make_report(indicator=indicator, period=Period(2024, 6), value=Decimal(1), progress="进展")
    client = login(reporter)
    upload = reverse("tracking:evidence-upload", args=[f"i{indicator.pk}"]) + "?period=2024-06"
    client.post(upload, {"file": SimpleUploadedFile("名单.pdf", b"%PDF-1.4 list")})
    evidence = Evidence.objects.get(report=report)
    client.post(reverse("tracking:evidence-remove", args=[evidence.pk]))
    assert not Evidence.objects.exists()
    rows = Evidence.history.filter(id=evidence.pk).order_by("history_date")
    assert [(row.history_type, row.name, row.history_user) for row in rows] == [
        ("+", "名单.pdf", reporter),
        ("-", "名单.pdf", reporter),
    ]


def test_a_membership_and_a_change_of_role_are_on_record(departments):
    user = make_user("newcomer", departments["bureau"], Role.REPORTER)
    membership = Membership.objects.get(user=user)
    membership.role = Role.REVIEWER
    membership.save()
    pk = membership.pk
    membership.delete()
    rows = Membership.history.filter(id=pk).order_by("history_date")
    assert [(row.history_type, row.role) for row in rows] == [
        ("+", "reporter"),
        ("~", "reviewer"),
        ("-", "reviewer"),
    ]


def test_a_locked_report_refuses_evidence_and_says_why(login, reporter, plan):
    indicator = plan.indicators.get(name="净增高新技术企业")
    make_report(
        indicator=indicator, period=Period(2024, 6), value=Decimal(1), progress="进展", status="approved"
    )
    upload = reverse("tracking:evidence-upload", args=[f"i{indicator.pk}"]) + "?period=2024-06"
    page = login(reporter).post(upload, {"file": SimpleUploadedFile("名单.pdf", b"%PDF-1.4 list")})
    assert "已审核通过并锁定" in page.content.decode()
    assert not Evidence.objects.exists()
