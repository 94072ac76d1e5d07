"""`reporting_counts` (grouped in SQL, for pages over many plans) counts what `tally(standings())`
(one owed report at a time) counts: every demo plan, month and grouping, and the cases where the
two could part — a waiver on a missing, a draft or a returned report, a waived month reported
after all, an obligation ended with a report beyond its months."""

from decimal import Decimal

import pytest

from plans.models import Plan
from plans.periods import Period
from tracking import snapshot
from tracking.models import Obligation, ProgressReport, Waiver
from tracking.obligations import Counts, reporting_counts, standings, tally

pytestmark = pytest.mark.django_db

KEYS = {
    None: lambda s, regions: 0,
    "department": lambda s, regions: s.department_id,
    "plan": lambda s, regions: s.plan_id,
    "region": lambda s, regions: regions[s.plan_id],
    "section": lambda s, regions: s.section_id,
}


@pytest.fixture(autouse=True)
def june(settings):
    settings.REPORTING_TODAY = "2024-06-24"


def _differences(obligations, months) -> list[str]:
    regions = dict(Plan.objects.values_list("pk", "region_id"))
    found = standings(obligations, months)
    differences = []
    for by, key in KEYS.items():
        one_at_a_time = tally(found, key=lambda s, key=key: (key(s, regions), s.period))
        in_sql = reporting_counts(obligations, months, by=by)
        for cell in sorted(set(one_at_a_time) | set(in_sql), key=str):
            a, b = one_at_a_time.get(cell, Counts()), in_sql.get(cell, Counts())
            if a != b:
                differences.append(f"by {by} {cell}: {a} != {b}")
    return differences


def test_every_demo_plan_month_and_grouping_counts_the_same(demo_db):
    plans = list(Plan.objects.exclude(status=Plan.Status.DRAFT))
    assert len(plans) >= 4
    for plan in plans:
        months = snapshot.kept_months(plan)
        assert months, plan
        assert _differences(plan.obligations.all(), months) == [], plan
    everything = Obligation.objects.all()
    months = sorted({m for plan in plans for m in snapshot.kept_months(plan)})
    assert _differences(everything, months) == []
    assert sum(c.expected for c in reporting_counts(everything, months, by=None).values()) > 100


def test_waivers_drafts_returns_and_ended_obligations_count_the_same(demo_db):
    plan = Plan.objects.exclude(status=Plan.Status.DRAFT).order_by("pk").first()
    june, may = Period(2024, 6), Period(2024, 5)
    owing = list(plan.obligations.filter(kind=Obligation.Kind.REPORT).order_by("pk")[:6])
    ProgressReport.objects.filter(obligation__in=owing, period__in=[may, june]).delete()
    missing, draft, returned, reported_after_all, ended, _spare = owing

    Waiver.objects.create(obligation=missing, period=june, reason="免报")
    ProgressReport.objects.bulk_create(
        [
            ProgressReport(obligation=draft, period=june, status="draft", value=Decimal(1)),
            ProgressReport(obligation=returned, period=june, status="returned", value=Decimal(1)),
            ProgressReport(obligation=reported_after_all, period=june, status="submitted", late=True),
            ProgressReport(obligation=ended, period=june, status="approved"),
        ]
    )
    Waiver.objects.bulk_create(
        [
            Waiver(obligation=draft, period=june, reason="免报"),
            Waiver(obligation=returned, period=june, reason="免报"),
            Waiver(obligation=reported_after_all, period=june, reason="免报"),
        ]
    )
    ended.ends = may  # its June report lies beyond its months: not counted by either
    ended.save()

    assert _differences(plan.obligations.all(), [may, june]) == []
    [cell] = reporting_counts(plan.obligations.filter(pk__in=[o.pk for o in owing]), [june], by=None).values()
    assert (cell.expected, cell.waived, cell.submitted, cell.late, cell.draft, cell.returned) == (
        2,
        3,
        1,
        1,
        0,
        0,
    )
