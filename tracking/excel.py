"""Bulk entry in Excel: a department's month as a workbook out, the filled workbook back in.

Many offices keep their ledger (台账) in Excel and fill it offline, often on a PC without the
intranet. The template carries one row per item with a hidden key, so rows are matched by what
they are, not where they are; the columns the office must not change are locked, and the sheet
says in each row what the current draft holds.

Everything here is a pure function over items and bytes: no request, no query (the items come
with their plan, period and reports attached), so each rule is tested without a client.

- `build_template(title, rows)` → Workbook
- `read_upload(data, name)` → Sheet (or UploadRefused with a message for the user)
- `check(sheet, items)` → Check: the changes to save and every bad cell
- `mark_errors(data, errors)` → the user's own workbook with bad cells red and commented
"""

from __future__ import annotations

import math
import unicodedata
import warnings
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from io import BytesIO
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from plans.numbers import parse_value
from plans.periods import Period

from .models import ProgressReport
from .services import Item
from .spreadsheets import put_text, put_value

MAX_TEXT = 2000
MAX_ROWS = 3000
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
FOUR_PLACES = Decimal("0.0001")
LARGEST = Decimal(10) ** 16  # ProgressReport.value holds 20 digits, 4 of them decimals
LOCKED_STATES = {ProgressReport.Status.SUBMITTED, ProgressReport.Status.APPROVED}
TEXT_FIELDS = ("progress", "problems", "next_steps")
EDITABLE_FIELDS = ("value", *TEXT_FIELDS)

TITLE_ROW, NOTE_ROW, HEADER_ROW = 1, 2, 3
FIRST_DATA_ROW = HEADER_ROW + 1

GREY = PatternFill("solid", fgColor="F2F2F2")
DARK_GREY = PatternFill("solid", fgColor="D9D9D9")
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
EDIT_HEADER_FILL = PatternFill("solid", fgColor="FFF2CC")
ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")
THIN = Side(style="thin", color="A6A6A6")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
UNLOCKED = Protection(locked=False)
LOCKED = Protection(locked=True)


@dataclass(frozen=True)
class Column:
    field: str
    width: float
    editable: bool = False
    hidden: bool = False

    @property
    def header(self) -> str:
        """The header as the user reads it; also how an uploaded sheet's columns are found."""
        return _column_headers()[self.field]


COLUMNS: tuple[Column, ...] = (
    Column("key", 8, hidden=True),
    Column("period", 9, hidden=True),
    Column("version", 6, hidden=True),
    Column("plan", 22),
    Column("task", 28),
    Column("indicator", 26),
    Column("target", 11),
    Column("unit", 7),
    Column("previous", 11),
    Column("status", 14),
    Column("value", 13, editable=True),
    Column("progress", 40, editable=True),
    Column("problems", 28, editable=True),
    Column("next_steps", 28, editable=True),
)
COLUMN_INDEX = {column.field: index for index, column in enumerate(COLUMNS, start=1)}
REQUIRED_FIELDS = ("key", *EDITABLE_FIELDS)


def _column_headers() -> dict[str, str]:
    """Headers in the user's language. Their msgids are used nowhere else, so that a translation
    made for another page cannot rename a column and make downloaded sheets unreadable."""
    return {
        "key": _("Item key"),
        "period": _("Reporting month"),
        "version": _("Report version"),
        "plan": _("Plan title"),
        "task": _("Section / task"),
        "indicator": _("Indicator name"),
        "target": _("Target (as written)"),
        "unit": _("Unit of the target"),
        "previous": _("Last month's value"),
        "status": _("Report status"),
        "value": _("Value to date this month"),
        "progress": _("Progress made"),
        "problems": _("Problems met"),
        "next_steps": _("Next steps planned"),
    }


# --- the template ------------------------------------------------------------------------


