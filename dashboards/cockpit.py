"""What the cockpit shows: which plans, as of which month, narrowed by which filters, and the
figures it counts for them.

The figures are counted in the database, from the status engine's kept judgements
(`tracking.models.TargetStatus`) and the owed reports (`tracking.obligations.reporting_counts`):
a county's plan and a province's several hundred take the same few grouped queries, and what is
listed is bounded (the furthest behind first), so that neither the time nor the page grows with
the province.

Where the plans are of one region (a county's, or one plan), the cockpit speaks of its sections
and departments; where they are of several (a city with its counties, a province), of the
regions one level below, each a drill-down (`?region=`) to its own cockpit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Count, Exists, FloatField, OuterRef, Q, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext

from departments import clock
from departments.models import Department, Region
from plans.models import Plan, Section, Task
from plans.numbers import short
from plans.periods import Period, selectable_periods, shown_period
from tracking import snapshot
from tracking import status as lamps
from tracking.models import Obligation, TargetStatus
from tracking.obligations import Counts, reporting_counts
from tracking.status import Tally

from .forms import CockpitForm

KEY_TARGETS = 8
LAGGING_SHOWN = 50
PLANS_NAMED = 12  # the plans a page names in its header; a province's others are counted
PARAMS = ("period", "region", "section", "department")


# --- which plans, which month -----------------------------------------------------------------


def running(plans: Iterable[Plan], period: Period) -> list[Plan]:
    """The plans whose years include the month: a region's cockpit shows what was under way then."""
    return [plan for plan in plans if plan.first_year <= period.year <= plan.last_year]


@dataclass
class Regions:
    """The administrative tree around the plans: where the board stands (`root`, the narrowest
    region holding all of them; None for regions side by side) and the regions one level below,
    which the cockpit shows side by side."""

    by_pk: dict[int, Region]
    root: Region | None

    @classmethod
    def around(cls, plans: list[Plan]) -> Regions:
        by_pk = {region.pk: region for region in Region.objects.only("pk", "name", "level", "parent_id")}
        paths = [cls._path(by_pk, plan.region_id) for plan in plans]
        common = paths[0] if paths else []
        for path in paths[1:]:
            common = [a for a, b in zip(common, path, strict=False) if a == b]
        return cls(by_pk, by_pk[common[-1]] if common else None)

    @staticmethod
    def _path(by_pk: dict[int, Region], pk: int) -> list[int]:
        """From the top of the tree down to the region."""
        path = []
        while pk is not None and pk not in path:
            path.append(pk)
            pk = by_pk[pk].parent_id
        return path[::-1]

    def below(self, region_id: int) -> int:
        """The region one level below the root on the way to `region_id` (the root itself for
        its own plans, 本级)."""
        path = self._path(self.by_pk, region_id)
        if self.root is None:
            return path[0]
        index = path.index(self.root.pk)
        return path[index + 1] if index + 1 < len(path) else self.root.pk

    def within(self, region_id: int, ancestor_id: int) -> bool:
        return ancestor_id in self._path(self.by_pk, region_id)

    def label(self, pk: int) -> str:
        name = self.by_pk[pk].name
        return gettext("%(region)s itself") % {"region": name} if self.root and pk == self.root.pk else name

    def choices(self, plans: list[Plan]) -> list[tuple[int, str]]:
        """The regions that hold some of the plans, and the regions between them and the root:
        where a leader can drill down to, indented by depth."""
        found: dict[int, int] = {}
        top = len(self._path(self.by_pk, self.root.pk)) if self.root else 0
        for plan in plans:
            path = self._path(self.by_pk, plan.region_id)
            for depth, pk in enumerate(path):
                if depth + 1 >= top:
                    found[pk] = depth + 1 - top
        ordered = sorted(found, key=lambda pk: [self.by_pk[p].name for p in self._path(self.by_pk, pk)])
        return [(pk, "　" * found[pk] + self.by_pk[pk].name) for pk in ordered]


# --- the board --------------------------------------------------------------------------------


