"""Time the pages above a county on a province's data, beside the SQL floor, in one run.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/keji_province \\
        python benchmarks/bench_province.py [--requests 30] [--fresh]

Builds the province of `benchmarks/province.py` (1 province, 12 cities, 120 counties, 361
plans, 43,250 targets, ~430,000 reports) on the database named by BENCH_DATABASE_URL (its own,
never the app's DATABASE_URL; made when missing; the URL above by default), in three to four
minutes: first a tenth of it (12 counties), measured, then the rest, measured again. A database
that already holds the whole province is measured as it is (`--fresh` drops it and builds it
again). Each page is requested through Django's test client with DEBUG off, the way a leader
opens it: three warm-up requests, then `--requests` timed ones; the p50 and p95 are printed
with the page's size and its number of queries. Each cockpit and tile is timed twice: as it is
first drawn after a change (the kept status's version moved before each request, as every
refresh moves it, so that nothing comes from the cache) and as served from the cache; the
figures set against the floor are the first.

The floor, timed in the same run: the cockpit's headline figures (targets at each lamp, reports
in and owed) computed by one hand-written SQL query from the targets and reports themselves, as
a database programmer would answer the question without the application (its lamp rule is the
plain one: a linear 序时进度, a rate against its target, so its counts come close to the
engine's without being the same); and the lamps grouped from the kept status rows, which is
what the cockpit's own counting costs. The last line is
`province cockpit p95 N ms, SQL floor M ms, ratio R`. Figures are printed, never asserted.
When PostgreSQL does not answer, it says so and measures nothing.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))
sys.path.insert(0, str(REPO_ROOT / "benchmarks"))

import province  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/keji_province"
TILES = ["bullets", "trajectory", "departments", "reporting", "regions"]


def prepare(url: str, fresh: bool) -> None:
    """Point Django at the database (made if missing, dropped first with --fresh) and migrate."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin.replace("postgres://", "postgresql://", 1), autocommit=True) as connection:
        exists = connection.execute("select 1 from pg_database where datname = %s", [name]).fetchone()
        if exists and fresh:
            connection.execute(f'drop database "{name}" with (force)')
        if not exists or fresh:
            connection.execute(f'create database "{name}"')
    os.environ.update(
        DATABASE_URL=url,
        DEBUG="0",
        SECRET_KEY="province-benchmark",
        ALLOWED_HOSTS="testserver",
        REPORTING_TODAY=province.TODAY,
        TASKS_BACKEND="immediate",
        INTRANET_PLAIN_HTTP="1",  # the loopback, as behind nginx on an intranet without TLS
    )
    logging.disable(logging.WARNING)  # each login's line from django-axes
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # as a production install does


def counties() -> int:
    from departments.models import Region

    return Region.objects.filter(level=Region.Level.COUNTY, parent__parent__name=province.PROVINCE).count()


def sizes() -> str:
    from django.contrib.auth import get_user_model

    from departments.models import Department
    from plans.models import Indicator, Plan
    from tracking.models import ProgressReport, TargetStatus

    return (
        f"{counties()} counties, {Department.objects.count():,} departments, "
        f"{get_user_model().objects.count():,} users, {Plan.objects.count()} plans, "
        f"{Indicator.objects.count():,} targets, {ProgressReport.objects.count():,} reports, "
        f"{TargetStatus.objects.count():,} kept status rows"
    )


# --- the floor -------------------------------------------------------------------------------

