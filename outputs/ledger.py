"""The work ledger (工作台账) of a plan as an Excel workbook, formatted as bureaus print it.

Two steps, so that the workbook can be tested and timed without a request:

- `collect_ledger(plan, period, ...)` reads what the ledger shows in a fixed number of queries
  (the rows of `tracking.progress.plan_status`, plus responsibilities, qualitative targets,
  the latest report texts and the last milestone of each task) and returns plain `Ledger`
  data: one `LedgerLine` per target, one per task that has none.
- `write_ledger(ledger, stream)` turns that data into the workbook with xlsxwriter, a library
  made for writing workbooks, through its public API only.

Why xlsxwriter: a plan of a few thousand targets must export in well under two seconds, and
everything the printed ledger needs is a documented call there: formats made once and shared by
every cell of their kind, merged ranges, frozen panes, row heights, A4 landscape one page wide
with the header row repeated. The workbook is built in memory (`constant_memory` writes each row
as it goes, and then a range cannot be merged down over the rows of a task). The lines go out
column by column, a column of one format in one `write_column`, which keeps the styled export
within 1.5× of writing the bare values with the same library (see benchmarks/bench_ledger.py).
The sheets come from `tracking.spreadsheets.XlsxCells`, so every text a user typed (a task
title, a narrative, a department's name) is written as text, never as a formula.

Sheet names and column headings are the bureau's own (任务清单, 牵头单位, 序时进度 …), kept as
Chinese constants like the lamp labels of `tracking.status`: they are what the task force
prints and what the decomposition-table importer reads back, not interface text.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import IO, Any

from django.db.models import Max, Q
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from departments.access import access_of
from plans.models import Indicator, Milestone, Plan, Responsibility, Task
from plans.numbers import plain
from plans.periods import Period
from tracking import status
from tracking.models import ProgressReport
from tracking.obligations import Counts
from tracking.progress import Row, plan_status
from tracking.spreadsheets import XlsxCells

# --- the bureau's headings ------------------------------------------------------------------

SHEETS = {Task.ListKind.TASK: "任务清单", Task.ListKind.PROJECT: "项目清单", Task.ListKind.POLICY: "政策清单"}
SUMMARY_SHEET = "汇总"
GOALS_SECTION = "工作目标"
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

# --- looks ----------------------------------------------------------------------------------

FONT_NAME = "宋体"
BORDER_COLOR = "#000000"  # thin black lines around every cell of the table
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
# Widths above are as the file stores them, in widths of '0' of the default font (Calibri 11,
# 7 pixels): set in pixels, so a width of 24 is stored as 24, as the ledger always had it.
DIGIT_PIXELS = 7


@dataclass
class LedgerLine:
    """One row of a list sheet: a target, or a task without targets."""

    list_kind: str
    section: str
    task_key: object
    task: str
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
            line = LedgerLine(Task.ListKind.TASK, GOALS_SECTION, "goals", "", lead=issuer)
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


class _Styles:
    """Every kind of cell the ledger writes, each made once on the workbook."""

    def __init__(self, cells: XlsxCells) -> None:
        def make(*, bold=False, size=10, fill=None, wrap=True, horizontal="center", number=None, border=True):
            properties = {
                "font_name": FONT_NAME,
                "font_size": size,
                "bold": bold,
                "align": horizontal,
                "valign": "vcenter",
                "text_wrap": wrap,
            }
            if border:
                properties.update(border=1, border_color=BORDER_COLOR)
            if fill:
                properties.update(pattern=1, bg_color=f"#{fill}")
            if number:
                properties["num_format"] = number
            return cells.format(**properties)

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
        self._lamps: dict[tuple[str, str], tuple[str, Format]] = {}

    def lamp(self, line: LedgerLine) -> tuple[str, Format]:
        """The 状态 cell: its words and its fill, looked up once per state rather than once per row."""
        key = (line.state, line.availability)
        if key not in self._lamps:
            label = status.state_label(line.state, line.availability) if line.state else ""
            shade = status.bucket(line.state, line.availability)
            self._lamps[key] = label, self.states.get(shade, self.center)
        return self._lamps[key]

    def numbers(self, line: LedgerLine) -> Format:
        """One format for a line's figures, so 9.60 and 10.00 line up in a row."""
        values = [line.baseline, line.latest, *line.months]
        if not isinstance(line.target, str):
            values.append(line.target)
        whole = all(value is None or value == int(value) for value in values)
        return self.integer if whole else self.decimal


