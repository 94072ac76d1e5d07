"""Demo data for `make run`: four seed plans with their regions, departments, users and monthly reports.

A bureau deciding whether to use the product has to see it full: plans with every task and
target of the real documents, owners for each task, and half a year of reports in which some
targets are met, some lag and some reports were sent back. `fixtures/demo.json` holds the
hand-written part (regions, departments, who leads the tasks the documents leave unassigned,
decomposed targets, users, report wording); the plan structures are the importer's gold files in
`fixtures/plans/` and the texts the seeds in `fixtures/seeds/`, copied so that the repository
needs nothing beside it.

Report values are derived, not random: each target gets a pace from a SHA-256 of its plan and
name (stable across runs and machines, unlike the salted built-in `hash()`), so the demo shows
the same lagging and met targets every time and tests can rely on it. Loading twice creates
nothing new: regions, departments and users are keyed by their natural keys, and a plan that
already exists in its region is skipped with its reports.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.test.utils import override_settings

from accounts.models import PasswordState
from departments.models import Department, DepartmentAlias, Membership, Region, Role
from plans.importers.review import department_names
from plans.models import Indicator, IndicatorShare, Milestone, Plan, Responsibility, Task
from plans.numbers import plain
from plans.periods import Period
from plans.services import create_plan
from tracking import obligations, snapshot
from tracking.models import Obligation, ProgressReport
from tracking.status import expected_progress

DEMO_YEAR = 2024
DEMO_MONTH = 6
# The day `make run` pretends it is (REPORTING_TODAY): June's window is open, not yet due.
DEMO_TODAY = date(DEMO_YEAR, DEMO_MONTH, 24)
DEMO_PASSWORD = "demo12345"

COUNTED = [
    "regions",
    "departments",
    "aliases",
    "users",
    "memberships",
    "plans",
    "sections",
    "tasks",
    "indicators",
    "responsibilities",
    "shares",
    "milestones",
    "obligations",
    "reports",
]

MET, ON_PACE, LAGGING = "met", "on_pace", "lagging"
RATE_KINDS = {Indicator.Kind.GROWTH_RATE, Indicator.Kind.RATIO, Indicator.Kind.RANK, Indicator.Kind.INDEX}

Status = ProgressReport.Status


def fixtures_dir() -> Path:
    return Path(settings.BASE_DIR) / "fixtures"


def read_spec(directory: Path | None = None) -> dict[str, Any]:
    """The hand-written demo data (fixtures/demo.json)."""
    return json.loads(((directory or fixtures_dir()) / "demo.json").read_text(encoding="utf-8"))


def read_structure(file: str, directory: Path | None = None) -> dict[str, Any]:
    """A plan structure in the importer's format (fixtures/plans/<file>.json)."""
    return json.loads(((directory or fixtures_dir()) / "plans" / f"{file}.json").read_text(encoding="utf-8"))


def read_seed(file: str, directory: Path | None = None) -> str:
    """The published text of a plan (fixtures/seeds/<file>.txt), kept as the plan's source text."""
    return ((directory or fixtures_dir()) / "seeds" / f"{file}.txt").read_text(encoding="utf-8")


