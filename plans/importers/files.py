"""Turn what a coordinator uploads into the plan's text, or say in Chinese why it cannot.

Plans arrive as .txt saved by Notepad (UTF-8, or GBK/GB18030 on older Windows), as .docx,
or pasted from a web page. Everything else gets a message that says what to do instead;
nothing here guesses at a format it cannot read.
"""

from __future__ import annotations

import io
import zipfile
import zlib

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as DefusedET
from django.conf import settings
from django.utils.translation import gettext as _

MAX_BYTES_DEFAULT = 5 * 1024 * 1024
# A plan's document.xml is well under a megabyte; anything past this is a decompression bomb.
MAX_XML_BYTES = 20 * 1024 * 1024
MAX_XML_DEPTH = 200
MAX_XML_ELEMENTS = 2_000_000
_CHUNK = 64 * 1024
_SAMPLE = 20_000


class ImportFileError(ValueError):
    """A file that cannot become a plan's text; the message is for the user."""


def max_bytes() -> int:
    return getattr(settings, "PLAN_IMPORT_MAX_BYTES", MAX_BYTES_DEFAULT)


def read_upload(name: str, data: bytes) -> str:
    """The text of an uploaded plan: a .txt in any common Chinese encoding, or a .docx."""
    if not data:
        raise ImportFileError(_("The file is empty."))
    if len(data) > max_bytes():
        raise _too_large(len(data))
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


def read_upload_file(upload) -> tuple[str, bytes]:
    """The bytes of an uploaded file, refused by its size before it is read into memory.

    Django has spooled a large upload to a temporary file; it is read in chunks and never
    beyond the limit, whatever size it claims.
    """
    limit = max_bytes()
    if upload.size is not None and upload.size > limit:
        raise _too_large(upload.size)
    chunks, total = [], 0
    for chunk in upload.chunks(_CHUNK):
        total += len(chunk)
        if total > limit:
            raise _too_large(total)
        chunks.append(chunk)
    return upload.name, b"".join(chunks)


def _too_large(size: int) -> ImportFileError:
    return ImportFileError(
        _("The file is %(size)s MB; at most %(limit)s MB can be imported.")
        % {"size": f"{size / 1024 / 1024:.1f}", "limit": f"{max_bytes() / 1024 / 1024:.0f}"}
    )


def decode_text(data: bytes) -> str:
    """Decode a plain-text plan: UTF-8, Chinese Windows encodings, or UTF-16 with or without its mark."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    elif b"\x00" in data:
        guesses = [e for e in (_utf16_by_nuls(data), *_utf16_chinese(data)) if e]
        texts = [t for t in (_decoded(data, e) for e in guesses) if t is not None and not _looks_binary(t)]
        if not texts:
            raise ImportFileError(
                _("This is not a text file. Upload a .txt or .docx file, or paste the text.")
            )
        return normalize_newlines(texts[0])
    else:
        candidates = ["utf-8-sig", *_utf16_without_nuls(data), "gb18030"]
    for encoding in candidates:
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


def _decoded(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _utf16_by_nuls(data: bytes) -> str | None:
    """UTF-16 without a byte-order mark: ASCII characters (line breaks, digits) leave their NUL
    byte at odd positions (little-endian) or even ones (big-endian), and hardly any elsewhere."""
    if len(data) % 2:
        return None
    sample = data[:_SAMPLE]
    odd = sample[1::2].count(0)
    even = sample[0::2].count(0)
    # A CJK character ending in 00 (一 is 4E00) puts the odd NUL on the other side now and then.
    if odd > 3 * even:
        return "utf-16-le"
    if even > 3 * odd:
        return "utf-16-be"
    return None


def _utf16_without_nuls(data: bytes) -> list[str]:
    """UTF-16 of Chinese text with no ASCII at all has no NUL byte; read so only when that gives Chinese."""
    try:
        data.decode("utf-8")
        return []
    except UnicodeDecodeError:
        return _utf16_chinese(data)


def _utf16_chinese(data: bytes) -> list[str]:
    """The UTF-16 byte order that reads ``data`` as Chinese text, if one does."""
    if len(data) % 2 or len(data) < 4:
        return []
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data[:_SAMPLE].decode(encoding)
        except UnicodeDecodeError:
            continue
        common = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff" or ch in "，。、；：（）“”《》\n ")
        if common >= 0.9 * len(text):
            return [encoding]
    return []


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _looks_binary(text: str) -> bool:
    """Control characters other than whitespace mean the bytes were never text."""
    controls = sum(1 for ch in text[:20000] if ord(ch) < 32 and ch not in "\n\r\t\f")
    return controls > max(2, len(text[:20000]) // 200)


def _docx_text(data: bytes, lower_name: str) -> str:
    """Paragraphs and table cells of a .docx, in document order, one paragraph per line.

    The document part is unpacked in bounded chunks and refused past ``MAX_XML_BYTES`` (a
    decompression bomb never reaches memory), then read as a stream by defusedxml, which
    refuses entity declarations (billion laughs) and external references; comments and
    processing instructions are skipped, and nesting deeper than any document needs is
    refused. Cells of a table row are separated by tabs, paragraphs inside a cell by line breaks.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if "word/document.xml" not in names:
                if lower_name.endswith((".xlsx", ".xlsm")):
                    raise ImportFileError(
                        _("This is an Excel workbook. Upload the plan's text as .txt or .docx.")
                    )
                raise ImportFileError(_("This kind of file cannot be read. Upload a .txt or .docx file."))
            xml = _bounded_member(archive, "word/document.xml")
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError) as exc:
        if isinstance(exc, ImportFileError):
            raise
        raise ImportFileError(_("The file is damaged and cannot be opened.")) from exc
    return _document_text(xml)


