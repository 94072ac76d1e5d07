"""Numbered headings and the outline they form.

Chinese plans number their parts in a conventional order: 一、 for parts, (一) for
sections, 一是 for points, 1. or 1、 for items, (1) and ① below that. A number is
only a heading where a heading can start: at the start of a line, or (for converted
documents that lost their line breaks) right after a finished sentence when it
continues the numbering already open. A heading that has no full stop of its own can
also run straight into its first child ("(一)实施…工程1.建设…"), so a title is cut
where a first child marker appears in it.
"""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass, field

from .numerals import chinese_to_int

CJK = "\u4e00-\u9fff"
_CN_NUM = "[一二三四五六七八九十]{1,3}"

# A number followed by another one and 、 or a period word opens an enumeration, not a heading:
# 一、二季度完成…, 一、二、三、四季度分别…, 三、四月份…, 1、2月.
_CN_ENUMERATION = rf"(?!{_CN_NUM}(?:、|个?季|月|半年|级|产))"
_NUM_ENUMERATION = r"(?!\d{1,2}(?:、|个?季|月))"

# One alternative per style; names are the style keys used below.
_MARKER = re.compile(
    rf"""
    第(?P<part>{_CN_NUM})(?:部分|篇)
  | 第(?P<chapter>{_CN_NUM})章
  | 第(?P<jie>{_CN_NUM})节
  | (?P<cn>{_CN_NUM})(?:、|\.(?!\d)){_CN_ENUMERATION}
  | \((?P<paren_cn>{_CN_NUM})\)
  | (?P<cn_shi>{_CN_NUM})是(?=[{CJK}“《])
  | (?<![\d.(])(?P<num>\d{{1,2}})(?:、{_NUM_ENUMERATION}|\.(?![\d.])|\)(?=[{CJK}]))
  | (?<![A-Za-z])(?P<ocr_one>[LlI])(?=[{CJK}])
  | \((?P<paren_num>\d{{1,2}})\)
  | (?P<circled>[\u2460-\u2473])
    """,
    re.VERBOSE,
)
# First-child markers that may follow a heading title without punctuation in between.
_EMBEDDED_CHILD = re.compile(
    rf"(?P<paren_cn>\(一\))|(?<![A-Za-z0-9.])(?P<num>1(?:、|\.(?![\d.]))|[LlI](?=[{CJK}]))"
    r"|(?P<paren_num>\(1\))|(?P<circled>\u2460)"
)

# Conventional nesting: a lower rank is an outer level (第一部分 > 第一章 > 第一节 > 一、 > (一) > 一是 > 1.).
STYLE_RANK = {
    "part": -3,
    "chapter": -2,
    "jie": -1,
    "cn": 0,
    "paren_cn": 1,
    "cn_shi": 2,
    "num": 3,
    "paren_num": 4,
    "circled": 5,
}
# Styles of parts and sections, whose titles are short phrases (and can run into a first child).
SECTION_STYLES = {"part", "chapter", "jie", "cn", "paren_cn"}
_TITLED_STYLES = SECTION_STYLES | {"cn_shi"}
# Numbers of parts and sections, which never nest inside a task.
_SECTION_STYLES = SECTION_STYLES
# Styles that inline enumerations and cross-references also use; only trusted at the start of a line.
_LINE_START_ONLY = {"cn_shi", "part", "chapter", "jie"}
_SENTENCE_END = "。;!?)"
_TITLE_STOP = "。;!?\n"
_SPACES = " \t"

# Standard part names that converted text glues to the paragraph after them (二、主要目标到2025年…).
_STANDARD_PART = re.compile(
    r"(?:指导思想|总体要求|总体思路|基本原则|工作原则|主要目标|工作目标|发展目标|总体目标|目标任务"
    r"|重点任务|主要任务|工作任务|重点工作|工作重点|工作内容|工作措施|主要措施|保障措施|推进机制"
    r"|工作机制|组织保障|工作要求|有关要求|实施步骤|进度安排|组织领导|组织实施)"
)
_MIN_GLUED_REST = 4
# An attachment or annex ends the plan's own text.
_ANNEX = re.compile(r"\n[ \t]*(?:附件|附表|附[:：])")
# The issuing office and date that close a plan ("县科学技术局\n2024年2月20日").
_SIGNATURE = re.compile(
    r"(?:\n[ \t]*[^\n。;,:]{1,30}?(?:局|委员会|委|办公室|办|政府|院|会|部|中心|小组|组|室))?"
    r"\n[ \t]*20\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$"
)
_LINE_START_HEADING = re.compile(rf"(?:^|\n)[ \t]*(?:{_CN_NUM}、|\({_CN_NUM}\)|\d{{1,2}}(?:、|\.(?!\d)))")


