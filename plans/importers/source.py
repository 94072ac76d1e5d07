"""The document as the importer reads it: cleaned of conversion artifacts, mapped back to the original.

Plans reach us through Word-to-text converters, web pages, PDF copies and OCR. Two
views of the text are kept side by side:

* ``clean`` is the original with conversion debris removed (carriage returns, page
  numbers glued to the first word of a page or alone on a line, line breaks a PDF put
  at a fixed width), still in the characters as written, so titles and department
  names come out "as written";
* ``norm`` has exactly the same length as ``clean`` but full-width digits, brackets
  and punctuation folded to ASCII, so one set of regular expressions serves both
  styles of typing.

Every character of ``clean`` remembers where it came from in the original, so a target's
``text`` can be returned as an exact substring of the document (which is how targets are
matched against annotations), page-break debris included.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

# Full-width ASCII variants (！ to ～) sit at a fixed offset from ASCII.
_WIDTH_TABLE = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_WIDTH_TABLE.update(
    {
        0x3000: " ",  # ideographic space
        0x00A0: " ",
        0x2014: "-",  # em dash, used for ranges as often as for dashes
        0x2013: "-",
        0x2012: "-",
        0x2212: "-",
        0x301C: "~",  # wave dash, the other range sign
        0x2236: ":",  # ratio colon that OCR produces for ：
    }
)
# OCR reads the "一" of "(一)" as a hyphen; fold it so headings parse (same length).
_OCR_PAREN_ONE = re.compile(r"\((?:-|_)\)")

# A line that starts with a number and 、 may be a page number a converter glued on.
_NUMBERED_LINE = re.compile(r"[ \t\u3000]*([0-9０-９]{1,3})、")
_TERMINAL = tuple("。；;！!？?：:")
# Page footers left on their own line by converters: "- 3 -", "—3—", "第3页", "3/13".
_PAGE_FOOTER = re.compile(
    r"[ \t\u3000]*(?:[-—–－]\s*\d{1,3}\s*[-—–－]|第\s*\d{1,3}\s*页(?:\s*[/／,，]?\s*共\s*\d{1,3}\s*页)?"
    r"|\d{1,3}\s*[/／]\s*\d{1,3})[ \t\u3000]*\r?"
)
# Fixed-width wrapping: enough lines of one length to be a layout, not chance.
_MIN_WRAP_WIDTH = 20
_MIN_WRAPPED_LINES = 5
_WRAPPED_SHARE = 0.3
_HEADING_START = re.compile(
    r"[ \t\u3000]*(?:[一二三四五六七八九十]{1,3}[、.．是]|[(（][一二三四五六七八九十\d]{1,3}[)）]"
    r"|\d{1,2}[.、．]|[\u2460-\u2473])"
)
# A run of page numbers is long text cut mid-sentence; a genuine list is neither.
_MIN_PAGE_RUN = 3
_MIN_PAGE_TEXT = 120


@dataclass(frozen=True)
class Source:
    """The original text, its cleaned and normalised views, and the map between them."""

    original: str
    clean: str
    norm: str
    origin: tuple[int, ...]

    def original_span(self, start: int, end: int) -> str:
        """The exact original substring behind ``clean[start:end]`` (debris inside included)."""
        if start >= end:
            return ""
        return self.original[self.origin[start] : self.origin[end - 1] + 1]

    def clean_span(self, start: int, end: int) -> str:
        """The text as written between two clean positions, without page debris."""
        return self.clean[start:end]


def build_source(text: str) -> Source:
    """Clean and normalise ``text`` while remembering every kept character's origin."""
    lines = lines_with_positions(text)
    removed = _glued_page_numbers(lines) + _page_footers(lines) + _hard_wraps(lines)
    dropped = bytearray(len(text))
    for start, end in removed:
        for i in range(max(start, 0), min(end, len(text))):
            dropped[i] = 1
    origin = [i for i, char in enumerate(text) if not dropped[i] and char not in "\r\ufeff"]
    kept_chars = [text[i] for i in origin]
    clean = "".join(kept_chars)
    norm = _OCR_PAREN_ONE.sub("(一)", clean.translate(_WIDTH_TABLE))
    return Source(original=text, clean=clean, norm=norm, origin=tuple(origin))


