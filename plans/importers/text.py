"""Read a bureau's published plan text into sections, tasks, targets and departments.

``parse_plan(text)`` returns the structure fixed by shared/importer/CONVENTIONS.md::

    {"title": str, "year": int | None, "goals": [INDICATOR, ...],
     "sections": [{"label", "title", "theme",
                   "tasks": [{"number", "title", "text", "lead", "co", "indicators"}]}]}

Run as ``python -m plans.importers.text FILE`` to print that JSON for a UTF-8 file.

Which numbered parts are sections follows how plans are laid out: a section is a part
of the level that holds the tasks (its children are items 1. ① or paragraphs), whatever
the part above it is called; the frame around the tasks (指导思想, 目标, 保障措施) and a
review of last year are not sections. Targets of the 目标 part, goals announced in the
frame (主要目标：…, 到2025年，… and the ——bullets after it) and, in a plan that is only a
list, what stands above the first item are the plan's goals. Tasks are numbered items,
paragraphs each closed by its own responsibility parenthesis, or the rows of a
decomposition table flattened into text (``flat_table``). A numbered part that is none
of these is listed under ``"unplaced"`` with a reason, for the review page; so is an
attachment after the plan. A compilation of several plans, each under its own title
line, yields its first plan unless another is chosen (``plan_parts``, ``part``). Pure
Python (cn2an for numerals), so the importer runs the same in the web app, the management
command and the scorer.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections import Counter
from dataclasses import dataclass

from .departments import first_unit_leads, is_label_line, parse_departments, parse_responsibility, units
from .flat_table import CO, DEADLINE, LEAD, TARGET, TASK, Cell, Row, find_tables
from .headings import SECTION_STYLES, Heading, annex_start, find_headings, text_end
from .indicators import extract_indicators
from .metadata import find_title, is_contents_line, is_page_clutter, is_title_line, plan_years
from .source import Source, build_source, lines_with_positions

logger = logging.getLogger(__name__)

# A part that holds the plan's tasks: 重点任务, 主要工作, 工作重点, 2025年工作计划, 重点任务及分工 …
_TASK_LIST_TITLE = re.compile(
    r"(?:20\d{2}年度?)?(?:主要|重点|具体|年度)?(?:工作)?"
    r"(?:任务|重点工作|工作重点|工作|重点|工作内容|内容|工作安排|安排|工作计划|计划|工作打算|打算|重点项目)"
    r"(?:(?:和|与|及)[\u4e00-\u9fff]{1,6})?"
)
# Measures (主要措施, 具体举措) hold the tasks only when no part is named for tasks; 保障措施 never does.
_MEASURES_TITLE = re.compile(r"(?:主要|具体|重点|工作)(?:措施|举措)(?:(?:和|与|及)[\u4e00-\u9fff]{1,6})?")
# A part that states the plan's goals: 主要目标, 工作目标, 2024年工作目标, 目标任务 …
_GOAL_TITLE = re.compile(r"[^,，。]{0,8}目标(?:任务)?")
# Goals stated in running text outside a goal part: "主要目标：…", "目标是…", "到2025年，…".
_GOAL_CUE = re.compile(
    r"(?:主要|工作|发展|总体|预期|年度|具体)?目标(?:是|为)?[:：]|目标(?:是|为)"
    r"|(?:^|(?<=[。;；\n]))[ \t]*(?:力争)?(?:到|至)\s*20\d{2}\s*年(?:底|末)?"
)
# The words of a notice that publishes a plan, whose figures count the plan rather than set targets.
_NOTICE_WORDS = re.compile(r"如下|印发|通知|请认真|贯彻落实|遵照执行|抓好落实")
# A bullet that lists one field of the goals announced above it: ——创新主体更加壮大。…, ● …
_GOAL_BULLET = re.compile(r"[ \t]*(?:-{1,2}|[•●·▪◆])")
# Parts that frame the tasks rather than being tasks: guidance, principles, goals, safeguards.
_FRAME_TITLE = re.compile(
    r"^(?:指导思想|总体要求|总体思路|基本原则|工作原则|主要目标|工作目标|发展目标|总体目标|目标任务|保障措施"
    r"|推进机制|工作机制|组织保障|工作要求|有关要求|实施步骤|进度安排|组织实施|组织领导|监督考核|工作保障)"
)
# A part reviewing the past year (2024年工作回顾, 工作总结): its figures are results, never goals.
_REVIEW_TITLE = re.compile(r"回顾|总结|完成情况|基本情况|工作情况|进展情况|工作成效|主要成效|取得的成绩")
# A note closing a task's first line is not part of its title: (县科技局牵头), (时间:3-12月).
_TITLE_NOTE = re.compile(r"[(（][^()（）]*(?:牵头|负责|配合|单位|时间|时限)[^()（）]*[)）]$")
# A title line opens another plan of a compilation only if it names an issuer or a year
# (区科技局2024年度工作计划), not a part of this plan (第二部分 重点工作安排).
_ISSUED_PLAN = re.compile(r"20\d{2}|局|委|政府|[省市县区镇]")
_PART_HEADING = re.compile(r"\s*第[一二三四五六七八九十\d]+(?:部分|章|篇|节)")
_THEME = re.compile(r"提[速档能效质优]")
# A part that accounts for the budget (部门收支预算, 经费安排): its amounts are spending, not targets.
_BUDGET_TITLE = re.compile(r"预算|决算|收支|经费安排|资金安排|测算说明")
# Running text has no title of its own; its first clause stands in for one.
_CLAUSE_END = re.compile(r"[,，:：。;；!！?？\n]")
# A parenthesis in the normalised text (one level of nesting, as in 县(市、区)科技局).
_PARENTHESIS = re.compile(r"\(((?:[^()\n]|\([^()\n]{0,40}\)){1,400})\)")
_AFTER_PARENTHESIS = "。.;； \t"
_TASK_LEVEL_STYLES = {"num", "paren_num", "circled"}
_POINT_STYLES = {"cn_shi"}
_MAX_TITLE = 200
_MAX_TASK_TITLE = 300
_MAX_UNPLACED = 300
_MAX_CONTENTS_ENTRY = 60
# "市科学技术局2024年度工作计划1:" opens the first plan of a compilation; its number is no part of the title.
_OPENER_TAIL = re.compile(r"\s*\d{0,2}\s*[:：]\s*$")
_ENTRY_NUMBER = re.compile(
    r"^(?:\d{1,2}[.、．]|[一二三四五六七八九十]{1,3}、|第[一二三四五六七八九十\d]{1,3}[章节篇部分]+)\s*"
)


@dataclass(frozen=True)
class _Context:
    """What every part of the assembly needs to read the document."""

    source: Source
    first_year: int | None
    single_paragraph_tasks: bool
    rows: list[Row]
    first_leads: bool = False  # the plan says the first unit of each 责任单位 list leads


def parse_plan(text: str, part: int | None = None) -> dict:
    """Parse a plan's text into the importer's JSON structure.

    ``part`` chooses a plan of a compilation by its number in ``plan_parts`` (1, 2 …);
    without it the first plan with an outline is read. A compilation's result lists its
    plans under ``"parts"`` ([{"part", "title"}]) and says which was read under ``"part"``.

    Never raises: the import form and the management command hand it whatever a user
    pasted or uploaded, and an unreadable document must come back as an empty result
    (``has_structure`` false) for them to report, not as a server error.
    """
    try:
        return _parse(text if isinstance(text, str) else "", part)
    except Exception:  # the contract is a dict for any input; the log keeps the cause
        logger.exception("plan text could not be parsed")
        return _empty("")


def plan_parts(text: str) -> list[dict]:
    """The plans of a compilation, [{"part": 1, "title": …}, …]; [] for a single plan."""
    try:
        parts = _outline(text if isinstance(text, str) else "").parts
    except Exception:  # same contract as parse_plan: no server error for any input
        logger.exception("plan text could not be outlined")
        return []
    return [{"part": p["part"], "title": p["title"]} for p in parts]


def has_structure(result: dict) -> bool:
    """True when the parse found numbered sections, i.e. the text is recognisably a plan."""
    return bool(result.get("sections"))


def _empty(title: str, year: int | None = None) -> dict:
    return {"title": title, "year": year, "goals": [], "sections": []}


@dataclass(frozen=True)
class _Outline:
    """The document's headings by plan (part), its flattened tables, and the plans it holds."""

    source: Source
    end: int
    breaks: list[int]
    headings: list[Heading]
    rows: list[Row]
    table_spans: list[tuple[int, int]]
    parts: list[dict]