@dataclass
class Board:
    """One cockpit as requested: which plans, the month, the filters."""

    plans: list[Plan]
    plan: Plan | None
    period: Period
    periods: list[Period]
    form: CockpitForm
    regions: Regions
    region_id: int | None = None
    section_id: int | None = None
    department_id: int | None = None

    @property
    def plan_ids(self) -> list[int]:
        return [plan.pk for plan in self.plans]

    @property
    def one_region(self) -> bool:
        """The plans are of one region: the cockpit speaks of sections and departments."""
        return len({plan.region_id for plan in self.plans}) <= 1

    def statuses(self):
        """The kept status of the plans' targets for the month, narrowed by the filters."""
        found = TargetStatus.objects.targets().filter(plan_id__in=self.plan_ids, period=self.period)
        if self.section_id is not None:
            found = found.filter(section_id=self.section_id)
        if self.department_id is not None:
            found = found.filter(lead_id=self.department_id)
        return found

    def obligations(self):
        """The plans' obligations, narrowed by the board's section and department filters."""
        found = Obligation.objects.filter(plan_id__in=self.plan_ids)
        if self.section_id is not None:
            found = found.filter(
                Q(indicator__task__section_id=self.section_id) | Q(task__section_id=self.section_id)
            )
        if self.department_id is not None:
            found = found.filter(department_id=self.department_id)
        return found

    @property
    def title(self) -> str:
        """The plan's title, or the region whose plans these are (a city with its counties' plans).

        Plans of regions side by side (a superuser's view) have no one region to name.
        """
        if self.plan is not None:
            return self.plan.title
        if self.regions.root is not None:
            return self.regions.root.name
        return gettext("All regions") if self.plans else gettext("Leader dashboard")

    @property
    def multi_plan(self) -> bool:
        return len(self.plans) > 1

    @property
    def named_plans(self) -> list[Plan]:
        """The plans the header names, the widest region's first; the rest are counted."""
        return self.plans[:PLANS_NAMED]

    @property
    def unnamed_plans(self) -> int:
        return max(0, len(self.plans) - PLANS_NAMED)

    def query(self, **changes) -> str:
        """The query string of the board's filters with some changed (None drops one)."""
        values = {
            "period": str(self.period),
            "region": self.region_id,
            "section": self.section_id,
            "department": self.department_id,
        }
        values.update(changes)
        return urlencode({k: v for k, v in values.items() if v not in (None, "")})

    def url(self, **changes) -> str:
        """This cockpit (plan or region) with the filters changed: where a bar leads."""
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
        values = {
            "period": self.period,
            "region": self.region_id,
            "section": self.section_id,
            "department": self.department_id,
        }
        return [(name, str(value)) for name, value in values.items() if value is not None]

    @property
    def unfiltered_url(self) -> str:
        return self.url(section=None, department=None, region=None)

    @property
    def filtered(self) -> bool:
        return any(v is not None for v in (self.region_id, self.section_id, self.department_id))

    def indicator_url(self, indicator_id: int) -> str:
        """An indicator's page (trajectory, reports, 配合 contributions, evidence, history) then."""
        return f"{reverse('tracking:indicator-detail', args=[indicator_id])}?period={self.period}"

    def department_url(self, department_id: int, period: Period | None = None) -> str:
        return self.url(department=department_id, period=str(period or self.period))

    def lead_url(self, plan_id: int, department_id: int) -> str:
        """A lead department's targets: on this board for one region, else on its plan's cockpit."""
        if self.one_region:
            return self.department_url(department_id)
        page = reverse("dashboards:plan-cockpit", args=[plan_id])
        return f"{page}?{urlencode({'period': str(self.period), 'department': department_id})}"

    def region_url(self, region_id: int, period: Period | None = None) -> str:
        """The cockpit of a region below (its own plans and those below it)."""
        return self.url(region=region_id, period=str(period or self.period), section=None, department=None)

    def section_url(self, plan_id: int, section_id: int | None) -> str:
        """A section's tasks on its plan page; the plan goals (no section) at the top of it."""
        page = reverse("plans:plan-detail", args=[plan_id])
        return f"{page}#section-{section_id}" if section_id else page

    @property
    def cache_key(self) -> str:
        """What the board's figures and links depend on, for the cache (with the kept status's
        version): the plans, the filters, and whether it is one plan's cockpit or a region's (the
        same county's plan shown on either links to a different page)."""
        plans = ",".join(str(pk) for pk in sorted(self.plan_ids))
        return f"{plans}|{self.url()}"


