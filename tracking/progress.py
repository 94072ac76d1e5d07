"""Where every target of one or more plans stood at the end of a month, with the three lamps.

One function, `plan_status(plans, period)`, reads everything in a fixed number of queries
(whatever the number of targets, departments or months) and judges each target with `assess`,
which applies the pure rules of `status.py`. The entry form, the cockpit, `manage.py
plan_status`, the ledger and the bulletin all read these judgements, so they always agree.

A month's figure counts once it is submitted or approved; drafts and returned reports do
not. The page "as it stood at the end of a month" uses the reports of that month and before.
A target's lead department for a month is the department that owed its report then (its
`Obligation`), and its reporting lamp says whether that report came in, on time or late.
A statistic published with a lag is judged as of its latest published period: a report's
figure belongs to the period it covers (`Indicator.covered_period`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from departments.models import Department
from plans.models import Indicator, IndicatorShare, Milestone, Plan, Section, Task
from plans.periods import Period

from . import status
from .models import Obligation, ProgressReport, StatusOverride
from .obligations import Counts, Standing, standings, tally

COUNTED = list(ProgressReport.COUNTED)
Reporting = status.Reporting
REPORTED, LATE, MISSING, WAIVED = Reporting.REPORTED, Reporting.LATE, Reporting.MISSING, Reporting.WAIVED


@dataclass(frozen=True)
class Assessment:
    """What a figure means for a target as of a month: the one judgement every page shows."""

    availability: str
    data_period: Period | None
    expected: float | None
    completion: float | None
    gap: float | None
    lamp: str

    @property
    def state_label(self) -> str:
        return status.state_label(self.lamp, self.availability)


def assess(indicator: Indicator, period: Period, value: Decimal | None, *, share=None) -> Assessment:
    """Judge `value` for the target (or one region's share of it) as of the end of `period`.

    Expected progress is taken at the latest published period of a lagged statistic; before
    any figure is published the target is 未到期 or 待发布 and has no lamp.
    """
    plan = indicator.plan
    availability, published = status.availability(
        plan.first_year, period.year, period.month, indicator.data_frequency, indicator.data_lag_months
    )
    data_period = Period(*published) if published else None
    target = status.Target.of(indicator, share)
    at = data_period or period
    expected = status.expected_progress(plan.first_year, plan.last_year, at.year, at.month, indicator.curve)
    lamp = status.performance(
        target, value, expected, red_gap=plan.lamp_red_gap / 100, green_gap=plan.lamp_green_gap / 100
    )
    return Assessment(
        availability=availability,
        data_period=data_period,
        expected=expected if target.is_prorated else None,
        completion=status.completion(target, value),
        gap=status.gap(target, value, expected),
        lamp=lamp if availability == status.DUE else status.Lamp.NONE,
    )


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
    reporting: Counts = field(default_factory=Counts)

    @property
    def counts(self) -> dict[str, int]:
        found = dict.fromkeys([*status.SEVERITY, status.NOT_DUE, status.PENDING], 0)
        for row in self.rows:
            bucket = status.bucket(row.lamp, row.availability)
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
        """The share of what it owed this month (every report obligation) that came on time."""
        return self.reporting.on_time_rate

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
    """Every target's row as of a month, and where every owed report stands (`standings`, counted
    by `tracking.obligations.tally`: the completeness page counts the same)."""

    period: Period
    rows: list[Row]
    tasks: list[TaskRow]
    standings: list[Standing] = field(default_factory=list)
    names: dict[int, str] = field(default_factory=dict)

    def by(self, key, label) -> list[Group]:
        groups: dict[object, Group] = {}
        for row in self.rows:
            k = key(row)
            if k is None:
                continue
            groups.setdefault(k, Group(k, label(row))).rows.append(row)
        return list(groups.values())

    def narrowed(self, keep_row, keep_standing, tasks=None) -> PlanStatus:
        """The same month with only some rows and the standings that go with them."""
        return PlanStatus(
            period=self.period,
            rows=[row for row in self.rows if keep_row(row)],
            tasks=self.tasks if tasks is None else tasks,
            standings=[s for s in self.standings if keep_standing(s)],
            names=self.names,
        )

    @property
    def reporting(self) -> Counts:
        """Everything owed for the month and where it stands."""
        return tally(self.standings, key=lambda s: "all").get("all", Counts())

    @property
    def reporting_departments(self) -> list[Group]:
        """Every department that owed a report this month, with its counts (targets or not).

        A department whose month was waived entirely owed nothing: it is not ranked for it.
        """
        counts = tally(self.standings)
        rows = {g.key: g.rows for g in self.departments}
        owing = [pk for pk in counts if counts[pk].expected or pk in rows]
        return [
            Group(pk, self.names.get(pk, ""), rows.get(pk, []), counts[pk])
            for pk in sorted(owing, key=lambda pk: self.names.get(pk, ""))
        ]

    @property
    def sections(self) -> list[Group]:
        """Each plan's sections in order, its goals (no section) first; plans never merge.

        A section whose tasks have no number is there too, without rows: its departments owe
        their reports in words all the same, and each group carries what was owed in it.
        """
        counts = tally(self.standings, key=lambda s: (s.plan_id, s.section_id or 0))
        groups: dict[tuple[int, int], Group] = {}
        positions: dict[tuple[int, int], int] = {}
        for key, section in [
            *(((t.task.section.plan_id, t.task.section_id), t.task.section) for t in self.tasks),
            *(((r.plan.pk, r.section.pk if r.section else 0), r.section) for r in self.rows),
        ]:
            if key not in groups:
                groups[key] = Group(key, _section_label(section), reporting=counts.get(key, Counts()))
                positions[key] = section.position if section is not None else -1
        for row in self.rows:
            groups[(row.plan.pk, row.section.pk if row.section else 0)].rows.append(row)
        return sorted(groups.values(), key=lambda g: (g.key[0], positions[g.key]))

    @property
    def departments(self) -> list[Group]:
        """Lead departments with their targets' rows and what they owed this month."""
        counts = tally(self.standings)
        groups = self.by(lambda r: r.lead.pk if r.lead else None, lambda r: r.lead.name)
        for group in groups:
            group.reporting = counts.get(group.key, Counts())
        return groups

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
    found = standings(Obligation.objects.filter(plan_id__in=plan_ids), [period])
    rows = judge(targets_of(plan_ids), [period], found)[period]
    names = {s.department_id: s.department_name for s in found}
    tasks = _tasks(plan_ids, rows, period)
    return PlanStatus(period=period, rows=rows, tasks=tasks, standings=found, names=names)


