"""A province's worth of plans, people and reports, for the benchmarks that measure at scale.

One province, 12 cities of 10 counties each: every region has 24 departments (a leader, a task
force coordinator and, per department, a reporter and a reviewer: about 6,650 users); every
county three yearly plans (2022, 2023, 2024) of six sections, 24 tasks and 120 targets, the
province one plan of 50 targets; every target reported monthly from January 2022 to June 2024
(about 435,000 reports), June 2024 being the month reported now, with the mix a real month has:
most submitted or accepted, some drafts, some returned, some not in yet. Each county moves at
its own pace, so that the lamps, the rankings and the lagging lists differ from place to place.

The plans are made by `plans.services.create_plan` and what each department owes by
`tracking.obligations.expected` (the one rule), written in bulk; the kept status by
`tracking.snapshot.rebuild`, as `manage.py refresh_status --all` does. Counties are added in
order, so that a data set can be built in steps (a tenth, then the whole) and measured at each.
"""

from __future__ import annotations

import hashlib
import time
from datetime import datetime, timedelta
from decimal import Decimal

YEARS = (2022, 2023, 2024)
YEAR = 2024
LAST = (2024, 6)  # the month being reported on TODAY
TODAY = "2024-06-24"
PASSWORD = "bench-province-1"
CITIES, COUNTIES_PER_CITY = 12, 10
PROVINCE = "基准省"
DEPARTMENTS = [
    "科技局",
    "发展和改革局",
    "经济和信息化局",
    "财政局",
    "人力资源和社会保障局",
    "自然资源和规划局",
    "生态环境局",
    "住房和城乡建设局",
    "农业农村局",
    "商务局",
    "教育局",
    "卫生健康委员会",
    "市场监督管理局",
    "统计局",
    "税务局",
    "金融工作办公室",
    "投资促进中心",
    "数据资源管理局",
    "文化广电旅游体育局",
    "交通运输局",
    "水利局",
    "应急管理局",
    "工商业联合会",
    "科学技术协会",
]
SECTIONS = ["标志性工程提速", "创新平台提能", "创新主体提质", "成果转化提效", "人才引育提级", "创新生态提优"]
TASKS_PER_SECTION, TARGETS_PER_TASK, PROVINCE_TARGETS = 4, 5, 50
# (name, unit, kind, comparator, value, measure): what a county's targets look like
TARGETS = [
    ("净增高新技术企业", "家", "count", ">=", 31, "increase"),
    ("企业研发经费增速", "%", "growth_rate", ">=", 11, "rate"),
    ("新认定省级研发机构", "家", "count", "range", 2, "increase"),
    ("技术合同成交额", "亿元", "amount", ">=", 12, "increase"),
    ("入库科技型中小企业", "家", "count", ">=", 150, "increase"),
]


def unit(key: str) -> float:
    """A number in [0, 1) fixed by the key: the same data set on every run."""
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big") / 2**64


def structure(title: str, year: int, sections: int, tasks: int, targets: int, names: list[str]) -> dict:
    """The importer's JSON for one plan: `sections` × `tasks` × `targets`, led and helped by `names`."""
    count = 0
    found = []
    for s in range(sections):
        section_tasks = []
        for t in range(tasks):
            number = s * tasks + t
            indicators = []
            for i in range(targets):
                name, unit_, kind, comparator, value, measure = TARGETS[(number + i) % len(TARGETS)]
                indicators.append(
                    {
                        "text": f"{name}{value}{unit_}",
                        "name": f"{name}（{number + 1}-{i + 1}）",
                        "value": value,
                        "value_max": value + 1 if comparator == "range" else None,
                        "unit": unit_,
                        "comparator": comparator,
                        "kind": kind,
                        "measure": measure,
                    }
                )
                count += 1
            section_tasks.append(
                {
                    "number": str(number + 1),
                    "title": f"推进{SECTIONS[s % len(SECTIONS)]}第{t + 1}项重点任务",
                    "text": "",
                    "lead": [names[number % len(names)]],
                    "co": [names[(number + 5) % len(names)], names[(number + 11) % len(names)]],
                    "indicators": indicators,
                }
            )
        found.append(
            {
                "label": f"({s + 1})",
                "title": SECTIONS[s % len(SECTIONS)],
                "theme": SECTIONS[s % len(SECTIONS)][-2:],
                "tasks": section_tasks,
            }
        )
    return {"title": title, "year": year, "goals": [], "sections": found}