def write_ledger(ledger: Ledger, stream: IO[bytes]) -> None:
    """The ledger workbook, every row written: the three lists and the summary."""
    cells = XlsxCells(stream)
    styles = _Styles(cells)
    for kind, name in SHEETS.items():
        lines = [line for line in ledger.lines if line.list_kind == kind]
        _write_list(cells.add_worksheet(name), styles, ledger, lines)
    _write_summary(cells.add_worksheet(SUMMARY_SHEET), styles, ledger)
    cells.close()


def headers(months: list[Period]) -> list[str]:
    return [*HEAD_BEFORE, *(f"{m.month}月" for m in months), *HEAD_AFTER]


def _print_setup(sheet: Worksheet, widths: list[float], freeze: str) -> None:
    """A4 landscape, one page wide, the header row on every page."""
    for index, width in enumerate(widths):
        sheet.set_column_pixels(index, index, round(width * DIGIT_PIXELS))
    sheet.freeze_panes(freeze)
    sheet.repeat_rows(HEADER_ROW - 1)
    sheet.set_landscape()
    sheet.set_paper(PAPER_A4)
    sheet.fit_to_pages(1, 0)
    sheet.center_horizontally()
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.set_row(TITLE_ROW - 1, 30)
    sheet.set_row(HEADER_ROW - 1, 30)


def _write_title(sheet: Worksheet, styles: _Styles, title: str, note: str, width: int) -> None:
    """The title and the note, each merged across the sheet."""
    sheet.merge_range(TITLE_ROW - 1, 0, TITLE_ROW - 1, width - 1, title, styles.title)
    sheet.merge_range(NOTE_ROW - 1, 0, NOTE_ROW - 1, width - 1, note, styles.note)


def _write_list(sheet: Worksheet, styles: _Styles, ledger: Ledger, lines: list[LedgerLine]) -> None:
    head = headers(ledger.months)
    widths = [*WIDTHS_BEFORE, *([MONTH_WIDTH] * len(ledger.months)), *WIDTHS_AFTER]
    _print_setup(sheet, widths, "D4")
    _write_title(sheet, styles, ledger.title, ledger.note, len(head))
    sheet.write_row(HEADER_ROW - 1, 0, head, styles.header)
    _write_lines(sheet, styles, lines, head, widths)