def load_demo(*, stdout: TextIO | None = None, directory: Path | None = None) -> dict[str, int]:
    """Create whatever of the demo data is missing, in one transaction; return what was created.

    Counts (one per name in COUNTED) are of new rows only, so a second run returns zeros: the
    caller can tell the user that nothing changed.
    """
    directory = directory or fixtures_dir()
    spec = read_spec(directory)
    counts: Counter[str] = Counter()
    # the demo is built on its own day: records it writes are dated as the demo shows them
    with transaction.atomic(), override_settings(REPORTING_TODAY=DEMO_TODAY.isoformat()):
        regions = _ensure_regions(spec["regions"], counts)
        departments = _ensure_departments(spec["departments"], regions, counts)
        _ensure_users(spec, departments, counts)
        people = _People.of_demo_users(spec)
        bureaus = {
            path: departments[(path, entry["name"])]
            for path, entries in spec["departments"].items()
            for entry in entries
            if entry.get("bureau")
        }
        for entry in spec["plans"]:
            structure = read_structure(entry["file"], directory)
            region = regions[entry["region"]]
            if Plan.objects.filter(title=structure["title"], region=region).exists():
                _say(stdout, f"计划「{structure['title']}」已存在，跳过。")
                continue
            plan = _build_plan(
                entry=entry,
                regions=regions,
                structure=structure,
                source_text=read_seed(entry["file"], directory),
                region=region,
                issuing_department=bureaus[entry["region"]],
                created_by=people.coordinator_for(region),
            )
            counts["plans"] += 1
            counts["sections"] += plan.sections.count()
            counts["tasks"] += Task.objects.filter(section__plan=plan).count()
            counts["indicators"] += plan.indicators.count()
            counts["responsibilities"] += Responsibility.objects.filter(task__section__plan=plan).count()
            counts["shares"] += _create_shares(
                plan, entry.get("shares") or [], regions, entry["region"], bureaus
            )
            counts["milestones"] += _create_milestones(plan, entry.get("milestones") or [])
            _apply_indicator_settings(plan, spec.get("indicator_settings") or [])
            counts["obligations"] += obligations.sync(
                plan, starting=max(plan.first_period, Period(DEMO_YEAR, 1))
            ).created
            reports = build_reports(plan, people=people, texts=spec["texts"])
            ProgressReport.objects.bulk_create(reports, batch_size=500)
            snapshot.refresh(plans=[plan])
            counts["reports"] += len(reports)
            _say(stdout, f"已创建计划「{plan.title}」（{region.name}）和{len(reports)}份月报。")
    return {key: counts[key] for key in COUNTED}


def _say(stdout: TextIO | None, line: str) -> None:
    if stdout is not None:
        stdout.write(line + "\n")


# --- regions, departments, users ------------------------------------------------------------


def _ensure_regions(
    tree: list[Mapping], counts: Counter, parent: Region | None = None, prefix: str = ""
) -> dict[str, Region]:
    """Regions by their path (湖北省/咸宁市/咸安区), created under their parent when missing."""
    found: dict[str, Region] = {}
    for node in tree:
        region, created = Region.objects.get_or_create(
            parent=parent, name=node["name"], defaults={"level": node["level"], "code": node.get("code", "")}
        )
        counts["regions"] += created
        path = f"{prefix}{node['name']}"
        found[path] = region
        found.update(_ensure_regions(node.get("children") or [], counts, region, f"{path}/"))
    return found


def _ensure_departments(
    spec: Mapping[str, list[Mapping]], regions: Mapping[str, Region], counts: Counter
) -> dict[tuple[str, str], Department]:
    """Departments by (region path, name), with the aliases under which plans cite them."""
    found: dict[tuple[str, str], Department] = {}
    for path, entries in spec.items():
        for entry in entries:
            department, created = Department.objects.get_or_create(
                region=regions[path], name=entry["name"], defaults={"short_name": entry.get("short_name", "")}
            )
            counts["departments"] += created
            for alias in entry.get("aliases") or []:
                _, new_alias = DepartmentAlias.objects.get_or_create(department=department, name=alias)
                counts["aliases"] += new_alias
            found[(path, entry["name"])] = department
    return found


def _ensure_users(spec: Mapping, departments: Mapping[tuple[str, str], Department], counts: Counter) -> None:
    """Demo users and their memberships; an existing user keeps the password someone gave it.

    The password is hashed once for all users: hashing is slow on purpose, and two dozen
    hashes would make loading take tens of seconds for no gain in a demo.
    """
    User = get_user_model()
    hashed = make_password(DEMO_PASSWORD)
    for entry in spec["users"]:
        user, created = User.objects.get_or_create(
            username=entry["username"],
            defaults={
                "first_name": entry["first_name"],
                "password": hashed,
                # reserved domain: reminders show in the console backend, never leave the machine
                "email": f"{entry['username']}@example.org",
            },
        )
        counts["users"] += created
        for name in entry["departments"]:
            department = departments[(entry["region"], name)]
            _, new_membership = Membership.objects.get_or_create(
                user=user, department=department, role=entry["role"]
            )
            counts["memberships"] += new_membership
    admin = spec["superuser"]
    if not User.objects.filter(username=admin["username"]).exists():
        User.objects.create(
            username=admin["username"],
            first_name=admin["first_name"],
            password=hashed,
            is_staff=True,
            is_superuser=True,
        )
        counts["users"] += 1
    # The demo password is published in the README, not an initial one: never forced to change.
    demo_users = User.objects.filter(username__in=demo_usernames(spec))
    PasswordState.objects.bulk_create([PasswordState(user=u) for u in demo_users], ignore_conflicts=True)