def _outline(text: str) -> _Outline:
    source = build_source(text)
    end = text_end(source.norm)
    breaks, contents, titles = _part_breaks(source, end)
    tables = find_tables(source, end)
    rows = [row for table in tables for row in table.rows]
    table_spans = [(t.header_start, t.header_end) for t in tables] + [(r.start, r.end) for r in rows]
    headings = [
        h
        for h in find_headings(source.norm, end, breaks, titles)
        if not _within(h.start, contents) and not any(_within(h.start, span) for span in table_spans)
    ]
    numbers = sorted({h.part for h in headings})
    parts = []
    if len(numbers) > 1:
        for index, number in enumerate(numbers, start=1):
            own = [h for h in headings if h.part == number]
            parts.append({"part": index, "title": _part_title(source, own, breaks, number), "number": number})
    return _Outline(source, end, breaks, headings, rows, table_spans, parts)


def _parse(text: str, chosen: int | None = None) -> dict:
    """Assemble title, year, goals and sections from the document's outline."""
    outline = _outline(text)
    source, end, breaks, rows, table_spans = (
        outline.source,
        outline.end,
        outline.breaks,
        outline.rows,
        outline.table_spans,
    )
    headings = outline.headings
    by_index = {p["part"]: p["number"] for p in outline.parts}
    part = by_index[chosen] if chosen in by_index else _main_part(headings)
    later = [h.start for h in headings if h.part > part]
    headings = [h for h in headings if h.part == part]
    if later and headings:
        # The plan ends where the next plan of the compilation opens: at its title line.
        openers = [b for b in breaks if headings[-1].start < b < later[0]]
        for heading in headings:
            heading.end = min(heading.end, openers[0] if openers else later[0])
    title = _part_title(source, headings, breaks, part)
    first_year, year = plan_years(title, source)
    tasks = [h for h in headings if h.style in _TASK_LEVEL_STYLES]
    context = _Context(
        source, first_year, _single_paragraph(source, tasks), rows, first_unit_leads(source.norm[:end])
    )
    if not headings:
        # No outline: a flattened table's rows are the tasks; stated targets elsewhere are goals.
        outside = [line for a, b in _outside(0, end, table_spans) for line in _stated_lines(source, a, b)]
        goals = [i for a, b in outside for i in extract_indicators(source, a, b, plan_year=first_year)]
        sections = [_row_section(context, rows)] if rows else []
        return {**_empty(title, year), "goals": goals, "sections": sections}
    section_nodes = _section_headings(source, headings)
    sections = [_section(context, node) for node in section_nodes]
    goal_spans = _goal_spans(source, headings, section_nodes)
    if not section_nodes and all(h.style in _TASK_LEVEL_STYLES for h in headings if h.depth == 0):
        sections = [_unlabelled_section(context, [h for h in headings if h.depth == 0])]
        # A list of items without parts: what stands above the first item is the plan's goals,
        # except the words of the notice that publishes it (现将…分解如下，请认真贯彻落实).
        goal_spans = _stated_lines(source, 0, headings[0].start)
    loose_rows = [r for r in rows if not any(n.start <= r.start < n.end for n in section_nodes)]
    if loose_rows and not section_nodes:
        sections.insert(0, _row_section(context, loose_rows))
    goals = []
    for start, stop in goal_spans:
        for a, b in _outside(start, stop, table_spans):
            goals += extract_indicators(source, a, b, plan_year=first_year)
    result = {"title": title, "year": year, "goals": goals, "sections": sections}
    if outline.parts:
        result["parts"] = [{"part": p["part"], "title": p["title"]} for p in outline.parts]
        result["part"] = next(p["part"] for p in outline.parts if p["number"] == part)
    unplaced = [] if not section_nodes else _unplaced_parts(source, headings, section_nodes, breaks)
    unplaced += [_unplaced_row(source, row) for row in loose_rows if section_nodes]
    annex = annex_start(source.norm)
    if annex is not None and source.clean[annex:].strip():
        unplaced.append({"text": source.clean[annex:].strip()[:_MAX_UNPLACED], "reason": "annex"})
    if unplaced:
        result["unplaced"] = unplaced
    return result


