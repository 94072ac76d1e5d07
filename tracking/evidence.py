"""What an evidence file (佐证材料) really is, read from its bytes rather than its name.

The name's extension says what the uploader claims; the first bytes and, for containers, the
parts inside say what the file is. A file whose content is not what its extension says is
refused, and so is any Office file that carries macros (VBA), which run code on the reviewer's
computer: an OOXML zip with vbaProject.bin or a macro-enabled content type, an OLE2 document
(.doc, .xls) with a Macros, VBA or _VBA_PROJECT_CUR storage. Nothing here writes the file.
"""

from __future__ import annotations

import zipfile
from pathlib import Path, PurePosixPath

import olefile
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

PDF, JPEG, PNG = b"%PDF-", b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n"
ZIP, OLE2 = (b"PK\x03\x04",), b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

KINDS = {
    "pdf": gettext_lazy("a PDF document"),
    "jpeg": gettext_lazy("a JPEG image"),
    "png": gettext_lazy("a PNG image"),
    "ofd": gettext_lazy("an OFD document"),
    "zip": gettext_lazy("a ZIP archive"),
    "docx": gettext_lazy("a Word document (.docx)"),
    "xlsx": gettext_lazy("an Excel workbook (.xlsx)"),
    "doc": gettext_lazy("a Word 97-2003 document (.doc)"),
    "xls": gettext_lazy("an Excel 97-2003 workbook (.xls)"),
}
EXPECTED = {
    ".pdf": "pdf",
    ".jpg": "jpeg",
    ".jpeg": "jpeg",
    ".png": "png",
    ".ofd": "ofd",
    ".zip": "zip",
    ".docx": "docx",
    ".xlsx": "xlsx",
    ".doc": "doc",
    ".xls": "xls",
}
# A .zip may hold any of these containers; nothing inside may run code or carry macros.
ZIP_LIKE = {"zip", "docx", "xlsx", "ooxml", "ofd"}
RUNNABLE = {
    ".exe", ".com", ".bat", ".cmd", ".scr", ".pif", ".msi", ".dll", ".lnk", ".hta", ".js", ".jse",
    ".vbs", ".vbe", ".wsf", ".wsh", ".ps1", ".jar", ".docm", ".dotm", ".xlsm", ".xltm", ".xlam",
    ".pptm", ".potm", ".ppam", ".ppsm", ".sldm",
}  # fmt: skip
MACRO_STORAGES = {"macros", "vba", "_vba_project_cur"}
NAME_LIMIT = 200
TYPES_READ_LIMIT = 1_000_000  # [Content_Types].xml is a few kB; never inflate more


def check_evidence(upload) -> None:
    """Refuse, with a message in Chinese, a file whose content does not match its extension or
    that carries macros. The upload's position is back at its start afterwards."""
    extension = Path(upload.name or "").suffix.lower()
    try:
        actual = _what_is(upload)
    finally:
        upload.seek(0)
    expected = EXPECTED.get(extension)
    if expected is None or actual == expected or (expected == "zip" and actual in ZIP_LIKE):
        return
    raise ValidationError(
        _(
            "The file's content is not %(kind)s although its name ends in %(ext)s. Attach the file "
            "in the format its name says, or give it the extension of what it is."
        )
        % {"kind": KINDS[expected], "ext": extension},
        code="content_mismatch",
    )


def evidence_name(name: str, limit: int = NAME_LIMIT) -> str:
    """The file's own name, cut to `limit` characters while keeping its extension."""
    name = PurePosixPath(name.replace("\\", "/")).name
    if len(name) <= limit:
        return name
    suffix = Path(name).suffix
    if not suffix or len(suffix) > 16:
        return name[:limit]
    return name[: limit - len(suffix)] + suffix


def _what_is(upload) -> str | None:
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    if head.startswith(ZIP):
        return _zip_kind(upload)
    if head.startswith(OLE2):
        return _ole_kind(upload)
    if head.startswith(JPEG):
        return "jpeg"
    if head.startswith(PNG):
        return "png"
    if PDF in head:  # readers accept a PDF header within the first kilobyte
        return "pdf"
    return None


def _macros() -> ValidationError:
    return ValidationError(
        _(
            "The file contains macros (VBA), which can run code on the computer that opens it. "
            "Save it without macros (as .docx or .xlsx) and attach it again."
        ),
        code="macros",
    )


def _damaged() -> ValidationError:
    return ValidationError(
        _("The file is damaged and cannot be read. Save it again and attach the new copy."),
        code="damaged",
    )


def _zip_kind(upload) -> str:
    try:
        with zipfile.ZipFile(upload) as archive:
            names = {name.lower(): name for name in archive.namelist()}
            if any(PurePosixPath(name).name == "vbaproject.bin" for name in names):
                raise _macros()
            if "[content_types].xml" in names:
                with archive.open(names["[content_types].xml"]) as part:
                    types = part.read(TYPES_READ_LIMIT).lower()
                if b"macroenabled" in types or b"vbaproject" in types:
                    raise _macros()
                if "word/document.xml" in names:
                    return "docx"
                return "xlsx" if "xl/workbook.xml" in names else "ooxml"
            if "ofd.xml" in names:
                return "ofd"
    except ValidationError:
        raise
    except Exception as exc:  # a damaged or hostile archive, whatever zipfile raises
        raise _damaged() from exc
    for name in names.values():
        if PurePosixPath(name).suffix.lower() in RUNNABLE:
            raise ValidationError(
                _(
                    "The archive holds %(name)s, a file that can run code or carry macros. "
                    "Take it out of the archive and attach the archive again."
                )
                % {"name": name},
                code="runnable_in_archive",
            )
    return "zip"


def _ole_kind(upload) -> str:
    try:
        with olefile.OleFileIO(upload) as ole:
            entries = ole.listdir(streams=True, storages=True)
            if any(part.lower() in MACRO_STORAGES for entry in entries for part in entry):
                raise _macros()
            if ole.exists("EncryptedPackage") or ole.exists("EncryptionInfo"):
                raise ValidationError(
                    _("The file is protected by a password and cannot be checked. Remove the password "
                      "and attach it again."),
                    code="encrypted",
                )  # fmt: skip
            if ole.exists("WordDocument"):
                return "doc"
            if ole.exists("Workbook") or ole.exists("Book"):
                return "xls"
            return "ole2"
    except ValidationError:
        raise
    except Exception as exc:  # olefile raises OSError and others on a damaged file
        raise _damaged() from exc