FLOOR_SQL = """
with recursive below(id) as (
    select id from departments_region where name = %(province)s and parent_id is null
    union all
    select r.id from departments_region r join below on r.parent_id = below.id
),
running as (
    select p.id, p.lamp_green_gap, p.lamp_red_gap from plans_plan p
    where p.region_id in (select id from below) and p.status = 'active'
      and p.first_year <= %(year)s and p.last_year >= %(year)s
),
owed as (
    select o.id, o.indicator_id from tracking_obligation o
    where o.plan_id in (select id from running) and o.kind = 'report'
      and o.starts <= %(period)s and (o.ends is null or o.ends >= %(period)s)
),
latest as (
    select distinct on (o.indicator_id) o.indicator_id, r.value
    from owed o join tracking_progressreport r on r.obligation_id = o.id
    where r.period <= %(period)s and r.period > %(year_start)s
      and r.status in ('submitted', 'approved') and r.value is not null
    order by o.indicator_id, r.period desc
),
judged as (
    select i.id,
        case when l.value is null then null
             when i.measure = 'rate' then 100.0 * least(l.value / nullif(i.target, 0), 1)
             else 100.0 * l.value / nullif(i.target, 0) end as completion,
        100.0 * %(month)s / 12 as expected, p.lamp_green_gap as green, p.lamp_red_gap as red
    from plans_indicator i join running p on p.id = i.plan_id
    left join latest l on l.indicator_id = i.id
    where i.kind <> 'qualitative'
),
lamps as (
    select case when completion is null then 'none'
                when completion >= 100 then 'done'
                when expected - completion <= green then 'green'
                when expected - completion > red then 'red'
                else 'yellow' end as lamp
    from judged
)
select
    (select count(*) filter (where lamp = 'red') from lamps),
    (select count(*) filter (where lamp = 'yellow') from lamps),
    (select count(*) filter (where lamp = 'green') from lamps),
    (select count(*) filter (where lamp = 'done') from lamps),
    (select count(*) from owed),
    (select count(*) from owed o join tracking_progressreport r on r.obligation_id = o.id
        and r.period = %(period)s and r.status in ('submitted', 'approved'))
"""

STORED_SQL = """
with recursive below(id) as (
    select id from departments_region where name = %(province)s and parent_id is null
    union all
    select r.id from departments_region r join below on r.parent_id = below.id
)
select s.lamp, count(*) from tracking_targetstatus s join plans_plan p on p.id = s.plan_id
where s.share_id is null and s.period = %(period)s and p.region_id in (select id from below)
  and p.first_year <= %(year)s and p.last_year >= %(year)s
group by s.lamp
"""


def floor(sql: str) -> tuple[float, list]:
    from django.db import connection

    from plans.periods import Period

    period = Period(*province.LAST)
    params = {
        "province": province.PROVINCE,
        "year": period.year,
        "month": period.month,
        "period": period.first_day,
        "year_start": Period(period.year - 1, 12).first_day,
    }
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return time.perf_counter() - started, rows


# --- the pages -------------------------------------------------------------------------------


class Page:
    def __init__(self, label: str, username: str, url: str, cold: bool = False):
        self.label, self.username, self.url, self.cold = label, username, url, cold


def pages() -> list[Page]:
    """Each cockpit and tile twice: after a change (nothing cached) and as cached."""
    found = []
    for label, username, url in (
        ("province cockpit", "p-leader", "/cockpit/"),
        *((f"  tile {tile}", "p-leader", f"/cockpit/tiles/{tile}/") for tile in TILES),
        ("city cockpit (10 counties)", "c01-leader", "/cockpit/"),
        ("county cockpit (3 plans)", "k0101-leader", "/cockpit/"),
    ):
        found.append(Page(f"{label}, after a change", username, url, cold=True))
        found.append(Page(f"{label}, cached", username, url))
    found += [
        Page("province plan list", "p-leader", "/plans/"),
        Page("county plan list", "k0101-leader", "/plans/"),
    ]
    return found