def lines_with_positions(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, str]]:
    """The lines of ``text[start:end]``, each with the position where it starts."""
    end = len(text) if end is None else end
    lines, position = [], start
    for raw in text[start:end].split("\n"):
        lines.append((position, raw))
        position += len(raw) + 1
    return lines


def _page_footers(lines: list[tuple[int, str]]) -> list[tuple[int, int]]:
    """Ranges of lines that hold nothing but a page number, line break included."""
    return [(start, start + len(raw) + 1) for start, raw in lines if raw and _PAGE_FOOTER.fullmatch(raw)]


def _hard_wraps(lines: list[tuple[int, str]]) -> list[tuple[int, int]]:
    """Line breaks a PDF converter put at a fixed width inside sentences.

    Text copied from a PDF breaks every line at the same width. When many lines share one
    length, a line of that length that stops mid-sentence is joined to the next one, unless
    the next one starts a numbered heading.
    """
    lengths = Counter(len(raw.rstrip()) for _, raw in lines if len(raw.rstrip()) >= _MIN_WRAP_WIDTH)
    if not lengths:
        return []
    width, count = lengths.most_common(1)[0]
    wrapped = count + lengths[width - 1] + lengths[width + 1]
    if wrapped < max(_MIN_WRAPPED_LINES, len(lines) * _WRAPPED_SHARE):
        return []
    breaks = []
    for (start, raw), (_, following) in zip(lines, lines[1:], strict=False):
        line = raw.rstrip()
        if len(line) >= width - 1 and not line.endswith(_TERMINAL) and not _HEADING_START.match(following):
            breaks.append((start + len(raw), start + len(raw) + 1))
    return breaks


def _glued_page_numbers(lines: list[tuple[int, str]]) -> list[tuple[int, int]]:
    """Ranges of ``text`` that are page numbers a converter glued to the start of each page.

    Converted documents sometimes arrive as one long line per page, each beginning with the
    page number and 、 ("2、要目标…" where the previous page ended in "二、主"). Such a run is
    recognised by consecutive numbers on consecutive lines whose predecessors are long and
    stop mid-sentence. A genuine list (short items, or items ending in 。) is left alone.
    When the page broke mid-sentence the line break goes too, so the words join again.
    """
    numbered = [
        (index, int(match.group(1).translate(_WIDTH_TABLE)), match)
        for index, (_, raw) in enumerate(lines)
        if (match := _NUMBERED_LINE.match(raw))
    ]
    debris: list[tuple[int, int]] = []
    run: list[tuple[int, int, re.Match[str]]] = []
    for item in [*numbered, None]:
        if item and run and item[0] == run[-1][0] + 1 and item[1] == run[-1][1] + 1:
            run.append(item)
            continue
        if len(run) >= _MIN_PAGE_RUN and _looks_like_page_breaks(lines, run):
            for index, _, match in run:
                start, raw = lines[index]
                previous = lines[index - 1][1].rstrip() if index else ""
                glued = previous and not previous.endswith(_TERMINAL)
                debris.append((start - 1 if glued else start, start + match.end()))
        run = [item] if item else []
    return debris


def _looks_like_page_breaks(lines: list[tuple[int, str]], run: list[tuple[int, int, re.Match[str]]]) -> bool:
    """True when the lines before a numbered run are long and mostly cut mid-sentence."""
    previous = [lines[index - 1][1].rstrip() for index, _, _ in run[1:]]
    cut = sum(1 for raw in previous if raw and not raw.endswith(_TERMINAL))
    average = sum(len(raw) for raw in previous) / len(previous)
    return cut * 2 > len(previous) and average >= _MIN_PAGE_TEXT
