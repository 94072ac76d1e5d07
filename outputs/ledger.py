"""The work ledger (工作台账) of a plan as an Excel workbook, formatted as bureaus print it.

Two steps, so that the workbook can be tested and timed without a request:

- `collect_ledger(plan, period, ...)` reads what the ledger shows in a fixed number of queries
  (the rows of `tracking.progress.plan_status`, plus responsibilities, qualitative targets,
  the latest report texts and the last milestone of each task) and returns plain `Ledger`
  data: one `LedgerLine` per target, one per task that has none.
- `build_workbook(ledger)` / `write_ledger(ledger, stream)` turn that data into the workbook:
  a row generator per sheet fed to openpyxl in write-only mode.
- `combine_ledgers(region, period, parts)` puts the ledgers of a region's plans into one: the
  same sheets with a 计划 column, and a 汇总 by plan and by lead department (the background
  export of a region, `outputs.jobs`).

Why write-only: a plan of a few thousand targets must export in well under two seconds and
the normal workbook keeps every cell as an object until it saves. Everything the printed
ledger needs works in write-only mode too, as long as it is set before the first row is
written (column widths, freeze panes, page setup, print titles) or before the sheet is closed
(merged ranges). Styles are built once per kind of cell and their StyleArray shared by every
cell of that kind; `_StyledSheet` hands each (value, style) pair to the writer on one reused
cell instead of openpyxl's generic path, which creates a cell per styled value and goes through
an exception for each. That keeps the styled export within 1.5× of writing bare values
(see benchmarks/bench_ledger.py).

Sheet names and column headings are the bureau's own (任务清单, 牵头单位, 序时进度 …), kept as
Chinese constants like the lamp labels of `tracking.status`: they are what the task force
prints and what the decomposition-table importer reads back, not interface text.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import IO, Any

from django.db.models import Max, Q
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.cell_range import CellRange

from departments.access import access_of
from departments.models import Department
from plans.models import Indicator, Milestone, Plan, Responsibility, Task
from plans.numbers import plain
from plans.periods import Period
from tracking import status
from tracking.models import ProgressReport
from tracking.obligations import Counts
from tracking.progress import Group, PlanStatus, Row, plan_status

# --- the bureau's headings ------------------------------------------------------------------

SHEETS = {Task.ListKind.TASK: "任务清单", Task.ListKind.PROJECT: "项目清单", Task.ListKind.POLICY: "政策清单"}
SUMMARY_SHEET = "汇总"
GOALS_SECTION = "工作目标"
PLAN_COLUMN = "计划"
PLAN_WIDTH = 16
HEAD_BEFORE = ["序号", "板块", "任务", "指标", "目标值", "单位", "牵头单位", "配合单位", "基数"]
HEAD_AFTER = ["最新值", "完成率", "序时进度", "状态", "进展情况", "存在问题", "下步计划", "完成时限"]
SUMMARY_HEAD = [
    "指标数",
    "已完成",
    "正常",
    "滞后",
    "严重滞后",
    "未到期",
    "待发布",
    "暂无数值",
    "应报",
    "按时报送",
    "迟报",
    "未报",
    "平均完成率",
]
WIDTHS_BEFORE = [5, 12, 24, 20, 9, 5, 14, 16, 8]
MONTH_WIDTH = 7
WIDTHS_AFTER = [8, 7, 7, 8, 30, 20, 20, 11]
LINE_HEIGHT = 13.5  # points per wrapped line of 宋体 10
MAX_ROW_HEIGHT = 409
TITLE_ROW, NOTE_ROW, HEADER_ROW = 1, 2, 3
FIRST_DATA_ROW = HEADER_ROW + 1
MERGED_BY_TASK = ("序号", "任务", "牵头单位", "配合单位", "完成时限")
TEXT_COLUMNS = ("板块", "任务", "指标", "牵头单位", "配合单位", "进展情况", "存在问题", "下步计划")

# --- looks ----------------------------------------------------------------------------------

FONT_NAME = "宋体"
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
FILLS = {
    status.Lamp.DONE: "00B050",
    status.Lamp.GREEN: "92D050",
    status.Lamp.YELLOW: "FFFF00",
    status.Lamp.RED: "FF0000",
    status.NOT_DUE: "D9D9D9",
    status.PENDING: "D9D9D9",
}
HEADER_FILL = "DDEBF7"
PERCENT = "0.0%"
INTEGER = "#,##0"
DECIMAL = "#,##0.00"
DATE = 'yyyy"年"m"月"d"日"'
PAPER_A4 = 9  # the paperSize code of A4 in SpreadsheetML


@dataclass
class LedgerLine:
    """One row of a list sheet: a target, or a task without targets."""

    list_kind: str
    section: str
    task_key: object
    task: str
    plan: str = ""
    indicator: str = ""
    target: Decimal | str | None = None
    unit: str = ""
    lead: str = ""
    co: str = ""
    baseline: Decimal | None = None
    months: list[Decimal | None] = field(default_factory=list)
    latest: Decimal | None = None
    completion: float | None = None
    expected: float | None = None
    state: str = status.Lamp.NONE
    availability: str = status.DUE
    progress: str = ""
    problems: str = ""
    next_steps: str = ""
    deadline: date | None = None


@dataclass
class SummaryLine:
    label: str
    targets: int
    counts: dict[str, int]
    completion: float | None
    reporting: Counts = field(default_factory=Counts)


@dataclass
class Ledger:
    title: str
    note: str
    months: list[Period]
    lines: list[LedgerLine]
    by_section: list[SummaryLine]
    by_department: list[SummaryLine]
    with_plan: bool = False
    """Several plans in one workbook: a 计划 column, and the first summary is by plan."""
    judged: PlanStatus | None = None
    """The judged rows behind the summary (a region's ledger sums its plans' again)."""

    @property
    def first_summary(self) -> str:
        return PLAN_COLUMN if self.with_plan else "板块"


# --- reading --------------------------------------------------------------------------------


def visible_departments(plan: Plan, user) -> set[int] | None:
    """None when the user sees every row (the plan's coordinators and leaders), else their departments.

    Reporters and reviewers see the rows of tasks their departments lead or share; the plan's
    goals belong to its issuing department.
    """
    if user is None or plan.is_overseen_by(user):
        return None
    return access_of(user).departments()


def ledger_title(plan: Plan, period: Period) -> str:
    """XX县2024年科技创新工作台账(截至6月); the year is repeated when it is not obvious."""
    years = (
        str(plan.first_year) if plan.first_year == plan.last_year else f"{plan.first_year}-{plan.last_year}"
    )
    until = f"{period.month}月" if years == str(period.year) else f"{period.year}年{period.month}月"
    return f"{plan.region.name}{years}年科技创新工作台账(截至{until})"


def collect_ledger(
    plan: Plan,
    period: Period,
    *,
    seen_by: set[int] | None = None,
    department=None,
    section=None,
) -> Ledger:
    """The ledger's data as of the end of `period`, in a fixed number of queries.

    `seen_by` limits the rows to tasks those departments lead or share (None: every row);
    `department` and `section` are the optional filters of the download form.
    """
    state = plan_status([plan], period)
    names: dict[int, dict[str, list[str]]] = defaultdict(lambda: {"lead": [], "co": []})
    takes_part: dict[int, set[int]] = defaultdict(set)
    for task_id, role, department_id, name in (
        Responsibility.objects.filter(task__section__plan=plan)
        .order_by("task_id", "position")
        .values_list("task_id", "role", "department_id", "department__name")
    ):
        names[task_id][role].append(name)
        takes_part[task_id].add(department_id)
    wanted = {department.pk} if department is not None else None

    def shows(department_ids: set[int]) -> bool:
        return (seen_by is None or bool(department_ids & seen_by)) and (
            wanted is None or bool(department_ids & wanted)
        )

    goals_shown = section is None and shows({plan.issuing_department_id} - {None})
    task_rows = [
        t
        for t in state.tasks
        if shows(takes_part[t.task.pk]) and (section is None or t.task.section_id == section.pk)
    ]
    task_ids = [t.task.pk for t in task_rows]
    upto = Q(period__lte=period)
    counted = ProgressReport.objects.filter(upto).counted()
    texts = _latest_texts(
        counted.filter(obligation__indicator__plan=plan, obligation__share__isnull=True),
        "obligation__indicator_id",
    )
    task_texts = _latest_texts(counted.filter(obligation__task_id__in=task_ids), "obligation__task_id")
    deadlines = dict(
        Milestone.objects.filter(task_id__in=task_ids)
        .values("task_id")
        .annotate(last=Max("due_date"))
        .values_list("task_id", "last")
    )
    qualitative: dict[int | None, list[Indicator]] = defaultdict(list)
    unscored = Indicator.objects.filter(plan=plan, kind=Indicator.Kind.QUALITATIVE).order_by("position")
    for indicator in unscored:
        qualitative[indicator.task_id].append(indicator)

    start = max(Period(period.year, 1), plan.first_period)
    months = [Period(period.year, m) for m in range(start.month, period.month + 1)] if start <= period else []
    lines: list[LedgerLine] = []
    shown_rows: list[Row] = []
    if goals_shown:
        goal_rows = [row for row in state.rows if row.task is None]
        shown_rows += goal_rows
        issuer = plan.issuing_department.name if plan.issuing_department_id else ""
        for item in _in_position(goal_rows, qualitative[None]):
            line = LedgerLine(
                Task.ListKind.TASK, GOALS_SECTION, ("goals", plan.pk), "", plan.title, lead=issuer
            )
            _fill_target(line, item, months, texts)
            lines.append(line)
    for task_row in task_rows:
        task = task_row.task
        shown_rows += task_row.rows
        base = {
            "list_kind": task.list_kind,
            "section": f"{task.section.label}{task.section.title}",
            "task_key": task.pk,
            "task": task.title,
            "plan": plan.title,
            "lead": "、".join(names[task.pk]["lead"]),
            "co": "、".join(names[task.pk]["co"]),
            "deadline": deadlines.get(task.pk),
        }
        items = _in_position(task_row.rows, qualitative[task.pk])
        for item in items:
            line = LedgerLine(**base)
            _fill_target(line, item, months, texts)
            if isinstance(item, Indicator):
                line.state = task_row.milestone_lamp
                line.progress, line.problems, line.next_steps = task_texts.get(task.pk, ("", "", ""))
            lines.append(line)
        if not items:
            line = LedgerLine(**base, state=task_row.milestone_lamp)
            line.progress, line.problems, line.next_steps = task_texts.get(task.pk, ("", "", ""))
            lines.append(line)
    shown = {id(row) for row in shown_rows}
    shown_sections = {t.task.section_id for t in task_rows} | ({None} if goals_shown else set())
    judged = state.narrowed(
        lambda row: id(row) in shown,
        lambda s: (
            s.section_id in shown_sections
            and (seen_by is None or s.department_id in seen_by)
            and (wanted is None or s.department_id in wanted)
        ),
        tasks=task_rows,
    )
    return Ledger(
        title=ledger_title(plan, period),
        note=_note(plan, department, section),
        months=months,
        lines=lines,
        by_section=[_summary(g) for g in judged.sections],
        by_department=[_summary(g) for g in judged.reporting_departments],
        judged=judged,
    )


def region_ledger_title(region, period: Period) -> str:
    """XX市2024年科技创新工作台账(截至6月): the region's plans together."""
    return f"{region.name}{period.year}年科技创新工作台账(截至{period.month}月)"


def combined_status(period: Period, states: list[PlanStatus], *, several_regions: bool = False) -> PlanStatus:
    """Several plans' judged months as one (each from its own `plan_status`, so that a long export
    can count them one by one). With plans of several regions the departments carry their region's
    name: every county has a 县财政局."""
    together = PlanStatus(
        period=period,
        rows=[row for state in states for row in state.rows],
        tasks=[task for state in states for task in state.tasks],
        standings=[standing for state in states for standing in state.standings],
        names={pk: name for state in states for pk, name in state.names.items()},
    )
    if several_regions:
        regions = dict(
            Department.objects.filter(pk__in=list(together.names)).values_list("pk", "region__name")
        )
        together.names = {pk: f"{regions.get(pk, '')}{name}" for pk, name in together.names.items()}
    return together


def combine_ledgers(region, period: Period, parts: list[tuple[Plan, Ledger]]) -> Ledger:
    """The ledgers of a region's plans (each from `collect_ledger`) as one workbook's data.

    The rows keep their plans' order under a 计划 column; the months run from January of the
    month's year (a plan that starts later leaves its earlier months empty); 汇总 counts each
    plan, and each lead department over all the plans (named with its region when the plans are
    of several regions, since every county has a 县财政局).
    """
    first = min((plan.first_period for plan, _ in parts), default=period)
    start = max(Period(period.year, 1), first)
    months = [Period(period.year, m) for m in range(start.month, period.month + 1)] if start <= period else []
    lines = []
    for _plan, ledger in parts:
        for line in ledger.lines:
            if line.months:
                values = dict(zip(ledger.months, line.months, strict=True))
                line.months = [values.get(month) for month in months]
            lines.append(line)
    together = combined_status(
        period,
        [ledger.judged for _, ledger in parts if ledger.judged is not None],
        several_regions=len({plan.region_id for plan, _ in parts}) > 1,
    )
    by_plan = [
        _summary(Group(plan.pk, plan.title, ledger.judged.rows, ledger.judged.reporting))
        for plan, ledger in parts
        if ledger.judged is not None
    ]
    return Ledger(
        title=region_ledger_title(region, period),
        note=f"地区：{region.name}　计划：{len(parts)}个",
        months=months,
        lines=lines,
        by_section=by_plan,
        by_department=[_summary(g) for g in together.reporting_departments],
        with_plan=True,
        judged=together,
    )


def _note(plan: Plan, department, section) -> str:
    parts = [f"计划：{plan.title}"]
    if department is not None:
        parts.append(f"单位：{department.name}")
    if section is not None:
        parts.append(f"板块：{section.label}{section.title}")
    return "　".join(parts)


def _latest_texts(reports, key: str) -> dict[int, tuple[str, str, str]]:
    """进展情况, 存在问题, 下步计划 of each item's latest counted report that says anything."""
    found: dict[int, tuple[str, str, str]] = {}
    for item_id, *words in (
        reports.exclude(progress="", problems="", next_steps="")
        .order_by("period", "pk")
        .values_list(key, "progress", "problems", "next_steps")
    ):
        found[item_id] = tuple(words)
    return found


def _in_position(rows: list[Row], qualitative: list[Indicator]) -> list[Row | Indicator]:
    """The targets of one task (or the plan's goals) in the plan's order, judged or not."""
    return sorted([*rows, *qualitative], key=lambda item: _indicator(item).position)


def _indicator(item: Row | Indicator) -> Indicator:
    return item if isinstance(item, Indicator) else item.indicator


def _fill_target(line: LedgerLine, item: Row | Indicator, months: list[Period], texts: dict) -> None:
    indicator = _indicator(item)
    line.indicator = indicator.name
    line.unit = indicator.unit
    line.target = target_cell(indicator)
    line.baseline = indicator.baseline
    if isinstance(item, Indicator):
        return
    history = dict(item.history)
    line.months = [history.get(month) for month in months]
    line.latest = item.value
    line.completion = item.completion
    line.expected = item.expected
    line.state, line.availability = item.lamp, item.availability
    line.progress, line.problems, line.next_steps = texts.get(indicator.pk, ("", "", ""))


def target_cell(indicator: Indicator) -> Decimal | str | None:
    """The 目标值 cell: a number when the target is a bare number, else how the bureau writes it.

    The unit stands in its own column, so a qualified target reads ≥12 | %, 2–3 | 家, 约1 | 件,
    前10 | 位 — the same words the decomposition-table importer reads back.
    """
    if indicator.kind == Indicator.Kind.QUALITATIVE or indicator.target is None:
        return None
    value = plain(indicator.target)
    if indicator.comparator == Indicator.Comparator.RANGE and indicator.target_max is not None:
        return f"{value}–{plain(indicator.target_max)}"
    if indicator.kind == Indicator.Kind.RANK:
        return {"<=": "前", ">=": "后"}.get(indicator.comparator, "第") + value
    if indicator.comparator == Indicator.Comparator.APPROX:
        return f"约{value}"
    symbol = {">=": "≥", "<=": "≤"}.get(indicator.comparator, "")
    return f"{symbol}{value}" if symbol else indicator.target


def _summary(group) -> SummaryLine:
    return SummaryLine(group.label, len(group.rows), group.counts, group.completion, group.reporting)


# --- writing --------------------------------------------------------------------------------


class _Style(tuple):
    """A kind of cell: its StyleArray and its index in the workbook's cell formats, found once."""

    @classmethod
    def of(cls, cell: Cell) -> _Style:
        array = copy.copy(cell._style)
        return cls((array, cell.parent.parent._cell_styles.add(array)))


class _LedgerCell(Cell):
    """A cell whose format index is given, not looked up by hashing its StyleArray for every cell."""

    __slots__ = ("_style_id",)

    @property
    def style_id(self) -> int:
        return self._style_id

    @property
    def has_style(self) -> bool:
        return bool(self._style_id)


class _StyledSheet(WriteOnlyWorksheet):
    """A write-only sheet whose rows are (value, _Style) pairs, written through one cell.

    The writer serialises each cell before asking for the next, so reusing one cell is safe;
    it is what openpyxl does itself for unstyled values.
    """

    def _values_to_row(self, values, row_idx):
        cell = _LedgerCell(self, row=row_idx)
        for column, (value, style) in enumerate(values, 1):
            cell.value = value
            cell.column = column
            cell._style, cell._style_id = style if style is not None else (None, 0)
            yield cell


class _Styles:
    """Every kind of cell the ledger writes, each built once on the workbook."""

    def __init__(self, sheet: WriteOnlyWorksheet) -> None:
        def make(*, bold=False, size=10, fill=None, wrap=True, horizontal="center", number=None, border=True):
            cell = WriteOnlyCell(sheet)
            cell.font = Font(name=FONT_NAME, size=size, bold=bold)
            cell.alignment = Alignment(horizontal=horizontal, vertical="center", wrap_text=wrap)
            if border:
                cell.border = BORDER
            if fill:
                cell.fill = PatternFill("solid", fgColor=fill)
            if number:
                cell.number_format = number
            return _Style.of(cell)

        self.title = make(bold=True, size=16, wrap=False, border=False)
        self.note = make(horizontal="left", wrap=False, border=False)
        self.header = make(bold=True, fill=HEADER_FILL)
        self.text = make(horizontal="left")
        self.center = make()
        self.integer = make(number=INTEGER, horizontal="right")
        self.decimal = make(number=DECIMAL, horizontal="right")
        self.percent = make(number=PERCENT, horizontal="right")
        self.date = make(number=DATE)
        self.states = {key: make(fill=color) for key, color in FILLS.items()}

    def numbers(self, line: LedgerLine) -> Any:
        """One format for a line's figures, so 9.60 and 10.00 line up in a row."""
        values = [line.baseline, line.latest, *line.months]
        if not isinstance(line.target, str):
            values.append(line.target)
        whole = all(value is None or value == int(value) for value in values)
        return self.integer if whole else self.decimal


def build_workbook(ledger: Ledger) -> Workbook:
    """The ledger workbook, every row written: the three lists and the summary."""
    workbook = Workbook(write_only=True)
    for kind, name in SHEETS.items():
        _write_list(workbook, name, ledger, [line for line in ledger.lines if line.list_kind == kind])
    _write_summary(workbook, ledger)
    return workbook


def write_ledger(ledger: Ledger, stream: IO[bytes]) -> None:
    build_workbook(ledger).save(stream)


def headers(months: list[Period], with_plan: bool = False) -> list[str]:
    before = [HEAD_BEFORE[0], PLAN_COLUMN, *HEAD_BEFORE[1:]] if with_plan else HEAD_BEFORE
    return [*before, *(f"{m.month}月" for m in months), *HEAD_AFTER]


def _widths(ledger: Ledger) -> list[float]:
    before = [WIDTHS_BEFORE[0], PLAN_WIDTH, *WIDTHS_BEFORE[1:]] if ledger.with_plan else WIDTHS_BEFORE
    return [*before, *([MONTH_WIDTH] * len(ledger.months)), *WIDTHS_AFTER]


def _new_sheet(workbook: Workbook, name: str) -> _StyledSheet:
    sheet = _StyledSheet(workbook, name)
    workbook._add_sheet(sheet)
    return sheet


def _print_setup(sheet: WriteOnlyWorksheet, widths: list[float], freeze: str) -> None:
    """A4 landscape, one page wide, the header row on every page: set before the first row."""
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = freeze
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = PAPER_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.row_dimensions[TITLE_ROW].height = 30
    sheet.row_dimensions[HEADER_ROW].height = 30


def _write_list(workbook: Workbook, name: str, ledger: Ledger, lines: list[LedgerLine]) -> None:
    sheet = _new_sheet(workbook, name)
    styles = _Styles(sheet)
    head = headers(ledger.months, ledger.with_plan)
    widths = _widths(ledger)
    _print_setup(sheet, widths, "E4" if ledger.with_plan else "D4")
    width = len(head)
    sheet.append([(ledger.title, styles.title), *([(None, None)] * (width - 1))])
    sheet.append([(ledger.note, styles.note), *([(None, None)] * (width - 1))])
    sheet.append([(text, styles.header) for text in head])
    rows = _line_rows(lines, styles, len(ledger.months), widths, ledger.with_plan)
    for index, (row, height) in enumerate(rows):
        # The row's XML attributes as the writer merges them (RowDimension would build the same
        # two attributes through its descriptors, for every one of thousands of rows).
        dict.__setitem__(
            sheet.row_dimensions, FIRST_DATA_ROW + index, {"ht": f"{height:g}", "customHeight": "1"}
        )
        sheet.append(row)
    last = get_column_letter(width)
    sheet.merged_cells.add(CellRange(f"A{TITLE_ROW}:{last}{TITLE_ROW}"))
    sheet.merged_cells.add(CellRange(f"A{NOTE_ROW}:{last}{NOTE_ROW}"))
    # Straight into the set: MultiCellRange.add checks each new range against all the others,
    # which is quadratic in the number of tasks; these ranges never overlap by construction.
    sheet.merged_cells.ranges.update(_task_merges(lines, head))


def _line_rows(
    lines: Iterable[LedgerLine],
    styles: _Styles,
    month_count: int,
    widths: list[float],
    with_plan: bool = False,
) -> Iterator[tuple[list[tuple[Any, Any]], float]]:
    """The row generator: each line as (value, style) pairs in the order of `headers`, with its height.

    Neither Excel nor LibreOffice reliably grows a row to fit wrapped text written by another
    program, so the height is estimated from the text and the column widths.
    """
    number, previous, plan = 0, object(), object()
    no_months = [None] * month_count
    head = headers([Period(2000, 1)] * month_count, with_plan)
    text_columns = [head.index(name) for name in TEXT_COLUMNS]
    for line in lines:
        if with_plan and line.plan != plan:
            number, plan = 0, line.plan  # each plan numbers its tasks from 1
        if line.task_key != previous:
            number += 1
            previous = line.task_key
        shade = line.availability if line.availability != status.DUE else line.state
        state_style = styles.states.get(shade, styles.center)
        figure = styles.numbers(line)
        cells = [
            (number, styles.center),
            (line.section, styles.text),
            (line.task or None, styles.text),
            (line.indicator or None, styles.text),
            (line.target, styles.center if isinstance(line.target, str) else figure),
            (line.unit or None, styles.center),
            (line.lead or None, styles.text),
            (line.co or None, styles.text),
            (line.baseline, figure),
            *((value, figure) for value in line.months or no_months),
            (line.latest, figure),
            (line.completion, styles.percent),
            (line.expected, styles.percent),
            (status.state_label(line.state, line.availability) if line.state else "", state_style),
            (line.progress or None, styles.text),
            (line.problems or None, styles.text),
            (line.next_steps or None, styles.text),
            (line.deadline, styles.date),
        ]
        if with_plan:
            cells.insert(1, (line.plan, styles.text))
        lines_needed = max(_wrapped_lines(cells[column][0], widths[column]) for column in text_columns)
        yield cells, min(MAX_ROW_HEIGHT, lines_needed * LINE_HEIGHT + 4)


def _wrapped_lines(value: Any, width: float) -> int:
    """How many lines a text takes in a column: a Chinese character is about two widths of '0'."""
    if not isinstance(value, str) or not value:
        return 1
    room = max(width - 1, 1)
    # GB18030 spends two bytes on a Chinese character and one on ASCII: the width, counted in C.
    return sum(max(1, -(-len(part.encode("gb18030")) // room)) for part in value.split("\n"))


def _task_merges(lines: list[LedgerLine], head: list[str]) -> Iterator[CellRange]:
    """Merge a task's cells over its target rows, and a section's name over its rows, as printed."""
    columns = [head.index(name) + 1 for name in MERGED_BY_TASK]
    section_column = head.index("板块") + 1
    plan_column = head.index(PLAN_COLUMN) + 1 if PLAN_COLUMN in head else None

    def runs(key) -> Iterator[tuple[int, int]]:
        start = 0
        for index in range(1, len(lines) + 1):
            if index == len(lines) or key(lines[index]) != key(lines[start]):
                if index - start > 1:
                    yield FIRST_DATA_ROW + start, FIRST_DATA_ROW + index - 1
                start = index

    for first, last in runs(lambda line: line.task_key):
        for column in columns:
            yield CellRange(min_col=column, min_row=first, max_col=column, max_row=last)
    for first, last in runs(lambda line: (line.plan, line.section)):
        yield CellRange(min_col=section_column, min_row=first, max_col=section_column, max_row=last)
    if plan_column is not None:
        for first, last in runs(lambda line: line.plan):
            yield CellRange(min_col=plan_column, min_row=first, max_col=plan_column, max_row=last)


def _write_summary(workbook: Workbook, ledger: Ledger) -> None:
    """汇总: counts per lamp and mean completion, by section and by lead department."""
    sheet = _new_sheet(workbook, SUMMARY_SHEET)
    styles = _Styles(sheet)
    width = 1 + len(SUMMARY_HEAD)
    _print_setup(sheet, [28, *([9] * len(SUMMARY_HEAD))], "B4")
    blank = [(None, None)] * (width - 1)
    sheet.append([(ledger.title.replace("工作台账", "工作台账汇总"), styles.title), *blank])
    sheet.append([(ledger.note, styles.note), *blank])
    for heading, lines in ((ledger.first_summary, ledger.by_section), ("牵头单位", ledger.by_department)):
        sheet.append([(text, styles.header) for text in [heading, *SUMMARY_HEAD]])
        for line in lines:
            counts = line.counts
            unjudged = line.targets - sum(counts.values())
            values = [
                line.targets,
                *(
                    counts.get(k, 0)
                    for k in (
                        status.Lamp.DONE,
                        status.Lamp.GREEN,
                        status.Lamp.YELLOW,
                        status.Lamp.RED,
                        status.NOT_DUE,
                        status.PENDING,
                    )
                ),
                unjudged,
            ]
            owed = line.reporting
            reporting = (owed.expected, owed.on_time, owed.late, owed.outstanding)
            sheet.append(
                [
                    (line.label, styles.text),
                    *((value, styles.integer) for value in values),
                    *((n, styles.integer) for n in reporting),
                    (line.completion, styles.percent),
                ]
            )
        sheet.append([])
    last = get_column_letter(width)
    sheet.merged_cells.add(CellRange(f"A{TITLE_ROW}:{last}{TITLE_ROW}"))
    sheet.merged_cells.add(CellRange(f"A{NOTE_ROW}:{last}{NOTE_ROW}"))


def filename(plan: Plan, period: Period) -> str:
    return f"{plan.title}台账_{period}.xlsx"


def region_filename(region, period: Period) -> str:
    return f"{region.name}台账_{period}.xlsx"
