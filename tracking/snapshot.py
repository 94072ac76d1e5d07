"""The status engine's judgements kept: `TargetStatus` rows, written after every change.

`tracking.progress.judge` decides where a target stands in a month; this module keeps what it
decided, for every target (and every region's share of one) and every month a plan has been
reported on, so that a province's pages count stored rows in SQL instead of judging tens of
thousands of targets on every request.

What changes a judgement, and what is refreshed then:

- a report's state (submitted, returned, reopened) or a waived month: the target, from that
  month on (a figure stands until the next one);
- a lamp set or cleared by hand: the target, that month;
- a target, its decomposition, the plan's calendar or thresholds, who owes what: the plan;
- a new month: `ensure` judges it the first time a page asks, and the daily
  `manage.py refresh_status` (beside `send_reminders` in cron) before anybody does.

`refresh_status --all` judges everything again; a test proves the stored rows equal what the
engine says now, for every demo target and month.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction

from departments.clock import today
from plans.models import Indicator, Plan
from plans.periods import Period

from .models import TargetStatus
from .progress import Row, judge, targets_of


def kept_months(plan: Plan, starting: Period | None = None) -> list[Period]:
    """The months whose status is kept for a plan: from its first month (or `starting`) to the
    month being reported now, or to its last month once it is over; none for a draft."""
    if plan.status == Plan.Status.DRAFT:
        return []
    end = plan.reporting_period()
    if end is None:
        if Period.of(today()) < plan.first_period:
            return []
        end = plan.last_period
    first = max(plan.first_period, starting) if starting else plan.first_period
    return first.until(end)


def refresh(
    *,
    plans: Iterable[Plan] = (),
    indicators: Iterable[Indicator] = (),
    starting: Period | None = None,
    months: Iterable[Period] | None = None,
) -> int:
    """Judge again and keep the targets of the given plans, or the given targets, for every kept
    month from `starting` on (or for exactly `months`); the number of rows written."""
    by_plan: dict[int, list[Indicator]] = defaultdict(list)
    plans = {plan.pk: plan for plan in plans}
    for plan_id in plans:
        by_plan[plan_id] = targets_of([plan_id])
    for indicator in indicators:
        if indicator.plan_id not in plans and indicator.kind != Indicator.Kind.QUALITATIVE:
            by_plan[indicator.plan_id].append(indicator)
            plans[indicator.plan_id] = indicator.plan
    written = 0
    for plan_id, targets in by_plan.items():
        wanted = kept_months(plans[plan_id], starting)
        if months is not None:
            wanted = [m for m in months if m in set(wanted)]
        if targets and wanted:
            with transaction.atomic():
                _lock(targets)
                written += store(judge(targets, wanted))
    return written


def _lock(targets: list[Indicator]) -> None:
    """Hold the targets until the transaction ends, before reading what to judge them by.

    Two departments submitting on the same target at once (two counties' shares) then judge it
    one after the other, the second seeing the first's report, and never both insert its rows.
    Locked in one order, so that two refreshes of overlapping targets cannot deadlock.
    """
    ids = sorted(target.pk for target in targets)
    list(Indicator.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))


def ensure(plans: Iterable[Plan], period: Period) -> int:
    """Judge the month for the plans that have not been judged for it yet (a new month)."""
    plans = [plan for plan in plans if period in kept_months(plan)]
    judged = set(
        TargetStatus.objects.filter(plan__in=plans, period=period)
        .values_list("plan_id", flat=True)
        .distinct()
    )
    missing = [plan for plan in plans if plan.pk not in judged]
    return refresh(plans=missing, months=[period]) if missing else 0


def rebuild(plans: Iterable[Plan] | None = None) -> int:
    """Judge every kept month of every plan that is not a draft (or of the given plans) again."""
    plans = Plan.objects.exclude(status=Plan.Status.DRAFT) if plans is None else plans
    return sum(refresh(plans=[plan]) for plan in plans)


@transaction.atomic
def store(judged: dict[Period, list[Row]]) -> int:
    """Replace the kept rows of these targets and months by the engine's new judgement."""
    rows = [row for month_rows in judged.values() for row in month_rows]
    if not rows:
        return 0
    indicator_ids = {row.indicator.pk for row in rows}
    TargetStatus.objects.filter(indicator_id__in=indicator_ids, period__in=list(judged)).delete()
    kept = [status for row in rows for status in _statuses(row)]
    TargetStatus.objects.bulk_create(kept, batch_size=2000)
    mark_changed()
    return len(kept)


VERSION_KEY = "tracking:status-version"


def version() -> int:
    """A number that changes whenever kept status is written: part of the key of anything
    cached from it (the cockpit's tiles), so that nothing cached outlives a change."""
    return cache.get_or_set(VERSION_KEY, time.time_ns, timeout=None)


def mark_changed() -> None:
    """Kept status, or a count read beside it (reports in and owed, a narrative task's report
    submitted, returned or waived), changed: whatever is cached from them is retired now and
    again once the change is committed."""
    changed()
    transaction.on_commit(changed)


def changed() -> None:
    """Move the version once: nothing cached before is served again (`mark_changed` moves it now
    and again at commit, so that a page cached from the old rows in between is not served either)."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not set yet, or evicted: a number no earlier version can have been
        cache.set(VERSION_KEY, time.time_ns(), timeout=None)


def _statuses(row: Row) -> list[TargetStatus]:
    """The target's row and one row per region's (or department's) share of it."""
    pace = row.pace
    common = {
        "indicator": row.indicator,
        "period": row.period,
        "plan_id": row.plan.pk,
        "section_id": row.section.pk if row.section else None,
        "availability": row.availability,
        "data_period": row.data_period,
    }
    found = [
        TargetStatus(
            **common,
            region_id=row.plan.region_id,
            lead_id=row.lead.pk if row.lead else None,
            value=row.value,
            value_period=row.value_period,
            expected=row.expected,
            completion=row.completion,
            gap=row.gap,
            computed_lamp=row.computed_lamp,
            lamp=row.lamp,
            overridden=row.override is not None,
            reporting=row.reporting,
            pace_needed=pace.needed if pace else None,
            pace_current=pace.current if pace else None,
            pace_projected=pace.projected if pace else None,
        )
    ]
    found += [
        TargetStatus(
            **common,
            share=share_row.share,
            region_id=share_row.share.region_id or row.plan.region_id,
            lead_id=share_row.share.department_id or share_row.share.reporter_id,
            value=share_row.value,
            completion=share_row.completion,
            computed_lamp=share_row.lamp,
            lamp=share_row.lamp,
        )
        for share_row in row.shares
    ]
    return found