def county_numbers(total: int = CITIES * COUNTIES_PER_CITY) -> list[tuple[int, int]]:
    """(city, county) numbers of the counties in the order they are built."""
    return [(n // COUNTIES_PER_CITY + 1, n % COUNTIES_PER_CITY + 1) for n in range(total)]


class Builder:
    """Builds the province region by region; `counties(n)` brings it to its first n counties."""

    def __init__(self):
        from django.contrib.auth.hashers import make_password

        self.password = make_password(PASSWORD)  # hashed once: 6,650 users share it
        self.regions: dict[str, object] = {}

    def province(self):
        from departments.models import Region

        existing = Region.objects.filter(name=PROVINCE, parent=None).first()
        if existing:
            return existing
        province = Region.objects.create(name=PROVINCE, level=Region.Level.PROVINCE, code="99")
        self._staff(province, "p", "省")
        plan = self._plan(province, "p", YEAR, sections=5, tasks=2, targets=PROVINCE_TARGETS // 10)
        self._reports([plan], pace=1.0)
        return province

    def city(self, number: int):
        from departments.models import Region

        province = self.province()
        name = f"第{number:02d}市"
        existing = Region.objects.filter(name=name, parent=province).first()
        if existing:
            return existing
        city = Region.objects.create(
            name=name, level=Region.Level.CITY, parent=province, code=f"99{number:02d}"
        )
        self._staff(city, f"c{number:02d}", "市")
        return city

    def county(self, city_number: int, number: int):
        from departments.models import Region

        city = self.city(city_number)
        name = f"第{city_number:02d}市第{number:02d}县"
        if Region.objects.filter(name=name, parent=city).exists():
            return False
        county = Region.objects.create(
            name=name, level=Region.Level.COUNTY, parent=city, code=f"99{city_number:02d}{number:02d}"
        )
        code = f"k{city_number:02d}{number:02d}"
        self._staff(county, code, "县")
        plans = [self._plan(county, code, year) for year in YEARS]
        self._reports(plans, pace=0.55 + 0.7 * unit(code))
        return True

    def counties(self, total: int) -> float:
        """Add counties until the province has `total` of them, then judge their status; seconds."""
        from tracking import snapshot

        started = time.perf_counter()
        built = [pair for pair in county_numbers(total) if self.county(*pair)]
        if built:
            from plans.models import Plan

            plans = Plan.objects.filter(status=Plan.Status.ACTIVE).exclude(pk__in=_judged_plans())
            snapshot.rebuild(plans)
            _analyze()
        return time.perf_counter() - started

    # --- parts ------------------------------------------------------------------------------

    def _staff(self, region, code: str, prefix: str) -> None:
        """The region's departments, its leader and coordinator, a reporter and a reviewer each."""
        from django.contrib.auth import get_user_model

        from departments.models import Department, Membership, Role

        User = get_user_model()
        departments = Department.objects.bulk_create(
            Department(name=f"{prefix}{name}", short_name=name, region=region) for name in DEPARTMENTS
        )
        self.regions[code] = (region, departments)
        people = [
            (f"{code}-leader", departments[0], Role.LEADER),
            (f"{code}-coordinator", departments[0], Role.COORDINATOR),
        ]
        for index, department in enumerate(departments, 1):
            people.append((f"{code}-d{index:02d}-reporter", department, Role.REPORTER))
            people.append((f"{code}-d{index:02d}-reviewer", department, Role.REVIEWER))
        users = User.objects.bulk_create(
            User(username=username, password=self.password, first_name=username)
            for username, _d, _r in people
        )
        Membership.objects.bulk_create(
            Membership(user=user, department=department, role=role)
            for user, (_name, department, role) in zip(users, people, strict=True)
        )

    def _plan(
        self,
        region,
        code: str,
        year: int,
        sections=6,
        tasks=TASKS_PER_SECTION,
        targets=TARGETS_PER_TASK,
    ):
        from plans.models import Plan
        from plans.services import create_plan
        from tracking import obligations
        from tracking.models import Obligation

        _region, departments = self.regions[code]
        names = [department.name for department in departments]
        plan = create_plan(
            structure=structure(
                f"{region.name}科技局{year}年工作要点", year, sections, tasks, targets, names
            ),
            region=region,
            departments={department.name: department for department in departments},
            issuing_department=departments[0],
            status=Plan.Status.ACTIVE,
        )
        Obligation.objects.bulk_create(  # the app's rule, written in bulk (sync saves one by one)
            owed.obligation(plan, plan.first_period)
            for owed in sorted(obligations.expected(plan), key=obligations.Owed.sort_key)
        )
        return plan

    def _reports(self, plans, pace: float) -> int:
        """Every target's report for every month of the plans up to LAST, at the county's pace;
        written with COPY (a bulk insert through the ORM would double the time of the build)."""
        from django.db import connection
        from django.utils import timezone

        from plans.periods import Period
        from tracking.models import Obligation, ProgressReport

        last = Period(*LAST)
        now = timezone.now()
        Status = ProgressReport.Status
        owed = Obligation.objects.filter(
            plan__in=plans, kind=Obligation.Kind.REPORT, indicator__isnull=False
        ).select_related("indicator", "plan")
        rows = []
        for obligation in owed:
            indicator, plan = obligation.indicator, obligation.plan
            for month in plan.first_period.until(min(plan.last_period, last)):
                chance = unit(f"{obligation.pk}-{month}")
                status = Status.APPROVED
                if month == last:
                    if chance < 0.12:
                        continue  # not in yet
                    status = (
                        Status.DRAFT
                        if chance < 0.2
                        else Status.RETURNED
                        if chance < 0.25
                        else Status.SUBMITTED
                        if chance < 0.6
                        else Status.APPROVED
                    )
                stamp = _stamp(month)
                rows.append(
                    (
                        obligation.pk,
                        month.first_day,
                        _value(indicator, month.month, pace * (0.8 + 0.4 * chance)),
                        "截至本月，已完成认定申报辅导，进度与序时进度基本持平。" if month == last else "",
                        status,
                        stamp if status != Status.DRAFT else None,
                        stamp if status == Status.APPROVED else None,
                        now,
                    )
                )
        columns = (
            "obligation_id, period, value, progress, status, submitted_at, reviewed_at, created_at, "
            "updated_at, problems, next_steps, return_reason, outlier_note, late, version, "
            "entered_by_coordinator"
        )
        table = ProgressReport._meta.db_table
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"copy {table} ({columns}) from stdin") as copy,
        ):
            for row in rows:
                copy.write_row((*row, now, "", "", "", "", False, 1, False))
        return len(rows)


def _value(indicator, month: int, pace: float) -> Decimal:
    """A figure to date: a share of the target growing with the year at the county's pace; a rate
    hovering about its target."""
    if indicator.measure == "rate":
        return (indicator.target * Decimal(str(round(pace, 2)))).quantize(Decimal("0.1"))
    share = min(1.2, pace * month / 12)
    return (indicator.target * Decimal(str(round(share, 3)))).quantize(Decimal("0.01"))


def _stamp(month) -> datetime:
    from django.utils import timezone

    return timezone.make_aware(datetime(month.year, month.month, 1)) + timedelta(days=27)


def _analyze() -> None:
    """Refresh the planner's statistics, as autovacuum does a minute after a bulk load: measured
    before it, a query may be planned for the empty tables the load started from."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("analyze")


def _judged_plans():
    from tracking.models import TargetStatus

    return TargetStatus.objects.values("plan_id").distinct()
