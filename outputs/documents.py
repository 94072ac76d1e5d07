"""Word documents the task force sends: the monthly bulletin (情况通报) and the 督办单.

Both are built with python-docx from the rows of `progress.plan_status`, so the bulletin
carries the same figures as the cockpit and the ledger; nothing here reads a request. The
documents are meant to be edited before they are sent (a bureau always rewords the prose), so
they use plain paragraphs and tables in the fonts of a government document (GB/T 9704: A4,
仿宋_GB2312 三号 body, 黑体 headings, 方正小标宋简体 title) rather than anything locked.

Word picks the font of Chinese characters from the East Asian slot of a run's fonts
(`w:rFonts/@w:eastAsia`), not from its plain name, so every run sets both.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from io import BytesIO

from django.utils import timezone
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table

from departments import clock
from plans import numbers
from plans.models import Plan
from plans.numbers import points
from plans.periods import Period
from tracking import status
from tracking.models import FollowUp
from tracking.progress import Group, PlanStatus, Row, plan_status

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
BODY_FONT = "仿宋_GB2312"
TABLE_FONT = "仿宋_GB2312"
LATIN_FONT = "Times New Roman"
BODY_SIZE = Pt(16)  # 三号
TABLE_SIZE = Pt(10.5)  # 五号
TITLE_SIZE = Pt(22)  # 二号
LINE = Pt(28)  # fixed line pitch of a printed 公文 (22 lines a page)

LAMP_ORDER = [status.Lamp.DONE, status.Lamp.GREEN, status.Lamp.YELLOW, status.Lamp.RED]
NUMERALS = "一二三四五六七八九十"


# --- numbers as a bureau writes them ----------------------------------------------------


def plain(number: Decimal | None, unit: str = "") -> str:
    """310.0000 → 310家; a document writes — where there is no figure."""
    return numbers.plain(number, unit, empty="—")


def percent(share: float | Decimal | None) -> str:
    return numbers.percent(share, empty="—")


def monthly(number: Decimal | None, unit: str) -> str:
    """A monthly pace to one decimal: 25.83 → 25.8家."""
    if number is None:
        return "—"
    return plain(Decimal(number).quantize(Decimal("0.1")), unit)


# --- python-docx plumbing ---------------------------------------------------------------


def _font(run, name: str, size: Pt, bold: bool = False) -> None:
    """Set a run's Latin and East Asian fonts: Word uses the latter for Chinese characters."""
    run.font.name = LATIN_FONT if name == BODY_FONT else name
    run.font.size = size
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _new_document() -> Document:
    """An empty A4 portrait document with 公文 margins and the body font as its default."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = LATIN_FONT, BODY_SIZE
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    return document


def _page_numbers(document: Document) -> None:
    """— 1 — centred in the footer: a PAGE field, so Word and LibreOffice count the pages."""
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(paragraph.add_run("— "), BODY_FONT, Pt(14))
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    _font(paragraph.add_run(" —"), BODY_FONT, Pt(14))


def _title(document: Document, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(16)
    paragraph.paragraph_format.line_spacing = Pt(36)
    _font(paragraph.add_run(text), TITLE_FONT, TITLE_SIZE)


def _heading(document: Document, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.first_line_indent = Pt(32)
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph.paragraph_format.line_spacing = LINE
    _font(paragraph.add_run(text), HEADING_FONT, BODY_SIZE)


def _paragraph(document: Document, text: str, *, indent: bool = True, align=None) -> None:
    paragraph = document.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.first_line_indent = Pt(32) if indent else None
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE
    fmt.space_after = Pt(0)
    if align is not None:
        paragraph.alignment = align
    _font(paragraph.add_run(text), BODY_FONT, BODY_SIZE)


def _caption(document: Document, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_before = Pt(6)
    paragraph.paragraph_format.space_after = Pt(3)
    _font(paragraph.add_run(text), HEADING_FONT, Pt(12))


def _table(
    document: Document,
    header: Sequence[str],
    rows: Iterable[Sequence[str]],
    widths: Sequence[float] = (),
    left: Sequence[int] = (),
) -> Table:
    """A bordered table, header in 黑体, figures centred, the `left` columns (names) flush left."""
    rows = [list(row) for row in rows]
    table = document.add_table(rows=1 + len(rows), cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for r, values in enumerate([list(header), *rows]):
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            paragraph = cell.paragraphs[0]
            flush = r and c in left
            paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT if flush else WD_ALIGN_PARAGRAPH.CENTER
            _font(paragraph.add_run(str(value)), HEADING_FONT if r == 0 else TABLE_FONT, TABLE_SIZE)
            if widths:
                cell.width = Cm(widths[c])
    # the header row repeats on every page a long table runs over
    header_row = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header_row.append(repeat)
    if widths:
        # LibreOffice lays a table out by its grid columns, Word by its cells: set both
        table.autofit = False
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Cm(width)
    return table


def to_bytes(document: Document) -> bytes:
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- the monthly bulletin ---------------------------------------------------------------


def bulletin_title(plan: Plan, period: Period) -> str:
    return f"关于{plan.title}推进情况的通报（{period.year}年{period.month}月）"


def bulletin_filename(plan: Plan, period: Period) -> str:
    return f"{plan.title}情况通报{period}.docx"


def bulletin(plan: Plan, period: Period, *, today: date | None = None) -> Document:
    """The bulletin of a plan's month, from the same `plan_status` the cockpit reads."""
    return bulletin_document(plan, plan_status([plan], period), today=today or clock.today())