@dataclass(frozen=True)
class TemplateRow:
    """One item as the template shows it: what it is, what was reported, what may be typed."""

    key: str
    period: str
    version: int
    plan: str
    task: str
    indicator: str
    target: str
    unit: str
    previous: Decimal | None
    status: str
    value: Decimal | None
    progress: str
    problems: str
    next_steps: str
    numeric: bool
    locked: bool
    note: str = ""

    @classmethod
    def of(cls, item: Item) -> TemplateRow:
        report = item.report if item.report is not None and item.report.pk else None
        task = item.owner_task
        where = f"{task.section} / {task}" if task is not None else _("Plan goals")
        return cls(
            key=item.key,
            period=str(item.period),
            version=report.version if report else 0,
            plan=item.plan.title,
            task=where,
            indicator=item.title if item.indicator is not None else _("(narrative: no figure)"),
            target=item.target_label,
            unit=item.unit,
            previous=item.previous.value if item.previous is not None and item.indicator else None,
            status=status_label(item.state),
            value=report.value if report else None,
            progress=report.progress if report else "",
            problems=report.problems if report else "",
            next_steps=report.next_steps if report else "",
            numeric=item.indicator is not None,
            locked=item.state in LOCKED_STATES,
            note=report.return_reason if report and item.state == ProgressReport.Status.RETURNED else "",
        )


def status_label(state: str) -> str:
    """Where the month's report stands, as the sheet says it; locked states say so."""
    return {
        "missing": _("Not started"),
        ProgressReport.Status.DRAFT: _("Draft, editable"),
        ProgressReport.Status.RETURNED: _("Returned: revise"),
        ProgressReport.Status.SUBMITTED: _("Submitted (locked)"),
        ProgressReport.Status.APPROVED: _("Approved (locked)"),
    }.get(state, state)


def template_title(department_names: Sequence[str], periods: Iterable[Period]) -> str:
    """县商务科技和工业信息化局 2024年6月进度填报: who and which month, as the sheet's first line."""
    labels = "、".join(period.label for period in sorted(set(periods)))
    return _("%(department)s %(period)s progress report") % {
        "department": "、".join(department_names),
        "period": labels,
    }


