"""What the cockpit shows: which plans, as of which month, narrowed by which filters.

`load_board` is the only part that reads the database: the plans the user may see, then
`plan_status` once (a fixed number of queries). Everything after it is pure: narrowing the
rows to a section or a department, the headline counts, the key targets, the section groups
and the 落后清单 are functions of the `PlanStatus`, so the page, its fragments and the tests
all compute them the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext

from departments import clock
from departments.models import Region
from plans.models import Plan
from plans.numbers import short
from plans.periods import Period, selectable_periods, shown_period
from tracking import status as lamps
from tracking.models import Obligation
from tracking.obligations import Counts
from tracking.progress import PlanStatus, Row, plan_status

from .forms import CockpitForm

KEY_TARGETS = 8
PARAMS = ("period", "section", "department")


# --- which plans, which month -----------------------------------------------------------------


def running(plans: Iterable[Plan], period: Period) -> list[Plan]:
    """The plans whose years include the month: a region's cockpit shows what was under way then."""
    return [plan for plan in plans if plan.first_year <= period.year <= plan.last_year]


# --- the board --------------------------------------------------------------------------------


@dataclass
class Board:
    """One cockpit as requested: scope, month, filters, and the rows before and after narrowing."""

    plans: list[Plan]
    plan: Plan | None
    period: Period
    periods: list[Period]
    full: PlanStatus
    status: PlanStatus
    form: CockpitForm
    section_id: int | None = None
    department_id: int | None = None

    def obligations(self):
        """The plans' obligations, narrowed by the board's section and department filters."""
        found = Obligation.objects.filter(plan__in=self.plans)
        if self.section_id is not None:
            found = found.filter(
                Q(indicator__task__section_id=self.section_id) | Q(task__section_id=self.section_id)
            )
        if self.department_id is not None:
            found = found.filter(department_id=self.department_id)
        return found

    @property
    def plans_by_pk(self) -> dict[int, Plan]:
        return {plan.pk: plan for plan in self.plans}

    @property
    def title(self) -> str:
        """The plan's title, or the region whose plans these are (a city with its counties' plans).

        Plans of regions side by side (a superuser's view) have no one region to name.
        """
        if self.plan is not None:
            return self.plan.title
        widest = {plan.region.name for plan in self.plans if plan.region.level == self.plans[0].region.level}
        if len(widest) == 1:
            return widest.pop()
        return gettext("All regions") if self.plans else gettext("Leader dashboard")

    @property
    def multi_plan(self) -> bool:
        return len(self.plans) > 1

    def query(self, **changes) -> str:
        """The query string of the board's filters with some changed (None drops one)."""
        values = {"period": str(self.period), "section": self.section_id, "department": self.department_id}
        values.update(changes)
        return urlencode({k: v for k, v in values.items() if v not in (None, "")})

    def url(self, **changes) -> str:
        """This cockpit (plan or region) with the filters changed: where a department bar leads."""
        base = (
            reverse("dashboards:plan-cockpit", args=[self.plan.pk])
            if self.plan
            else reverse("dashboards:cockpit")
        )
        return f"{base}?{self.query(**changes)}"

    def tile_url(self, tile: str, **changes) -> str:
        base = (
            reverse("dashboards:plan-tile", args=[self.plan.pk, tile])
            if self.plan
            else reverse("dashboards:tile", args=[tile])
        )
        return f"{base}?{self.query(**changes)}"

    @property
    def hidden_params(self) -> list[tuple[str, str]]:
        """The filters as hidden inputs of a tile's own GET form (the trajectory's target select)."""
        values = {"period": self.period, "section": self.section_id, "department": self.department_id}
        return [(name, str(value)) for name, value in values.items() if value is not None]

    @property
    def unfiltered_url(self) -> str:
        return self.url(section=None, department=None)

    def indicator_url(self, indicator_id: int) -> str:
        """An indicator's page (trajectory, reports, 配合 contributions, evidence, history) then."""
        return f"{reverse('tracking:indicator-detail', args=[indicator_id])}?period={self.period}"

    def department_url(self, department_id: int, period: Period | None = None) -> str:
        return self.url(department=department_id, period=str(period or self.period))

    def section_url(self, plan_id: int, section_id: int | None) -> str:
        """A section's tasks on its plan page; the plan goals (no section) at the top of it."""
        page = reverse("plans:plan-detail", args=[plan_id])
        return f"{page}#section-{section_id}" if section_id else page