def _sentence_list(items: Sequence[str]) -> str:
    return "、".join(items)


def _overview(name: str, period: Period, result: PlanStatus, measure: str) -> list[str]:
    """The prose of part one, every figure taken from the totals; `measure` names the 序时进度."""
    totals = result.totals
    counts = totals.counts
    awaiting = counts[status.NOT_DUE] + counts[status.PENDING]
    no_figure = len(result.rows) - sum(counts.values())
    first = (
        f"截至{period.month}月底，{name}共设定量指标{len(result.rows)}项，其中已完成"
        f"{counts[status.Lamp.DONE]}项、正常推进{counts[status.Lamp.GREEN]}项、滞后"
        f"{counts[status.Lamp.YELLOW]}项、严重滞后{counts[status.Lamp.RED]}项"
    )
    if awaiting:
        first += f"，另有{awaiting}项统计数据未到期或待发布"
    if no_figure:
        first += f"，{no_figure}项尚无填报数据"
    first += "。"
    judged = sum(counts[lamp] for lamp in LAMP_ORDER)
    second = f"按{measure}衡量"
    if judged:
        on_course = counts[status.Lamp.DONE] + counts[status.Lamp.GREEN]
        second += (
            f"，已评价的{judged}项指标中达到或超过序时进度的{on_course}项，占{percent(on_course / judged)}；"
            f"指标平均完成率为{percent(totals.completion)}"
        )
    else:
        second += "，本月尚无可评价的指标"
    second += "。"
    lagging = result.lagging
    if lagging:
        worst = lagging[0]
        second += (
            f"滞后和严重滞后指标共{len(lagging)}项（见落后清单），其中差距最大的是“{worst.indicator.name}”，"
            f"完成率{percent(worst.completion)}，落后序时进度{points(worst.gap)}。"
        )
    return [first, second]


def _section_name(group: Group) -> str:
    """“推进五大重点项目”板块: the title without its numbering, for prose."""
    section = group.rows[0].section
    return f"“{section.title}”板块" if section is not None else "工作目标"


def _section_rows(groups: Sequence[Group]) -> list[list[str]]:
    return [
        [
            group.label,
            str(len(group.rows)),
            *(str(group.counts[lamp]) for lamp in LAMP_ORDER),
            percent(group.completion),
        ]
        for group in groups
    ]


def _ranked_by_completion(groups: Sequence[Group]) -> list[Group]:
    return sorted(groups, key=lambda g: (g.completion is None, -(g.completion or 0), g.label))


def _ranked_by_on_time(groups: Sequence[Group]) -> list[Group]:
    return sorted(groups, key=lambda g: (-(g.on_time or 0), g.label))


def _lagging_rows(rows: Sequence[Row]) -> list[list[str]]:
    found = []
    for number, row in enumerate(rows, 1):
        unit = row.indicator.unit
        found.append(
            [
                str(number),
                row.indicator.name,
                row.lead.name if row.lead else "—",
                plain(row.value, unit),
                row.indicator.target_label or "—",
                percent(row.completion),
                percent(row.expected),
                "—" if row.gap is None else f"{row.gap * 100:.0f}",
                monthly(row.pace.needed, unit) if row.pace else "—",
            ]
        )
    return found