def demo_usernames(spec: Mapping) -> list[str]:
    return [entry["username"] for entry in spec["users"]] + [spec["superuser"]["username"]]


@dataclass
class _People:
    """Who reports and who reviews for each department, among the demo users."""

    reporters: dict[int, Any]
    reviewers: dict[int, Any]
    coordinators: dict[int, Any]  # by region id

    @classmethod
    def of_demo_users(cls, spec: Mapping) -> _People:
        rows = (
            Membership.objects.filter(user__username__in=demo_usernames(spec))
            .select_related("user", "department")
            .order_by("user__username", "department_id")
        )
        people = cls({}, {}, {})
        for m in rows:
            if m.role == Role.REPORTER:
                people.reporters.setdefault(m.department_id, m.user)
            elif m.role == Role.REVIEWER:
                people.reviewers.setdefault(m.department_id, m.user)
            elif m.role == Role.COORDINATOR:
                people.coordinators.setdefault(m.department.region_id, m.user)
        return people

    def coordinator_for(self, region: Region):
        return self.coordinators.get(region.pk)

    def reviewer_for(self, department: Department, plan: Plan):
        """The department's reviewer, else the task force (coordinator) of the plan's region."""
        return self.reviewers.get(department.pk) or self.coordinators.get(plan.region_id)


# --- plans ----------------------------------------------------------------------------------


def with_overlay(structure: Mapping, overlay: list[Mapping]) -> dict[str, Any]:
    """The structure with the demo's lead and co departments filled in where the text names none.

    The gold files keep lead/co empty when the document has no （…牵头） parentheses, as the
    importer must. The demo assigns owners explicitly, task by task, and never overrides a
    department the document itself names.
    """
    result = copy.deepcopy(dict(structure))
    tasks: dict[tuple[str, str], dict] = {}
    for section in result["sections"]:
        for task in section["tasks"]:
            key = (section["label"], task["number"])
            if key in tasks:
                raise ValueError(f"two tasks numbered {key} in {structure['title']}")
            tasks[key] = task
    for item in overlay:
        key = (item["section"], item["task"])
        if key not in tasks:
            raise ValueError(f"overlay names no task of {structure['title']}: {key}")
        task = tasks[key]
        if task.get("lead") or task.get("co"):
            raise ValueError(f"task {key} of {structure['title']} already names its departments")
        task["lead"], task["co"] = list(item["lead"]), list(item.get("co") or [])
    return result


def _build_plan(
    *,
    entry: Mapping,
    regions: Mapping[str, Region],
    structure: Mapping,
    source_text: str,
    region: Region,
    issuing_department: Department,
    created_by,
) -> Plan:
    structure = with_overlay(structure, entry.get("responsibilities") or [])
    other_regions = entry.get("department_regions") or {}
    departments: dict[str, Department] = {}
    for name in department_names(structure):
        where = regions[other_regions[name]] if name in other_regions else region
        department = Department.objects.resolve(name, region=where)
        if department is None:
            raise ValueError(f"demo.json names no department {name!r} in {where}")
        departments[name] = department
    return create_plan(
        structure=structure,
        region=region,
        departments=departments,
        kind=entry["kind"],
        first_year=entry.get("first_year"),
        issuing_department=issuing_department,
        status=entry.get("status", Plan.Status.ACTIVE),
        source_text=source_text,
        created_by=created_by,
    )


def _task(plan: Plan, section_label: str, number: str) -> Task:
    return Task.objects.get(section__plan=plan, section__label=section_label, number=number)


def _create_shares(
    plan: Plan,
    shares: list[Mapping],
    regions: Mapping[str, Region],
    plan_path: str,
    bureaus: Mapping[str, Department],
) -> int:
    """Targets decomposed to the plan's sub-regions, each reported by the county's own bureau."""
    rows = []
    for item in shares:
        indicator = Indicator.objects.get(
            plan=plan, task=_task(plan, item["section"], item["task"]), name=item["indicator"]
        )
        for name, target in item["regions"].items():
            rows.append(
                IndicatorShare(
                    indicator=indicator,
                    region=regions[f"{plan_path}/{name}"],
                    target=Decimal(str(target)),
                    reporter=bureaus.get(f"{plan_path}/{name}"),
                )
            )
    IndicatorShare.objects.bulk_create(rows)
    return len(rows)