def _stated_lines(source: Source, start: int, end: int) -> list[tuple[int, int]]:
    """The lines of ``start:end`` that may state goals: not page clutter, not the publishing notice."""
    return [
        (line_start, line_start + len(raw))
        for line_start, raw in lines_with_positions(source.norm, start, end)
        if raw.strip() and not _NOTICE_WORDS.search(raw) and not is_page_clutter(raw)
    ]


def _outside(start: int, end: int, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of ``start:end`` outside ``spans``."""
    pieces, position = [], start
    for a, b in sorted(spans):
        if b <= position or a >= end:
            continue
        if a > position:
            pieces.append((position, a))
        position = max(position, b)
    if position < end:
        pieces.append((position, end))
    return pieces


def _row_section(context: _Context, rows: list[Row]) -> dict:
    """Rows of a flattened table outside any numbered part: one section without a label."""
    return {"label": "", "title": "", "theme": "", "tasks": [_row_task(context, row) for row in rows]}


def _row_task(context: _Context, row: Row) -> dict:
    """One row of a flattened table: numbered by its row number, departments from its columns."""
    source = context.source
    task_cells = row.cell(TASK) or row.cell(TARGET)
    start, end = (task_cells[0].start, task_cells[0].end) if task_cells else (row.start, row.end)
    text = source.clean[start:end]
    clause = _CLAUSE_END.search(text)
    title = (text[: clause.start()] if clause else text).strip()
    lead = [n for c in row.cell(LEAD) for n in _cell_units(source, c, marked=True)[0]]
    co = [n for c in row.cell(CO) for n in _cell_units(source, c)[1]]
    co += [n for c in row.cell(LEAD) for n in _cell_units(source, c, marked=True)[1] if n not in co]
    indicators = []
    for cell in [*task_cells, *(c for c in row.cell(TARGET) if c not in task_cells)]:
        indicators += extract_indicators(
            source, cell.start, cell.end, plan_year=context.first_year, context=title
        )
    deadline = " ".join(source.clean[c.start : c.end] for c in row.cell(DEADLINE))
    task = {
        "number": str(row.number),
        "title": title[:_MAX_TASK_TITLE],
        "text": source.original_span(start, end),
        "lead": lead,
        "co": [n for n in co if n not in lead],
        "indicators": indicators,
    }
    if deadline:
        task["deadline"] = deadline
    return task


def _cell_units(source: Source, cell: Cell, *, marked: bool = False) -> tuple[list[str], list[str]]:
    """The names in a department cell, as (lead, co) for a lead cell whose units carry 牵头 marks."""
    text = source.clean[cell.start : cell.end]
    if marked and "牵头" in text:
        lead, co = parse_responsibility(text)
        if lead:
            return lead, co
    names = units(text)
    return names, names


def _unplaced_row(source: Source, row: Row) -> dict:
    return {"text": source.clean[row.start : row.end].strip()[:_MAX_UNPLACED], "reason": "table_row"}


def _part_breaks(source: Source, end: int) -> tuple[list[int], tuple[int, int] | None, set[int]]:
    """Lines that may open another plan of a compilation, the table of contents' span, and titles.

    The titles are the break lines whose text stands only once: the title of one plan of a
    compilation, where a repeated line is a page header.
    """
    breaks: list[int] = []
    contents_start = None
    lines = lines_with_positions(source.clean, 0, end)
    for index, (start, raw) in enumerate(lines):
        if is_title_line(raw) and _ISSUED_PLAN.search(raw) and not _PART_HEADING.match(raw):
            breaks.append(start)
        elif is_contents_line(raw) and contents_start is None:
            breaks.append(start)
            contents_start = start
            contents_end = _contents_end(lines, index + 1)
            if contents_end is not None and contents_end not in breaks:
                breaks.append(contents_end)
    texts = Counter(_line_at(source.clean, b) for b in breaks)
    titles = {b for b in breaks if texts[_line_at(source.clean, b)] == 1}
    if contents_start is None:
        return sorted(breaks), None, titles
    after = [b for b in sorted(breaks) if b > contents_start]
    return sorted(breaks), (contents_start, after[0] if after else contents_start), titles


def _line_at(text: str, start: int) -> str:
    newline = text.find("\n", start)
    return text[start : newline if newline >= 0 else len(text)].strip()


def _contents_end(lines: list[tuple[int, str]], index: int) -> int | None:
    """Where a table of contents ends: at the first line that is no entry, or that repeats an entry's title.

    Entries are short lines (1.市科学技术局2024年度工作计划); the text proper starts with a long line
    or with the first entry's title again (市科学技术局2024年度工作计划1:).
    """
    entries: list[str] = []
    for start, raw in lines[index:]:
        line = raw.strip()
        if not line:
            continue
        if entries and (any(line.startswith(e) for e in entries) or len(line) > _MAX_CONTENTS_ENTRY):
            return start
        entry = _ENTRY_NUMBER.sub("", line).strip()
        if len(entry) < 2:
            return start
        entries.append(entry)
    return None


def _within(position: int, span: tuple[int, int] | None) -> bool:
    return span is not None and span[0] <= position < span[1]


def _main_part(headings: list[Heading]) -> int:
    """The plan to read from a compilation: the first part whose outline is more than one list."""
    parts = sorted({h.part for h in headings})
    for part in parts:
        if any(h.style not in _TASK_LEVEL_STYLES or h.children for h in headings if h.part == part):
            return part
    return parts[0] if parts else 0


def _part_title(source: Source, headings: list[Heading], breaks: list[int], part: int) -> str:
    """The title of the plan read: the document's title, or the title line that opens its part."""
    first = headings[0].start if headings else len(source.clean)
    openers = [b for b in breaks if b < first]
    if part == 0 or not openers:
        return find_title(source, first)
    line = source.clean[openers[-1] : first].strip().split("\n")[0].strip()
    return _OPENER_TAIL.sub("", line)[:_MAX_TITLE]


def _title(source: Source, heading: Heading) -> str:
    return source.clean[heading.marker_end : heading.title_end].strip()


def _section_headings(source: Source, headings: list[Heading]) -> list[Heading]:
    """The headings that are the plan's sections (see the module docstring).

    A section is a numbered part of the level that holds the tasks: under a part that has
    numbered sub-parts, those (and so on down); a part whose children are items (1. ①) or
    paragraphs is a section itself. Frame, goal and review parts are never sections. When a
    part is named for the tasks (二、重点任务) only such parts are searched. A plan that has
    nothing but frame parts (a page cut after 一、总体要求) has those as its sections.
    """
    top = [h for h in headings if h.depth == 0]
    task_lists = [h for h in top if h.children and _TASK_LIST_TITLE.fullmatch(_title(source, h))]
    task_lists = task_lists or [h for h in top if h.children and _MEASURES_TITLE.fullmatch(_title(source, h))]
    # Under a part named for the tasks, its 一是 points are its sections too (二、2025年工作计划 一是…).
    sections = _sections_under(source, task_lists or top, points=bool(task_lists))
    if not sections and not task_lists:
        sections = [
            h for h in top if h.style in SECTION_STYLES and not _REVIEW_TITLE.search(_title(source, h))
        ]
    return sections


def _sections_under(source: Source, nodes: list[Heading], *, points: bool = False) -> list[Heading]:
    """The sections among ``nodes`` and below them (``points``: 一是 children count as parts)."""
    found = []
    for node in nodes:
        if node.style not in SECTION_STYLES | _POINT_STYLES or _not_a_section(_title(source, node)):
            continue
        styles = SECTION_STYLES | (_POINT_STYLES if points else set())
        parts = [child for child in node.children if child.style in styles]
        found += _sections_under(source, parts) if parts else [node]
    return found


def _not_a_section(title: str) -> bool:
    """Frame, goal and review parts hold no tasks."""
    return bool(_FRAME_TITLE.match(title) or _GOAL_TITLE.fullmatch(title) or _REVIEW_TITLE.search(title))


def _unplaced_parts(
    source: Source, headings: list[Heading], sections: list[Heading], breaks: list[int]
) -> list[dict]:
    """Numbered parts that are neither sections, nor inside one, nor the plan's frame, goals or review.

    Their text is not imported; the review page lists them so that nothing is dropped unseen.
    """
    inside = [(s.start, s.end) for s in sections]
    unplaced = []
    for heading in headings:
        title = _title(source, heading)
        if any(start <= heading.start < end for start, end in inside):
            continue
        if any(heading.start <= start < heading.end for start, _ in inside) or _not_a_section(title):
            continue
        if any(p["start"] <= heading.start < p["end"] for p in unplaced):
            continue
        # A part ends at the title line of the next plan of a compilation, if one follows.
        stop = min([b for b in breaks if heading.start < b < heading.end] or [heading.end])
        text = source.clean[heading.start : stop].strip()
        unplaced.append({"start": heading.start, "end": heading.end, "text": text[:_MAX_UNPLACED]})
    return [{"text": p["text"], "reason": "outside_sections"} for p in unplaced]


def _goal_spans(source: Source, headings: list[Heading], sections: list[Heading]) -> list[tuple[int, int]]:
    """Where the plan's goals are stated, in document order.

    A part titled 目标 outside the sections holds goals throughout. Elsewhere outside the
    sections (the text before the first heading, 总体要求 and the like) only the rest of
    a paragraph that announces goals counts: 主要目标：…, 目标是…, 到2025年，….
    """

    def overlaps(h: Heading, parts: list[Heading]) -> bool:
        return any(p.start <= h.start < p.end or h.start <= p.start < h.end for p in parts)

    goal_parts = [
        h for h in headings if not overlaps(h, sections) and _GOAL_TITLE.fullmatch(_title(source, h))
    ]
    spans = [(h.content_start, h.end) for h in goal_parts]
    framing = [(0, headings[0].start)] + [
        (h.content_start, h.end)
        for h in headings
        if h.depth == 0
        and not overlaps(h, sections)
        and not overlaps(h, goal_parts)
        and not _REVIEW_TITLE.search(_title(source, h))
    ]
    for start, end in framing:
        spans += _announced_goals(source, start, end)
    return sorted(spans)


def _announced_goals(source: Source, start: int, end: int) -> list[tuple[int, int]]:
    """The rest of each paragraph in ``start:end`` from a goal cue (主要目标：, 到2025年，) on."""
    spans = []
    announced = False
    for line_start, raw in lines_with_positions(source.norm, start, end):
        cue = _GOAL_CUE.search(raw)
        if cue:
            spans.append((line_start + cue.start(), line_start + len(raw)))
            announced = True
        elif announced and _GOAL_BULLET.match(raw):
            # ——创新主体更加壮大。新增…: the goals announced above, one field per bullet.
            spans.append((line_start, line_start + len(raw)))
        elif raw.strip():
            announced = False
    return spans


def _section(context: _Context, node: Heading) -> dict:
    """One section: its label, title, 提X theme and tasks."""
    title = _title(context.source, node)
    themes = _THEME.findall(title)
    tasks = _tasks(context, node)
    if _BUDGET_TITLE.search(title):
        for task in tasks:  # 1、基本支出:126.5万元 accounts for money; it sets nothing to achieve
            task["indicators"] = []
    return {
        "label": node.label,
        "title": title[:_MAX_TITLE],
        "theme": themes[-1] if themes else "",
        "tasks": tasks,
    }


def _unlabelled_section(context: _Context, items: list[Heading]) -> dict:
    """A plan with numbered tasks but no numbered sections is one section without a label."""
    return {"label": "", "title": "", "theme": "", "tasks": [_task(context, item) for item in items]}


def _tasks(context: _Context, node: Heading) -> list[dict]:
    """The tasks of a section: its numbered children, or its text when it has none.

    Text between a section's title and its first numbered task usually introduces the
    tasks; it becomes an unnumbered task only when it states targets of its own.
    """
    rows = [row for row in context.rows if node.start <= row.start < node.end]
    if rows:
        return [_row_task(context, row) for row in rows]
    if not node.children:
        return _body_tasks(context, node.content_start, node.end)
    tasks = [_task(context, child) for child in node.children]
    intro = _body_task(context, node.content_start, node.children[0].start)
    if intro and any(i["kind"] != "qualitative" for i in intro["indicators"]):
        tasks.insert(0, intro)
    return tasks


def _task(context: _Context, heading: Heading) -> dict:
    """A numbered task: number, first sentence as title, full text, departments and targets."""
    start, end = _task_span(context, heading.marker_end, heading.end)
    title = _TITLE_NOTE.sub("", _title(context.source, heading)).strip()
    return _task_dict(context, str(heading.number), title, start, end)


def _body_tasks(context: _Context, start: int, end: int) -> list[dict]:
    """A section's running text as tasks: one, or one per stretch closed by its own responsibility.

    Plans that do not number their tasks close each paragraph (or sentence) with who answers
    for it: …（县科技局牵头，县财政局配合）. Every such parenthesis ends a task.
    """
    norm = context.source.norm
    cuts = []
    for match in _PARENTHESIS.finditer(norm, start, end):
        lead, co = parse_responsibility(match.group(1))
        if not (lead or co):
            continue
        after = match.end()
        while after < end and norm[after] in _AFTER_PARENTHESIS:
            after += 1
        if after < end and norm[after] not in ",、":
            cuts.append(after)
    bounds = zip([start, *cuts], [*cuts, end], strict=True)
    return [task for a, b in bounds if (task := _body_task(context, a, b))]


def _body_task(context: _Context, start: int, end: int) -> dict | None:
    """An unnumbered task made of a section's running text, titled by its first clause; None if empty."""
    start, end = _task_span(context, start, end)
    if start >= end:
        return None
    text = context.source.clean[start:end]
    clause = _CLAUSE_END.search(text)
    title = text[: clause.start()] if clause else text
    return _task_dict(context, "", title.strip(), start, end)


def _task_dict(context: _Context, number: str, title: str, start: int, end: int) -> dict:
    source = context.source
    text = source.original_span(start, end)
    lead, co = _departments(source.clean[start:end], context.first_leads)
    indicators = extract_indicators(source, start, end, plan_year=context.first_year, context=title)
    return {
        "number": number,
        "title": title[:_MAX_TASK_TITLE],
        "text": text,
        "lead": lead,
        "co": co,
        "indicators": indicators,
    }


def _departments(text: str, first_leads: bool = False) -> tuple[list[str], list[str]]:
    """Departments from the parenthesis closing the task, or else closing its first line.

    Some plans put (县科技局牵头，…) at the end of the task's heading line and the task's
    text in the paragraphs below it.
    """
    lead, co = parse_departments(text, first_leads=first_leads)
    if lead or co:
        return lead, co
    first_line = text.split("\n", 1)[0]
    return parse_departments(first_line, first_leads=first_leads) if first_line != text else ([], [])


def _task_span(context: _Context, start: int, end: int) -> tuple[int, int]:
    """The stripped span of a task's text; only its first paragraph in a one-paragraph-per-task plan.

    When every task of a plan is one paragraph, a paragraph after the last task is the
    plan's closing words, not part of that task.
    """
    clean = context.source.clean
    while start < end and clean[start].isspace():
        start += 1
    if context.single_paragraph_tasks:
        # The first paragraph, and the lines under it that say who answers for it (牵头单位：…).
        newline = clean.find("\n", start, end)
        while newline >= 0:
            following = clean.find("\n", newline + 1, end)
            line = clean[newline + 1 : following if following >= 0 else end]
            if not is_label_line(line):
                break
            newline = following
        end = newline if newline >= 0 else end
    while end > start and clean[end - 1].isspace():
        end -= 1
    return start, end


def _single_paragraph(source: Source, tasks: list[Heading]) -> bool:
    """True when every numbered task but the last is a single paragraph."""
    if len(tasks) < 2:
        return False
    return all("\n" not in source.clean[t.marker_end : t.end].strip() for t in tasks[:-1])


def main(argv: list[str] | None = None) -> int:
    """Print the parse of a UTF-8 plan file as JSON (the scorer's and the dry run's format)."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m plans.importers.text FILE", file=sys.stderr)
        return 2
    with open(args[0], encoding="utf-8-sig", errors="replace") as handle:
        result = parse_plan(handle.read())
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
