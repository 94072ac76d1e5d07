"""The plan's title and year, found among web-page debris and publication metadata.

Published plans are copied from government sites and document-sharing sites, so the
title may be preceded by navigation (首页 > 政策文件), followed by metadata (索引号,
发布时间, 文号) and repeated; a converter may glue it to the first paragraph
("…三年工作方案为深入实施…"). The year is the plan's last year: the year of the title
(the second year of 2021-2025, 2025 for 十四五), else the year its targets are set for
(到2025年) or the year it was published.
"""

from __future__ import annotations

import re
from collections import Counter

from .source import Source, lines_with_positions

# Kinds of plan a title ends with, longest first.
PLAN_NOUNS = (
    "工作计划|工作要点|工作思路|工作安排|实施方案|行动方案|工作方案|行动计划|实施意见|任务清单|发展规划|任务分解表|分解表|清单"
    "|计划|要点|方案|规划|意见|安排"
)
_TITLE_LINE = re.compile(rf"[^。；;!！?？]{{2,60}}?(?:{PLAN_NOUNS})(?:\s*[(（][^()（）]{{1,20}}[)）])?")
_GLUED_TITLE = re.compile(
    rf"^(?P<title>[^。；;!！?？,，]{{2,50}}?(?:{PLAN_NOUNS}))(?=为|根据|按照|围绕|以|结合|\d{{4}}年|[,，。])"
)
_NAVIGATION = re.compile(
    r"首页|当前位置|您的位置|>|›|»|发布时间|发布日期|发文日期|成文日期|索引号|文\s*号|发文单位|发文机关"
    r"|主题分类|信息来源|来源[:：]|浏览次数|浏览量|访问量|字号|打印|关闭|分享|有效性|名\s*称[:：]|由会员分享"
    r"|发布机构|公开范围|公开方式|公开日期|生成日期|组配分类"
    r"|\.docx?\b|\.pdf\b|\.wps\b|珍藏版|下载|扫一扫|https?://|www\."
)
# A plan published as a notice's attachment: "附件1：县科技局2024年工作要点".
_ANNEX_LABEL = re.compile(r"^附件\s*\d*\s*[:：]?\s*")
# A line opening with a heading number (二、2025年工作计划) is a heading, not a title.
_NUMBERED = re.compile(
    r"(?:[一二三四五六七八九十]{1,3}[、.．]|[(（][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[.、．]|[\u2460-\u2473])"
)
# The notice that publishes a plan (关于印发《…工作要点》的通知) and a sharing site's file name (《….docx》).
_NOTICE_TITLE = re.compile(
    rf"^(?P<issuer>[^《》]{{0,40}}?)(?:关于)?印发\s*(?P<quote>《?)(?P<title>[^《》]{{2,60}}?(?:{PLAN_NOUNS}))》?"
)
_FILE_TITLE = re.compile(r"《(?P<title>[^《》]{2,60}?)\.(?:docx?|pdf|wps|txt)》")
_NOTICE_LINE = re.compile(r"[^。；;!！?？,，]{4,100}?关于[^。；;!！?？]{2,100}的(?:通知|意见|决定)")
_TOC = re.compile(r"[ \t\u3000]*目\s*录[ \t\u3000]*[:：]?[ \t\u3000]*")
_MAX_TITLE = 200

_YEAR_RANGE = re.compile(r"(20\d{2})\s*[-—–~～至到]\s*(20\d{2})")
_YEAR = re.compile(r"(20\d{2})\s*年?")
_FIVE_YEAR_PLAN = {"十三五": (2016, 2020), "十四五": (2021, 2025), "十五五": (2026, 2030)}
_MULTI_YEAR = re.compile(r"[三五两]年|十[三四五]五|规划|中长期")
_TARGET_YEAR = re.compile(r"(?:到|至)\s*(20\d{2})\s*年")
_YEAR_MENTION = re.compile(r"(?<!\d)(20\d{2})\s*年")
_PUBLISHED = re.compile(r"(?:发布时间|发布日期|发文日期|成文日期|日期)\s*[:：]?\s*(20\d{2})")


