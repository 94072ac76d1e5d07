"""Pure functions behind the import review page: item ids, highlights, department proposals.

The importer's JSON (see shared/importer/CONVENTIONS.md) is kept as it is, with one addition
while under review: every section, task and target carries a stable `uid`, so that a
correction or a drop addresses the item itself and never shifts its neighbours.
"""

from __future__ import annotations

import calendar
import copy
import difflib
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

KIND_BY_TITLE = [
    ("工作要点", "key_points"),
    ("实施方案", "implementation"),
    ("行动方案", "action_plan"),
    ("工作方案", "action_plan"),
    ("行动计划", "action_plan"),
]
YEAR_RANGE = re.compile(r"((?:19|20)\d{2})\s*[-—–~～至到]\s*((?:19|20)\d{2})\s*年")
MULTI_YEAR = {"三年": 3, "五年": 5, "两年": 2, "二年": 2}


class ItemGone(LookupError):
    """The item a form addresses was dropped meanwhile (another tab, a stale page)."""


class ImportClosed(RuntimeError):
    """The import was confirmed or discarded meanwhile; it takes no more corrections."""


# Why the importer left a piece of the text out of the plan, in the reviewer's words.
UNPLACED_REASONS = {
    "outside_sections": _(
        "This numbered part is neither a section holding tasks nor the plan's guidance, goals or "
        "safeguards, so it was not imported. Add what it asks for to a section by hand if it "
        "belongs to the plan."
    ),
    "annex": _(
        "An attachment follows the plan and was not imported. If it is the plan's decomposition "
        "table, import it on its own, or add its departments to the tasks by hand."
    ),
    "table_row": _("This row of the table stands outside every section of the plan and was not imported."),
}


def unplaced(structure: Mapping) -> list[dict]:
    """What the importer read but could not place, each with the reason in words."""
    return [
        {
            "text": item.get("text") or "",
            "reason": UNPLACED_REASONS.get(item.get("reason"), item.get("reason")),
        }
        for item in structure.get("unplaced") or []
    ]


def with_uids(structure: Mapping) -> dict:
    """A copy of the structure in which every section, task and target has a `uid`."""
    result = copy.deepcopy(dict(structure))
    counter = 0

    def uid(prefix: str) -> str:
        nonlocal counter
        counter += 1
        return f"{prefix}{counter}"

    for goal in result.setdefault("goals", []):
        goal["uid"] = uid("i")
    for section in result.setdefault("sections", []):
        section["uid"] = uid("s")
        for task in section.setdefault("tasks", []):
            task["uid"] = uid("t")
            task.setdefault("lead", [])
            task.setdefault("co", [])
            for indicator in task.setdefault("indicators", []):
                indicator["uid"] = uid("i")
    result["next_uid"] = counter + 1
    return result


def new_uid(structure: dict, prefix: str) -> str:
    number = structure.get("next_uid", 1)
    structure["next_uid"] = number + 1
    return f"{prefix}{number}"


def without_uids(structure: Mapping) -> dict:
    """The structure in the importer's own format again, for create_plan and for export."""
    result = copy.deepcopy(dict(structure))
    result.pop("next_uid", None)
    for item in _all_items(result):
        item.pop("uid", None)
    return result


def _all_items(structure: Mapping) -> Iterator[dict]:
    yield from structure.get("goals") or []
    for section in structure.get("sections") or []:
        yield section
        for task in section.get("tasks") or []:
            yield task
            yield from task.get("indicators") or []


def find(structure: Mapping, uid: str) -> tuple[list, dict] | None:
    """The list that holds the item with this uid, and the item; None when it is gone."""
    for goal in structure.get("goals") or []:
        if goal.get("uid") == uid:
            return structure["goals"], goal
    for section in structure.get("sections") or []:
        if section.get("uid") == uid:
            return structure["sections"], section
        for task in section.get("tasks") or []:
            if task.get("uid") == uid:
                return section["tasks"], task
            for indicator in task.get("indicators") or []:
                if indicator.get("uid") == uid:
                    return task["indicators"], indicator
    return None


def department_names(structure: Mapping) -> list[str]:
    """Every department a structure names, lead or co, in order of first mention."""
    seen: dict[str, None] = {}
    for section in structure.get("sections") or []:
        for task in section.get("tasks") or []:
            for name in [*(task.get("lead") or []), *(task.get("co") or [])]:
                if name.strip():
                    seen.setdefault(name.strip(), None)
    return list(seen)


def counts(structure: Mapping) -> dict[str, int]:
    sections = structure.get("sections") or []
    tasks = [t for s in sections for t in s.get("tasks") or []]
    targets = len(structure.get("goals") or []) + sum(len(t.get("indicators") or []) for t in tasks)
    return {
        "sections": len(sections),
        "tasks": len(tasks),
        "indicators": targets,
        "departments": len(department_names(structure)),
    }


