"""Who owes what, for which month: the one home of the rule, and the counts every page reads.

The rule (`expected`), for an active plan:

- a target of a task is reported by the task's first lead department (牵头单位, in the order
  the plan names them);
- a target of the plan itself (工作目标) by the plan's issuing department;
- a share of a decomposed target by the department it was given to, or, for a region's share,
  by the share's reporting department (the county's 科技局);
- a task without a number by its first lead department, in words;
- every other department named on a task (a second lead, the 配合单位) owes a contribution.

Qualitative targets are reported in words with their task, not on their own.

`sync(plan)` keeps the `Obligation` rows in step with that rule when a plan is activated or
edited: what is no longer owed ends with the month before (or with this month, if the
department already began it), what is newly owed starts this month, and past months keep the
department that owed them — nothing already reported is re-counted or moved.

`standings` says where each owed report stands for each month (submitted, approved, returned,
draft, missing; on time or late; waived) and `tally` counts them by department, month or
section. The completeness page, the cockpit, the bulletin, the ledger and `plan_status` all
count with them: one count, everywhere.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, fields

from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Value
from django.db.models.functions import Coalesce

from departments.clock import today
from plans.models import Indicator, IndicatorShare, Plan, Responsibility, Task
from plans.periods import Period

from .models import Obligation, ProgressReport, Waiver

Kind = Obligation.Kind
Status = ProgressReport.Status


@dataclass(frozen=True)
class Owed:
    """One obligation as the rule gives it: what kind, on which item, by which department."""

    kind: str
    indicator_id: int | None
    share_id: int | None
    task_id: int | None
    department_id: int

    def sort_key(self) -> tuple:
        return tuple(-1 if v is None else v for v in (self.indicator_id, self.share_id, self.task_id)) + (
            self.kind,
            self.department_id,
        )

    @property
    def subject(self) -> tuple:
        """What is owed, whoever owes it: a change of department keeps the subject."""
        return (self.kind, self.indicator_id, self.share_id, self.task_id)

    def obligation(self, plan: Plan, starts: Period) -> Obligation:
        """The row that records it, owed from `starts` (unsaved)."""
        return Obligation(
            plan=plan,
            kind=self.kind,
            indicator_id=self.indicator_id,
            share_id=self.share_id,
            task_id=self.task_id,
            department_id=self.department_id,
            starts=starts,
        )

    @classmethod
    def of(cls, obligation: Obligation) -> Owed:
        return cls(
            obligation.kind,
            obligation.indicator_id,
            obligation.share_id,
            obligation.task_id,
            obligation.department_id,
        )


def expected(plan: Plan) -> set[Owed]:
    """Everything the plan's departments owe each month, by the rule above; four queries."""
    members: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for task_id, role, department_id in (
        Responsibility.objects.filter(task__section__plan=plan)
        .order_by("task_id", "position", "pk")
        .values_list("task_id", "role", "department_id")
    ):
        members[task_id].append((role, department_id))
    leads = {
        task_id: next((d for role, d in names if role == Responsibility.Role.LEAD), None)
        for task_id, names in members.items()
    }
    found: set[Owed] = set()
    numbered: set[int] = set()
    numbers = Indicator.objects.filter(plan=plan).exclude(kind=Indicator.Kind.QUALITATIVE)
    for indicator_id, task_id in numbers.values_list("pk", "task_id"):
        reporter = plan.issuing_department_id if task_id is None else leads.get(task_id)
        if task_id is not None:
            numbered.add(task_id)
        if reporter is not None:
            found.add(Owed(Kind.REPORT, indicator_id, None, None, reporter))
    shares = IndicatorShare.objects.filter(indicator__in=numbers).values_list(
        "pk", "indicator_id", "department_id", "reporter_id"
    )
    for share_id, indicator_id, department_id, reporter_id in shares:
        if department_id or reporter_id:
            found.add(Owed(Kind.REPORT, indicator_id, share_id, None, department_id or reporter_id))
    for task_id in Task.objects.filter(section__plan=plan).values_list("pk", flat=True):
        lead = leads.get(task_id)
        if lead is not None and task_id not in numbered:
            found.add(Owed(Kind.REPORT, None, None, task_id, lead))
        for _role, department_id in members.get(task_id, []):
            if department_id != lead:
                found.add(Owed(Kind.CONTRIBUTION, None, None, task_id, department_id))
    return found


def start_of_obligations(plan: Plan) -> Period | None:
    """The month from which a change to the plan is owed: the month being reported now, the plan's
    first month before it begins, None once it is over."""
    current = plan.reporting_period()
    if current is not None:
        return current
    return plan.first_period if today() < plan.first_period.first_day else None


