"""Read a decomposition table (任务分解表) workbook into the importer's structure.

Many bureaus hold their plan as an Excel table rather than as text: 序号, 重点任务, 目标/指标,
牵头单位, 配合单位, 完成时限, often with a title above the header, a 板块 column, merged cells
for a task that spans several target rows, and several names in one cell. This module reads
such a workbook, our own ledger (任务清单 …) included, into the JSON of
shared/importer/CONVENTIONS.md, so it goes through the same review page as a text import.

- Columns are found by their header text, with the common variants (`HEADERS`); the header
  row may sit below title rows, and a two-row header (责任单位 over 牵头 | 配合) is read too.
- Merged cells are filled down over their range; a blank 板块 cell continues the section above.
- Targets come from the 目标/指标 cell, read by the text importer's `extract_indicators`;
  when the table has a 目标值 column (as the ledger does) the 指标 name and the 目标值 and
  单位 cells are read together as one target.
- Departments are split on newlines, 、 and ，, dropping 等相关部门 as the text importer does;
  a single 责任单位 column with 牵头 marks is read like the closing parenthesis of a task.
- A row that cannot be read (no task, a number where a department should be) is reported
  by sheet and row number and left out; the rest imports. A workbook without a recognisable
  header is refused with a message for the user.

Pure functions over bytes: no request and no query.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.utils.translation import gettext as _

from .departments import parse_departments
from .indicators import extract_indicators
from .source import build_source

MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_ROWS = 5000
HEADER_SEARCH_ROWS = 12

NUMBER, SECTION, TASK, TARGET, VALUE, UNIT, LEAD, CO, DEADLINE = (
    "number",
    "section",
    "task",
    "target",
    "value",
    "unit",
    "lead",
    "co",
    "deadline",
)
# Header texts as bureaus write them (whitespace and bracket width ignored).
HEADERS = {
    NUMBER: ["序号", "编号", "序列号"],
    SECTION: ["板块", "类别", "领域", "重点领域", "工作板块", "分类", "工作类别"],
    TASK: [
        "重点任务",
        "任务",
        "工作任务",
        "任务内容",
        "主要任务",
        "具体任务",
        "重点工作",
        "工作内容",
        "工作事项",
        "任务名称",
        "项目名称",
        "政策名称",
        "重点任务内容",
    ],
    TARGET: [
        "目标",
        "指标",
        "目标/指标",
        "目标任务",
        "工作目标",
        "主要指标",
        "指标名称",
        "任务目标",
        "年度目标",
        "目标要求",
        "工作目标及指标",
        "目标及指标",
    ],
    VALUE: ["目标值", "指标值", "年度目标值"],
    UNIT: ["单位", "计量单位"],
    LEAD: ["牵头单位", "牵头部门", "责任单位(牵头)", "牵头责任单位", "主要责任单位", "牵头"],
    CO: ["配合单位", "配合部门", "协同单位", "责任单位", "协办单位", "参与单位", "责任单位(配合)", "配合"],
    DEADLINE: ["完成时限", "时间节点", "完成时间", "时限", "时限要求", "完成期限"],
}
_LOOKUP = {text: key for key, texts in HEADERS.items() for text in texts}
LIST_BY_SHEET = {"任务清单": "task", "项目清单": "project", "政策清单": "policy"}
SKIPPED_SHEETS = {"汇总"}
PLAN_NOTE = "计划："  # the note under the title of our own ledger
GOAL_SECTION = re.compile(r"^(?:工作|主要|年度|总体)?目标$")
_WIDTH = str.maketrans("（）【】：", "()[]:")
_NAME_SPLIT = re.compile(r"[\n、，,；;/]+")
_LINE_SPLIT = re.compile(r"[\n；;]+")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_YEAR = re.compile(r"(20\d{2})\s*年")
_SECTION_LABEL = re.compile(r"^\s*([(（][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、)\s*")
_MAX_TITLE = 300


class TableRefused(ValueError):
    """A workbook that holds no table we can read; the message is for the user."""


@dataclass(frozen=True)
class RowProblem:
    sheet: str
    row: int
    message: str

    def __str__(self) -> str:
        return _("Sheet %(sheet)s, row %(row)s: %(message)s") % {
            "sheet": self.sheet,
            "row": self.row,
            "message": self.message,
        }


@dataclass
class TableImport:
    """What was read: the importer's structure, the table as text, and the rows left out."""

    structure: dict
    text: str
    problems: list[RowProblem] = field(default_factory=list)