def targets_of(plan_ids) -> list[Indicator]:
    """The plans' targets with a number, in the plans' order: what the engine judges."""
    return list(
        Indicator.objects.filter(plan_id__in=list(plan_ids))
        .exclude(kind=Indicator.Kind.QUALITATIVE)
        .select_related("plan", "task__section")
        .order_by("plan_id", "task__section__position", "task__position", "position")
    )


def judge(
    indicators: list[Indicator], periods, found: list[Standing] | None = None
) -> dict[Period, list[Row]]:
    """The engine: each target judged as of the end of each month, with its lead department and
    reporting lamp from what was owed (`found`, the standings of its obligations in those months,
    read here when not given). Six queries whatever the number of targets or months."""
    periods = sorted(set(periods))
    ids = [indicator.pk for indicator in indicators]
    if found is None:
        found = standings(Obligation.objects.filter(indicator_id__in=ids, share__isnull=True), periods)
    owed = {(s.indicator_id, s.period): s for s in found if s.indicator_id and not s.share_id}
    history: dict[int, list[tuple[Period, Decimal]]] = defaultdict(list)
    share_history: dict[int, list[tuple[Period, Decimal]]] = defaultdict(list)
    for indicator_id, share_id, month, value in (
        ProgressReport.objects.filter(obligation__indicator_id__in=ids)
        .upto(periods[-1])
        .counted()
        .exclude(value=None)
        .order_by("period", "pk")
        .values_list("obligation__indicator_id", "obligation__share_id", "period", "value")
    ):
        (history[indicator_id] if share_id is None else share_history[share_id]).append((month, value))
    overrides = {
        (o.indicator_id, o.period): o
        for o in StatusOverride.objects.filter(indicator_id__in=ids, period__in=periods).select_related(
            "created_by"
        )
    }
    shares: dict[int, list[IndicatorShare]] = defaultdict(list)
    for share in IndicatorShare.objects.filter(indicator_id__in=ids).select_related(
        "region", "department", "reporter"
    ):
        shares[share.indicator_id].append(share)
    judged: dict[Period, list[Row]] = {}
    for period in periods:
        rows = judged[period] = []
        for indicator in indicators:
            known = [(p, v) for p, v in history[indicator.pk] if p <= period]
            figures = [(share, _latest(share_history[share.pk], period)) for share in shares[indicator.pk]]
            row = _judge(indicator, period, known, overrides.get((indicator.pk, period)), figures)
            standing = owed.get((indicator.pk, period))
            if standing is not None:
                row.lead = Department(pk=standing.department_id, name=standing.department_name)
                row.reporting = _reporting_lamp(standing)
            else:
                row.reporting = ""
            rows.append(row)
    return judged


def _latest(history: list[tuple[Period, Decimal]], period: Period) -> Decimal | None:
    """The last figure of a month up to `period` (the history is in order of months)."""
    found = None
    for month, value in history:
        if month > period:
            break
        found = value
    return found


def _reporting_lamp(standing: Standing) -> str:
    """The reporting lamp of an owed report: in (on time or late), waived, or not in."""
    if standing.state in ProgressReport.COUNTED:
        return LATE if standing.late else REPORTED
    return WAIVED if standing.state == "waived" else MISSING


def _judge(indicator, period, history, override, shares) -> Row:
    plan = indicator.plan
    section = indicator.task.section if indicator.task_id else None
    row = Row(indicator=indicator, plan=plan, section=section, task=indicator.task, lead=None, period=period)
    row.history, row.override = history, override
    known = [(p, v) for p, v in history if indicator.covered_period(p) >= plan.first_period]
    if known:
        row.value_period, row.value = known[-1]
    judged = assess(indicator, period, row.value)
    row.availability, row.data_period = judged.availability, judged.data_period
    if row.availability != status.DUE:
        row.value_period, row.value = None, None
        judged = assess(indicator, period, None)
    row.expected, row.completion, row.gap = judged.expected, judged.completion, judged.gap
    row.computed_lamp = judged.lamp
    at = row.data_period or period
    passed = 12 * (at.year - plan.first_year) + at.month
    row.pace = status.pace(row.target, row.value, passed, plan.months_total)
    for share, value in shares:
        share_judged = assess(indicator, period, value, share=share)
        row.shares.append(
            ShareRow(share=share, value=value, completion=share_judged.completion, lamp=share_judged.lamp)
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
    end = period.last_day
    by_task: dict[int, list[Row]] = defaultdict(list)
    for row in rows:
        if row.task is not None:
            by_task[row.task.pk].append(row)
    return [
        TaskRow(task, by_task.get(task.pk, []), status.milestone_lamp(milestones[task.pk], end))
        for task in tasks
    ]
