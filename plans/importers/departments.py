"""Responsible departments as plans write them at the end of a task.

- a closing parenthesis: （县科技局牵头，县财政局、县农业农村局等相关部门按职责分工负责）;
  units before 牵头 lead, the units after it (按职责分工负责, 配合, 参与) are co-responsible;
- labels, in a parenthesis or on the task's own lines: 牵头单位：X；配合单位：Y,
  牵头科室(单位)：X, 责任单位：X (lead when it stands alone, co after a 牵头 label, its first
  unit leading when the plan says so), 县科技局（牵头）、县财政局; people (责任领导) and dates
  (完成时限) are skipped;
- a closing sentence: 由X牵头，Y配合.
Names stay as written and are split on 、 ， and line breaks; a bare 等相关部门 is dropped, a
catch-all that names a body (县直有关部门, 各乡镇人民政府) is a unit; internal offices end in
科 or 股. A task without any of these has no departments: nothing is guessed from its wording.
"""

from __future__ import annotations

import re

# The last parenthesis of a task (one level of nesting allowed, as in 县(市、区)科技局).
_CLOSING_PAREN = re.compile(r"[(（]((?:[^()（）\n]|[(（][^()（）\n]*[)）])+)[)）][\s。.;；,，]*$")
# A label that names who answers for a task, as plans write it: 牵头单位：, 牵头科室(单位)：,
# 责任单位：, 配合部门：, 协同配合单位： …; other labels of a task's lines end a label's value.
_UNIT_WORD = r"(?:单位|部门|科室|股室|处室|科|股)"
_LABEL = re.compile(
    rf"(?P<label>(?:牵头|主办|主要责任|责任|协同配合|配合|协办|协同|参与){_UNIT_WORD}"
    rf"(?:\s*[(（]{_UNIT_WORD}[)）])?)\s*[:：]"
    r"|(?P<other>责任领导|分管领导|牵头领导|责任人|联系人|完成时限|完成时间|完成期限|时间节点|时限要求|时限|时间)\s*[:：]"
)
_LEAD_LABEL = re.compile(r"^(?:牵头|主办|主要责任)")
_CO_LABEL = re.compile(r"^(?:协同配合|配合|协办|协同|参与)")
# A line (or clause) of a task that starts with a label: "牵头单位：县科技局；配合单位：县财政局".
_LABELLED_LINE = re.compile(
    r"(?:^|(?<=[\n。；;(（ \t\u3000]))[ \t\u3000]*"
    rf"(?:(?:牵头|主办|主要责任|责任|协同配合|配合|协办|协同|参与){_UNIT_WORD}"
    rf"(?:\s*[(（]{_UNIT_WORD}[)）])?)\s*[:：]"
)
# A plan's note that the first unit of each list leads: 排在第一位的为牵头单位, 列首位的为牵头单位.
_FIRST_LEADS = re.compile(r"(?:排|列|位)(?:在|名|于)?(?:第一|首)位?的?(?:单位|部门)?(?:为|是)牵头")
# A lead unit marked where it stands in a list: 县科技局（牵头）.
_MARKED_LEAD = re.compile(r"[(（]牵头[)）]")
# The closing sentence "由县科技局牵头，县教育局、县工信局配合。"
_LED_BY = re.compile(
    r"(?:^|(?<=[\n。；;]))[ \t\u3000]*由(?P<lead>[^。；;\n]{2,120}?)牵头(?:负责)?"
    r"(?:[，,、]\s*(?P<co>[^。；;\n]{2,300}?))?[。；;]?[ \t\u3000]*$"
)
# How a co-responsibility is phrased after the list of units.
_CO_VERB = re.compile(
    r"(?:(?:按照?|根据|依据?)?(?:各自)?职责(?:分工)?)?(?:分别|共同)?(?:负责|配合|参与|落实|协助|协同|推进)+$"
)
# Words for "the other offices concerned" name no one: 各相关部门, 有关单位, 其他成员单位. A catch-all
# that names a body (县直有关部门, 区政府有关部门, 各乡镇人民政府) is a unit and is kept.
_GENERIC = re.compile(r"^(?:各)?(?:相关|有关|其他|各)?(?:成员)?(?:部门|单位)$|^各?(?:相关|有关)$")
# What the lead does, said after 牵头: 县科技局牵头负责，….
_LEAD_DUTY = re.compile(r"^(?:负责|抓总|统筹|组织实施)[，,、;；]?")
_SEPARATORS = "、，,；;/ \u3000\n"
# A department name ends like an office: 局 委 办 部 院 会 中心 公司 政府 …, an internal office 科 股,
# or a catch-all that names a body: 县直有关部门.
_UNIT_ENDING = re.compile(
    r"(?:局|委|办|部|院|会|厅|处|室|所|站|队|台|厂|场|中心|公司|集团|政府|街道|镇|乡|村|区|县|市|行|社|协|联|团"
    r"|校|学|馆|组|支局|分局|专班|科|股|部门|单位|机构)$"
)
# A bracketed note after a name: 各乡镇（街道）.
_TRAILING_NOTE = re.compile(r"[(（][^()（）]*[)）]$")
_MAX_NAME = 40


def first_unit_leads(text: str) -> bool:
    """Whether a plan says that the first unit of each list leads (排在第一位的为牵头单位)."""
    return bool(_FIRST_LEADS.search(text))