def _write_lines(
    sheet: Worksheet, styles: _Styles, lines: list[LedgerLine], head: list[str], widths: list[float]
) -> None:
    """The lines under the header in the order of `headers`, written column by column.

    A task's 序号, 任务, 牵头单位, 配合单位 and 完成时限 are merged over its target rows, and a
    section's name over its rows, as printed. Columns of one format go out in one `write_column`
    each; the figures, the target and the lamp take a format per line (a line's figures are whole
    or not, its lamp has a colour). Neither Excel nor LibreOffice reliably grows a row to fit
    wrapped text written by another program, so each row's height is estimated from its texts
    and the column widths.
    """
    column = {name: head.index(name) for name in (*HEAD_BEFORE, *HEAD_AFTER)}
    width = dict(zip(head, widths, strict=True))
    top = FIRST_DATA_ROW - 1
    needed = [1] * len(lines)
    for number, (first, last) in enumerate(_runs(lines, lambda line: line.task_key), 1):
        line = lines[first]
        for name, value, style in (
            ("序号", number, styles.center),
            ("任务", line.task, styles.text),
            ("牵头单位", line.lead, styles.text),
            ("配合单位", line.co, styles.text),
            ("完成时限", line.deadline, styles.date),
        ):
            _write_run(sheet, top + first, top + last, column[name], value, style)
        own = max(
            _wrapped_lines(line.task, width["任务"]),
            _wrapped_lines(line.lead, width["牵头单位"]),
            _wrapped_lines(line.co, width["配合单位"]),
        )
        needed[first : last + 1] = [own] * (last + 1 - first)
    for first, last in _runs(lines, lambda line: line.section):
        section = lines[first].section
        _write_run(sheet, top + first, top + last, column["板块"], section, styles.text)
        own = _wrapped_lines(section, width["板块"])
        needed[first : last + 1] = [max(own, n) for n in needed[first : last + 1]]
    for name, field_name, style in (
        ("指标", "indicator", styles.text),
        ("单位", "unit", styles.center),
        ("完成率", "completion", styles.percent),
        ("序时进度", "expected", styles.percent),
        ("进展情况", "progress", styles.text),
        ("存在问题", "problems", styles.text),
        ("下步计划", "next_steps", styles.text),
    ):
        sheet.write_column(top, column[name], [getattr(line, field_name) for line in lines], style)
    no_months = [None] * (column["最新值"] - column["基数"] - 1)
    for index, line in enumerate(lines):
        row = top + index
        figures = styles.numbers(line)
        target = styles.center if isinstance(line.target, str) else figures
        sheet.write(row, column["目标值"], line.target, target)
        sheet.write_row(
            row, column["基数"], [line.baseline, *(line.months or no_months), line.latest], figures
        )
        sheet.write(row, column["状态"], *styles.lamp(line))
        lines_needed = max(
            needed[index],
            _wrapped_lines(line.indicator, width["指标"]),
            _wrapped_lines(line.progress, width["进展情况"]),
            _wrapped_lines(line.problems, width["存在问题"]),
            _wrapped_lines(line.next_steps, width["下步计划"]),
        )
        sheet.set_row(row, min(MAX_ROW_HEIGHT, lines_needed * LINE_HEIGHT + 4))


def _write_run(sheet: Worksheet, first: int, last: int, column: int, value: Any, style: Format) -> None:
    """One value over the rows `first` to `last` of a column: merged when they are more than one."""
    if last > first:
        sheet.merge_range(first, column, last, column, value, style)
    else:
        sheet.write(first, column, value, style)


def _runs(lines: list[LedgerLine], key) -> Iterator[tuple[int, int]]:
    """(first, last) index of each run of lines with the same key, one line long or more."""
    start = 0
    for index in range(1, len(lines) + 1):
        if index == len(lines) or key(lines[index]) != key(lines[start]):
            yield start, index - 1
            start = index


def _wrapped_lines(value: str, width: float) -> int:
    """How many lines a text takes in a column: a Chinese character is about two widths of '0'."""
    if not value:
        return 1
    room = max(width - 1, 1)
    # GB18030 spends two bytes on a Chinese character and one on ASCII: the width, counted in C.
    if "\n" not in value:
        return max(1, -(-len(value.encode("gb18030")) // room))
    return sum(max(1, -(-len(part.encode("gb18030")) // room)) for part in value.split("\n"))


def _write_summary(sheet: Worksheet, styles: _Styles, ledger: Ledger) -> None:
    """汇总: counts per lamp and mean completion, by section and by lead department."""
    width = 1 + len(SUMMARY_HEAD)
    _print_setup(sheet, [28, *([9] * len(SUMMARY_HEAD))], "B4")
    _write_title(sheet, styles, ledger.title.replace("工作台账", "工作台账汇总"), ledger.note, width)
    row = HEADER_ROW - 1
    for heading, lines in (("板块", ledger.by_section), ("牵头单位", ledger.by_department)):
        sheet.write_row(row, 0, [heading, *SUMMARY_HEAD], styles.header)
        for line in lines:
            row += 1
            counts = line.counts
            unjudged = line.targets - sum(counts.values())
            owed = line.reporting
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
                owed.expected,
                owed.on_time,
                owed.late,
                owed.outstanding,
            ]
            sheet.write(row, 0, line.label, styles.text)
            sheet.write_row(row, 1, values, styles.integer)
            sheet.write(row, width - 1, line.completion, styles.percent)
        row += 2  # a blank row, then the next heading


def filename(plan: Plan, period: Period) -> str:
    return f"{plan.title}台账_{period}.xlsx"