def bulletin_document(plan: Plan, result: PlanStatus, *, today: date) -> Document:
    """The 情况通报 as a Document: prose first, then the tables a reader checks it against."""
    period = result.period
    document = _new_document()
    _page_numbers(document)
    _title(document, bulletin_title(plan, period))
    _paragraph(document, "各有关单位：", indent=False)
    _paragraph(
        document,
        f"现将{plan.title}截至{period.year}年{period.month}月底的推进情况通报如下。",
    )

    _heading(document, "一、总体进展")
    expected = status.expected_progress(plan.first_year, plan.last_year, period.year, period.month)
    for text in _overview(plan.title, period, result, f"序时进度{percent(expected)}"):
        _paragraph(document, text)
    _lamp_table(document, result)

    sections = [group for group in result.sections if group.rows]
    _heading(document, "二、分板块推进情况")
    judged = [group for group in sections if group.completion is not None]
    if len(judged) >= 2:
        best = max(judged, key=lambda g: g.completion)
        worst = min(judged, key=lambda g: g.completion)
        _paragraph(
            document,
            f"分板块看，{_section_name(best)}平均完成率最高，为{percent(best.completion)}；"
            f"{_section_name(worst)}最低，为{percent(worst.completion)}"
            + (
                f"，有滞后和严重滞后指标{worst.counts['yellow'] + worst.counts['red']}项。"
                if worst.rows
                else "。"
            ),
        )
    else:
        _paragraph(document, f"计划共{len(sections)}个板块，各板块指标推进情况见表2。")
    _caption(document, "表2  分板块推进情况")
    _table(
        document,
        ["板块", "指标数", *(str(status.Lamp(lamp).label) for lamp in LAMP_ORDER), "平均完成率"],
        _section_rows(sections),
        widths=(5.6, 1.4, 1.5, 1.5, 1.5, 1.6, 2.5),
        left=(0,),
    )

    _departments_part(document, result)
    _lagging_part(document, result)
    _heading(document, "五、进度填报情况")
    text = _reporting_text(result)
    deadline = plan.on_time_until(period)
    if today <= deadline:
        text += (
            f"（本月填报截止至{deadline.month}月{deadline.day}日，"
            f"以上为截至{today.month}月{today.day}日的情况。）"
        )
    _paragraph(document, text)
    signer = plan.issuing_department.name if plan.issuing_department_id else f"{plan.region.name}工作专班"
    _closing(document, signer, today)
    return document


def _lamp_table(document: Document, result: PlanStatus) -> None:
    """表1: how many targets stand where, and their share."""
    counts = result.totals.counts
    total = len(result.rows)
    _caption(document, "表1  指标推进状态统计")
    lamp_rows = [[str(status.Lamp(lamp).label), str(counts[lamp])] for lamp in reversed(LAMP_ORDER)]
    lamp_rows += [
        [str(status.Availability(key).label), str(counts[key])] for key in (status.NOT_DUE, status.PENDING)
    ]
    no_figure = total - sum(counts.values())
    if no_figure:
        lamp_rows.append(["尚无数据", str(no_figure)])
    lamp_rows = [[label, n, percent(int(n) / total) if total else "—"] for label, n in lamp_rows]
    lamp_rows.append(["合计", str(total), "100%" if total else "—"])
    _table(document, ["推进状态", "指标数（项）", "占比"], lamp_rows, widths=(5, 4, 4))