def _apply_indicator_settings(plan: Plan, settings_list: list[Mapping]) -> None:
    """How the demo's statistics arrive: yearly with a lag, or certified in batches (demo.json)."""
    for item in settings_list:
        fields = {k: item[k] for k in ("data_frequency", "data_lag_months", "curve") if k in item}
        matching = plan.indicators.filter(name__contains=item["name_contains"])
        if "measure" in item:
            matching = matching.filter(measure=item["measure"])
        matching.update(**fields)


def _create_milestones(plan: Plan, milestones: list[Mapping]) -> int:
    rows = [
        Milestone(
            task=_task(plan, item["section"], item["task"]),
            title=item["title"],
            due_date=date.fromisoformat(item["due"]),
            done_on=date.fromisoformat(item["done"]) if item.get("done") else None,
        )
        for item in milestones
    ]
    Milestone.objects.bulk_create(rows)
    return len(rows)


# --- monthly reports ------------------------------------------------------------------------


def stable_hash(key: str, salt: str = "") -> int:
    """A 64-bit number that depends only on `key` and `salt`, the same on every machine and run.

    SHA-256 rather than CRC32: CRC is linear, so the CRCs of one key with two salts of equal
    length are correlated and every returned report would get the same reason.
    """
    return int.from_bytes(hashlib.sha256(f"{key}|{salt}".encode()).digest()[:8], "big")


def unit_interval(key: str, salt: str = "") -> float:
    """A number in [0, 1) that depends only on `key` and `salt`, the same on every machine."""
    return stable_hash(key, salt) / 2**64


@dataclass(frozen=True)
class Pace:
    """How a target moves through the year: met already, on pace, or lagging.

    `ratio` is actual over expected at the demo month (for met targets: the share of the
    target reached); `curve` bends the monthly path (above 1: slow start, below 1: fast start).
    """

    standing: str
    ratio: float
    curve: float

    @classmethod
    def of(cls, key: str) -> Pace:
        bucket = stable_hash(key, "pace") % 10
        u = unit_interval(key, "ratio")
        curve = 0.8 + 0.7 * unit_interval(key, "curve")
        if bucket < 2:
            return cls(MET, 1.0 + 0.15 * u, curve)
        if bucket < 7:
            return cls(ON_PACE, 0.92 + 0.28 * u, curve)
        return cls(LAGGING, 0.3 + 0.3 * u, curve)


def elapsed(month: int, first_year: int, last_year: int, year: int = DEMO_YEAR) -> float:
    """序时进度 at the end of the demo year's `month`, as the status engine computes it."""
    return expected_progress(first_year, last_year, year, month)


def quantum(kind: str, unit: str, target: Decimal) -> Decimal:
    """The precision a bureau would report: whole things, 0.01亿元, one decimal of a percentage."""
    if kind in {Indicator.Kind.COUNT, Indicator.Kind.RANK} or unit == "万元":
        return Decimal(1)
    return Decimal("0.01") if target < 10 else Decimal("0.1")


def monthly_values(
    *,
    key: str,
    kind: str,
    measure: str,
    comparator: str,
    unit: str,
    target: Decimal,
    first_year: int,
    last_year: int,
    months: int = DEMO_MONTH,
) -> tuple[Pace, list[Decimal]]:
    """The value to date of months 1..`months` for one target, and the pace behind them.

    Net increases and stock levels grow month by month; rates (增速, 占比, 排名) are reported
    as the rate itself and settle towards their June level.
    """
    pace = Pace.of(key)
    step = quantum(kind, unit, target)
    lower_is_better = comparator == Indicator.Comparator.AT_MOST
    values: list[Decimal] = []
    if measure == Indicator.Measure.RATE or kind in RATE_KINDS:
        u = unit_interval(key, "level")
        if lower_is_better:
            factor = {MET: 0.8 + 0.2 * u, ON_PACE: 1.05 + 0.1 * u, LAGGING: 1.3 + 0.3 * u}[pace.standing]
        else:
            factor = {MET: 1.03 + 0.15 * u, ON_PACE: 0.88 + 0.1 * u, LAGGING: 0.55 + 0.25 * u}[pace.standing]
        level = float(target) * factor
        for month in range(1, months + 1):
            wobble = 0.2 * (unit_interval(key, f"month{month}") - 0.5) * (months - month) / months
            value = Decimal(str(level * (1 + wobble))).quantize(step, ROUND_HALF_UP)
            if kind == Indicator.Kind.RANK:
                value = max(value, Decimal(1))
            if unit == "%" and kind == Indicator.Kind.RATIO and target <= 100:
                value = min(value, Decimal(100))
            values.append(value)
        if pace.standing == MET:
            values[-1] = min(values[-1], target) if lower_is_better else max(values[-1], target)
        return pace, values

    at_demo_month = elapsed(months, first_year, last_year)
    share_then = pace.ratio if pace.standing == MET else pace.ratio * at_demo_month
    start = Decimal(0)
    if measure == Indicator.Measure.STOCK:
        # a level reached: most of it stands at the plan's start, the rest is this period's gain
        single_year = first_year == last_year
        base = (
            0.85 + 0.07 * unit_interval(key, "stock")
            if single_year
            else 0.55 + 0.15 * unit_interval(key, "stock")
        )
        start = target * Decimal(str(base))
    for month in range(1, months + 1):
        share = share_then * (elapsed(month, first_year, last_year) / at_demo_month) ** pace.curve
        value = start + (target - start) * Decimal(str(share))
        values.append(value.quantize(step, ROUND_HALF_UP))
    if pace.standing == MET:
        values[-1] = max(values[-1], target)
    return pace, values