@dataclass
class Heading:
    """One numbered heading and the span of text it governs."""

    style: str
    number: int
    start: int  # where the marker begins
    marker_end: int  # where the title begins
    title_end: int = 0
    content_start: int = 0  # where the text under the title begins
    end: int = 0  # end of everything the heading governs
    depth: int = 0
    part: int = 0  # which plan of a compilation the heading belongs to
    children: list[Heading] = field(default_factory=list)

    @property
    def label(self) -> str:
        """The marker in its canonical spelling, e.g. ``(一)`` or ``1.``; OCR artifacts repaired."""
        return format_label(self.style, self.number)


def format_label(style: str, number: int) -> str:
    """Write a heading number the canonical way for its style."""
    if style in _TITLED_STYLES:
        cn = to_chinese(number)
        return {
            "part": f"第{cn}部分",
            "chapter": f"第{cn}章",
            "jie": f"第{cn}节",
            "cn": f"{cn}、",
            "paren_cn": f"({cn})",
            "cn_shi": f"{cn}是",
        }[style]
    if style == "paren_num":
        return f"({number})"
    if style == "circled":
        return chr(0x245F + number)
    return f"{number}."


def to_chinese(number: int) -> str:
    """Write 1–99 in Chinese numerals (12 → 十二) for canonical labels."""
    digits = "零一二三四五六七八九"
    tens, ones = divmod(number, 10)
    if not tens:
        return digits[ones]
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def text_end(norm: str) -> int:
    """Where the plan's own text ends: before an attachment and the closing signature and date.

    A plan published as the attachment of a notice starts with 附件 itself, so only an
    attachment line after the first numbered heading closes the plan.
    """
    annex = annex_start(norm)
    end = annex if annex is not None else len(norm)
    signed = _SIGNATURE.search(norm, 0, end)
    return signed.start() if signed else end


def annex_start(norm: str) -> int | None:
    """Where an attachment after the plan's text begins (附件：…任务分解表), if there is one."""
    first_heading = _LINE_START_HEADING.search(norm)
    annex = _ANNEX.search(norm, first_heading.end()) if first_heading else None
    return annex.start() + 1 if annex else None


def find_headings(
    norm: str, end: int, breaks: list[int] | None = None, titles: set[int] | frozenset[int] = frozenset()
) -> list[Heading]:
    """Return the document's headings in order, with depth, titles and spans filled in.

    ``breaks`` are positions of lines that may start another plan (a compilation of
    plans, each with its title line). Numbering that restarts at 1 after such a line
    opens a new part with a fresh outline at the outline's outermost level; after one of
    ``titles`` (a plan title seen once, not a repeated page header) at any level.
    Otherwise the line is ignored.
    """
    pending_breaks = sorted(breaks or [])
    next_break = 0
    part, fresh_part, fresh_title = 0, False, False
    queue: list[tuple[int, int, str, int, int]] = []  # (start, forced, style, number, marker_end)
    for match in _MARKER.finditer(norm, 0, end):
        style = match.lastgroup or ""
        number = _marker_number(style, match.group(style))
        if style == "ocr_one":
            style = "num"
        if number:
            heapq.heappush(queue, (match.start(), 0, style, number, match.end()))

    headings: list[Heading] = []
    stack: list[Heading] = []
    last: dict[str, int] = {}
    floor = 0  # candidates inside an accepted title are not headings
    while queue:
        start, forced, style, number, marker_end = heapq.heappop(queue)
        if start < floor:
            continue
        boundary = _boundary(norm, start)
        while next_break < len(pending_breaks) and pending_breaks[next_break] < start:
            fresh_title = pending_breaks[next_break] in titles
            next_break += 1
            fresh_part = bool(headings)
        opens = fresh_title or _opens_outline(style, stack)
        if fresh_part and number == 1 and boundary == "line" and opens:
            stack.clear()
            last.clear()
            part += 1
        if not forced and not _acceptable(style, number, boundary, stack, last):
            continue
        fresh_part = fresh_title = False
        heading = Heading(style=style, number=number, start=start, marker_end=marker_end, part=part)
        _place(heading, stack, last)
        child = _read_title(norm, heading, end)
        headings.append(heading)
        floor = heading.content_start
        if child:
            heapq.heappush(queue, child)
    _close_spans(headings, end)
    return headings


def _opens_outline(style: str, stack: list[Heading]) -> bool:
    """A restart at 1 after a title line opens a new plan only at the outline's outermost level or above."""
    return not stack or STYLE_RANK[style] <= STYLE_RANK[stack[0].style]


