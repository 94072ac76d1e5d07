"""What people typed goes into every workbook as text, never as a formula.

A task title, a department's name or a progress report that begins with "=" is a formula to
Excel and WPS when it is written as a plain value: `=HYPERLINK("http://…","点此查看")` typed as
a narrative would become a live link in the ledger that bureaus print and forward, and
"+1+1" would show as 2 (OWASP calls it CSV or formula injection). So every workbook the
project writes puts its users' text through this module, the one place that rule lives:

- text is written as a string cell: never a formula, never a hyperlink made from a URL, never a
  number read out of text;
- text that begins like a formula (`FORMULA_STARTS`: = + - @, a tab, a carriage return) also
  carries Excel's quote prefix, the mark Excel sets itself when someone types '=…, so Excel and
  WPS show it as typed and it stays text when somebody edits the cell;
- line ends are written as Excel keeps a line break typed in a cell (\n): a browser sends
  \r\n, which would otherwise reach Excel as a stray carriage return in every wrapped line;
- numbers, dates and empty cells are written as what they are. Only text is quoted: a value of
  -5 stays the number -5, and the upload check reads back what the user typed
  (`tracking.excel.read_value`).

Two libraries write our workbooks and each has its helper here: openpyxl (the entry template and
the error-marked return of `tracking.excel`) through `put_value`/`put_text`; xlsxwriter (the
ledger of `outputs.ledger`) through the sheets of an `XlsxCells` workbook, whose every write of
a `str` passes through the rule. A new export writes its cells through them too.
"""

from __future__ import annotations

from typing import IO, Any

from openpyxl.cell.cell import Cell
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook as XlsxWorkbook
from xlsxwriter.worksheet import Worksheet as XlsxWorksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet would take this text for a formula if it were typed into a cell."""
    return text.startswith(FORMULA_STARTS)


def _line_ends(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


# --- openpyxl --------------------------------------------------------------------------------


def put_text(cell: Cell, text: str | None) -> Cell:
    """Give an openpyxl cell a user's text: a string cell, quote-prefixed when it looks like a formula.

    openpyxl makes any string that begins with "=" a formula as soon as it is assigned; setting
    the cell's type back to string keeps the text as it is.
    """
    cell.value = _line_ends(text) if text else None
    if text:
        cell.data_type = "s"
        if looks_like_formula(text):
            cell.quotePrefix = True
    return cell


def put_value(cell: Cell, value: Any) -> Cell:
    """Give an openpyxl cell a value: text through `put_text`, numbers and dates as they are."""
    if isinstance(value, str):
        return put_text(cell, value)
    cell.value = value
    return cell


# --- xlsxwriter ------------------------------------------------------------------------------

# The workbook's own guard first: xlsxwriter's generic write() (and write_row, merge_range, which
# use it) would otherwise make a formula of "=…" and a hyperlink of "http://…".
XLSX_OPTIONS = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}


class XlsxCells:
    """An xlsxwriter workbook whose sheets write every text as text.

    Each sheet made by `add_worksheet` has a write handler for `str` (xlsxwriter's
    `add_write_handler`), so `write`, `write_row` and `merge_range` all put text through
    `_write_text`: a string cell, with the quote-prefixed twin of its format when it begins like a
    formula. Formats are made here (`format(**properties)`) so that each can have that twin; it
    is made the first time it is needed. Numbers, dates and None go to xlsxwriter as they are.
    The workbook is built in memory and written to `stream` by `close()`.
    """

    def __init__(self, stream: IO[bytes]) -> None:
        self.workbook = XlsxWorkbook(stream, XLSX_OPTIONS)
        self._properties: dict[int, dict[str, Any]] = {}
        self._quoted: dict[int, Format] = {}

    def add_worksheet(self, name: str) -> XlsxWorksheet:
        sheet = self.workbook.add_worksheet(name)
        sheet.add_write_handler(str, self._write_text)
        return sheet

    def format(self, **properties: Any) -> Format:
        made = self.workbook.add_format(properties)
        self._properties[id(made)] = properties
        return made

    def quoted(self, cell_format: Format | None) -> Format:
        """The same look with the quote prefix (for text that begins like a formula)."""
        key = id(cell_format) if cell_format is not None else 0
        twin = self._quoted.get(key)
        if twin is None:
            properties = self._properties[key] if cell_format is not None else {}
            twin = self._quoted[key] = self.workbook.add_format({**properties, "quote_prefix": True})
        return twin

    def close(self) -> None:
        self.workbook.close()

    def _write_text(self, sheet: XlsxWorksheet, row: int, col: int, text: str, cell_format=None, *_):
        """The `str` handler: None lets xlsxwriter go on, which (given XLSX_OPTIONS) writes a string."""
        if text.startswith(FORMULA_STARTS):
            return sheet.write_string(row, col, _line_ends(text), self.quoted(cell_format))
        if "\r" in text:
            return sheet.write_string(row, col, _line_ends(text), cell_format)
        return None