@dataclass
class SyncResult:
    created: int = 0
    ended: int = 0
    removed: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.ended or self.removed)


@transaction.atomic
def sync(plan: Plan, *, starting: Period | None = None) -> SyncResult:
    """Bring the plan's obligations in step with the rule, from `starting` (default: this month).

    Draft and archived plans owe nothing new. Runs under a lock on the plan, so two editors
    saving at once cannot create the same obligation twice.
    """
    result = SyncResult()
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    starting = starting or start_of_obligations(plan)
    if plan.status != Plan.Status.ACTIVE or starting is None:
        return result
    want = expected(plan)
    current = {Owed.of(o): o for o in plan.obligations.filter(ends__isnull=True)}
    begins: dict[tuple, Period] = {}
    for owed, obligation in current.items():
        if owed not in want:
            begins[owed.subject] = _close(obligation, starting, result)
    new = [
        owed.obligation(plan, begins.get(owed.subject, starting))
        for owed in sorted(want - current.keys(), key=Owed.sort_key)
    ]
    for obligation in new:
        obligation.save()  # one by one: each gets its history row
    result.created = len(new)
    return result


def _close(obligation: Obligation, starting: Period, result: SyncResult) -> Period:
    """End an obligation that is no longer owed; the month its successor starts.

    A month the department already began (a report or contribution of `starting` exists) stays
    with it, and the successor starts the month after. An obligation that never covered a month
    before `starting` and holds nothing is removed; anything entered is never deleted.
    """
    began = (
        obligation.reports.filter(period=starting).exists()
        or obligation.contributions.filter(period=starting).exists()
    )
    if began:
        obligation.ends = starting
        obligation.save(update_fields=["ends"])
        result.ended += 1
        return starting.next()
    if obligation.starts >= starting:
        obligation.delete()
        result.removed += 1
        return starting
    obligation.ends = starting.previous()
    obligation.save(update_fields=["ends"])
    result.ended += 1
    return starting


# --- counting ---------------------------------------------------------------------------------


@dataclass
class Counts:
    """What one department (or a plan, or everyone) owed for a month and where it stands."""

    expected: int = 0
    submitted: int = 0
    approved: int = 0
    returned: int = 0
    draft: int = 0
    on_time: int = 0
    late: int = 0
    waived: int = 0

    @property
    def reported(self) -> int:
        """Submitted or approved: the department did its part (a returned report is owed again)."""
        return self.submitted + self.approved

    @property
    def missing(self) -> int:
        return max(self.expected - self.reported - self.returned - self.draft, 0)

    @property
    def outstanding(self) -> int:
        return self.missing + self.draft + self.returned

    @property
    def share(self) -> float | None:
        """Reported / owed."""
        return self.reported / self.expected if self.expected else None

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.expected if self.expected else None

    def add(self, other: Counts) -> Counts:
        for f in fields(Counts):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))
        return self


@dataclass(frozen=True)
class Standing:
    """Where one report obligation stands for one month: missing, draft, returned, submitted,
    approved or waived; on time or late once in."""

    obligation_id: int
    department_id: int
    plan_id: int
    section_id: int | None
    period: Period
    state: str
    late: bool = False
    indicator_id: int | None = None
    share_id: int | None = None
    department_name: str = ""


MISSING, WAIVED = "missing", "waived"


def standings(obligations, months: Iterable[Period]) -> list[Standing]:
    """Every (report obligation, month) the obligations owe among the months, with its state.

    Three queries whatever the size: the obligations' spans, the months' reports, the waivers.
    """
    months = sorted(set(months))
    if not months:
        return []
    spans = list(
        obligations.filter(kind=Kind.REPORT)
        .filter(Q(ends__isnull=True) | Q(ends__gte=months[0]), starts__lte=months[-1])
        .annotate(section_id=Coalesce("indicator__task__section_id", "task__section_id"))
        .values_list(
            "pk",
            "department_id",
            "plan_id",
            "section_id",
            "starts",
            "ends",
            "indicator_id",
            "share_id",
            "department__name",
        )
    )
    ids = [row[0] for row in spans]
    reports = {
        (obligation_id, month): (state, late)
        for obligation_id, month, state, late in ProgressReport.objects.filter(
            obligation_id__in=ids, period__in=months
        ).values_list("obligation_id", "period", "status", "late")
    }
    waived = set(
        Waiver.objects.filter(obligation_id__in=ids, period__in=months).values_list("obligation_id", "period")
    )
    found = []
    for pk, department_id, plan_id, section_id, starts, ends, indicator_id, share_id, name in spans:
        for month in months:
            if starts <= month and (ends is None or month <= ends):
                state, late = reports.get((pk, month), (MISSING, False))
                if state not in ProgressReport.COUNTED and (pk, month) in waived:
                    state = WAIVED
                found.append(
                    Standing(
                        pk,
                        department_id,
                        plan_id,
                        section_id,
                        month,
                        state,
                        late,
                        indicator_id,
                        share_id,
                        name,
                    )
                )
    return found


