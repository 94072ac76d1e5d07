"""Time and peak memory of the plan importer, per document, against its budgets.

    python benchmarks/bench_importer.py [--repeat N] [DIR ...]

Without DIR it reads the seed plans (fixtures/seeds) and, when the shared folder sits beside
the repository, the real plans and the county cases (../shared/importer/real, cases). Then it
runs hostile inputs: 20 kB texts built to make a regular expression go quadratic (digits,
Chinese numerals, brackets, heading numbers …), and .docx files built to exhaust memory: a
decompression bomb (1 GB of XML in a 1 MB file), the same bomb with a header that lies about
its size, an entity bomb (billion laughs) and XML nested 100,000 levels deep.

Budgets: a text is parsed in at most 50 ms per 20 kB; a hostile file is refused within 1 s
and 200 MB. Each row prints the figures and "ok" or "OVER"; the exit status is 1 when a
budget is exceeded, so the script can gate a release, but the test suite does not run it (a
slow CI machine must not fail the tests).
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import struct
import sys
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402 - the file reader's messages need settings

django.setup()

from plans.importers.files import ImportFileError, read_upload  # noqa: E402
from plans.importers.text import parse_plan  # noqa: E402

SHARED = REPO_ROOT.parent / "shared"
DEFAULT_DIRS = [REPO_ROOT / "fixtures" / "seeds", SHARED / "importer" / "real", SHARED / "importer" / "cases"]
HOSTILE_CHARS = 7000  # about 20 kB of UTF-8 Chinese
TEXT_BUDGET_MS_PER_20KB = 50.0
FILE_BUDGET_MS = 1000.0
FILE_BUDGET_MB = 200.0
HEADER = f"{'document':<44} {'kB':>7} {'median ms':>10} {'max ms':>8} {'ms/20 kB':>9} {'peak MB':>8}  budget"
ROW = "{name:<44} {kb:>7.1f} {median:>10.2f} {worst:>8.2f} {per20:>9.2f} {peak:>8.1f}  {verdict}"
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def hostile_texts() -> dict[str, str]:
    """Texts built to stress the parser rather than to look like plans (about 20 kB each)."""
    return {
        "20 kB of digits": "1" * (HOSTILE_CHARS * 3),
        "digits in lines": ("1" * 60 + "\n") * (HOSTILE_CHARS // 20),
        "Chinese numerals": "一二三四五六七八九十" * (HOSTILE_CHARS // 10),
        "no punctuation": "科技创新" * (HOSTILE_CHARS // 4),
        "brackets": "（" * (HOSTILE_CHARS // 2) + "）" * (HOSTILE_CHARS // 2),
        "unclosed brackets": "（县科技局牵头" * (HOSTILE_CHARS // 7),
        "numbers": "新增企业10家以上、" * (HOSTILE_CHARS // 10),
        "heading numbers": "".join(f"{i % 99 + 1}.加强。" for i in range(HOSTILE_CHARS // 6)),
        "qualifiers": "达到" * (HOSTILE_CHARS // 2) + "5家",
        "table rows": "序号 重点任务 牵头单位 配合单位\n" + "1 任务 县科技局\n" * (HOSTILE_CHARS // 12),
        "labels": "牵头单位：" * (HOSTILE_CHARS // 5),
        "enumerations": "一、二、三、四、" * (HOSTILE_CHARS // 8),
        "one clause of counts": "5家、" * (HOSTILE_CHARS // 3),
        "a target per clause": "1%，" * (HOSTILE_CHARS // 3),
        "respectively list": "分别5%、" * (HOSTILE_CHARS // 6),
    }


def _docx(xml_chunks, *, total: int | None = None) -> bytes:
    """A .docx whose word/document.xml is the concatenated chunks (streamed, never held whole)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        with archive.open("word/document.xml", "w", force_zip64=bool(total and total > 2**31)) as member:
            for chunk in xml_chunks:
                member.write(chunk)
    return buffer.getvalue()


def _bomb_chunks(gigabytes: float):
    yield f'<?xml version="1.0"?><w:document {W}><w:body><w:p><w:r><w:t>'.encode()
    block = b"A" * (1024 * 1024)
    for _ in range(int(gigabytes * 1024)):
        yield block
    yield b"</w:t></w:r></w:p></w:body></w:document>"