def load_board(user, params: Mapping[str, str], plan: Plan | None = None, today: date | None = None) -> Board:
    """The cockpit of one plan, or of every plan the user may see that runs in the month asked for
    (of one region below, with ?region=)."""
    today = today or clock.today()
    if plan is not None:
        candidates = [plan]
    else:
        candidates = list(
            Plan.objects.visible_to(user)
            .exclude(status=Plan.Status.DRAFT)
            .select_related("region", "issuing_department")
            .widest_first()
        )
    choices = selectable_periods(candidates, today)[::-1]  # newest first, as the month menu lists them
    period = shown_period(candidates, params.get("period"), on=today, strict=False)
    plans = candidates if plan is not None else running(candidates, period)
    regions = Regions.around(plans)
    asked = {name: params.get(name, "") for name in PARAMS} | {"period": str(period)}
    form = CockpitForm(asked, periods=choices, regions=regions.choices(plans) if plan is None else [])
    region_id = form.chosen_region()
    if region_id is not None:
        plans = [p for p in plans if regions.within(p.region_id, region_id)]
        regions.root = regions.by_pk[region_id]
    snapshot.ensure(plans, period)
    if len({p.region_id for p in plans}) <= 1:
        form.offer(sections=section_choices(plans), departments=department_choices(plans, period))
    return Board(
        plans=plans,
        plan=plan,
        period=period,
        periods=choices,
        form=form,
        regions=regions,
        region_id=region_id,
        section_id=form.cleaned_data.get("section"),
        department_id=form.cleaned_data.get("department"),
    )


def section_choices(plans: list[Plan]) -> list[tuple[int, str]]:
    """Every section of the plans, in the plans' order (a plan's title before it, for several)."""
    order = {plan.pk: index for index, plan in enumerate(plans)}
    titles = {plan.pk: plan.title for plan in plans}
    sections = sorted(
        Section.objects.filter(plan_id__in=list(order)), key=lambda s: (order[s.plan_id], s.position)
    )
    prefix = (lambda s: f"{titles[s.plan_id]} · ") if len(plans) > 1 else (lambda s: "")
    return [(s.pk, f"{prefix(s)}{s.label}{s.title}") for s in sections]


def department_choices(plans: list[Plan], period: Period) -> list[tuple[int, str]]:
    """The departments leading a target or owing a report that month, by name."""
    ids = [plan.pk for plan in plans]
    leads = TargetStatus.objects.filter(plan_id__in=ids, period=period, share__isnull=True).values("lead_id")
    owing = Obligation.objects.filter(plan_id__in=ids).reports().active_in(period).values("department_id")
    found = Department.objects.filter(Q(pk__in=leads) | Q(pk__in=owing)).order_by("name")
    return list(found.values_list("pk", "name"))


# --- the figures ------------------------------------------------------------------------------


@dataclass
class Headline:
    """The six figures at the top: the lamps of all targets and this month's reporting."""

    tally: Tally
    reporting: Counts

    @property
    def total(self) -> int:
        return self.tally.total

    @property
    def done(self) -> int:
        return self.tally[lamps.Lamp.DONE]

    @property
    def green(self) -> int:
        return self.tally[lamps.Lamp.GREEN]

    @property
    def yellow(self) -> int:
        return self.tally[lamps.Lamp.YELLOW]

    @property
    def red(self) -> int:
        return self.tally[lamps.Lamp.RED]

    @property
    def not_due(self) -> int:
        return self.tally.not_due

    @property
    def unjudged(self) -> int:
        return self.tally.unjudged

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