def tally(found: Iterable[Standing], key=lambda s: s.department_id) -> dict:
    """Counts of the standings grouped by `key` (default: per department)."""
    counts: dict = {}
    for standing in found:
        cell = counts.setdefault(key(standing), Counts())
        if standing.state == WAIVED:
            cell.waived += 1
            continue
        cell.expected += 1
        if standing.state != MISSING:
            setattr(cell, standing.state, getattr(cell, standing.state) + 1)
        if standing.state in ProgressReport.COUNTED:
            if standing.late:
                cell.late += 1
            else:
                cell.on_time += 1
    return counts


# What the counts can be grouped by, as paths from an obligation: its department, plan, the plan's
# region, or its section (a target's task's section, or the task's own).
GROUPS = {
    None: lambda path: Value(0),
    "department": lambda path: F(f"{path}department_id"),
    "plan": lambda path: F(f"{path}plan_id"),
    "region": lambda path: F(f"{path}plan__region_id"),
    "section": lambda path: Coalesce(f"{path}indicator__task__section_id", f"{path}task__section_id"),
}


def _within_span(path: str) -> Q:
    """A report or waiver of a month its obligation covers (`standings` counts no other)."""
    return Q(period__gte=F(f"{path}starts")) & (
        Q(**{f"{path}ends__isnull": True}) | Q(period__lte=F(f"{path}ends"))
    )


def reporting_counts(obligations, months: Iterable[Period], by: str | None = "department") -> dict:
    """Per (group, month): what the report obligations owed and where it stands, counted in SQL.

    The same counts as `tally(standings(...))`, for pages over many plans (a province's) where
    listing every owed report would not do; three grouped queries whatever the size. `by` is a
    key of `GROUPS` (None: one group, keyed 0). A test holds the two to the same figures.
    """
    months = sorted(set(months))
    if not months:
        return {}
    owing = obligations.filter(kind=Kind.REPORT)
    active = {
        f"m{i}": Count("pk", filter=Q(starts__lte=month) & (Q(ends__isnull=True) | Q(ends__gte=month)))
        for i, month in enumerate(months)
    }
    spans = (
        owing.filter(Q(ends__isnull=True) | Q(ends__gte=months[0]), starts__lte=months[-1])
        .annotate(group=GROUPS[by](""))
        .values("group")
        .annotate(**active)
        .order_by()
    )
    counts: dict = {}
    for row in spans:
        for i, month in enumerate(months):
            if row[f"m{i}"]:
                counts[(row["group"], month)] = Counts(expected=row[f"m{i}"])
    counted = ProgressReport.objects.filter(
        obligation=OuterRef("obligation_id"), period=OuterRef("period"), status__in=ProgressReport.COUNTED
    )
    waived = (
        Waiver.objects.filter(obligation__in=owing, period__in=months)
        .filter(_within_span("obligation__"))
        .exclude(Exists(counted))
        .annotate(group=GROUPS[by]("obligation__"))
        .values("group", "period")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in waived:
        cell = counts[(row["group"], row["period"])]
        cell.waived, cell.expected = row["n"], cell.expected - row["n"]
    is_waived = Exists(Waiver.objects.filter(obligation=OuterRef("obligation_id"), period=OuterRef("period")))
    Status = ProgressReport.Status
    reports = (
        ProgressReport.objects.filter(obligation__in=owing, period__in=months)
        .filter(_within_span("obligation__"))
        .annotate(group=GROUPS[by]("obligation__"), waived=is_waived)
        .values("group", "period")
        .annotate(
            submitted=Count("pk", filter=Q(status=Status.SUBMITTED)),
            approved=Count("pk", filter=Q(status=Status.APPROVED)),
            returned=Count("pk", filter=Q(status=Status.RETURNED, waived=False)),
            draft=Count("pk", filter=Q(status=Status.DRAFT, waived=False)),
            on_time=Count("pk", filter=Q(status__in=ProgressReport.COUNTED, late=False)),
            late=Count("pk", filter=Q(status__in=ProgressReport.COUNTED, late=True)),
        )
        .order_by()
    )
    for row in reports:
        cell = counts[(row.pop("group"), row.pop("period"))]
        for name, value in row.items():
            setattr(cell, name, value)
    return counts
