"""Turn what a coordinator uploads into the plan's text, or say in Chinese why it cannot.

Plans arrive as .txt saved by Notepad (UTF-8, or GBK/GB18030 on older Windows), as .docx,
or pasted from a web page. Everything else gets a message that says what to do instead;
nothing here guesses at a format it cannot read.
"""

from __future__ import annotations

import io
import zipfile

from django.conf import settings
from django.utils.translation import gettext as _

MAX_BYTES_DEFAULT = 5 * 1024 * 1024


class ImportFileError(ValueError):
    """A file that cannot become a plan's text; the message is for the user."""


def max_bytes() -> int:
    return getattr(settings, "PLAN_IMPORT_MAX_BYTES", MAX_BYTES_DEFAULT)


def read_upload(name: str, data: bytes) -> str:
    """The text of an uploaded plan: a .txt in any common Chinese encoding, or a .docx."""
    if not data:
        raise ImportFileError(_("The file is empty."))
    if len(data) > max_bytes():
        raise ImportFileError(
            _("The file is %(size)s MB; at most %(limit)s MB can be imported.")
            % {"size": f"{len(data) / 1024 / 1024:.1f}", "limit": f"{max_bytes() / 1024 / 1024:.0f}"}
        )
    lower = name.lower()
    if data.startswith(b"%PDF"):
        raise ImportFileError(
            _(
                "PDF files cannot be read. "
                "Open the plan in Word and save it as .docx, or copy its text and paste it."
            )
        )
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            _("This is an old Word (.doc) or Excel (.xls) file. Open it in Word and save it as .docx first.")
        )
    if data.startswith(b"PK\x03\x04"):
        return _docx_text(data, lower)
    if lower.endswith((".doc", ".pdf", ".xls", ".xlsx", ".wps", ".et")):
        raise ImportFileError(_("This kind of file cannot be read. Upload a .txt or .docx file."))
    return decode_text(data)


def read_table_upload(name: str, data: bytes) -> bytes | None:
    """The bytes of an uploaded decomposition table (.xlsx), checked for size; None for any other file.

    A workbook is read by `importers.table`, not turned into text: `read_upload` keeps
    refusing it, so the text import's own checks and messages stay as they are.
    """
    from .table import is_workbook

    if not data or not is_workbook(name, data):
        return None
    if len(data) > max_bytes():
        raise ImportFileError(
            _("The file is %(size)s MB; at most %(limit)s MB can be imported.")
            % {"size": f"{len(data) / 1024 / 1024:.1f}", "limit": f"{max_bytes() / 1024 / 1024:.0f}"}
        )
    return data


def decode_text(data: bytes) -> str:
    """Decode a plain-text plan; UTF-8 first, then the encodings of Chinese Windows."""
    has_bom = data.startswith((b"\xff\xfe", b"\xfe\xff"))
    encodings = ["utf-16"] if has_bom else ["utf-8-sig", "gb18030"]
    if b"\x00" in data and not has_bom:
        raise ImportFileError(_("This is not a text file. Upload a .txt or .docx file, or paste the text."))
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_binary(text):
            break
        return normalize_newlines(text)
    raise ImportFileError(
        _("The text encoding of this file could not be recognised. Save it as UTF-8 text, or paste the text.")
    )


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _looks_binary(text: str) -> bool:
    """Control characters other than whitespace mean the bytes were never text."""
    controls = sum(1 for ch in text[:20000] if ord(ch) < 32 and ch not in "\n\r\t\f")
    return controls > max(2, len(text[:20000]) // 200)


def _docx_text(data: bytes, lower_name: str) -> str:
    """Paragraphs and table cells of a .docx, in document order, one per line."""
    from docx import Document

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            is_word = "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile as exc:
        raise ImportFileError(_("The file is damaged and cannot be opened.")) from exc
    if not is_word:
        if lower_name.endswith((".xlsx", ".xlsm")):
            raise ImportFileError(_("This is an Excel workbook. Upload the plan's text as .txt or .docx."))
        raise ImportFileError(_("This kind of file cannot be read. Upload a .txt or .docx file."))
    try:
        document = Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds of errors on broken parts
        raise ImportFileError(_("The file is damaged and cannot be opened.")) from exc
    lines: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append("".join(node.text or "" for node in child.iter() if node.tag.endswith("}t")))
        elif tag == "tbl":
            for row in child.iter():
                if row.tag.endswith("}tr"):
                    cells = [
                        "".join(n.text or "" for n in cell.iter() if n.tag.endswith("}t"))
                        for cell in row
                        if cell.tag.endswith("}tc")
                    ]
                    lines.append("\t".join(cells))
    return "\n".join(lines)
