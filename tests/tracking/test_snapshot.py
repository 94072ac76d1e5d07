"""The kept status (TargetStatus) is the engine's judgement: stored and fresh agree, after changes too."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from demo.loader import load_demo
from plans.models import Plan
from plans.periods import Period
from tracking import services, snapshot
from tracking.models import ProgressReport, TargetStatus
from tracking.progress import judge, targets_of

from ..conftest import make_report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def june(settings):
    """The demo's day: June 2024 is being reported (the plans are judged up to it)."""
    settings.REPORTING_TODAY = "2024-06-24"


FIELDS = ("lamp", "computed_lamp", "availability", "reporting", "value", "value_period", "data_period")
SHARE_FIELDS = ("lamp", "value", "availability")


def _kept(plan: Plan) -> dict:
    return {
        (s.indicator_id, s.share_id, s.period): s
        for s in TargetStatus.objects.filter(plan=plan).select_related("lead", "section")
    }


def _differences(plan: Plan) -> list[str]:
    """Every field in which a kept row differs from what the engine says now."""
    months = snapshot.kept_months(plan)
    kept, found = _kept(plan), []
    fresh = judge(targets_of([plan.pk]), months)
    expected_rows = 0
    for month, rows in fresh.items():
        for row in rows:
            stored = kept.get((row.indicator.pk, None, month))
            expected_rows += 1 + len(row.shares)
            if stored is None:
                found.append(f"{row.indicator} {month}: not kept")
                continue
            for name in FIELDS:
                a, b = getattr(stored, name), getattr(row, name)
                if a != b:
                    found.append(f"{row.indicator} {month} {name}: {a!r} != {b!r}")
            for name in ("completion", "expected", "gap"):
                a, b = getattr(stored, name), getattr(row, name)
                if (a is None) != (b is None) or (a is not None and abs(a - b) > 1e-9):
                    found.append(f"{row.indicator} {month} {name}: {a} != {b}")
            if stored.lead_id != (row.lead.pk if row.lead else None):
                found.append(f"{row.indicator} {month} lead: {stored.lead_id} != {row.lead}")
            if stored.overridden != (row.override is not None):
                found.append(f"{row.indicator} {month}: override")
            for share_row in row.shares:
                kept_share = kept.get((row.indicator.pk, share_row.share.pk, month))
                if (
                    kept_share is None
                    or kept_share.lamp != share_row.lamp
                    or kept_share.value != share_row.value
                ):
                    found.append(f"{row.indicator} {share_row.share} {month}: share")
    if len(kept) != expected_rows:
        found.append(f"{len(kept)} rows kept, {expected_rows} judged")
    return found


@pytest.fixture
def demo():
    load_demo()


def test_every_demo_target_and_month_is_kept_as_the_engine_judges_it(demo):
    plans = Plan.objects.exclude(status=Plan.Status.DRAFT)
    assert plans.count() == 4
    for plan in plans:
        months = snapshot.kept_months(plan)
        assert months[-1] == Period(2024, 6), plan
        assert _differences(plan) == [], plan


def test_a_report_submitted_returned_and_reopened_is_judged_again_from_its_month(
    login, reporter, reviewer, coordinator, plan, settings
):
    settings.REPORTING_TODAY = "2024-06-24"
    firms = plan.indicators.get(name="净增高新技术企业")
    item = services.item_for(f"i{firms.pk}", Period(2024, 5))
    report = services.save_report(
        item=item, user=reporter, data={"value": Decimal(300), "progress": "x"}, version=0
    )
    services.submit_report(
        item=services.item_for(item.key, Period(2024, 5)), user=reporter, seen_version=report.version
    )
    june = TargetStatus.objects.get(indicator=firms, share=None, period=Period(2024, 6))
    assert (june.value, june.value_period, june.lamp) == (Decimal(300), Period(2024, 5), "green")
    report.refresh_from_db()
    services.return_report(report=report, user=reviewer, seen_version=report.version, reason="核实")
    june = TargetStatus.objects.get(indicator=firms, share=None, period=Period(2024, 6))
    assert (june.value, june.lamp) == (None, "none")
    assert _differences(plan) == []


def test_a_lamp_set_by_hand_and_the_thresholds_are_kept_at_once(login, coordinator, plan, settings):
    settings.REPORTING_TODAY = "2024-06-24"
    firms = plan.indicators.get(name="净增高新技术企业")
    make_report(indicator=firms, period=Period(2024, 6), value=Decimal(124), status="approved")

    def kept():
        return TargetStatus.objects.get(indicator=firms, share=None, period=Period(2024, 6))

    assert kept().lamp == "yellow"  # 40% at June: 10 points behind
    client = login(coordinator)
    client.post(
        reverse("tracking:plan-calendar", args=[plan.pk]),
        {
            "report_opens_day": 20,
            "report_due_day": 25,
            "report_grace_days": 2,
            "lamp_green_gap": 15,
            "lamp_red_gap": 30,
        },
    )
    assert kept().lamp == "green"
    url = reverse("tracking:override", args=[firms.pk]) + "?period=2024-06"
    client.post(url, {"lamp": "red", "reason": "认定推迟"})
    assert (kept().lamp, kept().computed_lamp, kept().overridden) == ("red", "green", True)
    assert _differences(plan) == []


def test_a_new_month_is_judged_when_first_asked_and_by_the_command(plan, settings):
    settings.REPORTING_TODAY = "2024-07-24"  # the month rolled over
    assert not TargetStatus.objects.filter(period=Period(2024, 7)).exists()
    assert snapshot.ensure([plan], Period(2024, 7)) > 0
    assert TargetStatus.objects.filter(plan=plan, period=Period(2024, 7)).count() == 3
    assert snapshot.ensure([plan], Period(2024, 7)) == 0  # judged once
    TargetStatus.objects.all().delete()
    call_command("refresh_status", "--all", verbosity=0)
    assert _differences(plan) == []
    assert ProgressReport.objects.count() == 0
