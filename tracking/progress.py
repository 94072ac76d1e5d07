"""Where every target of one or more plans stood at the end of a month, with the three lamps.

One function, `plan_status(plans, period)`, reads everything in a fixed number of queries
(whatever the number of targets, departments or months) and judges each target with the
pure rules of `status.py`. The cockpit, `manage.py plan_status` and the ledger all read
these rows, so they always show the same figures.

A month's figure counts once it is submitted or approved; drafts and returned reports do
not. The page "as it stood at the end of a month" uses the reports of that month and before.
"""

from __future__ import annotations

import calendar as month_calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import BigIntegerField, Case, F, Q, When

from departments.models import Department
from plans.models import Indicator, IndicatorShare, Milestone, Plan, Section, Task
from plans.periods import Period

from . import status
from .models import ProgressReport, StatusOverride
from .services import first_lead

COUNTED = [ProgressReport.Status.SUBMITTED, ProgressReport.Status.APPROVED]
REPORTED, LATE, MISSING = "reported", "late", "missing"
REPORTING_LABELS = {REPORTED: "已报", LATE: "迟报", MISSING: "未报"}


@dataclass
class ShareRow:
    share: IndicatorShare
    value: Decimal | None
    completion: float | None
    lamp: str


@dataclass
class Row:
    """One target as of the month: its figure, the three lamps and the pace."""

    indicator: Indicator
    plan: Plan
    section: Section | None
    task: Task | None
    lead: Department | None
    period: Period
    value: Decimal | None = None
    value_period: Period | None = None
    history: list[tuple[Period, Decimal]] = field(default_factory=list)
    expected: float | None = None
    completion: float | None = None
    gap: float | None = None
    computed_lamp: str = status.Lamp.NONE
    override: StatusOverride | None = None
    reporting: str = MISSING
    availability: str = status.DUE
    data_period: Period | None = None
    pace: status.Pace | None = None
    shares: list[ShareRow] = field(default_factory=list)

    @property
    def lamp(self) -> str:
        """The performance lamp shown: a coordinator's override wins, and says so."""
        if self.availability != status.DUE:
            return status.Lamp.NONE
        return self.override.lamp if self.override is not None else self.computed_lamp

    @property
    def target(self) -> status.Target:
        return status.Target.of(self.indicator)


@dataclass
class Group:
    """A section, a department or a region: how many of its targets stand where."""

    key: object
    label: str
    rows: list[Row] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        found = dict.fromkeys([*status.SEVERITY, status.NOT_DUE, status.PENDING], 0)
        for row in self.rows:
            bucket = row.availability if row.availability != status.DUE else row.lamp
            if bucket in found:
                found[bucket] += 1
        return found

    @property
    def completion(self) -> float | None:
        """The mean completion of its judged targets, each capped at 100%."""
        judged = [
            min(row.completion, 1.0) for row in self.rows if row.completion is not None and row.lamp != "none"
        ]
        return sum(judged) / len(judged) if judged else None

    @property
    def on_time(self) -> float | None:
        """The share of its targets reported on time this month."""
        return sum(row.reporting == REPORTED for row in self.rows) / len(self.rows) if self.rows else None

    @property
    def lamp(self) -> str:
        return status.worst(row.lamp for row in self.rows)


@dataclass
class TaskRow:
    task: Task
    rows: list[Row]
    milestone_lamp: str

    @property
    def lamp(self) -> str:
        """A task takes the worst lamp of its targets and its milestones."""
        return status.worst([*(row.lamp for row in self.rows), self.milestone_lamp])


@dataclass
class PlanStatus:
    period: Period
    rows: list[Row]
    tasks: list[TaskRow]

    def by(self, key, label) -> list[Group]:
        groups: dict[object, Group] = {}
        for row in self.rows:
            k = key(row)
            if k is None:
                continue
            groups.setdefault(k, Group(k, label(row))).rows.append(row)
        return list(groups.values())

    @property
    def sections(self) -> list[Group]:
        """Each plan's sections in order, its goals (no section) first; plans never merge."""
        groups = self.by(
            lambda r: (r.plan.pk, r.section.pk if r.section else 0), lambda r: _section_label(r.section)
        )
        return sorted(
            groups, key=lambda g: (g.key[0], g.rows[0].section.position if g.rows[0].section else -1)
        )

    @property
    def departments(self) -> list[Group]:
        return self.by(lambda r: r.lead.pk if r.lead else None, lambda r: r.lead.name)

    @property
    def totals(self) -> Group:
        return Group("all", "", self.rows)

    def rows_for(self, indicator) -> list[Row]:
        return [row for row in self.rows if row.indicator.pk == indicator.pk]

    @property
    def lagging(self) -> list[Row]:
        """落后清单: every yellow and red target, the furthest behind first."""
        behind = [row for row in self.rows if row.lamp in (status.Lamp.YELLOW, status.Lamp.RED)]
        return sorted(behind, key=lambda row: -(row.gap or 0))

    def regions(self) -> list[Group]:
        """Decomposed targets by sub-region: each share judged against its own target."""
        groups: dict[int, Group] = {}
        for row in self.rows:
            for share_row in row.shares:
                region = share_row.share.region
                if region is None:
                    continue
                group = groups.setdefault(region.pk, Group(region.pk, region.name))
                group.rows.append(
                    Row(
                        indicator=row.indicator,
                        plan=row.plan,
                        section=row.section,
                        task=row.task,
                        lead=share_row.share.reporter,
                        period=row.period,
                        value=share_row.value,
                        completion=share_row.completion,
                        computed_lamp=share_row.lamp,
                    )
                )
        return sorted(groups.values(), key=lambda g: g.label)


def _section_label(section: Section | None) -> str:
    return f"{section.label}{section.title}" if section is not None else "工作目标"