def _bounded_member(archive: zipfile.ZipFile, name: str) -> bytes:
    """One member of the archive, unpacked in chunks and refused once it passes ``MAX_XML_BYTES``."""
    info = archive.getinfo(name)
    if info.file_size > MAX_XML_BYTES:
        raise _bomb()
    chunks, total = [], 0
    with archive.open(info) as member:
        while chunk := member.read(_CHUNK):
            total += len(chunk)
            if total > MAX_XML_BYTES:
                raise _bomb()
            chunks.append(chunk)
    return b"".join(chunks)


def _bomb() -> ImportFileError:
    return ImportFileError(
        _(
            "The document unpacks to more than %(limit)s MB of text and cannot be read. "
            "Save the plan again as .docx, or paste its text."
        )
        % {"limit": MAX_XML_BYTES // 1024 // 1024}
    )


def _document_text(xml: bytes) -> str:
    """The text of word/document.xml, read as a stream of elements (see ``_docx_text``)."""
    lines: list[str] = []
    paragraph: list[str] = []
    row: list[str] | None = None  # the cells of the table row being read
    cell: list[str] = []
    depth = elements = 0
    try:
        for event, element in DefusedET.iterparse(io.BytesIO(xml), events=("start", "end")):
            tag = element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""
            if event == "start":
                depth += 1
                elements += 1
                if depth > MAX_XML_DEPTH or elements > MAX_XML_ELEMENTS:
                    raise ImportFileError(
                        _(
                            "The document is nested too deeply to be read. "
                            "Save it again as .docx, or paste its text."
                        )
                    )
                if tag == "tr":
                    row = []
                continue
            depth -= 1
            if tag == "t":
                paragraph.append(element.text or "")
            elif tag == "tab":
                paragraph.append("\t")
            elif tag in {"br", "cr"}:
                paragraph.append("\n")
            elif tag == "p":
                (cell if row is not None else lines).append("".join(paragraph))
                paragraph = []
                element.clear()
            elif tag == "tc" and row is not None:
                row.append("\n".join(cell))
                cell = []
            elif tag == "tr":
                lines.append("\t".join(row or []))
                row = None
                element.clear()
    except DefusedXmlException as exc:
        raise ImportFileError(
            _("The document declares its own XML entities, which Word never writes; it cannot be read.")
        ) from exc
    except DefusedET.ParseError as exc:
        raise ImportFileError(_("The file is damaged and cannot be opened.")) from exc
    return "\n".join(lines)
