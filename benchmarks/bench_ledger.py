"""Time the ledger export on a plan of 5,000 target rows, against a bare xlsxwriter write of the same cells.

    python benchmarks/bench_ledger.py [--rows 5000] [--repeat 5] [--out ledger.xlsx]

Builds the plan in a throw-away SQLite database (migrated from scratch), six months of
reports on every target, then times the real export path:

- read:   `exports.collect_ledger` (the fixed set of queries and the judging of every row);
- write:  `exports.write_ledger` (styled, merged, print-ready workbook);
- bare:   the same cell values written row by row with xlsxwriter's `write_row` into one sheet,
          with no formats, merges, row heights or page setup, in the same mode (in memory,
          with the same workbook options) and to the same kind of stream.

Each is run `--repeat` times in turn and the medians are compared, so the ratio is measured in
one run on one machine. Wall-clock time is what a user waits; the CPU time of this process is
printed beside it because on a shared machine the wall clock also counts the time other
processes took. The budget: the export within 2 seconds and within 1.5× of the bare write.
The figures are printed rather than asserted, so a slow machine does not fail anything.
`--out` keeps the exported workbook to look at.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))


def setup_django(database: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def build_plan(rows: int):
    """A plan of `rows` targets: sections of 20 tasks, five targets each, reported January to June."""
    from decimal import Decimal

    from departments.models import Department, Region
    from plans.models import Milestone, Plan, Task
    from plans.periods import Period
    from plans.services import create_plan
    from tracking import obligations
    from tracking.models import Obligation, ProgressReport

    region = Region.objects.create(name="基准县", level=Region.Level.COUNTY)
    lead = Department.objects.create(name="县科技局", region=region)
    co = Department.objects.create(name="县财政局", region=region)
    per_task, per_section = 5, 20
    tasks = rows // per_task
    target = {
        "text": "全年净增高新技术企业310家",
        "name": "净增高新技术企业",
        "value": 310,
        "value_max": None,
        "unit": "家",
        "comparator": ">=",
        "kind": "count",
    }
    structure = {
        "title": "基准县科技局2024年工作计划",
        "year": 2024,
        "goals": [],
        "sections": [
            {
                "label": f"({s + 1})",
                "title": f"第{s + 1}板块重点工作提速",
                "theme": "提速",
                "tasks": [
                    {
                        "number": str(t + 1),
                        "title": f"推进第{s + 1}板块第{t + 1}项重点任务，强化创新主体培育",
                        "text": "",
                        "lead": ["县科技局"],
                        "co": ["县财政局"],
                        "indicators": [{**target, "name": f"指标{i + 1}"} for i in range(per_task)],
                    }
                    for t in range(min(per_section, tasks - s * per_section))
                ],
            }
            for s in range(-(-tasks // per_section))
        ],
    }
    plan = create_plan(
        structure=structure,
        region=region,
        departments={"县科技局": lead, "县财政局": co},
        issuing_department=lead,
        status=Plan.Status.ACTIVE,
    )
    obligations.sync(plan, starting=plan.first_period)
    reports = [
        ProgressReport(
            obligation=obligation,
            period=Period(2024, month),
            value=Decimal(month * 25),
            progress="截至本月，已完成认定申报辅导，进度与序时进度基本持平。" if month == 6 else "",
            problems="部分企业申报材料质量不高。" if month == 6 else "",
            next_steps="加强政策宣讲和申报辅导。" if month == 6 else "",
            status=ProgressReport.Status.SUBMITTED,
        )
        for obligation in Obligation.objects.filter(plan=plan, kind="report", indicator__isnull=False)
        for month in range(1, 7)
    ]
    ProgressReport.objects.bulk_create(reports, batch_size=2000)
    Milestone.objects.bulk_create(
        Milestone(task=task, title="完成", due_date="2024-12-31")
        for task in Task.objects.filter(section__plan=plan)
    )
    return Plan.objects.select_related("region", "issuing_department").get(pk=plan.pk)


def bare_rows(ledger) -> list[list]:
    """The same cell values the export writes, as plain lists."""
    from outputs import ledger as exports
    from tracking import status

    head = exports.headers(ledger.months)
    values = [[ledger.title], [ledger.note], head]
    for number, line in enumerate(ledger.lines, 1):
        values.append(
            [
                number,
                line.section,
                line.task,
                line.indicator,
                line.target,
                line.unit,
                line.lead,
                line.co,
                line.baseline,
                *line.months,
                line.latest,
                line.completion,
                line.expected,
                status.state_label(line.state) if line.state else "",
                line.progress,
                line.problems,
                line.next_steps,
                line.deadline,
            ]
        )
    return values


def bare_write(rows: list[list]) -> int:
    import xlsxwriter

    from tracking.spreadsheets import XLSX_OPTIONS

    stream = BytesIO()
    workbook = xlsxwriter.Workbook(stream, XLSX_OPTIONS)
    sheet = workbook.add_worksheet("任务清单")
    for index, row in enumerate(rows):
        sheet.write_row(index, 0, row)
    workbook.close()
    return len(stream.getvalue())


def timed(functions: list, repeat: int) -> list[tuple[float, float, object]]:
    """The median wall-clock and CPU time and the last result of each function, run in turn.

    Taking turns means a burst of load on the machine slows both sides of a comparison alike.
    """
    walls: list[list[float]] = [[] for _ in functions]
    cpus: list[list[float]] = [[] for _ in functions]
    results: list[object] = [None] * len(functions)
    for _ in range(repeat):
        for index, function in enumerate(functions):
            wall, cpu = time.perf_counter(), time.process_time()
            results[index] = function()
            cpus[index].append(time.process_time() - cpu)
            walls[index].append(time.perf_counter() - wall)
    return [
        (statistics.median(wall), statistics.median(cpu), result)
        for wall, cpu, result in zip(walls, cpus, results, strict=True)
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out", type=Path, help="keep the exported workbook here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        setup_django(Path(directory) / "bench.sqlite3")
        from outputs import ledger as exports
        from plans.periods import Period

        started = time.perf_counter()
        plan = build_plan(args.rows)
        print(f"built a plan of {args.rows} targets in {time.perf_counter() - started:.1f} s")
        period = Period(2024, 6)
        [(read, _cpu, ledger)] = timed([lambda: exports.collect_ledger(plan, period)], args.repeat)

        def write() -> int:
            stream = BytesIO()
            exports.write_ledger(ledger, stream)
            return len(stream.getvalue())

        rows = bare_rows(ledger)
        (written, written_cpu, size), (bare, bare_cpu, bare_size) = timed(
            [write, lambda: bare_write(rows)], args.repeat
        )
        cells = sum(len(row) for row in rows)
        print(f"ledger rows: {len(ledger.lines)}, cells: {cells}, median of {args.repeat} runs each")
        print(f"{'':27}{'wall':>8}{'cpu':>10}")
        print(f"read (queries + judging): {read:7.3f} s")
        print(f"export (styled workbook): {written:7.3f} s {written_cpu:7.3f} s   {size / 1024:.0f} kB")
        print(f"bare xlsxwriter rows:     {bare:7.3f} s {bare_cpu:7.3f} s   {bare_size / 1024:.0f} kB")
        ratio, ratio_cpu = written / bare, written_cpu / bare_cpu
        print(f"export / bare:            {ratio:7.2f}×  {ratio_cpu:7.2f}×    (budget 1.5×)")
        print(f"read + export:            {read + written:7.3f} s   (the export alone within 2 s)")
        if args.out:
            with args.out.open("wb") as stream:
                exports.write_ledger(ledger, stream)
            print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
