"""Every kind of file a coordinator may drop in: read, or refused with a message that says what to do."""

import io

import openpyxl
import pytest
from docx import Document

from plans.importers.files import ImportFileError, read_upload

PLAN = "县科技局2024年工作计划\n(一)标志性工程提速\n1.培育企业。全年净增高新技术企业310家。\n"


def test_utf8_text_is_read_as_written():
    assert read_upload("plan.txt", PLAN.encode("utf-8")) == PLAN


def test_utf8_with_a_byte_order_mark_loses_the_mark():
    assert read_upload("plan.txt", b"\xef\xbb\xbf" + PLAN.encode("utf-8")) == PLAN


@pytest.mark.parametrize("encoding", ["gbk", "gb18030"])
def test_text_saved_by_chinese_windows_is_read(encoding):
    assert read_upload("plan.txt", PLAN.encode(encoding)) == PLAN


def test_notepad_unicode_is_read():
    assert read_upload("plan.txt", PLAN.encode("utf-16")) == PLAN


def test_windows_line_ends_become_plain_newlines():
    assert read_upload("plan.txt", PLAN.replace("\n", "\r\n").encode()) == PLAN


def test_docx_paragraphs_and_table_cells_are_read_in_order():
    document = Document()
    document.add_paragraph("县科技局2024年工作计划")
    document.add_paragraph("(一)标志性工程提速")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "全年净增高新技术企业310家"
    table.rows[0].cells[1].text = "县科技局牵头"
    buffer = io.BytesIO()
    document.save(buffer)
    text = read_upload("plan.docx", buffer.getvalue())
    assert text.splitlines() == [
        "县科技局2024年工作计划",
        "(一)标志性工程提速",
        "全年净增高新技术企业310家\t县科技局牵头",
    ]


def _refusal(name: str, data: bytes) -> str:
    with pytest.raises(ImportFileError) as caught:
        read_upload(name, data)
    return str(caught.value)


def test_an_empty_file_is_refused():
    assert "文件是空的" in _refusal("plan.txt", b"")


def test_a_pdf_is_refused_with_what_to_do_instead():
    message = _refusal("plan.pdf", b"%PDF-1.7\n...")
    assert "PDF" in message and ".docx" in message and "粘贴" in message


def test_an_old_word_file_is_refused_with_what_to_do_instead():
    assert "另存为 .docx" in _refusal("plan.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)


def test_a_binary_file_is_refused():
    assert "不是文本文件" in _refusal("plan.txt", bytes(range(256)) * 4)


def test_an_unreadable_encoding_is_refused():
    assert "编码" in _refusal("plan.txt", b"\x80\x81\xff\xfe\x80" * 10 + b"abc")


def test_a_file_over_the_limit_is_refused(settings):
    settings.PLAN_IMPORT_MAX_BYTES = 1024 * 1024
    message = _refusal("plan.txt", b"a" * (1024 * 1024 + 1))
    assert "最多" in message and "1 MB" in message


def test_an_excel_workbook_is_refused_as_not_a_text():
    workbook = openpyxl.Workbook()
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert "Excel" in _refusal("plan.xlsx", buffer.getvalue())


def test_a_damaged_docx_is_refused():
    assert "损坏" in _refusal("plan.docx", b"PK\x03\x04 this is not really a zip")