def build_template(*, title: str, rows: Iterable[TemplateRow]) -> Workbook:
    """The month's entry sheet: locked description columns, unlocked entry cells, frozen header.

    Every text goes in through `spreadsheets.put_value`, so a title or a narrative that begins
    with "=" is the text typed, not a formula; numbers stay numbers.

    Protection has no password on purpose: it keeps people from typing over the key and the
    targets by mistake; the upload checks every cell anyway.
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Progress report")
    last = get_column_letter(len(COLUMNS))
    first_visible = get_column_letter(COLUMN_INDEX["plan"])
    sheet.merge_cells(f"{first_visible}{TITLE_ROW}:{last}{TITLE_ROW}")
    sheet.merge_cells(f"{first_visible}{NOTE_ROW}:{last}{NOTE_ROW}")
    title_cell = put_text(sheet[f"{first_visible}{TITLE_ROW}"], title)
    title_cell.font = Font(bold=True, size=14)
    title_cell.alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[TITLE_ROW].height = 26
    note_cell = put_text(
        sheet[f"{first_visible}{NOTE_ROW}"],
        _(
            "Fill in the white cells only; grey cells are locked. Value to date: the cumulative figure "
            "at the end of the month, written like 1576, 1,576家 or 1.5亿. Narrative tasks need the texts "
            "only. Upload the sheet on the Excel entry page: you will check what was read before "
            "anything is saved, and the rows are saved as drafts for you to submit."
        ),
    )
    note_cell.font = Font(size=9, color="595959")
    note_cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.row_dimensions[NOTE_ROW].height = 40

    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        sheet.column_dimensions[letter].hidden = column.hidden
        cell = put_text(sheet.cell(HEADER_ROW, index), column.header)
        cell.font = Font(bold=True)
        cell.fill = EDIT_HEADER_FILL if column.editable else HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        cell.border = BORDER
    sheet.row_dimensions[HEADER_ROW].height = 22

    text_cells: list[str] = []
    value_cells_by_unit: dict[str, list[str]] = {}
    row_number = HEADER_ROW
    for row_number, row in enumerate(rows, start=FIRST_DATA_ROW):
        _write_row(sheet, row_number, row)
        if row.locked:
            continue
        first_text, last_text = (
            get_column_letter(COLUMN_INDEX[name]) for name in (TEXT_FIELDS[0], TEXT_FIELDS[-1])
        )
        text_cells.append(f"{first_text}{row_number}:{last_text}{row_number}")
        if row.numeric:
            value_cells_by_unit.setdefault(row.unit, []).append(
                f"{get_column_letter(COLUMN_INDEX['value'])}{row_number}"
            )
    _add_validations(sheet, text_cells, value_cells_by_unit)

    sheet.freeze_panes = sheet.cell(FIRST_DATA_ROW, 1).coordinate
    sheet.protection.sheet = True
    # still let people widen columns and rows to read long texts
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.print_area = f"{first_visible}{TITLE_ROW}:{last}{max(row_number, HEADER_ROW)}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    return workbook


def _write_row(sheet: Worksheet, row_number: int, row: TemplateRow) -> None:
    values = {
        "key": row.key,
        "period": row.period,
        "version": row.version,
        "plan": row.plan,
        "task": row.task,
        "indicator": row.indicator,
        "target": row.target,
        "unit": row.unit,
        "previous": _number(row.previous),
        "status": row.status,
        "value": _number(row.value) if row.numeric else None,
        "progress": row.progress or None,
        "problems": row.problems or None,
        "next_steps": row.next_steps or None,
    }
    lines = 1
    for index, column in enumerate(COLUMNS, start=1):
        cell = put_value(sheet.cell(row_number, index), values[column.field])
        cell.alignment = WRAP
        cell.border = BORDER
        open_for_entry = column.editable and not row.locked and (row.numeric or column.field != "value")
        cell.protection = UNLOCKED if open_for_entry else LOCKED
        if row.locked:
            cell.fill = DARK_GREY
        elif not open_for_entry:
            cell.fill = GREY
        if not column.hidden:
            lines = max(lines, _lines(values[column.field], column.width))
    if row.note:
        comment = Comment(_("Returned: %(reason)s") % {"reason": row.note}, _("Reviewer"))
        comment.width, comment.height = 300, 120
        sheet.cell(row_number, COLUMN_INDEX["status"]).comment = comment
    # openpyxl cannot measure text; without a height, wrapped rows open one line tall in Excel
    sheet.row_dimensions[row_number].height = min(15 * lines + 3, 300)


def _add_validations(sheet: Worksheet, text_cells: list[str], value_cells_by_unit: dict[str, list[str]]):
    """Excel's own checks where they help: long texts refused, the unit shown when typing a value."""
    if text_cells:
        length = DataValidation(
            type="textLength",
            operator="lessThanOrEqual",
            formula1=str(MAX_TEXT),
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=_("Text too long"),
            error=_("At most %(limit)s characters.") % {"limit": MAX_TEXT},
        )
        for cells in text_cells:
            length.add(cells)
        sheet.add_data_validation(length)
    for unit, cells in value_cells_by_unit.items():
        hint = DataValidation(
            allow_blank=True,
            showInputMessage=True,
            promptTitle=_("Value to date this month"),
            prompt=_("Unit: %(unit)s. Write the cumulative figure, like 1576, 1,576家 or 1.5亿.")
            % {"unit": unit or "—"},
        )
        for cell in cells:
            hint.add(cell)
        sheet.add_data_validation(hint)