def headline(board: Board) -> Headline:
    """Two grouped queries, whatever the number of plans."""
    tally = board.statuses().tallies().get(0, Tally())
    reporting = reporting_counts(board.obligations(), [board.period], by=None)
    return Headline(tally=tally, reporting=reporting.get((0, board.period), Counts()))


BUCKETS = [lamps.Lamp.RED, lamps.Lamp.YELLOW, lamps.Lamp.GREEN, lamps.Lamp.DONE, lamps.NOT_DUE]


@dataclass
class LampGroup:
    """A section (or the plan goals) or a region below, with how many of its targets stand at
    each lamp, and where a click on it leads."""

    label: str
    tally: Tally
    url: str
    tasks: int = 0

    @property
    def counts(self) -> dict[str, int]:
        return {
            bucket: self.tally.not_due if bucket == lamps.NOT_DUE else self.tally[bucket]
            for bucket in BUCKETS
        }

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def section_groups(board: Board, goals_label: str) -> list[LampGroup]:
    """The sections side by side, plan by plan, the plan goals first; three queries.

    Sections whose tasks carry no number still appear (with nothing counted), so a leader sees
    all six 提X sections; the goals of different plans stay apart.
    """
    tallies = board.statuses().tallies(by="section")
    tasks = Task.objects.filter(section__plan_id__in=board.plan_ids)
    if board.section_id is not None:
        tasks = tasks.filter(section_id=board.section_id)
    if board.department_id is not None:
        tasks = tasks.filter(Exists(board.statuses().filter(indicator__task=OuterRef("pk"))))
    per_section = dict(tasks.values("section_id").annotate(n=Count("pk")).values_list("section_id", "n"))
    sections = Section.objects.filter(pk__in={*per_section, *(s for _p, s in tallies if s is not None)})
    order = {plan.pk: index for index, plan in enumerate(board.plans)}
    prefix = {plan.pk: f"{plan.region.name} · " if board.multi_plan else "" for plan in board.plans}
    groups = [
        (
            order[plan_id],
            -1,
            LampGroup(prefix[plan_id] + goals_label, tally, board.section_url(plan_id, None)),
        )
        for (plan_id, section_id), tally in tallies.items()
        if section_id is None
    ]
    for section in sections:
        groups.append(
            (
                order[section.plan_id],
                section.position,
                LampGroup(
                    f"{prefix[section.plan_id]}{section.label}{section.title}",
                    tallies.get((section.plan_id, section.pk), Tally()),
                    board.section_url(section.plan_id, section.pk),
                    per_section.get(section.pk, 0),
                ),
            )
        )
    return [group for *_order, group in sorted(groups, key=lambda g: g[:2])]


def region_groups(board: Board) -> list[LampGroup]:
    """The regions one level below side by side (the root's own plans first): one query."""
    merged: dict[int, Tally] = {}
    for region_id, tally in board.statuses().tallies(by="region").items():
        merged.setdefault(board.regions.below(region_id), Tally()).merge(tally)
    root = board.regions.root.pk if board.regions.root else None
    ordered = sorted(merged, key=lambda pk: (pk != root, board.regions.by_pk[pk].name))
    return [LampGroup(board.regions.label(pk), merged[pk], board.region_url(pk)) for pk in ordered]


@dataclass
class Ranked:
    """A department (or a region below) in the ranking: its targets and its reporting."""

    key: int
    label: str
    url: str
    tally: Tally = field(default_factory=Tally)
    reporting: Counts = field(default_factory=Counts)

    @property
    def targets(self) -> int:
        return self.tally.total

    @property
    def completion(self) -> float | None:
        return self.tally.completion

    @property
    def on_time(self) -> float | None:
        return self.reporting.on_time_rate

    @property
    def lamp(self) -> str:
        return self.tally.lamp