def measure(page: Page, requests: int) -> dict:
    from django.db import connection
    from django.test import Client

    from tracking import snapshot

    client = Client()
    client.force_login(_user(page.username))
    for _ in range(3):
        if page.cold:
            snapshot.changed()
        response = client.get(page.url)
        assert response.status_code == 200, (page.url, response.status_code)
    if page.cold:
        snapshot.changed()
    queries = []
    with connection.execute_wrapper(lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)):
        response = client.get(page.url)  # (the test client's request_started empties connection.queries)
    times = []
    for _ in range(requests):
        if page.cold:
            snapshot.changed()
        started = time.perf_counter()
        response = client.get(page.url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, (page.url, response.status_code)
    return {
        "p50": statistics.median(times) * 1000,
        "p95": statistics.quantiles(times, n=20)[-1] * 1000,
        "kb": len(response.content) / 1024,
        "queries": len(queries),
    }


def _user(username: str):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


def run(requests: int) -> dict:
    results = {page.label: measure(page, requests) for page in pages()}
    floor_times, stored_times = [], []
    for _ in range(max(5, requests // 3)):
        seconds, floor_rows = floor(FLOOR_SQL)
        floor_times.append(seconds)
        seconds, stored_rows = floor(STORED_SQL)
        stored_times.append(seconds)
    results["floor"] = {
        "p50": statistics.median(floor_times) * 1000,
        "p95": statistics.quantiles(floor_times, n=20)[-1] * 1000,
        "rows": floor_rows,
    }
    results["stored"] = {
        "p50": statistics.median(stored_times) * 1000,
        "p95": statistics.quantiles(stored_times, n=20)[-1] * 1000,
        "rows": stored_rows,
    }
    return results


def report(columns: list[tuple[str, dict]]) -> None:
    head = "".join(f"{name:>34}" for name, _ in columns)
    print(f"\n{'page':46}{head}")
    print(f"{'':46}" + "".join(f"{'p50 ms':>9}{'p95 ms':>9}{'kB':>8}{'queries':>8}" for _ in columns))
    for page in pages():
        line = f"{page.label:46}"
        for _name, results in columns:
            r = results[page.label]
            line += f"{r['p50']:9.0f}{r['p95']:9.0f}{r['kb']:8.0f}{r['queries']:8d}"
        print(line)
    for key, label in (
        ("floor", "SQL floor: headline from reports"),
        ("stored", "SQL: lamps grouped from kept rows"),
    ):
        print(
            f"{label:46}" + "".join(f"{r[key]['p50']:9.0f}{r[key]['p95']:9.0f}{'':16}" for _n, r in columns)
        )
    for name, results in columns:
        red, yellow, green, done, owed, reported = results["floor"]["rows"][0]
        print(
            f"{name}: floor counts red {red}, yellow {yellow}, green {green}, done {done}; "
            f"{reported} of {owed} reports in; kept rows: {dict(results['stored']['rows'])}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--requests", type=int, default=30, help="timed requests per page (after 3 warm-up ones)"
    )
    parser.add_argument("--fresh", action="store_true", help="drop the database and build the province again")
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    if not url.startswith(("postgres://", "postgresql://")):
        print("bench_province measures on PostgreSQL: set BENCH_DATABASE_URL=postgres://…")
        return 2
    try:
        prepare(url, args.fresh)
    except psycopg.OperationalError as error:
        print(f"PostgreSQL does not answer at {urlsplit(url).netloc}: bench_province skipped ({error})")
        return 0
    total = province.CITIES * province.COUNTIES_PER_CITY
    builder = province.Builder()
    columns = []
    if counties() < total // 10:
        seconds = builder.counties(total // 10)
        print(f"built a tenth in {seconds:.0f} s: {sizes()}")
        columns.append(("a tenth (12 counties)", run(args.requests)))
    if counties() < total:
        seconds = builder.counties(total)
        print(f"built the rest in {seconds:.0f} s")
    print(f"measuring: {sizes()}")
    columns.append(("the whole province", run(args.requests)))
    report(columns)
    whole = columns[-1][1]
    cockpit, sql = whole["province cockpit, after a change"]["p95"], whole["floor"]["p95"]
    print(f"province cockpit p95 {cockpit:.0f} ms, SQL floor {sql:.0f} ms, ratio {cockpit / sql:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