def standing_of(
    *, value: Decimal, target: Decimal, kind: str, measure: str, comparator: str, expected: float, pace: Pace
) -> str:
    """Whether a value meets the target, keeps up with expected progress, or lags (for the wording).

    A stock level is near its target all year (1450 of 1576 firms), so whether it keeps up is
    a matter of its gain, which only the pace knows.
    """
    if comparator == Indicator.Comparator.AT_MOST:
        return MET if value <= target else (ON_PACE if value <= target * Decimal("1.15") else LAGGING)
    if value >= target:
        return MET
    if measure == Indicator.Measure.STOCK:
        return LAGGING if pace.standing == LAGGING else ON_PACE
    if measure == Indicator.Measure.RATE or kind in RATE_KINDS:
        return ON_PACE if value >= target * Decimal("0.85") else LAGGING
    return ON_PACE if float(value) >= 0.9 * expected * float(target) else LAGGING


def last_month_status(key: str) -> str | None:
    """The state of the demo month's report, None when it is not even drafted yet.

    Earlier months are all approved; the demo month shows the whole review cycle.
    """
    bucket = stable_hash(key, "status") % 20
    if bucket < 1:
        return Status.RETURNED
    if bucket < 4:
        return Status.DRAFT
    if bucket < 6:
        return None
    if bucket < 13:
        return Status.SUBMITTED
    return Status.APPROVED


def _pick(options: list[str], key: str, salt: str) -> str:
    return options[stable_hash(key, salt) % len(options)]


def _stamp(key: str, month: int) -> tuple[datetime, datetime]:
    """When the report of `month` was submitted and reviewed, inside that month's window.

    Earlier months run from the 20th to the 29th, so that about one report in five is late
    (after the 25th and two grace days); the demo month only up to the demo day.
    """
    h = stable_hash(key, f"time{month}")
    last_day = DEMO_TODAY.day - 1 if month == DEMO_MONTH else 29
    day = 20 + h % (last_day - 19)
    zone = ZoneInfo(settings.TIME_ZONE)
    submitted = datetime(DEMO_YEAR, month, day, 9 + (h >> 4) % 8, (h >> 8) % 60, tzinfo=zone)
    reviewed = submitted + timedelta(days=1 + (h >> 14) % 3, hours=(h >> 16) % 5)
    if month == DEMO_MONTH:
        reviewed = min(reviewed, datetime(DEMO_YEAR, month, DEMO_TODAY.day, 9, 0, tzinfo=zone))
    return submitted, reviewed