def plan_status(plans, period: Period) -> PlanStatus:
    """Every target of the plans as of the end of `period`; nine queries whatever the size."""
    plans = list(plans)
    plan_ids = [plan.pk for plan in plans]
    indicators = list(
        Indicator.objects.filter(plan_id__in=plan_ids)
        .exclude(kind=Indicator.Kind.QUALITATIVE)
        .annotate(
            lead_id=Case(
                When(task__isnull=True, then=F("plan__issuing_department_id")),
                default=first_lead("task"),
                output_field=BigIntegerField(),
            )
        )
        .select_related("plan", "task__section")
        .order_by("plan_id", "task__section__position", "task__position", "position")
    )
    ids = [indicator.pk for indicator in indicators]
    upto = Q(period__lte=period)
    history: dict[int, list[tuple[Period, Decimal]]] = defaultdict(list)
    for indicator_id, month, value in (
        ProgressReport.objects.filter(upto, indicator_id__in=ids, share__isnull=True, status__in=COUNTED)
        .exclude(value=None)
        .order_by("period")
        .values_list("indicator_id", "period", "value")
    ):
        history[indicator_id].append((month, value))
    this_month = {
        indicator_id: (report_status, late)
        for indicator_id, report_status, late in ProgressReport.objects.filter(
            indicator_id__in=ids, share__isnull=True, period=period
        ).values_list("indicator_id", "status", "late")
    }
    overrides = {
        o.indicator_id: o
        for o in StatusOverride.objects.filter(indicator_id__in=ids, period=period).select_related(
            "created_by"
        )
    }
    departments = Department.objects.in_bulk({i.lead_id for i in indicators if i.lead_id})
    shares = _shares(ids, upto)
    rows = [
        _judge(
            indicator,
            period,
            departments.get(indicator.lead_id),
            history[indicator.pk],
            this_month.get(indicator.pk),
            overrides.get(indicator.pk),
            shares.get(indicator.pk, []),
        )
        for indicator in indicators
    ]
    return PlanStatus(period=period, rows=rows, tasks=_tasks(plan_ids, rows, period))


def _shares(indicator_ids, upto) -> dict[int, list[tuple[IndicatorShare, Decimal | None]]]:
    shares = list(
        IndicatorShare.objects.filter(indicator_id__in=indicator_ids).select_related(
            "region", "department", "reporter"
        )
    )
    latest: dict[int, Decimal] = {}
    for share_id, value in (
        ProgressReport.objects.filter(upto, share_id__in=[s.pk for s in shares], status__in=COUNTED)
        .exclude(value=None)
        .order_by("period")
        .values_list("share_id", "value")
    ):
        latest[share_id] = value
    found: dict[int, list] = defaultdict(list)
    for share in shares:
        found[share.indicator_id].append((share, latest.get(share.pk)))
    return found


def _judge(indicator, period, lead, history, this_month, override, shares) -> Row:
    plan = indicator.plan
    section = indicator.task.section if indicator.task_id else None
    row = Row(indicator=indicator, plan=plan, section=section, task=indicator.task, lead=lead, period=period)
    row.history, row.override = history, override
    if this_month and this_month[0] in COUNTED:
        row.reporting = LATE if this_month[1] else REPORTED
    row.availability, published = status.availability(
        plan.first_year, period.year, period.month, indicator.data_frequency, indicator.data_lag_months
    )
    if published is not None:
        row.data_period = Period(*published)
        known = [(p, v) for p, v in history if p <= row.data_period]
        if known:
            row.value_period, row.value = known[-1]
    target = row.target
    expected_at = row.data_period or period
    row.expected = status.expected_progress(
        plan.first_year, plan.last_year, expected_at.year, expected_at.month, indicator.curve
    )
    row.completion = status.completion(target, row.value)
    row.gap = status.gap(target, row.value, row.expected)
    row.computed_lamp = status.performance(
        target, row.value, row.expected, red_gap=plan.lamp_red_gap / 100, green_gap=plan.lamp_green_gap / 100
    )
    if not target.is_prorated:
        row.expected = None
    months_total = 12 * (plan.last_year - plan.first_year + 1)
    passed = 12 * (expected_at.year - plan.first_year) + expected_at.month
    row.pace = status.pace(target, row.value, passed, months_total)
    for share, value in shares:
        share_target = status.Target.of(indicator, share)
        expected = status.expected_progress(
            plan.first_year, plan.last_year, expected_at.year, expected_at.month, indicator.curve
        )
        row.shares.append(
            ShareRow(
                share=share,
                value=value,
                completion=status.completion(share_target, value),
                lamp=status.performance(share_target, value, expected, red_gap=plan.lamp_red_gap / 100),
            )
        )
    return row


def _tasks(plan_ids, rows: list[Row], period: Period) -> list[TaskRow]:
    """Each task with its targets' rows and its milestones' lamp (倒排工期)."""
    tasks = (
        Task.objects.filter(section__plan_id__in=plan_ids)
        .select_related("section__plan")
        .order_by("section__plan_id", "section__position", "position")
    )
    milestones: dict[int, list] = defaultdict(list)
    for task_id, due, done in Milestone.objects.filter(task__section__plan_id__in=plan_ids).values_list(
        "task_id", "due_date", "done_on"
    ):
        milestones[task_id].append((due, done))
    end = date(period.year, period.month, month_calendar.monthrange(period.year, period.month)[1])
    by_task: dict[int, list[Row]] = defaultdict(list)
    for row in rows:
        if row.task is not None:
            by_task[row.task.pk].append(row)
    return [
        TaskRow(task, by_task.get(task.pk, []), status.milestone_lamp(milestones[task.pk], end))
        for task in tasks
    ]
