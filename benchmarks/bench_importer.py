"""Time the plan importer: milliseconds per parse for the seed plans and for hostile text.

    python benchmarks/bench_importer.py [--repeat N] [SEEDS_DIR]

The budget is well under 50 ms for a 20 kB plan. This prints the figures to compare
against it rather than asserting them, so a slow CI machine does not fail the suite.
The hostile texts (20 kB without punctuation, of brackets, of numbers, of heading
numbers) are there to catch a regular expression that turns quadratic.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from plans.importers.text import parse_plan  # noqa: E402 - needs the repository on the path first

DEFAULT_SEEDS = REPO_ROOT / "fixtures" / "seeds"
HOSTILE_CHARS = 7000  # about 20 kB of UTF-8
ROW = "{name:<28} {kb:>6.1f} {median:>10.2f} {worst:>8.2f} {per20:>13.2f}"


def hostile_texts() -> dict[str, str]:
    """Texts built to stress the parser rather than to look like plans."""
    return {
        "no punctuation": "科技创新" * (HOSTILE_CHARS // 4),
        "brackets": "（" * (HOSTILE_CHARS // 2) + "）" * (HOSTILE_CHARS // 2),
        "numbers": "新增企业10家以上、" * (HOSTILE_CHARS // 10),
        "heading numbers": "".join(f"{i % 99 + 1}.加强。" for i in range(HOSTILE_CHARS // 6)),
        "qualifiers": "达到" * (HOSTILE_CHARS // 2) + "5家",
    }


def time_document(text: str, repeat: int) -> list[float]:
    """Milliseconds taken by each of ``repeat`` parses of ``text``."""
    parse_plan(text)  # warm up caches before timing
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        parse_plan(text)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def print_row(name: str, text: str, repeat: int) -> None:
    size_kb = max(len(text.encode("utf-8")) / 1024, 0.001)
    timings = time_document(text, repeat)
    median = statistics.median(timings)
    print(ROW.format(name=name, kb=size_kb, median=median, worst=max(timings), per20=median / size_kb * 20))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("seeds", nargs="?", type=Path, default=DEFAULT_SEEDS, help="folder of .txt plans")
    parser.add_argument("--repeat", type=int, default=50, help="parses per document (default 50)")
    args = parser.parse_args()
    documents = sorted(args.seeds.glob("*.txt"))
    if not documents:
        print(f"no .txt documents in {args.seeds}", file=sys.stderr)
    print(f"{'document':<28} {'kB':>6} {'median ms':>10} {'max ms':>8} {'ms per 20 kB':>13}")
    for path in documents:
        print_row(path.name, path.read_text(encoding="utf-8"), args.repeat)
    for name, text in hostile_texts().items():
        print_row(f"(hostile) {name}", text, max(1, args.repeat // 5))
    return 0


if __name__ == "__main__":
    sys.exit(main())