def is_title_line(line: str) -> bool:
    """A whole line that reads like a plan's title (县科技局2024年工作计划), not a numbered heading."""
    line = line.strip()
    return (
        bool(line)
        and not _NUMBERED.match(line)
        and not _NAVIGATION.search(line)
        and bool(_TITLE_LINE.fullmatch(line))
    )


def is_page_clutter(line: str) -> bool:
    """A line of a web page or sharing site around the plan: navigation, metadata, counters."""
    return bool(_NAVIGATION.search(line))


def is_contents_line(line: str) -> bool:
    """The heading of a table of contents (目 录), whose entries are not the plan's headings."""
    return bool(_TOC.fullmatch(line))


def find_title(source: Source, first_heading: int) -> str:
    """The plan's title from the lines before its first heading.

    In order of trust: a line that is a title; the plan named by the notice that publishes
    it; a title glued to the first paragraph; the file name on a sharing site; else the
    first short line.
    """
    lines = [raw.strip() for _, raw in lines_with_positions(source.clean, 0, first_heading) if raw.strip()]
    candidates = [line for line in lines if not _NAVIGATION.search(line)]
    candidates = [_ANNEX_LABEL.sub("", line) for line in candidates]
    for line in candidates:
        if _TITLE_LINE.fullmatch(line):
            return line[:_MAX_TITLE]
    for line in candidates:
        notice = _NOTICE_TITLE.search(line)
        if notice:
            # 《…》 quotes the plan's full title; without them the issuer stands before 关于印发.
            issuer = "" if notice.group("quote") else notice.group("issuer").strip()
            return (issuer + notice.group("title").strip())[:_MAX_TITLE]
    for pattern, lines_to_search in ((_GLUED_TITLE, candidates), (_FILE_TITLE, lines)):
        for line in lines_to_search:
            match = pattern.search(line)
            if match:
                return match.group("title").strip()[:_MAX_TITLE]
    for line in candidates:
        if _NOTICE_LINE.fullmatch(line):  # 关于分解落实…重点工作任务的通知: the notice that carries the plan
            return line[:_MAX_TITLE]
    short = [line for line in candidates if len(line) <= 40 and not line.endswith(("。", "；", ";"))]
    return short[0][:_MAX_TITLE] if short else ""


def plan_years(title: str, source: Source) -> tuple[int | None, int | None]:
    """(first year, last year) of the plan; both None when nothing says.

    Without years in the title, a multi-year plan (三年, 规划) ends in the year its targets
    are set for (到2025年) and a yearly plan is for the year it was published; failing
    both, the year the text mentions most.
    """
    span = _years_in(title)
    if span:
        return span
    target = _most_common_year(_TARGET_YEAR, source.norm)
    published = _PUBLISHED.search(source.norm)
    published_year = int(published.group(1)) if published else None
    likely = (target, published_year) if _MULTI_YEAR.search(title) else (published_year, target)
    year = next((y for y in (*likely, _most_common_year(_YEAR_MENTION, source.norm)) if y), None)
    return year, year


def _most_common_year(pattern: re.Pattern[str], text: str) -> int | None:
    """The year ``pattern`` finds most often in ``text``; ties go to the one found first."""
    years = Counter(int(year) for year in pattern.findall(text))
    return years.most_common(1)[0][0] if years else None


def _years_in(title: str) -> tuple[int, int] | None:
    """Years a title states: a range (2021-2025年), a five-year plan (十四五) or a single year."""
    title = title.translate({0xFF10 + d: str(d) for d in range(10)})
    span = _YEAR_RANGE.search(title)
    if span:
        return int(span.group(1)), int(span.group(2))
    for name, years in _FIVE_YEAR_PLAN.items():
        if name in title:
            return years
    years = [int(year) for year in _YEAR.findall(title)]
    if years:
        return min(years), max(years)
    return None
