"""Every kind of file a coordinator may drop in: read, or refused with a message that says what to do."""

import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from plans.importers import files
from plans.importers.files import ImportFileError, read_upload, read_upload_file

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


# Hostile and unusual files: a clear Chinese message or a correct reading, never a crash -----

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _docx(document_xml: str | bytes) -> bytes:
    """A .docx whose word/document.xml is exactly ``document_xml`` (a test builds what Word would not)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", document_xml)
    return buffer.getvalue()


def _body(inner: str, prolog: str = "") -> str:
    declaration = '<?xml version="1.0" encoding="UTF-8"?>'
    return f"{declaration}{prolog}<w:document {W}><w:body>{inner}</w:body></w:document>"


def test_a_docx_with_a_comment_a_processing_instruction_and_entity_references_is_read():
    xml = _body(
        "<!-- a comment -->"
        '<?mso-application progid="Word.Document"?>'
        "<w:p><w:r><w:t>(一)平台建设 &amp; 提档</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>1.新建平台&#51;个。</w:t></w:r></w:p>"
    )
    assert read_upload("plan.docx", _docx(xml)) == "(一)平台建设 & 提档\n1.新建平台3个。"


def test_a_docx_that_declares_entities_is_refused_in_chinese():
    laughs = '<!DOCTYPE d [<!ENTITY a "哈哈哈哈哈哈哈哈"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    xml = _body("<w:p><w:r><w:t>&b;</w:t></w:r></w:p>", prolog=laughs)
    assert "实体" in _refusal("plan.docx", _docx(xml))


def test_a_decompression_bomb_docx_is_refused_before_it_is_unpacked(monkeypatch):
    monkeypatch.setattr(files, "MAX_XML_BYTES", 1024 * 1024)
    padding = "<w:p><w:r><w:t>" + "科" * (1024 * 1024) + "</w:t></w:r></w:p>"
    data = _docx(_body(padding))
    assert len(data) < 100 * 1024  # small on disk, three megabytes unpacked
    assert "解压" in _refusal("plan.docx", data)


def test_a_docx_nested_deeper_than_any_document_is_refused():
    xml = _body("<w:p>" + "<w:r>" * 5000 + "</w:r>" * 5000 + "</w:p>")
    assert "嵌套" in _refusal("plan.docx", _docx(xml))


def test_a_docx_table_keeps_cells_apart_and_paragraphs_of_a_cell_on_their_own_lines():
    cell = "<w:tc>{}</w:tc>"
    para = "<w:p><w:r><w:t>{}</w:t></w:r></w:p>"
    units = para.format("区科技局") + para.format("区财政局")
    row = "<w:tr>" + cell.format(para.format("1")) + cell.format(units)
    xml = _body("<w:tbl>" + row + "</w:tr></w:tbl>")
    assert read_upload("plan.docx", _docx(xml)) == "1\t区科技局\n区财政局"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_read(encoding):
    assert read_upload("plan.txt", PLAN.encode(encoding)) == PLAN


def test_utf16_chinese_without_any_ascii_or_mark_is_read():
    text = "县科技局工作计划（一）培育企业，新增高新技术企业十家。"
    assert read_upload("plan.txt", text.encode("utf-16-le")) == text


def test_an_upload_over_the_limit_is_refused_by_its_size_before_it_is_read(settings):
    settings.PLAN_IMPORT_MAX_BYTES = 1024

    class Unreadable(SimpleUploadedFile):
        def read(self, *args):  # the whole file must never be read into memory
            raise AssertionError("read whole")

        def chunks(self, chunk_size=None):
            raise AssertionError("read at all")

    with pytest.raises(ImportFileError, match="最多"):
        read_upload_file(Unreadable("plan.txt", b"a" * 2048))
