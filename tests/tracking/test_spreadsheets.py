"""The one rule for every workbook we write: what people typed is text, never a formula."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import openpyxl
import pytest

from tracking.spreadsheets import XlsxCells, looks_like_formula, put_text, put_value

LIKE_FORMULAS = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1"]
PLAIN = ["培育高新技术企业", "1+1", "http://x.example", "（一）=提速", "第一行\r\n第二行"]


def as_kept(text: str) -> str:
    """A line break is kept as Excel keeps one typed in a cell."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def reopened(workbook: openpyxl.Workbook) -> openpyxl.Workbook:
    stream = BytesIO()
    workbook.save(stream)
    return openpyxl.load_workbook(stream)


@pytest.mark.parametrize("text", LIKE_FORMULAS)
def test_text_that_begins_like_a_formula_looks_like_one(text):
    assert looks_like_formula(text)


@pytest.mark.parametrize("text", PLAIN)
def test_other_text_does_not(text):
    assert not looks_like_formula(text)


def test_openpyxl_cells_hold_the_text_as_typed():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row, text in enumerate([*LIKE_FORMULAS, *PLAIN], start=1):
        put_text(sheet.cell(row, 1), text)

    sheet = reopened(workbook).active

    for row, text in enumerate([*LIKE_FORMULAS, *PLAIN], start=1):
        cell = sheet.cell(row, 1)
        assert (cell.value, cell.data_type) == (as_kept(text), "s")
        assert cell.quotePrefix == (text in LIKE_FORMULAS)


def test_openpyxl_numbers_dates_and_blanks_stay_what_they_are():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for column, value in enumerate([-2, 1.5, Decimal("-3.25"), date(2024, 6, 30), None, ""], start=1):
        put_value(sheet.cell(1, column), value)

    sheet = reopened(workbook).active
    cells = [sheet.cell(1, column) for column in range(1, 7)]

    assert [cell.value for cell in cells[:3]] == [-2, 1.5, -3.25]
    assert [cell.data_type for cell in cells[:4]] == ["n", "n", "n", "d"]
    assert cells[3].value.date() == date(2024, 6, 30)
    assert (cells[4].value, cells[5].value) == (None, None)


def test_xlsxwriter_sheets_write_every_text_as_typed_with_its_format():
    stream = BytesIO()
    cells = XlsxCells(stream)
    bold = cells.format(bold=True, border=1)
    sheet = cells.add_worksheet("清单")
    texts = [*LIKE_FORMULAS, *PLAIN]
    for row, text in enumerate(texts):
        sheet.write(row, 0, text, bold)
        sheet.write_row(row, 1, [text, -2, None], bold)
        sheet.write(row, 4, text)
    sheet.merge_range(len(texts), 0, len(texts) + 1, 0, LIKE_FORMULAS[0], bold)
    sheet.write_row(len(texts), 1, ["", Decimal("1.5")], bold)
    sheet.write(len(texts), 3, date(2024, 6, 30), cells.format(num_format="yyyy-mm-dd"))
    cells.close()

    sheet = openpyxl.load_workbook(stream).active

    for row, text in enumerate(texts, start=1):
        for cell in (sheet.cell(row, 1), sheet.cell(row, 2), sheet.cell(row, 5)):
            assert (cell.value, cell.data_type) == (as_kept(text), "s")
            assert cell.quotePrefix == (text in LIKE_FORMULAS)
            assert cell.hyperlink is None
        assert sheet.cell(row, 1).font.bold and sheet.cell(row, 1).border.left.style == "thin"
        assert (sheet.cell(row, 3).value, sheet.cell(row, 3).data_type) == (-2, "n")
        assert sheet.cell(row, 4).value is None and sheet.cell(row, 4).border.left.style == "thin"
    merged = sheet.cell(len(texts) + 1, 1)
    assert (merged.value, merged.data_type, merged.quotePrefix) == (LIKE_FORMULAS[0], "s", True)
    blank, number, day = (sheet.cell(len(texts) + 1, column) for column in (2, 3, 4))
    assert blank.value is None and blank.border.left.style == "thin"
    assert (number.value, number.data_type) == (1.5, "n")
    assert day.value.date() == date(2024, 6, 30)


def test_every_module_that_writes_a_workbook_writes_through_this_one(settings):
    """A new export must not write cells around the rule: whoever makes a workbook imports it."""
    writers = re.compile(r"\bWorkbook\(|\bimport xlsxwriter\b|\bfrom xlsxwriter\b")
    outside = []
    for path in sorted(Path(settings.BASE_DIR).glob("*/**/*.py")):
        parts = path.relative_to(settings.BASE_DIR).parts
        if (
            parts[0] in {"tests", "benchmarks", ".venv"}
            or "migrations" in parts
            or path.name == "spreadsheets.py"
        ):
            continue
        text = path.read_text(encoding="utf-8")
        if writers.search(text) and "spreadsheets import" not in text:
            outside.append(str(path.relative_to(settings.BASE_DIR)))
    assert outside == []