def _reports_for(
    *,
    key: str,
    obligation: Obligation,
    people: _People,
    fill,
    texts: Mapping,
) -> list[ProgressReport]:
    """One report per month up to the demo month; `fill(month)` gives value and wording.

    A department without a demo reporter has its figures entered by the task force, as a
    bureau does for offices that send their progress on paper.
    """
    plan, department = obligation.plan, obligation.department
    reporter = people.reporters.get(department.pk) or people.coordinator_for(plan.region)
    reviewer = people.reviewer_for(department, plan)
    if reporter is None or reviewer is None:
        raise ValueError(f"demo.json gives {department} ({department.region}) no reporter or reviewer")
    reports = []
    for month in range(max(obligation.starts, Period(DEMO_YEAR, 1)).month, DEMO_MONTH + 1):
        status = Status.APPROVED if month < DEMO_MONTH else last_month_status(key)
        if status is None:
            continue
        submitted_at, reviewed_at = _stamp(key, month)
        report = ProgressReport(
            obligation=obligation,
            period=Period(DEMO_YEAR, month),
            status=status,
            created_by=reporter,
            entered_by_coordinator=department.pk not in people.reporters,
            **fill(month),
        )
        if status != Status.DRAFT:
            report.submitted_by, report.submitted_at = reporter, submitted_at
            report.late = plan.is_late(Period(DEMO_YEAR, month), submitted_at)
        if status in {Status.APPROVED, Status.RETURNED}:
            report.reviewed_by, report.reviewed_at = reviewer, reviewed_at
        if status == Status.RETURNED:
            report.return_reason = _pick(texts["return_reasons"], key, "return")
        reports.append(report)
    return reports


def build_reports(plan: Plan, *, people: _People, texts: Mapping) -> list[ProgressReport]:
    """Monthly reports for a freshly created plan: one series per report obligation (targets,
    decomposed shares, tasks without numbers), by whichever department owes it."""
    reports: list[ProgressReport] = []
    owed = plan.obligations.reports().select_related(
        "plan__region", "indicator__task__section", "share__region", "task__section", "department__region"
    )
    for obligation in owed.order_by("pk"):
        common = {"obligation": obligation, "people": people, "texts": texts}
        if obligation.indicator_id is None:
            task = obligation.task
            reports += _task_reports(
                task, where=f"{task.section.label}{task.number}#{task.position}", **common
            )
            continue
        indicator, share = obligation.indicator, obligation.share
        task = indicator.task
        where = f"{task.section.label}{task.number}#{task.position}" if task else "goal"
        if share is not None:
            where = f"{where}@{share.region.name if share.region_id else share.department.name}"
        target = share.target if share is not None else indicator.target
        reports += _indicator_reports(indicator, target=target, where=where, **common)
    return reports


def _indicator_reports(
    indicator: Indicator,
    *,
    target: Decimal,
    where: str,
    obligation: Obligation,
    people: _People,
    texts: Mapping,
) -> list[ProgressReport]:
    """Reports on one target (or one region's share of it), keyed by names, never by database ids."""
    plan = obligation.plan
    key = f"{plan.title}|{where}|{indicator.position}|{indicator.name}"
    pace, values = monthly_values(
        key=key,
        kind=indicator.kind,
        measure=indicator.measure,
        comparator=indicator.comparator,
        unit=indicator.unit,
        target=target,
        first_year=plan.first_year,
        last_year=plan.last_year,
    )
    is_rate = indicator.measure == Indicator.Measure.RATE or indicator.kind in RATE_KINDS

    def fill(month: int) -> dict[str, Any]:
        value = values[month - 1]
        standing = standing_of(
            value=value,
            target=target,
            kind=indicator.kind,
            measure=indicator.measure,
            comparator=indicator.comparator,
            expected=elapsed(month, plan.first_year, plan.last_year),
            pace=pace,
        )
        wording = texts["progress"]["rate" if is_rate else indicator.measure][standing]
        period = "1月" if month == 1 else f"1—{month}月"
        return {
            "value": value,
            "progress": wording.format(
                month=month, period=period, name=indicator.name, value=plain(value), unit=indicator.unit
            ),
            "problems": _pick(texts["problems"][standing], key, f"problems{month}"),
            "next_steps": _pick(texts["next_steps"][standing], key, f"next{month}"),
        }

    return _reports_for(key=key, obligation=obligation, people=people, fill=fill, texts=texts)


def _task_reports(
    task: Task, *, where: str, obligation: Obligation, people: _People, texts: Mapping
) -> list[ProgressReport]:
    """Narrative reports on a task that has no number to report."""
    key = f"{obligation.plan.title}|{where}|task"

    def fill(month: int) -> dict[str, Any]:
        return {
            "value": None,
            "progress": _pick(texts["task_progress"], key, f"progress{month}").format(task=task.title),
            "problems": _pick(texts["task_problems"], key, f"problems{month}"),
            "next_steps": _pick(texts["task_next_steps"], key, f"next{month}"),
        }

    return _reports_for(key=key, obligation=obligation, people=people, fill=fill, texts=texts)