def is_workbook(name: str, data: bytes) -> bool:
    """An .xlsx/.xlsm upload, by its name or by its content (a zip holding xl/workbook.xml)."""
    if not data.startswith(b"PK\x03\x04"):
        return False
    if name.lower().endswith((".xlsx", ".xlsm")):
        return True
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def read_table(data: bytes, *, title: str = "") -> TableImport:
    """Read every sheet with a recognisable header; refuse the workbook when none has one."""
    from openpyxl import load_workbook

    _check_archive(data)
    try:
        workbook = load_workbook(BytesIO(data), data_only=True)
    except Exception as exc:  # openpyxl raises many kinds of errors on broken parts
        raise TableRefused(_("The workbook is damaged and cannot be opened.")) from exc
    sections: list[dict] = []
    goals: list[dict] = []
    problems: list[RowProblem] = []
    lines: list[str] = []
    found_title, year = title, None
    read_any = False
    for sheet in workbook.worksheets:
        if sheet.sheet_state != "visible" or sheet.title in SKIPPED_SHEETS:
            continue
        grid = _grid(sheet)
        header = _find_header(grid)
        if header is None:
            continue
        read_any = True
        header_row, columns = header
        above = [
            str(v).strip() for row in grid[: header_row - 1] for v in row if isinstance(v, str) and v.strip()
        ]
        if not found_title and above:
            found_title = _title(above)
        year = year or _year(" ".join(above) + found_title)
        lines += ["\t".join(_text(v) for v in row if v is not None) for row in grid[:header_row]]
        _read_rows(sheet.title, grid, header_row, columns, sections, goals, problems, lines, year)
    if not read_any:
        raise TableRefused(
            _(
                "No table header was recognised in this workbook. The table needs a header row with "
                "columns such as 序号, 重点任务, 目标/指标, 牵头单位, 配合单位 and 完成时限."
            )
        )
    structure = {"title": found_title, "year": year, "goals": goals, "sections": sections}
    return TableImport(structure=structure, text="\n".join(lines), problems=problems)


def _check_archive(data: bytes) -> None:
    """Refuse a zip bomb before openpyxl unpacks it."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise TableRefused(_("The workbook is damaged and cannot be opened.")) from exc
    if unpacked > MAX_UNPACKED_BYTES:
        raise TableRefused(_("The workbook is too large to import."))


def _grid(sheet) -> list[list[Any]]:
    """The sheet's values with every merged range filled from its top-left cell."""
    rows = [list(row) for row in sheet.iter_rows(max_row=min(sheet.max_row, MAX_ROWS), values_only=True)]
    for merged in sheet.merged_cells.ranges:
        value = sheet.cell(merged.min_row, merged.min_col).value
        for r in range(merged.min_row, min(merged.max_row, len(rows)) + 1):
            row = rows[r - 1]
            for c in range(merged.min_col, merged.max_col + 1):
                if c <= len(row):
                    row[c - 1] = value
    return rows


