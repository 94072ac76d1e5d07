"""A decomposition table (任务分解表) that reached us flattened into text.

Copied from a web page or a converter, a table arrives as a header line whose cells are
separated by spaces, ``序号 重点工作任务 牵头单位 配合单位 完成时限``, then one row per line
starting with its bare row number and a space. A cell that held several names on several
lines in the table spills over several lines of text::

    34 推动……提档升级。 区科技局
    区商务局(区药发中心)
    区发改委、区经信局等区政府有关部门。 2023年12月底

Spaces always separate cells; a line break separates names inside a cell or, when the
row has fewer space-separated cells than the header has columns, two cells. The cell
broken over lines is the first department cell (a multi-unit lead), so the missing cell
boundaries are taken at the last line breaks of the department cells. A trailing cell that
reads as a date belongs to the 完成时限 column.

Columns are recognised by what their header says, as bureaus write it: 牵头单位,
主要责任单位, 责任单位 (lead; co after a lead column), 配合单位, 协同配合单位, 协办单位 (co),
完成时限, and columns that are read for nothing (责任领导, 完成情况, 备注). Each row is a
task numbered by its row number. Pure Python: positions are those of ``Source.clean``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .source import Source, lines_with_positions

NUMBER, TASK, TARGET, LEAD, CO, DEADLINE, IGNORED = "number", "task", "target", "lead", "co", "deadline", ""

_UNIT_WORD = r"(?:单位|部门|科室|股室|处室|责任单位)?"
_HEADER_RULES = (
    (NUMBER, re.compile(r"序号|编号|序列号|排序")),
    (
        IGNORED,
        re.compile(
            r".*(?:领导|责任人|联系人|完成情况|进展情况|推进情况|落实情况|工作进展|进度|备注|类别|板块|领域|分类|类型"
            r"|评分|计分|分值|考核办法|考核方式|考核标准).*"
        ),
    ),
    (DEADLINE, re.compile(r".*(?:时限|期限|时间|节点).*")),
    (CO, re.compile(rf"(?:协同配合|配合|协同|协办|参与|配合责任){_UNIT_WORD}")),
    (LEAD, re.compile(rf"(?:牵头|主要责任|主责|主办){_UNIT_WORD}|责任(?:单位|部门|科室|股室|处室)")),
    (TARGET, re.compile(r".{0,6}(?:目标|指标).{0,6}")),
    (TASK, re.compile(r".{0,8}(?:任务|工作|事项|内容|措施|项目|举措).{0,6}")),
)
_MIN_COLUMNS = 3
_MAX_HEADER_CELL = 12
_CELL_GAP = re.compile(r"[ \t\u3000]+")
# A row starts with its number and a space (or 、 . as some tables number their rows).
_ROW_START = re.compile(r"[ \t\u3000]*(\d{1,3})(?:[ \t\u3000]+|[、.．](?![\d\s]))(?=[^\s\d])")
_DATE_LIKE = re.compile(r"20\d{2}|\d{1,2}\s*月|月底|年底|季度|长期|持续|全年|常态|年内")
_MAX_DATE_CELL = 30


@dataclass(frozen=True)
class Cell:
    """One cell of a row: its role and its span in the clean text (empty when the row left it out)."""

    role: str
    start: int
    end: int


@dataclass
class Row:
    number: int
    start: int  # the row number's position
    end: int
    cells: list[Cell] = field(default_factory=list)

    def cell(self, role: str) -> list[Cell]:
        return [c for c in self.cells if c.role == role and c.end > c.start]


@dataclass
class FlatTable:
    header_start: int
    header_end: int
    end: int
    rows: list[Row]


def find_tables(source: Source, end: int) -> list[FlatTable]:
    """Every flattened table in ``source.clean[:end]``: its header line and its rows."""
    lines = lines_with_positions(source.norm, 0, end)
    tables: list[FlatTable] = []
    index = 0
    while index < len(lines):
        columns = _header_columns(lines[index][1])
        if not columns:
            index += 1
            continue
        header_start, header = lines[index]
        index, rows = _rows(source, lines, index + 1, columns)
        if rows:
            tables.append(FlatTable(header_start, header_start + len(header), rows[-1].end, rows))
    return tables


def _header_columns(line: str) -> list[str]:
    """The column roles of a header line (序号 重点任务 牵头单位 配合单位 完成时限); [] if it is not one."""
    cells = [c for c in _CELL_GAP.split(line.strip()) if c]
    if len(cells) < _MIN_COLUMNS or any(len(c) > _MAX_HEADER_CELL for c in cells):
        return []
    roles = [_column_role(c) for c in cells]
    if roles.count(None) == 1:
        roles[roles.index(None)] = (
            IGNORED  # one column we have no word for (资金来源, 类型 …) is read for nothing
        )
    if (
        None in roles
        or roles[0] != NUMBER
        or not ({TASK, TARGET} & set(roles))
        or not ({LEAD, CO} & set(roles))
    ):
        return []
    if LEAD in roles and CO not in roles and roles.count(LEAD) > 1:
        # 牵头单位 then 责任单位: the second is co-responsible.
        second = roles.index(LEAD, roles.index(LEAD) + 1)
        roles[second] = CO
    return roles[1:]


def _column_role(cell: str) -> str | None:
    text = cell.strip("：:*").replace("（", "(").replace("）", ")")
    for role, rule in _HEADER_RULES:
        if rule.fullmatch(text):
            return role
    return None


def _rows(
    source: Source, lines: list[tuple[int, str]], index: int, columns: list[str]
) -> tuple[int, list[Row]]:
    """Read rows from ``lines[index:]`` until the table ends; return where reading stopped."""
    rows: list[Row] = []
    current: list[tuple[int, str]] = []
    number = 0
    while index < len(lines):
        start, raw = lines[index]
        row_start = _ROW_START.match(raw)
        if row_start:
            if current:
                rows.append(_row(source, number, current, columns))
            number, current = int(row_start.group(1)), [(start, raw)]
        elif not raw.strip():
            following = next((r for _, r in lines[index + 1 :] if r.strip()), "")
            if current and not _ROW_START.match(following):
                break
        elif _is_heading_line(raw):
            if current:
                rows.append(_row(source, number, current, columns))
            current = []
        elif current:
            current.append((start, raw))
        elif rows:
            break
        index += 1
    if current:
        rows.append(_row(source, number, current, columns))
    return index, rows


_CN = "[一二三四五六七八九十]{1,3}"
_HEADING_LINE = re.compile(rf"[ \t\u3000]*(?:{_CN}[、.]|\({_CN}\)|第{_CN}[部章节])")


def _is_heading_line(raw: str) -> bool:
    """A heading between rows (一、主要预期目标) groups the rows below it; it is not a row's text."""
    return bool(_HEADING_LINE.match(raw))