def _departments_part(document: Document, result: PlanStatus) -> None:
    """三: lead departments ranked by completion (表3) and by on-time reporting (表4)."""
    departments = result.departments
    for group in departments:  # a region's departments carry their region's name (`combined_status`)
        group.label = result.names.get(group.key) or group.label
    by_completion = _ranked_by_completion(departments)
    by_on_time = _ranked_by_on_time([g for g in result.reporting_departments if g.reporting.expected])
    _heading(document, "三、牵头单位推进情况")
    ranked = [g for g in by_completion if g.completion is not None]
    if ranked:
        # the leading and trailing thirds at most, so that no department is named in both
        k = min(3, len(ranked) // 2) if len(ranked) >= 2 else 1
        text = f"按牵头指标平均完成率排序，{_sentence_list([g.label for g in ranked[:k]])}位居前列"
        if len(ranked) >= 2:
            text += f"；{_sentence_list([g.label for g in ranked[-k:][::-1]])}排名靠后，需加快推进"
        _paragraph(document, text + "。")
    _caption(document, "表3  牵头单位完成率排名")
    _table(
        document,
        ["名次", "牵头单位", "指标数", "滞后", "严重滞后", "平均完成率"],
        [
            [
                str(rank),
                g.label,
                str(len(g.rows)),
                str(g.counts["yellow"]),
                str(g.counts["red"]),
                percent(g.completion),
            ]
            for rank, g in enumerate(by_completion, 1)
        ],
        widths=(1.4, 6.2, 1.6, 1.6, 1.8, 2.6),
        left=(1,),
    )
    _caption(document, "表4  牵头单位按时填报排名")
    _table(
        document,
        ["名次", "牵头单位", "应报", "按时", "迟报", "未报", "按时填报率"],
        [
            [
                str(rank),
                g.label,
                str(g.reporting.expected),
                *(str(n) for n in (g.reporting.on_time, g.reporting.late, g.reporting.outstanding)),
            ]
            + [percent(g.on_time)]
            for rank, g in enumerate(by_on_time, 1)
        ],
        widths=(1.4, 5.6, 1.3, 1.3, 1.3, 1.3, 2.4),
        left=(1,),
    )


def _lagging_part(document: Document, result: PlanStatus) -> None:
    """四: the 落后清单 (表5), the furthest behind first."""
    period = result.period
    _heading(document, "四、落后清单")
    lagging = result.lagging
    if lagging:
        _paragraph(
            document,
            f"截至{period.month}月底，滞后和严重滞后指标共{len(lagging)}项，按落后序时进度的差距由大到小排列如下。",
        )
        _caption(document, "表5  落后清单")
        _table(
            document,
            ["序号", "指标", "牵头单位", "当前值", "目标", "完成率", "序时进度", "差距（百分点）", "需月均"],
            _lagging_rows(lagging),
            widths=(0.9, 3.4, 2.6, 1.6, 1.6, 1.3, 1.3, 1.5, 1.4),
            left=(1, 2),
        )
    else:
        _paragraph(document, "本月无滞后和严重滞后指标。")


def _reporting_text(result: PlanStatus) -> str:
    """五: what was owed this month, and who reported late or not at all."""
    period = result.period
    reporting, owing = result.reporting, result.reporting_departments
    text = (
        f"{period.month}月应报送进度{reporting.expected}项，按时报送{reporting.on_time}项、"
        f"迟报{reporting.late}项、未报{reporting.outstanding}项。"
    )
    late = [(g.label, g.reporting.late) for g in owing if g.reporting.late]
    missing = [(g.label, g.reporting.outstanding) for g in owing if g.reporting.outstanding]
    if late:
        text += "迟报单位：" + _sentence_list([f"{name}（{n}项）" for name, n in late]) + "。"
    if missing:
        text += "未报单位：" + _sentence_list([f"{name}（{n}项）" for name, n in missing]) + "。"
    if not late and not missing:
        text += "各牵头单位均按时填报。"
    return text


def _closing(document: Document, signer: str, today: date) -> None:
    """六: what is asked next, then the signer and the date."""
    _heading(document, "六、下步工作要求")
    _paragraph(
        document,
        "请各牵头单位对照落后清单，逐项分析滞后原因，明确整改措施和完成时限，倒排工期、挂图作战；"
        "请各单位严格按照填报时限报送月度进度，确保数据真实准确，确保全年目标任务顺利完成。",
    )
    _paragraph(document, "")
    _paragraph(document, signer, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph(
        document, f"{today.year}年{today.month}月{today.day}日", indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT
    )


# --- the bulletin of a region's plans -----------------------------------------------------


def region_bulletin_title(region, period: Period) -> str:
    return f"关于{region.name}科技创新工作推进情况的通报（{period.year}年{period.month}月）"


def region_bulletin_filename(region, period: Period) -> str:
    return f"{region.name}情况通报{period}.docx"


def _plan_rows(parts: Sequence[tuple[Plan, PlanStatus]]) -> list[list[str]]:
    rows = []
    for plan, result in parts:
        group = result.totals
        rows.append(
            [
                plan.title,
                plan.region.name,
                str(len(result.rows)),
                *(str(group.counts[lamp]) for lamp in LAMP_ORDER),
                percent(group.completion),
                percent(result.reporting.on_time_rate),
            ]
        )
    return rows


def region_bulletin_document(
    region, parts: Sequence[tuple[Plan, PlanStatus]], result: PlanStatus, *, today: date
) -> Document:
    """The 情况通报 of a region's plans: the plan bulletin's parts over all of them (`result` holds
    every plan's rows), with a table by plan in place of the sections."""
    period = result.period
    document = _new_document()
    _page_numbers(document)
    _title(document, region_bulletin_title(region, period))
    _paragraph(document, "各有关单位：", indent=False)
    name = f"{region.name}{len(parts)}个工作计划"
    _paragraph(document, f"现将{name}截至{period.year}年{period.month}月底的推进情况通报如下。")

    _heading(document, "一、总体进展")
    for text in _overview(name, period, result, "各计划的序时进度"):
        _paragraph(document, text)
    _lamp_table(document, result)

    _heading(document, "二、分计划推进情况")
    _paragraph(document, f"纳入本次通报的计划共{len(parts)}个，各计划指标推进和填报情况见表2。")
    _caption(document, "表2  分计划推进情况")
    _table(
        document,
        [
            "计划",
            "地区",
            "指标数",
            *(str(status.Lamp(lamp).label) for lamp in LAMP_ORDER),
            "平均完成率",
            "按时填报率",
        ],
        _plan_rows(parts),
        widths=(4.4, 1.8, 1.1, 1.2, 1.2, 1.2, 1.4, 1.6, 1.7),
        left=(0, 1),
    )

    _departments_part(document, result)
    _lagging_part(document, result)
    _heading(document, "五、进度填报情况")
    text = _reporting_text(result)
    deadline = max(plan.on_time_until(period) for plan, _ in parts)
    if today <= deadline:
        text += f"（部分计划本月填报尚未截止，以上为截至{today.month}月{today.day}日的情况。）"
    _paragraph(document, text)
    _closing(document, f"{region.name}工作专班", today)
    return document


# --- the 督办单 --------------------------------------------------------------------------


def follow_up_filename(follow_up: FollowUp) -> str:
    return f"督办单{follow_up.period}-{follow_up.sequence:02d}.docx"


def follow_up_document(follow_up: FollowUp) -> Document:
    """A one-page 督办单: what lags, by how much, who answers and by when, and room for the answer."""
    document = _new_document()
    plan = follow_up.plan
    _title(document, "督  办  单")
    number = document.add_paragraph()
    number.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _font(number.add_run(follow_up.number), BODY_FONT, BODY_SIZE)

    indicator, task = follow_up.indicator, follow_up.task
    unit = indicator.unit if indicator else ""
    owner_task = indicator.task if indicator else task
    issuer = plan.issuing_department.name if plan.issuing_department_id else f"{plan.region.name}工作专班"
    due = follow_up.response_due
    issued = timezone.localtime(follow_up.issued_at)
    rows = [
        ("所属计划", plan.title),
        (
            "督办事项",
            f"{owner_task.section.label}{owner_task.section.title} {owner_task}"
            if owner_task
            else "工作目标",
        ),
        ("指标", indicator.name if indicator else "—"),
        ("目标", indicator.target_label if indicator else "—"),
        (f"当前值（截至{follow_up.period.label}）", plain(follow_up.value, unit)),
        ("完成率 / 序时进度", f"{percent(follow_up.completion)} / {percent(follow_up.expected)}"),
        ("差距", f"落后序时进度{points(follow_up.gap)}（{status.state_label(follow_up.lamp)}）"),
        ("牵头单位", follow_up.department.name),
        ("督办要求", follow_up.note or "请分析滞后原因，提出整改措施和完成时限。"),
        ("反馈时限", f"{due.year}年{due.month}月{due.day}日前"),
        ("督办单位", issuer),
        ("签发日期", f"{issued.year}年{issued.month}月{issued.day}日"),
    ]
    table = document.add_table(rows=len(rows) + 1, cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    table.columns[0].width, table.columns[1].width = Cm(4.4), Cm(11.2)
    for r, (label, value) in enumerate(rows):
        _cell(table, r, label, value)
    answer = follow_up.response if not follow_up.is_open else ""
    _cell(table, len(rows), "办理情况", answer)
    for table_row in table.rows:
        table_row.height = Cm(0.85)
    table.rows[len(rows)].height = Cm(6.5)
    note = document.add_paragraph()
    note.paragraph_format.space_before = Pt(8)
    _font(
        note.add_run(
            f"请牵头单位于{due.month}月{due.day}日前将办理情况在系统“本月待办”中反馈，或书面报送督办单位。"
        ),
        BODY_FONT,
        Pt(12),
    )
    return document


def _cell(table: Table, row: int, label: str, value: str) -> None:
    left, right = table.cell(row, 0), table.cell(row, 1)
    left.width, right.width = Cm(4.4), Cm(11.2)
    left.vertical_alignment = right.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    left.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(left.paragraphs[0].add_run(label), HEADING_FONT, Pt(14))
    _font(right.paragraphs[0].add_run(value), BODY_FONT, Pt(14))