def _header_key(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    text = re.sub(r"\s+", "", value).translate(_WIDTH).rstrip(":*")
    if text in _LOOKUP:
        return _LOOKUP[text]
    return _LOOKUP.get(re.sub(r"\([^()]*\)$", "", text))


def _find_header(grid: list[list[Any]]) -> tuple[int, dict[str, int]] | None:
    """The first row (1-based) naming a task column and at least one more, with its columns."""
    for index, row in enumerate(grid[:HEADER_SEARCH_ROWS]):
        columns: dict[str, int] = {}
        for column, value in enumerate(row):
            key = _header_key(value)
            if key is not None and key not in columns:
                columns[key] = column
        if TASK not in columns or len(columns) < 2:
            continue
        header_row = index + 1
        if index + 1 < len(grid):  # a second header row: 责任单位 spanning 牵头 | 配合
            below = {_header_key(v): c for c, v in enumerate(grid[index + 1]) if _header_key(v)}
            if {LEAD, CO} & below.keys() and TASK not in below:
                for key, column in below.items():
                    if key in (LEAD, CO) or key not in columns:
                        columns[key] = column
                header_row += 1
        if LEAD in columns and CO in columns and columns[LEAD] == columns[CO]:
            del columns[LEAD]
        return header_row, columns
    return None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\r\n", "\n").strip()


def _title(above: list[str]) -> str:
    """The plan's title: our ledger's 计划：… note when present, else the first line above the header."""
    for text in above:
        if text.startswith(PLAN_NOTE):
            return text.removeprefix(PLAN_NOTE).split("\u3000", 1)[0].strip()
    return above[0][:200]


def _year(text: str) -> int | None:
    found = _YEAR.search(text)
    return int(found.group(1)) if found else None


def _read_rows(sheet_name, grid, header_row, columns, sections, goals, problems, lines, year) -> None:
    """Group the data rows into sections and tasks; report and leave out what cannot be read."""
    list_kind = LIST_BY_SHEET.get(sheet_name.strip(), "task")
    section_name = ""
    current_task: dict | None = None
    current_key: tuple | None = None

    def cell(row: list, key: str) -> Any:
        column = columns.get(key)
        return row[column] if column is not None and column < len(row) else None

    for number, row in enumerate(grid[header_row:], start=header_row + 1):
        if all(v is None or _text(v) == "" for v in row):
            continue
        lines.append("\t".join(_text(v) for v in row if v is not None and _text(v)))
        section_value = _text(cell(row, SECTION))
        if section_value:
            section_name = section_value
        task_text = _text(cell(row, TASK))
        target_text = _text(cell(row, TARGET))
        is_goal = bool(GOAL_SECTION.match(_SECTION_LABEL.sub("", section_name))) and not task_text
        if not task_text and not is_goal:
            problems.append(RowProblem(sheet_name, number, _("there is no task.")))
            continue
        try:
            lead, co = _departments(cell(row, LEAD), cell(row, CO), LEAD in columns)
        except ValueError as exc:
            problems.append(RowProblem(sheet_name, number, str(exc)))
            continue
        title = task_text.split("\n", 1)[0].strip()
        indicators = _targets(
            target_text, cell(row, VALUE), _text(cell(row, UNIT)), VALUE in columns, year, title
        )
        if is_goal:
            goals.extend(indicators)
            current_key = None
            continue
        if not lead and not co:
            lead, co = parse_departments(task_text)
        key = (section_name, _text(cell(row, NUMBER)), task_text)
        if key == current_key and current_task is not None:
            current_task["indicators"].extend(indicators)
            continue
        section = _section(sections, section_name)
        current_task = {
            "number": _text(cell(row, NUMBER)),
            "title": title[:_MAX_TITLE],
            "text": task_text,
            "lead": lead,
            "co": co,
            "indicators": indicators,
            "list": list_kind,
        }
        deadline = _text(cell(row, DEADLINE))
        if deadline:
            current_task["deadline"] = deadline
        section["tasks"].append(current_task)
        current_key = key


def _section(sections: list[dict], name: str) -> dict:
    """The section of this name, made on first use: (一)标志性工程提速 → label (一), theme 提速."""
    label_match = _SECTION_LABEL.match(name)
    label = label_match.group(1).strip() if label_match else ""
    title = name[label_match.end() :].strip() if label_match else name
    for section in sections:
        if section["label"] == label and section["title"] == title:
            return section
    themes = re.findall(r"提[速档能效质优]", title)
    section = {"label": label, "title": title[:200], "theme": themes[-1] if themes else "", "tasks": []}
    if label and any(s["label"] == label for s in sections):
        section["label"] = ""  # two sheets may both number from (一); labels must stay unique
    sections.append(section)
    return section


def _departments(lead_value: Any, co_value: Any, has_lead_column: bool) -> tuple[list[str], list[str]]:
    """Lead and co names; a lone 责任单位 column is read by its 牵头 marks, else its first name leads."""
    for value in (lead_value, co_value):
        if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            raise ValueError(_("“%(value)s” is a number, not a department.") % {"value": _text(value)})
    lead, co = _names(lead_value), _names(co_value)
    if not has_lead_column and co:
        text = _text(co_value)
        if "牵头" in text:
            marked_lead, marked_co = parse_departments(f"（{text}）")
            if marked_lead:
                return marked_lead, marked_co
        lead, co = co[:1], co[1:]
    for name in [*lead, *co]:
        if not _CJK.search(name):
            raise ValueError(_("“%(value)s” is not a department's name.") % {"value": name})
    return lead, [name for name in co if name not in lead]


def _names(value: Any) -> list[str]:
    """Names split on newlines, 、 ， ； and /, with 等相关部门 and 牵头 marks dropped.

    As in text (CONVENTIONS.md), a catch-all that names a body (县直有关部门) is a unit.
    """
    names: list[str] = []
    for piece in _NAME_SPLIT.split(_text(value)):
        name = re.sub(r"等(?:相关|有关|其他)?(?:部门|单位|成员单位)?$", "", piece.strip())
        name = re.sub(r"[(（](?:牵头|配合)[)）]$", "", name).strip()
        if name and not re.fullmatch(r"各?(?:相关|有关|其他)?(?:部门|单位)", name) and name not in names:
            names.append(name)
    return names


def _targets(
    text: str, value: Any, unit: str, has_value_column: bool, year: int | None, context: str
) -> list[dict]:
    """The targets of one row: the 目标/指标 cell read as plan text, or 指标 + 目标值 + 单位 read together."""
    value_text = _text(value)
    if has_value_column and value_text:
        sentence = value_text if not unit or value_text.endswith(unit) else f"{value_text}{unit}"
        found = _extract(f"{text}{sentence}", year, context)
        if found:
            target = found[0]
            target.update(name=text[:200] or target["name"], text=text or target["text"])
            return [target]
    indicators: list[dict] = []
    for line in _LINE_SPLIT.split(text):
        line = line.strip()
        if not line:
            continue
        found = _extract(line, year, context)
        indicators += found or [_qualitative(line)]
    return indicators


def _extract(text: str, year: int | None, context: str) -> list[dict]:
    source = build_source(text)
    return extract_indicators(source, 0, len(source.clean), plan_year=year, context=context)


def _qualitative(text: str) -> dict:
    """A target cell without a number is a goal kept but not scored (实现零的突破)."""
    return {
        "text": text,
        "name": text[:200],
        "value": None,
        "value_max": None,
        "unit": "",
        "comparator": None,
        "kind": "qualitative",
    }