def _row(source: Source, number: int, lines: list[tuple[int, str]], columns: list[str]) -> Row:
    """Split a row's lines into cells by the header's columns (see the module docstring)."""
    tokens: list[tuple[int, int, bool]] = []  # (start, end, starts a line)
    first = True
    for line_start, raw in lines:
        offset = _ROW_START.match(raw).end() if first else 0
        line_first = True
        for match in re.finditer(r"[^ \t\u3000]+", raw[offset:]):
            tokens.append(
                (line_start + offset + match.start(), line_start + offset + match.end(), line_first)
            )
            line_first = False
        first = False
    groups = _groups(tokens)  # cells that spaces delimit: lists of line pieces
    wanted = list(columns)
    cells: list[Cell] = []
    if DEADLINE in wanted and wanted[-1] == DEADLINE:
        wanted.pop()
        last = groups[-1] if len(groups) > 1 else None
        if last and len(last) == 1 and _looks_like_date(source.norm[last[0][0] : last[0][1]]):
            groups.pop()
            cells.append(Cell(DEADLINE, last[0][0], last[0][1]))
    # Too few cells even with every line break as a boundary: a column read for nothing was left blank.
    missing = len(wanted) - len(groups) - sum(len(g) - 1 for g in groups)
    while missing > 0 and IGNORED in wanted:
        wanted.remove(IGNORED)
        missing -= 1
    groups = _fit(groups, wanted)
    for role, group in zip(wanted, groups, strict=False):
        cells.append(Cell(role, group[0][0], group[-1][1]) if group else Cell(role, 0, 0))
    return Row(number=number, start=lines[0][0], end=lines[-1][0] + len(lines[-1][1]), cells=cells)


def _groups(tokens: list[tuple[int, int, bool]]) -> list[list[tuple[int, int]]]:
    """Tokens joined into space-delimited groups: a token that opens a line continues the group before it."""
    groups: list[list[tuple[int, int]]] = []
    for start, end, line_first in tokens:
        if line_first and groups:
            groups[-1].append((start, end))
        else:
            groups.append([(start, end)])
    return groups


def _fit(groups: list[list[tuple[int, int]]], columns: list[str]) -> list[list[tuple[int, int]]]:
    """Make as many groups as columns: extra groups join the task cell; missing boundaries are line breaks.

    A department cell broken over several lines is the lead cell, so its last line, when a cell
    is missing, is the next cell (配合单位).
    """
    if not groups:
        return []
    task = columns.index(TASK) if TASK in columns else columns.index(TARGET) if TARGET in columns else 0
    while len(groups) > len(columns):
        groups[task : task + 2] = [groups[task] + groups[task + 1]]
    while len(groups) < len(columns):
        splittable = [i for i in range(len(groups) - 1, -1, -1) if len(groups[i]) > 1 and i != task]
        splittable += [task] if len(groups[task]) > 1 else []
        if not splittable:
            break
        i = splittable[0]
        groups[i : i + 1] = [groups[i][:-1], groups[i][-1:]]
    return groups


def _looks_like_date(text: str) -> bool:
    return len(text) <= _MAX_DATE_CELL and bool(_DATE_LIKE.search(text))