def parse_departments(text: str, *, first_leads: bool = False) -> tuple[list[str], list[str]]:
    """Return (lead, co) department names stated at the end of ``text``; empty if none.

    In order: a closing parenthesis (X牵头，Y配合 / 牵头单位：X), labelled lines
    (牵头单位：X / 配合单位：Y / 责任单位：X), a closing sentence 由X牵头，Y配合.
    ``first_leads``: the plan says the first unit of a 责任单位 list leads.
    """
    text = text.rstrip()
    match = _CLOSING_PAREN.search(text)
    if match:
        found = parse_responsibility(match.group(1), first_leads=first_leads)
        if found[0] or found[1]:
            return found
    labelled = _LABELLED_LINE.search(text)
    if labelled:
        return _labelled_units(text[labelled.start() :], first_leads)
    led = _LED_BY.search(text)
    if led:
        lead = _units(led.group("lead"), strict=True)
        co = _units(_CO_VERB.sub("", (led.group("co") or "").strip()), strict=True)
        return (lead, co) if lead else ([], [])
    return [], []


def is_label_line(line: str) -> bool:
    """A line of a task that only states who or when: 牵头单位：…, 配合单位：…, 完成时限：…."""
    return bool(_LABEL.match(line.strip(" \t\u3000(（")))


def parse_responsibility(content: str, *, first_leads: bool = False) -> tuple[list[str], list[str]]:
    """(lead, co) from what a responsibility parenthesis holds (no brackets); empty if it names none."""
    content = content.strip()
    if _LABEL.search(content):
        return _labelled_units(content, first_leads)
    if _MARKED_LEAD.search(content):
        return _marked_units(content)
    if "牵头" in content:
        before, _, after = content.partition("牵头")
        lead = _units(before)
        co = _units(_CO_VERB.sub("", _LEAD_DUTY.sub("", after.strip("，,、;；。 "))))
        return (lead, co) if lead else ([], [])
    if _CO_VERB.search(content):
        # 县委组织部、县人社局按职责分工负责；县科技局配合: every clause names co-responsible units.
        co: list[str] = []
        for clause in re.split(r"[；;]", content):
            names = _units(_CO_VERB.sub("", clause.strip("，,。 ")), strict=True)
            if not names:
                return [], []
            co += [n for n in names if n not in co]
        return [], co
    return [], []


def _labelled_units(content: str, first_leads: bool = False) -> tuple[list[str], list[str]]:
    """Split labelled text (牵头单位：…；配合单位：…；完成时限：…) into lead and co units.

    责任单位 (责任部门, 责任科室) leads when no 牵头 label stands with it and is co-responsible
    after one; a unit marked (牵头) in its list leads in any case. People (责任领导) and dates are
    skipped.
    """
    labels = list(_LABEL.finditer(content))
    has_lead_label = any(m.group("label") and _LEAD_LABEL.match(m.group("label")) for m in labels)
    lead: list[str] = []
    co: list[str] = []
    for match, following in zip(labels, [*labels[1:], None], strict=True):
        label = match.group("label")
        if not label:
            continue
        value = content[match.end() : following.start() if following else len(content)]
        value = _unbracketed(value.split("\n", 1)[0].strip("，,、;；。 \t\u3000"))
        if _MARKED_LEAD.search(value):
            marked_lead, marked_co = _marked_units(value)
            lead += [n for n in marked_lead if n not in lead]
            co += [n for n in marked_co if n not in co]
            continue
        is_lead = bool(_LEAD_LABEL.match(label)) or (not _CO_LABEL.match(label) and not has_lead_label)
        names = _units(_CO_VERB.sub("", value))
        if is_lead and not _LEAD_LABEL.match(label) and (first_leads or _FIRST_LEADS.search(value)):
            lead += [n for n in names[:1] if n not in lead]  # 责任单位：A、B、C, A first and so leading
            co += [n for n in names[1:] if n not in co]
            continue
        target = lead if is_lead else co
        target += [n for n in names if n not in target]
    return lead, co


def _unbracketed(value: str) -> str:
    """Drop a closing bracket left over from the parenthesis around a label (责任科室：农村科技股）)."""
    while (
        value
        and value[-1] in ")）"
        and value.count("(") + value.count("（") < value.count(")") + value.count("）")
    ):
        value = value[:-1].rstrip("，,、;；。 ")
    return value


def _marked_units(content: str) -> tuple[list[str], list[str]]:
    """A list whose lead units carry their own mark: 县科技局（牵头）、县财政局."""
    content = _LABEL.sub("", content)
    lead: list[str] = []
    co: list[str] = []
    for piece in _split_outside_brackets(content):
        marked = bool(_MARKED_LEAD.search(piece))
        names = _units(_MARKED_LEAD.sub("", piece))
        (lead if marked else co).extend(names)
    return lead, co


def units(fragment: str) -> list[str]:
    """The unit names of a table cell or a list: split, catch-alls kept, bare 等相关部门 dropped."""
    return _units(fragment)


def _units(fragment: str, *, strict: bool = False) -> list[str]:
    """Split a list of units on 、 ， and line breaks, dropping 等相关部门 and generic words.

    Names stay as written.
    "X等Y有关部门" is two units when Y names a body (县发改局等县直有关部门). A piece that does
    not read as an office is left out. Without 牵头 or a label to say the text names departments
    (``strict``), one such piece means it names none (时间:3-12月 推进): nobody is named rather
    than a guess.
    """
    fragment = fragment.strip().removeprefix("由").strip()
    names: list[str] = []
    for piece in _split_outside_brackets(fragment):
        for part in piece.split("等"):
            name = part.strip().strip("。.;；")
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