def infer_kind(title: str) -> str:
    """工作要点 → key points, 实施方案 → implementation plan …; a plain 工作计划 otherwise."""
    for word, kind in KIND_BY_TITLE:
        if word in title:
            return kind
    return "work_plan"


def first_year(text: str, title: str, last_year: int | None) -> int | None:
    """The plan's first year: an explicit span (2021-2025年) ending in its last year, or 三年 back."""
    if last_year is None:
        return None
    for match in YEAR_RANGE.finditer(text[:3000]):
        start, end = int(match.group(1)), int(match.group(2))
        if end == last_year and start <= end:
            return start
    for word, years in MULTI_YEAR.items():
        if word in title:
            return last_year - years + 1
    return last_year


# --- highlights -------------------------------------------------------------------------


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    css: str
    uid: str = ""


def marks(source: str, structure: Mapping) -> list[Mark]:
    """Where each target and each department name was read, as non-overlapping spans.

    Targets are searched in document order from the previous target on, so that two equal
    sentences in different tasks each light up their own place; department names light up
    wherever they stand.
    """
    found: list[Mark] = []
    cursor = 0
    for item in _targets_in_order(structure):
        text = (item.get("text") or "").strip()
        if not text:
            continue
        at = source.find(text, cursor)
        if at < 0:
            at = source.find(text)
        if at < 0:
            continue
        found.append(Mark(at, at + len(text), "target", item.get("uid", "")))
        cursor = at + len(text)
    for name in sorted(department_names(structure), key=len, reverse=True):
        for match in re.finditer(re.escape(name), source):
            found.append(Mark(match.start(), match.end(), "dept"))
    kept: list[Mark] = []
    for mark in sorted(found, key=lambda m: (m.start, -(m.end - m.start), m.css != "target")):
        if kept and mark.start < kept[-1].end:
            continue
        kept.append(mark)
    return kept


def _targets_in_order(structure: Mapping) -> Iterator[dict]:
    yield from structure.get("goals") or []
    for section in structure.get("sections") or []:
        for task in section.get("tasks") or []:
            yield from task.get("indicators") or []


def highlighted(source: str, structure: Mapping) -> SafeString:
    """The source text as HTML, targets and departments wrapped in <mark>."""
    parts: list[str] = []
    position = 0
    for mark in marks(source, structure):
        parts.append(escape(source[position : mark.start]))
        anchor = f' id="src-{mark.uid}" data-uid="{mark.uid}"' if mark.uid else ""
        parts.append(f'<mark class="{mark.css}"{anchor}>{escape(source[mark.start : mark.end])}</mark>')
        position = mark.end
    parts.append(escape(source[position:]))
    return mark_safe("".join(parts))


# --- departments ------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    pk: int
    name: str
    spellings: tuple[str, ...]


def propose(name: str, candidates: Iterable[Candidate], cutoff: float = 0.6) -> tuple[int | None, float]:
    """The department a plan's name most likely means, with how alike the spellings are.

    An exact name or alias scores 1.0; otherwise the closest spelling by difflib's ratio
    (县科技局 ~ 县科学技术局). Below the cutoff nobody is proposed, and the coordinator creates
    the department or picks one by hand.
    """
    best: tuple[int | None, float] = (None, 0.0)
    for candidate in candidates:
        for spelling in candidate.spellings:
            if spelling == name:
                return candidate.pk, 1.0
            score = difflib.SequenceMatcher(None, name, spelling).ratio()
            if score > best[1]:
                best = (candidate.pk, score)
    return best if best[1] >= cutoff else (None, best[1])


_DEADLINE = re.compile(
    r"(?:(?P<year>(?:19|20)\d{2})\s*[年\-./])?\s*(?P<month>1[0-2]|0?[1-9])\s*(?:月|[\-./])"
    r"\s*(?:(?P<day>[0-3]?\d)\s*日?|(?P<end>底|末|份)?)"
)


def deadline_date(text: str, year: int | None) -> date | None:
    """完成时限 as written in a table (2024-06-30, 2024年6月底, 6月底前, 12月) → the last day meant.

    Several dates (6月底前完成招标，12月底前验收) give the last one; nothing readable gives None.
    """
    found = None
    for match in _DEADLINE.finditer(text or ""):
        y = int(match["year"]) if match["year"] else year
        if y is None:
            continue
        m = int(match["month"])
        last = calendar.monthrange(y, m)[1]
        day = int(match["day"]) if match["day"] and 1 <= int(match["day"]) <= last else last
        found = date(y, m, day)
    return found
