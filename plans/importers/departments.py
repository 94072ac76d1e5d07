"""Responsible departments from the parentheses (or labelled last line) that close a task.

Plans name who answers for a task in a closing parenthesis:
（县科技局牵头，县财政局、县农业农村局等相关部门按职责分工负责）, or with labels
（牵头单位：县科技局；责任单位：县财政局）. Units before 牵头 lead; the units after it
(按职责分工负责, 配合, 参与, 责任单位) are co-responsible. A task without such a parenthesis
has no departments: nothing is guessed from the task's wording.
"""

from __future__ import annotations

import re

# The last parenthesis of a task (one level of nesting allowed, as in 县(市、区)科技局).
_CLOSING_PAREN = re.compile(r"[(（]((?:[^()（）\n]|[(（][^()（）\n]*[)）])+)[)）][\s。.;；,，]*$")
_LABELLED = re.compile(r"(牵头单位|主办单位|责任单位|配合单位|协办单位|参与单位|协同单位)\s*[:：]")
_LEAD_LABELS = {"牵头单位", "主办单位"}
# A lead unit marked where it stands in a list: 县科技局（牵头）.
_MARKED_LEAD = re.compile(r"[(（]牵头[)）]")
# The same labels on the task's last line, without brackets: "牵头单位：县科技局；配合单位：县财政局".
_LABELLED_TAIL = re.compile(
    r"(?:^|[\n。；;])[ \t\u3000]*((?:牵头单位|主办单位|责任单位|配合单位)\s*[:：][^\n]*)$"
)
# How a co-responsibility is phrased after the list of units.
_CO_VERB = re.compile(
    r"(?:(?:按照?|根据|依据?)?(?:各自)?职责(?:分工)?)?(?:分别|共同)?(?:负责|配合|参与|落实|协助|协同|推进)+$"
)
# "等相关部门", "等有关单位", "等" closing a list of names.
_ET_CETERA = re.compile(r"等(?:相关|有关|其他)?(?:部门|单位|成员单位)?$")
# Words for "the other offices concerned" name no one: 各相关部门, 县直有关单位, 其他成员单位.
_GENERIC = re.compile(
    r"^(?:[县市区]直)?(?:各)?(?:相关|有关|其他|各)?(?:成员)?(?:部门|单位)$|^各?(?:相关|有关)$"
)
# What the lead does, said after 牵头: 县科技局牵头负责，….
_LEAD_DUTY = re.compile(r"^(?:负责|抓总|统筹|组织实施)[，,、;；]?")
_SEPARATORS = "、，,；;/ \u3000"
# A department name ends like an office: 局 委 办 部 院 会 中心 公司 政府 …
_UNIT_ENDING = re.compile(
    r"(?:局|委|办|部|院|会|厅|处|室|所|站|队|台|厂|场|中心|公司|集团|政府|街道|镇|乡|村|区|县|市|行|社|协|联|团"
    r"|校|学|馆|组|支局|分局|专班)$"
)
# A bracketed note after a name: 各乡镇（街道）.
_TRAILING_NOTE = re.compile(r"[(（][^()（）]*[)）]$")
_MAX_NAME = 40


def parse_departments(text: str) -> tuple[list[str], list[str]]:
    """Return (lead, co) department names from the parenthesis that ends ``text``; empty if none."""
    match = _CLOSING_PAREN.search(text.rstrip())
    if not match:
        tail = _LABELLED_TAIL.search(text.rstrip())
        return _labelled_units(tail.group(1)) if tail else ([], [])
    content = match.group(1).strip()
    if _MARKED_LEAD.search(content):
        return _marked_units(content)
    if _LABELLED.search(content):
        return _labelled_units(content)
    if "牵头" in content:
        before, _, after = content.partition("牵头")
        lead = _units(before)
        co = _units(_CO_VERB.sub("", _LEAD_DUTY.sub("", after.strip("，,、;；。 "))))
        return (lead, co) if lead else ([], [])
    if _CO_VERB.search(content):
        return [], _units(_CO_VERB.sub("", content), strict=True)
    return [], []


def _labelled_units(content: str) -> tuple[list[str], list[str]]:
    """Split a labelled parenthesis (牵头单位：…；配合单位：…) into lead and co units."""
    lead: list[str] = []
    co: list[str] = []
    parts = _LABELLED.split(content)
    # split() yields [before, label, units, label, units, ...]
    for label, units in zip(parts[1::2], parts[2::2], strict=True):
        names = _units(_CO_VERB.sub("", units.strip("，,、;；。 ")))
        (lead if label in _LEAD_LABELS else co).extend(names)
    return lead, co


def _marked_units(content: str) -> tuple[list[str], list[str]]:
    """A list whose lead units carry their own mark: 县科技局（牵头）、县财政局."""
    content = _LABELLED.sub("", content)
    lead: list[str] = []
    co: list[str] = []
    for piece in _split_outside_brackets(content):
        marked = bool(_MARKED_LEAD.search(piece))
        names = _units(_MARKED_LEAD.sub("", piece))
        (lead if marked else co).extend(names)
    return lead, co


def _units(fragment: str, *, strict: bool = False) -> list[str]:
    """Split a list of units on 、 and ，, dropping 等相关部门 and generic words; names stay as written.

    A piece that does not read as an office is left out. Without 牵头 or a label to say the
    parenthesis names departments (``strict``), one such piece means it names none
    (时间:3-12月 推进): nobody is named rather than a guess.
    """
    fragment = fragment.strip().removeprefix("由").strip()
    names: list[str] = []
    for piece in _split_outside_brackets(fragment):
        name = _ET_CETERA.sub("", piece.strip()).strip()
        if not name or _GENERIC.search(name) or len(name) > _MAX_NAME:
            continue
        if not _UNIT_ENDING.search(_TRAILING_NOTE.sub("", name)):
            if strict:
                return []
            continue
        if name not in names:
            names.append(name)
    return names


def _split_outside_brackets(fragment: str) -> list[str]:
    """Split on 、 and ， except inside brackets, so 县(市、区)科技局 stays one name."""
    pieces, current, depth = [], [], 0
    for char in fragment:
        if char in "(（":
            depth += 1
        elif char in ")）":
            depth = max(0, depth - 1)
        elif char in _SEPARATORS and depth == 0:
            pieces.append("".join(current))
            current = []
            continue
        current.append(char)
    pieces.append("".join(current))
    return pieces