def ranking(board: Board) -> list[Ranked]:
    """Lead departments (the regions below, for several regions) with their targets and what
    they owed this month; a department whose month was waived entirely is not ranked. Three
    queries and the names."""
    by = "department" if board.one_region else "region"
    tallies = board.statuses().tallies(by=by)
    counts = {key: c for (key, _m), c in reporting_counts(board.obligations(), [board.period], by=by).items()}
    if by == "department":
        owing = [
            pk for pk in {*tallies, *counts} if pk is not None and (pk in tallies or counts[pk].expected)
        ]
        names = dict(Department.objects.filter(pk__in=owing).values_list("pk", "name"))
        found = [Ranked(pk, names[pk], board.department_url(pk)) for pk in owing]
        for group in found:
            group.tally, group.reporting = tallies.get(group.key, Tally()), counts.get(group.key, Counts())
        return sorted(found, key=lambda g: g.label)
    merged: dict[int, Ranked] = {}
    for source, add in ((tallies, "tally"), (counts, "reporting")):
        for region_id, figure in source.items():
            pk = board.regions.below(region_id)
            group = merged.setdefault(pk, Ranked(pk, board.regions.label(pk), board.region_url(pk)))
            if add == "tally":
                group.tally.merge(figure)
            else:
                group.reporting.add(figure)
    return sorted(merged.values(), key=lambda g: g.label)


def in_gap_order(statuses):
    """The furthest behind first (a gap not known counts as none), then as the plan lists them."""
    return statuses.in_order(Coalesce("gap", Value(0.0), output_field=FloatField()).desc())


def _rows(statuses):
    return statuses.select_related("indicator__task", "plan__region", "section", "lead")


def lagging(board: Board, limit: int | None = None) -> tuple[list[TargetStatus], int]:
    """落后清单: the yellow and red targets, the furthest behind first (at most `limit` of
    them), and how many there are."""
    behind = board.statuses().filter(lamp__in=[lamps.Lamp.YELLOW, lamps.Lamp.RED])
    return list(_rows(in_gap_order(behind))[: limit or LAGGING_SHOWN]), behind.count()


def key_rows(rows: list, limit: int = KEY_TARGETS, biggest: int = 3) -> list:
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


def key_targets(board: Board, limit: int = KEY_TARGETS) -> list[TargetStatus]:
    """`key_rows` of the board, read as the few candidates of each kind: three bounded queries."""
    judged = _rows(board.statuses().filter(Q(completion__isnull=False) | ~Q(availability=lamps.DUE)))
    goals = list(judged.filter(indicator__task__isnull=True).in_order()[:limit])
    lagging_task = Q(lamp__in=[lamps.Lamp.RED, lamps.Lamp.YELLOW], indicator__task__isnull=False)
    behind = list(in_gap_order(judged.filter(lagging_task))[:limit])
    rest = judged.exclude(lagging_task).exclude(pk__in=[row.pk for row in goals])
    biggest = rest.in_order(Coalesce("indicator__target", Value(Decimal(0))).desc())
    return key_rows(goals + behind + list(biggest[:limit]), limit)


@dataclass
class LaggingItem:
    """A row of the 落后清单 with the figures a table cell shows."""

    row: TargetStatus
    gap_points: str
    indicator_url: str
    department_url: str = ""
    needed: str = ""
    current: str = ""

    @property
    def has_pace(self) -> bool:
        return bool(self.needed)


def lagging_items(board: Board, rows: list[TargetStatus]) -> list[LaggingItem]:
    """The 落后清单's rows with the pace each needs and where its lead department's link goes."""
    return [
        LaggingItem(
            row=row,
            gap_points=f"{row.gap * 100:.0f}" if row.gap is not None else "",
            indicator_url=board.indicator_url(row.indicator_id),
            department_url=board.lead_url(row.plan_id, row.lead_id) if row.lead_id else "",
            needed=short(row.pace_needed) if row.pace_needed is not None else "",
            current=short(row.pace_current) if row.pace_current is not None else "",
        )
        for row in rows
    ]


def with_figures(board: Board, limit: int):
    """Targets with a figure that month, as the plan lists them (the trajectory's choices)."""
    return list(_rows(board.statuses().exclude(value=None).in_order())[:limit])
