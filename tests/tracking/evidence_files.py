"""Evidence files of each kind, built in memory: Office zips, OLE2 compound files, archives."""

from __future__ import annotations

import itertools
import struct
import zipfile
from io import BytesIO

from docx import Document
from openpyxl import Workbook

PDF = b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE = b"MZ\x90\x00" + b"\x00" * 64


def docx() -> bytes:
    stream = BytesIO()
    document = Document()
    document.add_paragraph("认定名单")
    document.save(stream)
    return stream.getvalue()


def xlsx() -> bytes:
    stream = BytesIO()
    Workbook().save(stream)
    return stream.getvalue()


def rezip(source: bytes, add: dict[str, bytes] | None = None, types: bytes | None = None) -> bytes:
    """An OOXML zip with parts added, or its [Content_Types].xml edited."""
    stream = BytesIO()
    with zipfile.ZipFile(BytesIO(source)) as old, zipfile.ZipFile(stream, "w") as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == "[Content_Types].xml" and types:
                data = data.replace(b"</Types>", types + b"</Types>")
            new.writestr(item, data)
        for name, data in (add or {}).items():
            new.writestr(name, data)
    return stream.getvalue()


def archive(files: dict[str, bytes]) -> bytes:
    stream = BytesIO()
    with zipfile.ZipFile(stream, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return stream.getvalue()


END, FREE, FATSECT, NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
ENTRY = "<64sHBBIII16sIQQIII"


def ole2(tree: dict) -> bytes:
    """A minimal OLE2 compound file (the container of .doc and .xls) holding `tree`:
    name -> bytes for a stream, name -> dict for a storage. Streams are padded to 4 kB so that
    they live in the main FAT; siblings are chained in the order the format sorts them."""
    entries = [{"name": "Root Entry", "type": 5, "data": b"", "children": []}]

    def add(node: dict, parent: int) -> None:
        for name, value in node.items():
            entry = {"name": name, "type": 1 if isinstance(value, dict) else 2, "children": []}
            entry["data"] = b"" if isinstance(value, dict) else value.ljust(4096, b"\0")
            entries.append(entry)
            entries[parent]["children"].append(len(entries) - 1)
            if isinstance(value, dict):
                add(value, len(entries) - 1)

    add(tree, 0)
    dir_sectors = (len(entries) + 3) // 4
    next_sector = 1 + dir_sectors
    fat = [FATSECT] + [i + 2 for i in range(dir_sectors - 1)] + [END]
    for entry in entries:
        count = len(entry["data"]) // 512
        entry["start"] = next_sector if count else END
        fat += [next_sector + i + 1 for i in range(count - 1)] + ([END] if count else [])
        next_sector += count
    assert len(fat) <= 128
    fat += [FREE] * (128 - len(fat))

    def key(i: int):
        return (len(entries[i]["name"]), entries[i]["name"].upper())

    links = {i: {"left": NOSTREAM, "right": NOSTREAM, "child": NOSTREAM} for i in range(len(entries))}
    for i, entry in enumerate(entries):
        kids = sorted(entry["children"], key=key)
        if kids:
            links[i]["child"] = kids[0]
            for a, b in itertools.pairwise(kids):
                links[a]["right"] = b
    directory = b""
    for i, entry in enumerate(entries):
        name = entry["name"].encode("utf-16-le") + b"\0\0"
        directory += struct.pack(
            ENTRY,
            name,
            len(name),
            entry["type"],
            1,
            links[i]["left"],
            links[i]["right"],
            links[i]["child"],
            b"\0" * 16,
            0,
            0,
            0,
            entry["start"] if entry["type"] != 5 else END,
            len(entry["data"]),
            0,
        )
    directory = directory.ljust(dir_sectors * 512, b"\0")
    # unused directory slots: empty entries with NOSTREAM links
    empty = struct.pack(ENTRY, b"", 0, 0, 0, NOSTREAM, NOSTREAM, NOSTREAM, b"\0" * 16, 0, 0, 0, 0, 0, 0)
    used = len(entries) * 128
    directory = directory[:used] + empty * ((len(directory) - used) // 128)
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        b"\0" * 16,
        0x3E,
        3,
        0xFFFE,
        9,
        6,
        b"\0" * 6,
        0,
        1,
        1,
        0,
        0x1000,
        END,
        0,
        END,
        0,
    )
    difat = struct.pack("<109I", *([0] + [FREE] * 108))
    header = header[:76] + difat
    data = b"".join(entry["data"] for entry in entries)
    return header + struct.pack("<128I", *fat) + directory + data