def load_board(user, params: Mapping[str, str], plan: Plan | None = None, today: date | None = None) -> Board:
    """The cockpit of one plan, or of every plan the user may see that runs in the month asked for."""
    today = today or clock.today()
    if plan is not None:
        candidates = [plan]
    else:
        candidates = list(
            Plan.objects.visible_to(user)
            .exclude(status=Plan.Status.DRAFT)
            .select_related("region", "issuing_department")
        )
        candidates.sort(key=_widest_first)
    choices = selectable_periods(candidates, today)[::-1]  # newest first, as the month menu lists them
    period = shown_period(candidates, params.get("period"), on=today, strict=False)
    plans = candidates if plan is not None else running(candidates, period)
    full = plan_status(plans, period)
    form = CockpitForm(
        {**{k: params.get(k, "") for k in PARAMS}, "period": str(period)},
        periods=choices,
        sections=section_choices(full, multi_plan=len(plans) > 1, plans={p.pk: p for p in plans}),
        departments=department_choices(full),
    )
    form.is_valid()
    section_id, department_id = form.cleaned_data.get("section"), form.cleaned_data.get("department")
    return Board(
        plans=plans,
        plan=plan,
        period=period,
        periods=choices,
        full=full,
        status=narrow(full, section_id=section_id, department_id=department_id),
        form=form,
        section_id=section_id,
        department_id=department_id,
    )


LEVELS = [choice for choice, _ in Region.Level.choices]


def _widest_first(plan: Plan) -> tuple:
    """A city's plans before its counties', then the newest, then by title."""
    return (LEVELS.index(plan.region.level), plan.region.name, -plan.last_year, plan.title)


# --- pure helpers over the rows ---------------------------------------------------------------


def narrow(status: PlanStatus, section_id: int | None = None, department_id: int | None = None) -> PlanStatus:
    """The same month with only the rows, tasks and owed reports of one section and/or department."""

    def keep(row: Row) -> bool:
        in_section = section_id is None or (row.section is not None and row.section.pk == section_id)
        in_department = department_id is None or (row.lead is not None and row.lead.pk == department_id)
        return in_section and in_department

    def keep_standing(standing) -> bool:
        in_section = section_id is None or standing.section_id == section_id
        return in_section and (department_id is None or standing.department_id == department_id)

    tasks = [
        task
        for task in status.tasks
        if (section_id is None or task.task.section_id == section_id)
        and (department_id is None or any(keep(row) for row in task.rows))
    ]
    return status.narrowed(keep, keep_standing, tasks)


def section_choices(status: PlanStatus, multi_plan: bool, plans: Mapping[int, Plan]) -> list[tuple[int, str]]:
    """Every section of the plans (also those whose tasks have no number), in the plans' order."""
    seen: dict[int, str] = {}
    order = {pk: index for index, pk in enumerate(plans)}
    sections = [task.task.section for task in status.tasks] + [r.section for r in status.rows if r.section]
    for section in sorted(sections, key=lambda s: (order.get(s.plan_id, s.plan_id), s.position)):
        if section.pk not in seen:
            prefix = (
                f"{plans[section.plan_id].region.name} · " if multi_plan and section.plan_id in plans else ""
            )
            seen[section.pk] = f"{prefix}{section.label}{section.title}"
    return list(seen.items())


def department_choices(status: PlanStatus) -> list[tuple[int, str]]:
    """The departments of the rows and of the month's owed reports, by name."""
    leads = {row.lead.pk: row.lead.name for row in status.rows if row.lead is not None}
    leads.update((s.department_id, status.names.get(s.department_id, "")) for s in status.standings)
    return sorted(leads.items(), key=lambda item: item[1])


@dataclass
class Headline:
    """The six figures at the top: the lamps of all targets and this month's reporting."""

    total: int
    done: int
    green: int
    yellow: int
    red: int
    not_due: int
    unjudged: int
    reporting: Counts

    @property
    def reported(self) -> int:
        return self.reporting.reported

    @property
    def owed(self) -> int:
        """The month's owed reports (targets, decomposed shares, tasks without a number): what
        the rate is a share of, as the completeness page counts them."""
        return self.reporting.expected

    @property
    def completeness(self) -> float | None:
        """Share of the month's owed reports that are in (on time or late), as the completeness
        page counts them."""
        return self.reporting.share


def headline(status: PlanStatus) -> Headline:
    counts = status.totals.counts
    not_due = counts[lamps.NOT_DUE] + counts[lamps.PENDING]
    judged = sum(counts[lamp] for lamp in lamps.SEVERITY)
    return Headline(
        total=len(status.rows),
        done=counts[lamps.Lamp.DONE],
        green=counts[lamps.Lamp.GREEN],
        yellow=counts[lamps.Lamp.YELLOW],
        red=counts[lamps.Lamp.RED],
        not_due=not_due,
        unjudged=len(status.rows) - judged - not_due,
        reporting=status.reporting,
    )