def _lying(data: bytes, claimed: int = 1000) -> bytes:
    """The same archive with word/document.xml's sizes rewritten to claim ``claimed`` bytes."""
    data = bytearray(data)
    name = b"word/document.xml"
    local = data.find(b"PK\x03\x04")
    while local >= 0:
        name_length = struct.unpack_from("<H", data, local + 26)[0]
        if bytes(data[local + 30 : local + 30 + name_length]) == name:
            struct.pack_into("<I", data, local + 22, claimed)
        local = data.find(b"PK\x03\x04", local + 4)
    central = data.find(b"PK\x01\x02")
    while central >= 0:
        name_length = struct.unpack_from("<H", data, central + 28)[0]
        if bytes(data[central + 46 : central + 46 + name_length]) == name:
            struct.pack_into("<I", data, central + 24, claimed)
        central = data.find(b"PK\x01\x02", central + 4)
    return bytes(data)


def hostile_files() -> dict[str, bytes]:
    """.docx files built to exhaust memory or time."""
    bomb = _docx(_bomb_chunks(1.0))
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "哈哈哈哈哈哈哈哈哈哈">'
        + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
        + f"]><w:document {W}><w:body><w:p><w:r><w:t>&j;</w:t></w:r></w:p></w:body></w:document>"
    )
    deep = f'<?xml version="1.0"?><w:document {W}><w:body>' + "<w:p>" * 100_000 + "</w:p>" * 100_000
    return {
        "decompression bomb .docx (1 GB of XML)": bomb,
        "bomb whose header claims 1 kB": _lying(bomb),
        "entity bomb .docx (billion laughs)": _docx([laughs.encode()]),
        "XML nested 100,000 deep .docx": _docx([(deep + "</w:body></w:document>").encode()]),
    }


def measure(run: Callable[[], object], repeat: int) -> tuple[list[float], float]:
    """Milliseconds of each of ``repeat`` runs, and the peak traced memory of one run in MB."""
    run()  # warm up caches before timing
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        timings.append((time.perf_counter() - started) * 1000)
    tracemalloc.start()
    run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return timings, peak / 1024 / 1024


def text_row(name: str, text: str, repeat: int) -> bool:
    size_kb = max(len(text.encode("utf-8")) / 1024, 0.001)
    timings, peak = measure(lambda: parse_plan(text), repeat)
    median = statistics.median(timings)
    per20 = median / size_kb * 20
    # A document under 20 kB gets the whole 50 ms; a longer one 50 ms per 20 kB.
    ok = median <= TEXT_BUDGET_MS_PER_20KB * max(1.0, size_kb / 20)
    print(
        ROW.format(
            name=name,
            kb=size_kb,
            median=median,
            worst=max(timings),
            per20=per20,
            peak=peak,
            verdict="ok" if ok else "OVER",
        )
    )
    return ok


def file_row(name: str, data: bytes) -> bool:
    def refuse() -> str:
        try:
            read_upload("plan.docx", data)
        except ImportFileError as refusal:
            return str(refusal)
        return ""

    timings, peak = measure(refuse, 1)
    message = refuse()
    ok = bool(message) and max(timings) <= FILE_BUDGET_MS and peak <= FILE_BUDGET_MB
    print(
        ROW.format(
            name=name,
            kb=len(data) / 1024,
            median=timings[0],
            worst=max(timings),
            per20=0.0,
            peak=peak,
            verdict=("ok" if ok else "OVER") + f"  {message[:40]}",
        )
    )
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "dirs", nargs="*", type=Path, help="folders of .txt plans (default: seeds, real, cases)"
    )
    parser.add_argument("--repeat", type=int, default=20, help="parses per document (default 20)")
    args = parser.parse_args()
    dirs = args.dirs or [d for d in DEFAULT_DIRS if d.is_dir()]
    ok = True
    print(HEADER)
    for directory in dirs:
        for path in sorted(directory.glob("*.txt")):
            ok &= text_row(
                f"{directory.name}/{path.name}"[:44], path.read_text(encoding="utf-8"), args.repeat
            )
    for name, text in hostile_texts().items():
        ok &= text_row(f"(hostile text) {name}", text, max(1, args.repeat // 4))
    for name, data in hostile_files().items():
        ok &= file_row(f"(hostile file) {name}"[:44], data)
    print("all within budget" if ok else "some document is OVER budget")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