def _marker_number(style: str, token: str) -> int:
    """The number a marker stands for; OCR ``L``/``l``/``I`` is 1."""
    if style in {"num", "paren_num"}:
        return int(token)
    if style == "ocr_one":
        return 1
    if style == "circled":
        return ord(token) - 0x245F
    return chinese_to_int(token) or 0


def _boundary(norm: str, start: int) -> str:
    """'line' at a line start, 'sentence' right after a finished sentence, else ''."""
    i = start - 1
    while i >= 0 and norm[i] in _SPACES:
        i -= 1
    if i < 0 or norm[i] == "\n":
        return "line"
    if norm[i] in _SENTENCE_END:
        return "sentence"
    return ""


def _acceptable(style: str, number: int, boundary: str, stack: list[Heading], last: dict[str, int]) -> bool:
    """Decide whether a marker candidate is a heading.

    At a line start any number is trusted (documents may start mid-list). After a
    sentence it must continue the numbering of an open level, or open a new deeper
    level with 1; anything else is a number inside running text.
    """
    if not boundary:
        return False
    if boundary == "line":
        return True
    if style in _LINE_START_ONLY:
        return False
    open_styles = [h.style for h in stack]
    if style in open_styles:
        return number == last.get(style, 0) + 1
    deeper = not stack or STYLE_RANK[style] > STYLE_RANK[stack[-1].style]
    return number == 1 and deeper


def _place(heading: Heading, stack: list[Heading], last: dict[str, int]) -> None:
    """Put a heading into the outline: close the levels it ends, attach it to its parent.

    A style already open closes everything below it. A new style nests under the current
    heading, as the document shows it (a task 1. may hold 一是 points), except that a
    style conventionally outside everything open starts a new outermost level, and a
    part or section number (一、 (一)) never sits inside a task.
    """
    open_styles = [h.style for h in stack]
    rank = STYLE_RANK[heading.style]
    if heading.style in open_styles:
        del stack[open_styles.index(heading.style) :]
    elif stack and rank < STYLE_RANK[stack[0].style]:
        stack.clear()
    elif heading.style in _SECTION_STYLES:
        while stack and STYLE_RANK[stack[-1].style] >= rank:
            stack.pop()
    if stack:
        stack[-1].children.append(heading)
    heading.depth = len(stack)
    stack.append(heading)
    for style in set(last) - {h.style for h in stack}:
        del last[style]
    last[heading.style] = heading.number


def _read_title(norm: str, heading: Heading, end: int) -> tuple[int, int, str, int, int] | None:
    """Set the heading's title and content start; return a first child glued to the title, if any."""
    start = heading.marker_end
    while start < end and norm[start] in _SPACES:
        start += 1
    if start < end and norm[start] == "\n" and heading.style in _TITLED_STYLES:
        start += 1  # the title on the line after a bare number: "(一)\n标志性工程提速"
    stop = _title_stop(norm, start, end)
    child = None
    title_end = stop
    if heading.style in _TITLED_STYLES:
        match = _EMBEDDED_CHILD.search(norm, start, stop)
        style = match.lastgroup if match else ""
        if match and match.start() > start and STYLE_RANK[style] > STYLE_RANK[heading.style]:
            title_end = match.start()
            child = (match.start(), 1, style, 1, match.end())
    glued = _STANDARD_PART.match(norm, start, title_end)
    rest = norm[glued.end() : title_end].strip() if glued else ""
    if glued and (len(rest) >= _MIN_GLUED_REST or any(c.isdigit() for c in rest)):
        title_end = glued.end()
        heading.title_end = title_end
        heading.content_start = title_end
        return child
    heading.title_end = title_end
    if child:
        heading.content_start = title_end
    elif title_end < end and norm[title_end] in _TITLE_STOP + ":":
        heading.content_start = title_end + 1
    else:
        heading.content_start = title_end
    return child


def _title_stop(norm: str, start: int, end: int) -> int:
    """End of a heading's title: the first full stop, or a colon outside brackets and quotes."""
    depth = 0
    for i in range(start, end):
        char = norm[i]
        if char in _TITLE_STOP:
            return i
        if char in "(“《":
            depth += 1
        elif char in ")”》":
            depth = max(0, depth - 1)
        elif char == ":" and depth == 0:
            return i
    return end


def _close_spans(headings: list[Heading], end: int) -> None:
    """Each heading governs the text up to the next heading at its own depth or above."""
    open_headings: list[Heading] = []
    for heading in headings:
        while open_headings and open_headings[-1].depth >= heading.depth:
            open_headings.pop().end = heading.start
        open_headings.append(heading)
    for heading in open_headings:
        heading.end = end
