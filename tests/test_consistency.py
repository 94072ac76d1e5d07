"""One count everywhere: for every demo plan and month, every output says the same.

Two things are compared, each read as a user or a caller gets it:

Reporting per department (应报, 按时, 迟报, 未报 — 未报 being everything owed and not in:
not started, draft or returned), against `plan_status(...).reporting_departments`:

- the completeness page: `chasing.completeness` rows, and the page a coordinator opens;
- the cockpit's reporting heatmap, the cell of that month as the chart shows it on hover
  (`reporting_grid` of the board's obligations and months, through `charts.reporting_heatmap`);
- the cockpit's department ranking, the on-time rate of each bar (`charts.departments_figure`);
- the bulletin's 表4 按时填报排名 (and its order against the ranking chart), its 五、进度填报情况
  paragraph (totals, 迟报单位 and 未报单位);
- the ledger's 汇总 sheet, the rows under 牵头单位 (also their 指标数 and lamp counts, against
  the targets each department leads; the bulletin's 表3 likewise), and the rows under 板块
  against what was owed in each section.

Every target's lamp (已完成, 正常, 滞后, 严重滞后, — without a figure, 未到期 or 待发布 for a
lagged statistic), against `plan_status(...).rows`:

- `manage.py plan_status --json` (each indicator's lamps, and its counts);
- the cockpit's headline (lamp counts; 本月填报率 equals the completeness page's
  reported / expected, and the line under it says so) and its 落后清单 (exactly the yellow and
  red targets), from the board and on the page;
- the ledger's 状态 cell of the target's row on the list sheets;
- the bulletin's 表1 (counts) and 表5 落后清单 (exactly the yellow and red targets).

The function calls (completeness, board, heatmap, ranking, `plan_status`, the command) are
compared for every month of 2024 up to the demo's June — the months the demo has reports in
(the five-year plan 2021–2025 too: its obligations start in 2024). What is rendered through the
test client as the plan's coordinator (the completeness page, the cockpit page, the bulletin
.docx, the ledger .xlsx) costs a request each, so it is compared in three months that differ in
kind: January (the first month owed, one heatmap column), March (every report approved, some
late; a quarterly statistic 待发布) and June (the open month: submitted, approved, returned,
drafts and nothing at all; nothing late yet). February, April and May are months like March;
rendering them too would double the time (about 10 s to 20 s on SQLite) for nothing new.

The demo has no waiver and no lamp set by hand; the last test adds some to one plan's June
and compares again.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser
from io import BytesIO, StringIO

import docx
import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from dashboards import charts
from dashboards.cockpit import headline, lagging, lagging_items, load_board, ranking
from dashboards.reporting import heatmap_months, reporting_grid
from demo.loader import DEMO_MONTH, DEMO_TODAY, DEMO_YEAR, load_demo, read_spec, read_structure
from departments.models import Role
from outputs import ledger as exports
from outputs.chasing import completeness
from plans.models import Indicator, Plan
from plans.numbers import percent
from plans.periods import Period
from tracking import status
from tracking.obligations import tally
from tracking.progress import PlanStatus, plan_status
from tracking.services import Item, owed_reports, set_override, waive

pytestmark = pytest.mark.django_db

MONTHS = [Period(DEMO_YEAR, month) for month in range(1, DEMO_MONTH + 1)]
RENDERED = [Period(DEMO_YEAR, 1), Period(DEMO_YEAR, 3), Period(DEMO_YEAR, DEMO_MONTH)]
LAGGING = {status.Lamp.YELLOW, status.Lamp.RED}
SPEC = read_spec()
PLANS = [read_structure(entry["file"])["title"] for entry in SPEC["plans"]]


@dataclass(frozen=True)
class Figures:
    """A department's month as one output tells it: owed, in on time, in late, not in."""

    expected: int
    on_time: int
    late: int
    outstanding: int


