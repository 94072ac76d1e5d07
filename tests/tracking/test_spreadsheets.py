"""The one rule for every workbook we write: what people typed is text, never a formula."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO

import openpyxl
import pytest
import xlsxwriter

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


def test_xlsxwriter_cells_hold_the_text_as_typed_with_their_format():
    stream = BytesIO()
    workbook = xlsxwriter.Workbook(stream, {"in_memory": True})
    cells = XlsxCells(workbook)
    bold = cells.format(bold=True, border=1)
    sheet = workbook.add_worksheet()
    for row, text in enumerate([*LIKE_FORMULAS, *PLAIN]):
        cells.text(sheet, row, 0, text, bold)
        cells.text(sheet, row, 1, text)
    cells.text(sheet, 0, 2, "", bold)
    sheet.write_number(0, 3, -2)
    workbook.close()

    sheet = openpyxl.load_workbook(stream).active

    for row, text in enumerate([*LIKE_FORMULAS, *PLAIN], start=1):
        for cell in sheet[row][:2]:
            assert (cell.value, cell.data_type) == (as_kept(text), "s")
            assert cell.quotePrefix == (text in LIKE_FORMULAS)
            assert cell.hyperlink is None
        assert sheet.cell(row, 1).font.bold and sheet.cell(row, 1).border.left.style == "thin"
    blank = sheet["C1"]
    assert blank.value is None and blank.border.left.style == "thin"
    assert (sheet["D1"].value, sheet["D1"].data_type) == (-2, "n")