def _number(value: Decimal | None) -> int | float | None:
    """A Decimal as Excel keeps numbers: whole numbers stay whole."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _lines(value: Any, width: float) -> int:
    """How many lines a wrapped cell needs: Chinese characters take two units of width."""
    if value is None or width <= 0:
        return 1
    total = 0
    for paragraph in str(value).split("\n"):
        units = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in paragraph)
        total += max(1, math.ceil(units / max(width - 1, 1)))
    return total


# --- reading an upload -------------------------------------------------------------------


class UploadRefused(Exception):
    """The file cannot be read as our template; the message says why, for the user."""


@dataclass
class SheetRow:
    """A data row of an uploaded sheet, cells as Excel holds them (numbers, text, dates)."""

    row: int
    key: str
    period: str
    version: int | None
    cells: dict[str, Any]


@dataclass
class Sheet:
    name: str
    rows: list[SheetRow]
    columns: dict[str, int]

    def letter(self, field_name: str) -> str:
        index = self.columns.get(field_name) or self.columns.get("indicator") or self.columns["key"]
        return get_column_letter(index)

    def header(self, field_name: str) -> str:
        name = field_name if field_name in self.columns else "indicator"
        return _column_headers().get(name, "")


def check_name_and_size(name: str, size: int, max_bytes: int) -> None:
    """Refuse by name and size before the file is even read: .xls, .csv, anything not .xlsx."""
    extension = Path(name or "").suffix.lower()
    if extension == ".xls":
        raise UploadRefused(
            _("This is an old Excel file (.xls). Open it in Excel or WPS, save it as .xlsx, and upload that.")
        )
    if extension == ".csv":
        raise UploadRefused(
            _(
                "CSV files cannot be read: the template's keys and locked cells would be lost. "
                "Upload the .xlsx template."
            )
        )
    if extension != ".xlsx":
        raise UploadRefused(
            _("Only Excel workbooks (.xlsx) can be uploaded; this file is %(ext)s.")
            % {"ext": extension or _("without an extension")}
        )
    if size == 0:
        raise UploadRefused(_("The file is empty."))
    if size > max_bytes:
        raise UploadRefused(
            _("The file is %(size)s MB; at most %(limit)s MB can be uploaded.")
            % {"size": f"{size / 1048576:.1f}", "limit": f"{max_bytes / 1048576:g}"}
        )


def check_content(data: bytes) -> None:
    """Refuse what is not an .xlsx workbook inside before openpyxl unpacks it, each with its reason."""
    if data[:4] == b"\xd0\xcf\x11\xe0":
        raise UploadRefused(
            _(
                "This file is an old-format (.xls) or password-protected workbook renamed to .xlsx. "
                "Remove the password or save it as .xlsx, then upload it again."
            )
        )
    corrupt = UploadRefused(_("The file is damaged or is not an Excel workbook. Save it again as .xlsx."))
    if data[:2] != b"PK":
        raise corrupt
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile:
        raise corrupt from None
    if "xl/workbook.xml" not in {member.filename for member in members}:
        raise corrupt
    if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
        raise UploadRefused(_("The workbook is too large to read. Upload the template with your rows only."))


def read_upload(data: bytes, name: str, max_bytes: int = 5 * 1024 * 1024) -> Sheet:
    """The data rows of an uploaded template, found by the header row and the hidden key column."""
    check_name_and_size(name, len(data), max_bytes)
    check_content(data)
    try:
        with warnings.catch_warnings():
            # other spreadsheet programs write extensions openpyxl does not know and warns about
            warnings.simplefilter("ignore")
            workbook = load_workbook(BytesIO(data), data_only=True, read_only=False)
    except Exception:  # openpyxl raises anything from KeyError to XML errors on a broken file
        raise UploadRefused(
            _("The file is damaged or is not an Excel workbook. Save it again as .xlsx.")
        ) from None
    sheets = [workbook.active, *[ws for ws in workbook.worksheets if ws is not workbook.active]]
    for sheet in sheets:
        found = _find_header(sheet)
        if found is None:
            continue
        header_row, columns = found
        missing = [f for f in REQUIRED_FIELDS if f not in columns]
        if missing:
            raise UploadRefused(
                _("The sheet lacks the column(s) %(columns)s. Download the template again and fill that in.")
                % {"columns": "、".join(f"“{_column_headers()[f]}”" for f in missing)}
            )
        if sheet.max_row - header_row > MAX_ROWS:
            raise UploadRefused(
                _("The sheet has more than %(limit)s rows. Upload the template with your rows only.")
                % {"limit": MAX_ROWS}
            )
        return Sheet(sheet.title, list(_data_rows(sheet, header_row, columns)), columns)
    raise UploadRefused(
        _(
            "This is not the entry template of this system: its key column (%(key)s) is missing. "
            "Download the template on this page, fill it in and upload it."
        )
        % {"key": _column_headers()["key"]}
    )


def _find_header(sheet: Worksheet) -> tuple[int, dict[str, int]] | None:
    by_text = {header: name for name, header in _column_headers().items()}
    for row in sheet.iter_rows(min_row=1, max_row=min(sheet.max_row, 15)):
        columns = {}
        for cell in row:
            text = _text(cell.value)
            if text in by_text:
                columns.setdefault(by_text[text], cell.column)
        if "key" in columns:
            return row[0].row, columns
    return None


def _data_rows(sheet: Worksheet, header_row: int, columns: dict[str, int]) -> Iterable[SheetRow]:
    for cells in sheet.iter_rows(min_row=header_row + 1, max_row=sheet.max_row):
        by_index = {cell.column: cell.value for cell in cells}
        values = {name: by_index.get(index) for name, index in columns.items()}
        key = _text(values.get("key"))
        editable = {name: values.get(name) for name in EDITABLE_FIELDS}
        if not key and all(_blank(v) for v in editable.values()):
            continue
        version = values.get("version")
        yield SheetRow(
            row=cells[0].row,
            key=key,
            period=_text(values.get("period")),
            version=int(version)
            if isinstance(version, int | float) and not isinstance(version, bool)
            else None,
            cells=editable,
        )


# --- checking the rows against the user's items ------------------------------------------


@dataclass(frozen=True)
class CellError:
    """A bad cell as the user finds it in Excel: row number, column letter, header, message."""

    row: int
    column: str
    header: str
    message: str

    def __str__(self) -> str:
        return _("Row %(row)s, column %(column)s (%(header)s): %(message)s") % {
            "row": self.row,
            "column": self.column,
            "header": self.header,
            "message": self.message,
        }


@dataclass
class Change:
    """A row that changes a report: what is there now, what will be saved."""

    row: int
    item: Item
    data: dict[str, Any]
    old: dict[str, Any]
    version: int | None
    warnings: list[str] = field(default_factory=list)
    unusual: str = ""

    @property
    def changed_fields(self) -> list[str]:
        return [name for name in EDITABLE_FIELDS if name in self.data and self.data[name] != self.old[name]]

    @property
    def meaning(self) -> dict:
        return self.item.meaning(self.data.get("value"))


@dataclass
class Check:
    changes: list[Change]
    errors: list[CellError]
    unchanged: int = 0

    @property
    def can_confirm(self) -> bool:
        return not self.errors and bool(self.changes)

    @property
    def needs_tick(self) -> bool:
        """Unusual values and overwritten web edits are saved only once the user ticked them."""
        return any(change.warnings or change.unusual for change in self.changes)


def current_fields(item: Item) -> dict[str, Any]:
    report = item.report if item.report is not None and item.report.pk else None
    return {
        "value": report.value if report else None,
        "progress": _clean_text(report.progress) if report else "",
        "problems": _clean_text(report.problems) if report else "",
        "next_steps": _clean_text(report.next_steps) if report else "",
    }


def check(sheet: Sheet, items: Mapping[str, Item]) -> Check:
    """Read every row against the user's items for the period; nothing is saved here.

    A row is matched by its key. Rows whose four entry cells are all empty are skipped (an empty
    row never clears a draft); rows equal to the current report are skipped as unchanged.
    """
    result = Check([], [])
    seen: dict[str, int] = {}

    def error(row: int, field_name: str, message: str) -> None:
        result.errors.append(CellError(row, sheet.letter(field_name), sheet.header(field_name), message))

    for row in sheet.rows:
        if all(_blank(v) for v in row.cells.values()):
            continue
        if not row.key:
            error(row.row, "indicator", _("This row has no key, so it matches nothing. Do not add rows."))
            continue
        item = items.get(row.key)
        if item is None:
            error(
                row.row,
                "indicator",
                _("This row (key %(key)s) is not one of your department's items for this month.")
                % {"key": row.key},
            )
            continue
        if row.key in seen:
            error(row.row, "indicator", _("Row %(row)s holds the same item.") % {"row": seen[row.key]})
            continue
        seen[row.key] = row.row
        if row.period and row.period != str(item.period):
            error(
                row.row,
                "indicator",
                _("This row is from the %(sheet)s template; %(now)s is reported now. Download this month's.")
                % {"sheet": _period_label(row.period), "now": item.period.label},
            )
            continue
        data, bad = _read_cells(row, item, error)
        if bad:
            continue
        old = current_fields(item)
        if all(data.get(name) == old[name] for name in data):
            result.unchanged += 1
            continue
        if item.state in LOCKED_STATES:
            changed = next(name for name in data if data[name] != old[name])
            error(row.row, changed, _locked_message(item.state))
            continue
        report = item.report if item.report is not None and item.report.pk else None
        change = Change(row.row, item, data, old, report.version if report else None)
        current = report.version if report else 0
        if row.version is not None and row.version != current:
            change.warnings.append(
                _(
                    "This report was changed on the website after the template was downloaded; "
                    "saving replaces it."
                )
            )
        result.changes.append(change)
    return result


def _read_cells(row: SheetRow, item: Item, error) -> tuple[dict[str, Any], bool]:
    data: dict[str, Any] = {}
    bad = False
    for name in TEXT_FIELDS:
        text = _clean_text(_text(row.cells.get(name), keep_lines=True))
        if len(text) > MAX_TEXT:
            error(
                row.row,
                name,
                _("The text has %(count)s characters; at most %(limit)s.")
                % {"count": len(text), "limit": MAX_TEXT},
            )
            bad = True
        data[name] = text
    raw = row.cells.get("value")
    if item.indicator is None:
        if not _blank(raw):
            error(row.row, "value", _("A narrative task has no figure: leave this cell empty."))
            bad = True
        return data, bad
    try:
        data["value"] = read_value(raw, item.unit)
    except ValueError as exc:
        error(row.row, "value", str(exc))
        return data, True
    if data["value"] is None and any(data[name] for name in TEXT_FIELDS):
        error(row.row, "value", _("Enter the value to date: the other cells of this row are filled in."))
        bad = True
    return data, bad


def read_value(raw: Any, unit: str) -> Decimal | None:
    """A value cell as a Decimal in the indicator's unit: numbers as they are, text through parse_value."""
    if _blank(raw):
        return None
    if isinstance(raw, bool | datetime | date | time):
        raise ValueError(
            _("Excel took “%(text)s” for a date or a yes/no. Write the number only.") % {"text": raw}
        )
    if isinstance(raw, int | float | Decimal):
        try:
            value = Decimal(str(raw))
        except InvalidOperation as exc:
            raise ValueError(_("“%(text)s” is not a number.") % {"text": raw}) from exc
    else:
        value = parse_value(str(raw), unit)
    if not value.is_finite() or abs(value) >= LARGEST:
        raise ValueError(_("“%(text)s” is too large for a value to date.") % {"text": raw})
    value = value.quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)
    return value.normalize() if value != value.to_integral_value() else value.quantize(Decimal(1))