@pytest.fixture(scope="module")
def demo_db(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_demo()
    yield
    with django_db_blocker.unblock():
        call_command("flush", "--noinput", verbosity=0)


@pytest.fixture(autouse=True)
def demo_day(settings):
    settings.REPORTING_TODAY = DEMO_TODAY.isoformat()


def coordinator_of(plan: Plan):
    users = get_user_model().objects.filter(memberships__role=Role.COORDINATOR, is_superuser=False)
    return next(user for user in users.distinct().order_by("username") if plan.can_be_run_by(user))


def state_of(row) -> str:
    """A target's state as every output names it: its lamp, or why it has none."""
    return row.availability if row.availability != status.DUE else row.lamp


def labels() -> dict[str, str]:
    """The words the documents and pages use for each state, back to the state."""
    with translation.override("zh-hans"):
        found = {str(label): value for value, label in status.Lamp.choices}
        found.update({str(label): value for value, label in status.Availability.choices})
    return found


def diff(name: str, got, want) -> list[str]:
    """What an output says differently from plan_status, one line per key."""
    if got == want:
        return []
    if isinstance(want, dict) and isinstance(got, dict):
        keys = sorted(set(got) | set(want), key=str)
        return [
            f"{name}: {key}: {got.get(key)} ≠ {want.get(key)}"
            for key in keys
            if got.get(key) != want.get(key)
        ]
    return [f"{name}: {got} ≠ {want}"]


# --- the reference: plan_status ---------------------------------------------------------------


def reference_reporting(state: PlanStatus) -> dict[str, Figures]:
    return {
        group.label: Figures(
            group.reporting.expected,
            group.reporting.on_time,
            group.reporting.late,
            group.reporting.outstanding,
        )
        for group in state.reporting_departments
    }


def reference_sections(plan: Plan, state: PlanStatus) -> dict[str, Figures]:
    """What the departments owed per section (the plan's goals apart), sections without a target too."""
    names = {section.pk: f"{section.label}{section.title}" for section in plan.sections.all()}
    return {
        names.get(key, exports.GOALS_SECTION): Figures(c.expected, c.on_time, c.late, c.outstanding)
        for key, c in tally(state.standings, key=lambda s: s.section_id).items()
        if c.expected
    }


def reference_leads(state: PlanStatus) -> dict[str, Counter]:
    """Per department, the states of the targets it leads (every owing department, leading or not)."""
    found = {group.label: Counter() for group in state.reporting_departments}
    for row in state.rows:
        if row.lead is not None:
            found.setdefault(row.lead.name, Counter())[state_of(row)] += 1
    return found


# --- what each output says, read as its user reads it -----------------------------------------


def from_completeness(plan: Plan, period: Period) -> tuple[dict[str, Figures], object]:
    report = completeness(plan, period)
    rows = {
        row.department.name: Figures(row.expected, row.on_time, row.late, row.outstanding)
        for row in report.rows
    }
    return rows, report.total


def from_heatmap(board) -> dict[str, Figures]:
    """The heatmap's cells of the board's month, as the chart's hover texts state them."""
    first = min(plan.first_period for plan in board.plans)
    grid = reporting_grid(board.obligations(), heatmap_months(board.period, first))
    figure = charts.reporting_heatmap(grid, lambda pk, month: f"{pk}|{month}")
    heatmap = figure.data[0]
    column = grid.months.index(board.period)
    found = {}
    for (_pk, name), hovers in zip(grid.departments, heatmap.hovertext, strict=True):
        on_time, late, missing = (int(n) for n in re.findall(r"\d+", hovers[column].split("<br>")[1]))
        if on_time + late + missing:  # a department that owed nothing that month has an empty cell
            found[name] = Figures(on_time + late + missing, on_time, late, missing)
    return found


def from_ranking(board) -> list[tuple[int, float]]:
    """The department ranking's second chart: (department, on-time percentage) from the top bar down."""
    groups = ranking(board)
    figure = charts.departments_figure(groups)
    bars = next(trace for trace in figure.data if trace.xaxis == "x2")
    pks = {group.url: group.key for group in groups}
    return [(pks[url], round(x, 6)) for url, x in zip(bars.customdata, bars.x, strict=True)]


def from_command(plan: Plan, period: Period) -> dict:
    out = StringIO()
    call_command("plan_status", plan.pk, "--as-of", str(period), "--json", stdout=out)
    return json.loads(out.getvalue())


def table(document, *headers: str) -> list[list[str]]:
    """The rows (header first) of the document's table whose header has these cells."""
    for found in document.tables:
        cells = [[cell.text.strip() for cell in row.cells] for row in found.rows]
        if set(headers) <= set(cells[0]):
            return cells
    raise AssertionError(f"no table with {headers}")


def records(cells: list[list[str]]) -> list[dict[str, str]]:
    return [dict(zip(cells[0], row, strict=True)) for row in cells[1:]]


class Tables(HTMLParser):
    """Every <table> of a page by its class: its rows as (tr id, cell texts)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[tuple[str, list[tuple[str, list[str]]]]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.tables.append((attrs.get("class") or "", []))
        elif tag == "tr" and self.tables:
            self.tables[-1][1].append((attrs.get("id") or "", []))
        elif tag in ("td", "th") and self.tables:
            self.cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.tables[-1][1][-1][1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def page_table(html: str, css_class: str) -> list[tuple[str, list[str]]]:
    """The rows of the page's table of that class (header row first)."""
    parser = Tables()
    parser.feed(html)
    return next(rows for classes, rows in parser.tables if css_class in classes.split())


def from_completeness_page(client: Client, plan: Plan, period: Period) -> dict[int, Figures]:
    """The completeness page's department rows: 应报, 按时, 迟报, and 退回 + 草稿 + 未开始."""
    response = client.get(reverse("outputs:completeness", args=[plan.pk]), {"period": str(period)})
    assert response.status_code == 200
    found = {}
    for row_id, cells in page_table(response.content.decode(), "chasing"):
        if row_id.startswith("chasing-department-"):
            expected, _reported, _submitted, _approved, returned, draft, missing, on_time, late = (
                int(cell) for cell in cells[1:10]
            )
            found[int(row_id.rsplit("-", 1)[1])] = Figures(
                expected, on_time, late, returned + draft + missing
            )
    return found


def from_cockpit_page(client: Client, plan: Plan, period: Period) -> tuple[dict[str, str], str, Counter]:
    """The cockpit's headline figures, its 本月填报率 line, and its 落后清单 as (target, lead, lamp)."""
    response = client.get(reverse("dashboards:plan-cockpit", args=[plan.pk]), {"period": str(period)})
    assert response.status_code == 200
    html = response.content.decode()
    figures = dict(re.findall(r'class="figure ([\w-]+)"[^>]*><b>([^<]*)</b>', html))
    line = re.search(r'class="figure reporting"><b>[^<]*</b>.*?<small>(.*?)</small>', html, re.S).group(1)
    lagging: Counter = Counter()
    if 'class="grid lagging-table"' in html:
        for _id, cells in page_table(html, "lagging-table")[1:]:
            lagging[(cells[0], cells[2], labels()[cells[-1]])] += 1
    return figures, line, lagging


def from_bulletin(client: Client, plan: Plan, period: Period):
    response = client.get(reverse("outputs:bulletin", args=[plan.pk]), {"period": str(period)})
    assert response.status_code == 200
    return docx.Document(BytesIO(response.content))


def from_ledger(client: Client, plan: Plan, period: Period):
    response = client.get(reverse("outputs:ledger-download", args=[plan.pk]), {"as_of": str(period)})
    assert response.status_code == 200
    return openpyxl.load_workbook(BytesIO(b"".join(response.streaming_content)))


def ledger_summary(workbook, heading: str) -> dict[str, dict]:
    """The 汇总 sheet's rows under a heading (板块 or 牵头单位), by their first cell."""
    rows = list(workbook[exports.SUMMARY_SHEET].iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if row[0] == heading)
    head = rows[start]
    found = {}
    for row in rows[start + 1 :]:
        if not row or row[0] is None:
            break
        found[row[0]] = dict(zip(head, row, strict=True))
    return found


def ledger_states(workbook, qualitative: set[tuple]) -> Counter:
    """(板块, 任务, 指标, 状态) of every target's row on the list sheets, merged cells filled down;
    qualitative targets (no lamp, in words) are left out."""
    found: Counter = Counter()
    words = labels()
    for name in exports.SHEETS.values():
        sheet = workbook[name]
        head = [cell.value for cell in sheet[exports.HEADER_ROW]]
        section = task = None
        for row in sheet.iter_rows(min_row=exports.FIRST_DATA_ROW, values_only=True):
            line = dict(zip(head, row, strict=True))
            section = line["板块"] if line["板块"] is not None else section
            if line["序号"] is not None:  # a task's first row: its cells are merged over the rest
                task = line["任务"] or ""
            if line["指标"] and (section, task, line["指标"]) not in qualitative:
                found[(section, task, line["指标"], words.get(line["状态"], line["状态"]))] += 1
    return found


# --- the comparison ---------------------------------------------------------------------------


@dataclass
class Reference:
    """What plan_status says of a month: the figures every output is compared with."""

    state: PlanStatus
    names: dict[int, str]
    reporting: dict[str, Figures]
    states: dict[int, str]

    @classmethod
    def of(cls, plan: Plan, period: Period) -> Reference:
        state = plan_status([plan], period)
        names = {group.key: group.label for group in state.reporting_departments}
        assert len(set(names.values())) == len(names), "department names repeat: outputs are keyed by name"
        states = {row.indicator.pk: state_of(row) for row in state.rows}
        return cls(state, names, reference_reporting(state), states)

    @property
    def counts(self) -> Counter:
        return Counter(self.states.values())

    @property
    def lagging(self) -> Counter:
        """落后清单 as (target, lead department) pairs."""
        return Counter(
            (row.indicator.name, row.lead.name if row.lead else "—")
            for row in self.state.rows
            if row.lamp in LAGGING
        )


def calls_disagree(plan: Plan, period: Period, coordinator) -> list[str]:
    """What the function calls say differently from plan_status: completeness, cockpit, command."""
    at, ref = f"{period}", Reference.of(plan, period)
    problems: list[str] = []
    rows, total = from_completeness(plan, period)
    problems += diff(f"{at} completeness", rows, ref.reporting)
    board = load_board(coordinator, {"period": str(period)}, plan=plan)
    assert board.period == period
    problems += diff(f"{at} cockpit heatmap", from_heatmap(board), ref.reporting)
    problems += diff(
        f"{at} cockpit ranking",
        dict(from_ranking(board)),
        {
            pk: round(100 * (f.on_time / f.expected if f.expected else 0), 6)
            for pk, f in ref_by_pk(ref).items()
        },
    )
    top = headline(board)
    problems += diff(
        f"{at} cockpit headline 本月填报率",
        (top.reporting.reported, top.reporting.expected),
        (total.reported, total.expected),
    )
    counts = ref.counts
    problems += diff(
        f"{at} cockpit headline lamps",
        (top.done, top.green, top.yellow, top.red, top.not_due, top.unjudged),
        (
            counts[status.Lamp.DONE],
            counts[status.Lamp.GREEN],
            counts[status.Lamp.YELLOW],
            counts[status.Lamp.RED],
            counts[status.NOT_DUE] + counts[status.PENDING],
            counts[status.Lamp.NONE],
        ),
    )
    behind = {pk for pk, state in ref.states.items() if state in LAGGING}
    shown = {item.row.indicator.pk for item in lagging_items(board, lagging(board, limit=10_000)[0])}
    problems += diff(f"{at} cockpit 落后清单", shown, behind)

    data = from_command(plan, period)
    lamps = {item["indicator"]: item["lamps"] for item in data["indicators"]}
    problems += diff(
        f"{at} plan_status --json lamps",
        {
            pk: lamp["availability"] if lamp["availability"] != status.DUE else lamp["performance"]
            for pk, lamp in lamps.items()
        },
        ref.states,
    )
    problems += diff(
        f"{at} plan_status --json reporting lamps",
        {pk: lamp["reporting"] for pk, lamp in lamps.items()},
        {row.indicator.pk: row.reporting for row in ref.state.rows},
    )
    problems += diff(
        f"{at} plan_status --json counts",
        {key: n for key, n in data["counts"].items() if n},
        {key: n for key, n in counts.items() if key != status.Lamp.NONE},
    )
    return problems


def ref_by_pk(ref: Reference) -> dict[int, Figures]:
    return {pk: ref.reporting[name] for pk, name in ref.names.items()}


def pages_disagree(plan: Plan, period: Period, client: Client, coordinator) -> list[str]:
    """What the pages and files a coordinator opens say differently from plan_status."""
    at, ref = f"{period}", Reference.of(plan, period)
    total = ref.state.reporting
    counts = ref.counts
    problems = diff(f"{at} completeness page", from_completeness_page(client, plan, period), ref_by_pk(ref))

    figures, line, shown = from_cockpit_page(client, plan, period)
    problems += diff(
        f"{at} cockpit page headline",
        [figures[key] for key in ("done", "green", "yellow", "red", "not-due")],
        [
            str(counts[status.Lamp.DONE]),
            str(counts[status.Lamp.GREEN]),
            str(counts[status.Lamp.YELLOW]),
            str(counts[status.Lamp.RED]),
            str(counts[status.NOT_DUE] + counts[status.PENDING]),
        ],
    )
    problems += diff(
        f"{at} cockpit page 本月填报率",
        (figures["reporting"], line),
        (
            percent(total.reported / total.expected) if total.expected else "—",
            f"应报{total.expected}项，已报{total.reported}项",
        ),
    )
    problems += diff(
        f"{at} cockpit page 落后清单",
        shown,
        Counter(
            (row.indicator.name, row.lead.name if row.lead else "—", row.lamp)
            for row in ref.state.rows
            if row.lamp in LAGGING
        ),
    )

    document = from_bulletin(client, plan, period)
    table4 = records(table(document, "名次", "应报", "按时填报率"))
    problems += diff(
        f"{at} bulletin 表4",
        {
            r["牵头单位"]: Figures(int(r["应报"]), int(r["按时"]), int(r["迟报"]), int(r["未报"]))
            for r in table4
        },
        ref.reporting,
    )
    board = load_board(coordinator, {"period": str(period)}, plan=plan)
    problems += diff(
        f"{at} bulletin 表4 order against the cockpit's ranking chart",
        [r["牵头单位"] for r in table4],
        [ref.names[pk] for pk, _rate in from_ranking(board)],
    )
    leads = reference_leads(ref.state)
    problems += diff(
        f"{at} bulletin 表3",
        {
            r["牵头单位"]: (int(r["指标数"]), int(r["滞后"]), int(r["严重滞后"]))
            for r in records(table(document, "名次", "指标数", "平均完成率"))
        },
        {
            name: (sum(c.values()), c[status.Lamp.YELLOW], c[status.Lamp.RED])
            for name, c in leads.items()
            if sum(c.values())
        },
    )
    words = labels()
    table1 = {
        words.get(r["推进状态"], r["推进状态"]): int(r["指标数（项）"])
        for r in records(table(document, "推进状态", "指标数（项）"))
        if r["推进状态"] != "合计"
    }
    problems += diff(
        f"{at} bulletin 表1",
        {k: n for k, n in table1.items() if n},
        {("尚无数据" if k == status.Lamp.NONE else k): n for k, n in counts.items()},
    )
    paragraphs = [p.text for p in document.paragraphs]
    table5 = Counter()
    if any(text.startswith("表5") for text in paragraphs):
        table5 = Counter(
            (r["指标"], r["牵头单位"]) for r in records(table(document, "序号", "指标", "需月均"))
        )
    problems += diff(f"{at} bulletin 表5", table5, ref.lagging)
    text = next(p for i, p in enumerate(paragraphs) if i and paragraphs[i - 1] == "五、进度填报情况")
    totals = re.search(r"应报送进度(\d+)项，按时报送(\d+)项、迟报(\d+)项、未报(\d+)项", text).groups()
    problems += diff(
        f"{at} bulletin 五、进度填报情况",
        tuple(int(n) for n in totals),
        (total.expected, total.on_time, total.late, total.outstanding),
    )
    for label, field in (("迟报单位", "late"), ("未报单位", "outstanding")):
        listed = re.search(label + r"：(.*?)。", text)
        named = dict(re.findall(r"([^、（]+)（(\d+)项）", listed.group(1))) if listed else {}
        problems += diff(
            f"{at} bulletin {label}",
            {name: int(n) for name, n in named.items()},
            {name: getattr(f, field) for name, f in ref.reporting.items() if getattr(f, field)},
        )

    workbook = from_ledger(client, plan, period)
    summary = ledger_summary(workbook, "牵头单位")
    problems += diff(
        f"{at} ledger 汇总 牵头单位",
        {n: Figures(r["应报"], r["按时报送"], r["迟报"], r["未报"]) for n, r in summary.items()},
        ref.reporting,
    )
    problems += diff(
        f"{at} ledger 汇总 牵头单位 targets",
        {n: {k: r[c] for k, c in SUMMARY_COLUMNS.items() if r[c]} for n, r in summary.items()},
        {n: dict(+c) for n, c in leads.items()},
    )
    problems += diff(
        f"{at} ledger 汇总 板块",
        {
            n: Figures(r["应报"], r["按时报送"], r["迟报"], r["未报"])
            for n, r in ledger_summary(workbook, "板块").items()
            if r["应报"]
        },
        reference_sections(plan, ref.state),
    )
    problems += diff(
        f"{at} ledger 状态",
        ledger_states(workbook, qualitative_of(plan)),
        Counter(
            (_section(row.section), row.task.title if row.task else "", row.indicator.name, state_of(row))
            for row in ref.state.rows
        ),
    )
    return problems


SUMMARY_COLUMNS = {
    status.Lamp.DONE: "已完成",
    status.Lamp.GREEN: "正常",
    status.Lamp.YELLOW: "滞后",
    status.Lamp.RED: "严重滞后",
    status.NOT_DUE: "未到期",
    status.PENDING: "待发布",
    status.Lamp.NONE: "暂无数值",
}


def _section(section) -> str:
    """A section as the ledger names it."""
    return f"{section.label}{section.title}" if section is not None else exports.GOALS_SECTION


def qualitative_of(plan: Plan) -> set[tuple[str, str, str]]:
    """(板块, 任务, 指标) of the plan's qualitative targets: ledger rows without a lamp."""
    found = Indicator.objects.filter(plan=plan, kind=Indicator.Kind.QUALITATIVE).select_related(
        "task__section"
    )
    return {
        (_section(i.task.section if i.task else None), i.task.title if i.task else "", i.name) for i in found
    }


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("title", PLANS, ids=[entry["file"][:3] for entry in SPEC["plans"]])
def test_every_output_counts_reporting_and_lamps_as_plan_status_does(demo_db, title):
    plan = Plan.objects.select_related("region", "issuing_department").get(title=title)
    coordinator = coordinator_of(plan)
    client = logged_in(coordinator)
    problems: list[str] = []
    for period in MONTHS:
        problems += calls_disagree(plan, period, coordinator)
        if period in RENDERED:
            problems += pages_disagree(plan, period, client, coordinator)
    assert not problems, "\n".join(problems[:60])


def test_waived_reports_and_lamps_set_by_hand_read_the_same_everywhere(demo_db):
    """The demo has neither, so here the task force of the city plan waives in June everything one
    office has not sent and one report of another office, and sets three lamps by hand: a
    lagging target to green, a green one to red, and one on a statistic not yet due, which must
    stay 未到期 everywhere."""
    plan = Plan.objects.select_related("region", "issuing_department").get(title=PLANS[2])
    coordinator = coordinator_of(plan)
    june = MONTHS[-1]
    before = plan_status([plan], june)
    behind = sorted(
        (g for g in before.reporting_departments if g.reporting.outstanding),
        key=lambda g: -g.reporting.outstanding,
    )
    assert len(behind) >= 2
    owed = {g.key: list(owed_reports(plan.obligations.filter(department_id=g.key), june)) for g in behind[:2]}
    for obligation in [*owed[behind[0].key], owed[behind[1].key][0]]:
        waive(item=Item(obligation, june), user=coordinator, reason="机构调整，本月免报")
    first = {
        state: next(row for row in before.rows if state_of(row) == state)
        for state in ("yellow", "green", "not_due")
    }
    for state, lamp in (("yellow", "green"), ("green", "red"), ("not_due", "red")):
        set_override(
            indicator=first[state].indicator, period=june, lamp=lamp, reason="专班研判", user=coordinator
        )

    after = Reference.of(plan, june)
    waived = {name: f for name, f in after.reporting.items() if name in (behind[0].label, behind[1].label)}
    assert waived[behind[0].label].outstanding == 0
    assert waived[behind[1].label].outstanding == behind[1].reporting.outstanding - 1
    assert [after.states[first[s].indicator.pk] for s in ("yellow", "green", "not_due")] == [
        "green",
        "red",
        "not_due",
    ]
    problems = calls_disagree(plan, june, coordinator) + pages_disagree(
        plan, june, logged_in(coordinator), coordinator
    )
    assert not problems, "\n".join(problems[:60])