@dataclass
class SectionGroup:
    """A section (or the plan goals) with how many of its targets stand at each lamp."""

    plan_id: int
    section_id: int | None
    label: str
    counts: dict[str, int]
    tasks: int

    @property
    def total(self) -> int:
        return sum(self.counts.values())


BUCKETS = [lamps.Lamp.RED, lamps.Lamp.YELLOW, lamps.Lamp.GREEN, lamps.Lamp.DONE, lamps.NOT_DUE]


def _bucket(row: Row) -> str | None:
    """Where a row is counted: its lamp, 未到期 for not due or pending, None when it has no figure."""
    if row.availability != lamps.DUE:
        return lamps.NOT_DUE
    return row.lamp if row.lamp in lamps.SEVERITY else None


def section_groups(status: PlanStatus, plans: Mapping[int, Plan], goals_label: str) -> list[SectionGroup]:
    """The sections side by side, plan by plan (in the order of `plans`), the plan goals first.

    Sections whose tasks carry no number still appear (with nothing counted), so a leader
    sees all six 提X sections; the goals of different plans stay apart.
    """
    groups: dict[tuple[int, int | None], SectionGroup] = {}
    multi = len(plans) > 1

    def group(plan_id: int, section) -> SectionGroup:
        key = (plan_id, section.pk if section else None)
        if key not in groups:
            prefix = f"{plans[plan_id].region.name} · " if multi and plan_id in plans else ""
            label = f"{section.label}{section.title}" if section else goals_label
            groups[key] = SectionGroup(plan_id, key[1], prefix + label, dict.fromkeys(BUCKETS, 0), 0)
        return groups[key]

    for task in status.tasks:
        group(task.task.section.plan_id, task.task.section).tasks += 1
    for row in status.rows:
        bucket = _bucket(row)
        target = group(row.plan.pk, row.section)
        if bucket is not None:
            target.counts[bucket] += 1
    positions = {task.task.section_id: task.task.section.position for task in status.tasks}
    positions.update({row.section.pk: row.section.position for row in status.rows if row.section})
    order = {pk: index for index, pk in enumerate(plans)}
    return sorted(
        groups.values(),
        key=lambda g: (
            order.get(g.plan_id, g.plan_id),
            -1 if g.section_id is None else positions.get(g.section_id, 0),
        ),
    )


def key_rows(rows: list[Row], limit: int = KEY_TARGETS, biggest: int = 3) -> list[Row]:
    """The targets a leader asks about first: the plan goals, the furthest behind, the biggest.

    A few places are kept for the biggest targets (the largest target value, so 310 firms
    before 3 platforms; units differ, so this is only a rough measure of weight) so that the
    chart is not the 落后清单 again when many targets lag.
    """
    judged = [row for row in rows if row.completion is not None or row.availability != lamps.DUE]
    goals = [row for row in judged if row.task is None][:limit]
    behind = sorted(
        (row for row in judged if row.lamp in (lamps.Lamp.RED, lamps.Lamp.YELLOW) and row.task is not None),
        key=lambda row: -(row.gap or 0),
    )
    rest = sorted(
        (row for row in judged if row not in goals and row not in behind),
        key=lambda row: -(row.indicator.target or 0),
    )
    room = limit - len(goals)
    behind = behind[: max(room - min(biggest, len(rest)), 0)]
    return goals + behind + rest[: room - len(behind)]


def trajectory_row(status: PlanStatus, indicator_id: int | None) -> Row | None:
    """The target asked for, else the first of the 落后清单, else the first with any figure."""
    rows = [row for row in status.rows if row.history]
    chosen = next((row for row in rows if row.indicator.pk == indicator_id), None)
    if chosen is not None:
        return chosen
    lagging = [row for row in status.lagging if row.history]
    return lagging[0] if lagging else (rows[0] if rows else None)


@dataclass
class LaggingItem:
    """A row of the 落后清单 with the figures a table cell shows."""

    row: Row
    gap_points: str
    indicator_url: str
    department_url: str = ""
    needed: str = ""
    current: str = ""

    @property
    def has_pace(self) -> bool:
        return bool(self.needed)


def lagging_items(
    status: PlanStatus, indicator_url: Callable[[int], str], department_url: Callable[[int], str]
) -> list[LaggingItem]:
    """Every yellow and red target, the furthest behind first, with the pace it needs."""
    items = []
    for row in status.lagging:
        pace = row.pace
        items.append(
            LaggingItem(
                row=row,
                gap_points=f"{row.gap * 100:.0f}" if row.gap is not None else "",
                indicator_url=indicator_url(row.indicator.pk),
                department_url=department_url(row.lead.pk) if row.lead else "",
                needed=short(pace.needed) if pace else "",
                current=short(pace.current) if pace else "",
            )
        )
    return items