def _locked_message(state: str) -> str:
    if state == ProgressReport.Status.APPROVED:
        return _(
            "This report was approved and is locked; the row cannot change. Ask the task force to reopen it."
        )
    return _("This report was submitted and awaits review; the row cannot change until it is returned.")


def _period_label(text: str) -> str:
    try:
        return Period.parse(text).label
    except ValueError:
        return text


def _text(value: Any, keep_lines: bool = False) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        value = value.isoformat()[:10]
    text = str(value)
    return text.strip() if keep_lines else " ".join(text.split())


def _clean_text(text: str) -> str:
    """Texts compared as a person reads them: Excel's line ends and trailing blanks do not count."""
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip()


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# --- the user's file back, with the bad cells marked ------------------------------------


def mark_errors(data: bytes, errors: Iterable[CellError], sheet_name: str | None = None) -> Workbook:
    """The uploaded workbook as it was, each bad cell filled red with the message as a comment.

    No cell's value is written here, so the user's text comes back as the type it was uploaded
    with: the template's texts are string cells (`spreadsheets.put_value`) and openpyxl keeps a
    string cell a string when it reads and saves it. The messages quote what was typed in
    comments, which Excel never evaluates.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        workbook = load_workbook(BytesIO(data))
    sheet = workbook[sheet_name] if sheet_name in workbook.sheetnames else workbook.active
    messages: dict[str, list[str]] = {}
    for error in errors:
        messages.setdefault(f"{error.column}{error.row}", []).append(error.message)
    for coordinate, texts in messages.items():
        cell = sheet[coordinate]
        cell.fill = ERROR_FILL
        comment = Comment("\n".join(texts), _("Entry check"))
        comment.width, comment.height = 320, 60 + 40 * len(texts)
        cell.comment = comment
    return workbook


def to_bytes(workbook: Workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
