"""The ledger workbook (工作台账): what each user downloads, as bureaus print it."""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from io import BytesIO

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from departments.models import Department
from outputs import ledger as exports
from plans.models import Indicator, Milestone, Responsibility, Section, Task
from plans.periods import Period
from plans.services import create_plan
from tracking.models import ProgressReport

from ..conftest import PLAN_STRUCTURE, convert_to_pdf, make_report, owe, report_row

pytestmark = pytest.mark.django_db

LISTS = ["任务清单", "项目清单", "政策清单", "汇总"]
FIRMS = "净增高新技术企业"
BASES = "新认定省级基地"


@pytest.fixture
def reported(plan, departments):
    """Six months of figures on the 310 firms (behind pace), texts in June, a milestone, a base met."""
    firms = Indicator.objects.get(name=FIRMS)
    for month, value in enumerate([20, 40, 60, 80, 100, 120], start=1):
        make_report(
            indicator=firms,
            department=departments["bureau"],
            period=Period(2024, month),
            value=Decimal(value),
            status=ProgressReport.Status.APPROVED if month < 6 else ProgressReport.Status.SUBMITTED,
            progress=f"{month}月累计认定{value}家" if month == 6 else "",
            problems="申报材料质量不高" if month == 6 else "",
            next_steps="加强辅导" if month == 6 else "",
        )
    make_report(  # a draft never reaches the ledger
        indicator=firms, department=departments["bureau"], period=Period(2024, 7), value=Decimal(999)
    )
    bases = Indicator.objects.get(name=BASES)
    make_report(
        indicator=bases,
        department=departments["finance"],
        period=Period(2024, 6),
        value=Decimal(3),
        status=ProgressReport.Status.SUBMITTED,
    )
    Milestone.objects.create(task=firms.task, title="完成申报", due_date=date(2024, 9, 30))
    Milestone.objects.create(task=firms.task, title="完成认定", due_date=date(2024, 11, 30))
    return plan


def _download(client, plan, **params):
    response = client.get(reverse("outputs:ledger-download", args=[plan.pk]), {"as_of": "2024-06", **params})
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return openpyxl.load_workbook(BytesIO(b"".join(response.streaming_content)))


def _row_of(sheet, indicator_name: str) -> dict:
    headers = [cell.value for cell in sheet[exports.HEADER_ROW]]
    for row in sheet.iter_rows(min_row=exports.FIRST_DATA_ROW):
        if row[headers.index("指标")].value == indicator_name:
            return dict(zip(headers, row, strict=False))
    raise AssertionError(indicator_name)


def _indicator_names(workbook) -> set[str]:
    names = set()
    for title in LISTS[:3]:
        sheet = workbook[title]
        headers = [cell.value for cell in sheet[exports.HEADER_ROW]]
        for row in sheet.iter_rows(min_row=exports.FIRST_DATA_ROW, values_only=True):
            names.add(row[headers.index("指标")])
    return names - {None}


def test_coordinator_downloads_the_ledger_as_bureaus_print_it(login, coordinator, reported):
    workbook = _download(login(coordinator), reported)
    assert workbook.sheetnames == LISTS
    sheet = workbook["任务清单"]
    assert sheet["A1"].value == "测试县2024年科技创新工作台账(截至6月)"
    last = openpyxl.utils.get_column_letter(sheet.max_column)
    assert f"A1:{last}1" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet.freeze_panes == "D4"
    assert sheet.print_title_rows == "$3:$3"
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 9  # A4
    # one page wide: fitToWidth is 1 when absent (SpreadsheetML's default, which xlsxwriter leaves out)
    assert (sheet.page_setup.fitToWidth or 1) == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert [c.value for c in sheet[3]] == [
        *exports.HEAD_BEFORE,
        *(f"{m}月" for m in range(1, 7)),
        *exports.HEAD_AFTER,
    ]
    assert sheet.column_dimensions["C"].width == 24

    firms = _row_of(sheet, FIRMS)
    assert firms["任务"].value == "培育高新技术企业"
    assert firms["板块"].value == "(一)标志性工程提速"
    assert firms["目标值"].value == 310 and firms["单位"].value == "家"
    assert firms["牵头单位"].value == "县商务科技和工业信息化局"
    assert firms["配合单位"].value == "县财政局"
    assert [firms[f"{m}月"].value for m in range(1, 7)] == [20, 40, 60, 80, 100, 120]
    assert firms["最新值"].value == 120
    assert firms["完成率"].value == pytest.approx(120 / 310)
    assert firms["完成率"].number_format == "0.0%"
    assert firms["序时进度"].value == pytest.approx(0.5)
    assert firms["状态"].value == "滞后"
    assert firms["状态"].fill.fgColor.rgb.endswith("FFFF00")
    assert firms["进展情况"].value == "6月累计认定120家"
    assert firms["存在问题"].value == "申报材料质量不高"
    assert firms["下步计划"].value == "加强辅导"
    assert firms["完成时限"].value.date() == date(2024, 11, 30)
    assert firms["任务"].border.left.style == "thin"
    assert firms["进展情况"].alignment.wrap_text

    bases = _row_of(sheet, BASES)
    assert bases["目标值"].value == "2–3"
    assert bases["状态"].value == "已完成"
    assert bases["状态"].fill.fgColor.rgb.endswith(exports.FILLS["done"])

    goal = _row_of(sheet, "全社会研发经费投入增长")
    assert goal["板块"].value == "工作目标" and goal["目标值"].value == "≥12" and goal["单位"].value == "%"


def test_a_lagged_statistic_reads_not_yet_due_not_a_dash(login, coordinator, reported):
    """A yearly figure published six months on has no lamp in June: the row says why, in grey."""
    Indicator.objects.filter(name="全社会研发经费投入增长").update(data_frequency="yearly", data_lag_months=6)
    goal = _row_of(_download(login(coordinator), reported)["任务清单"], "全社会研发经费投入增长")
    assert goal["状态"].value == "未到期"
    assert goal["状态"].fill.fgColor.rgb.endswith(exports.FILLS["not_due"])


def test_summary_counts_lamps_by_section_and_by_department(login, coordinator, reported):
    sheet = _download(login(coordinator), reported)["汇总"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert rows[0] == ["板块", *exports.SUMMARY_HEAD]
    by_label = {row[0]: row for row in rows if row and row[0]}
    assert by_label["(一)标志性工程提速"][1:4] == [1, 0, 0] and by_label["(一)标志性工程提速"][4] == 1
    assert by_label["(二)平台能级提档"][2] == 1  # 已完成
    assert by_label["(二)平台能级提档"][-1] == pytest.approx(1.0)
    assert "牵头单位" in by_label
    assert by_label["县财政局"][2] == 1
    assert sheet.merged_cells.ranges and sheet["A1"].value.startswith("测试县2024年科技创新工作台账汇总")


def test_summary_counts_what_a_section_without_targets_owed(login, coordinator, departments, reported):
    """A section whose tasks are reported in words still owes reports: 板块 and 牵头单位 add up alike."""
    section = reported.sections.create(position=2, label="(三)", title="科技服务提效")
    task = Task.objects.create(section=section, position=0, number="1", title="建设科技大市场")
    Responsibility.objects.create(task=task, department=departments["finance"], role="lead")
    owe(reported)
    make_report(task=task, department=departments["finance"], period=Period(2024, 6), status="submitted")
    sheet = _download(login(coordinator), reported)["汇总"]
    head = ["板块", *exports.SUMMARY_HEAD]
    rows = [
        dict(zip(head, row, strict=True)) for row in sheet.iter_rows(min_row=4, values_only=True) if row[0]
    ]
    split = next(i for i, row in enumerate(rows) if row["板块"] == "牵头单位")
    sections, owing = rows[:split], rows[split + 1 :]
    added = next(row for row in sections if row["板块"] == "(三)科技服务提效")
    assert [added[k] for k in ("指标数", "应报", "按时报送", "未报")] == [0, 1, 1, 0]
    assert sum(row["应报"] for row in sections) == sum(row["应报"] for row in owing) == 3


def test_a_reporter_gets_only_the_rows_of_their_department(login, reporter, reported):
    names = _indicator_names(_download(login(reporter), reported))
    assert names == {FIRMS}  # not the finance office's bases, not the plan's goals


def test_a_co_responsible_office_sees_the_tasks_it_shares(login, departments, reported):
    from ..conftest import make_user

    finance_reporter = make_user("finance", departments["finance"], "reporter")
    names = _indicator_names(_download(login(finance_reporter), reported))
    assert names == {FIRMS, BASES}


def test_a_stranger_gets_404(login, stranger, reported):
    response = login(stranger).get(
        reverse("outputs:ledger-download", args=[reported.pk]), {"as_of": "2024-06"}
    )
    assert response.status_code == 404
    assert login(stranger).get(reverse("outputs:ledger-form", args=[reported.pk])).status_code == 404


def test_department_and_section_filters_narrow_the_rows(login, coordinator, departments, reported):
    client = login(coordinator)
    by_finance = _indicator_names(_download(client, reported, department=departments["finance"].pk))
    assert by_finance == {FIRMS, BASES}
    second = reported.sections.get(position=1)
    assert _indicator_names(_download(client, reported, section=second.pk)) == {BASES}
    sheet = _download(client, reported, section=second.pk)["任务清单"]
    assert "板块：(二)平台能级提档" in sheet["A2"].value


def test_a_department_outside_the_plan_is_refused(login, coordinator, departments, reported):
    response = login(coordinator).get(
        reverse("outputs:ledger-download", args=[reported.pk]),
        {"as_of": "2024-06", "department": departments["neighbour"].pk},
    )
    assert response.status_code == 400


def test_a_task_without_targets_has_one_row_with_its_latest_texts(login, coordinator, departments, reported):
    section = reported.sections.get(position=0)
    task = Task.objects.create(
        section=section, position=5, title="建设科技大市场", list_kind=Task.ListKind.PROJECT
    )
    Responsibility.objects.create(task=task, department=departments["bureau"], role="lead")
    owe(reported)
    for month, text in [(4, "完成选址"), (5, "开工建设")]:
        make_report(
            task=task,
            department=departments["bureau"],
            period=Period(2024, month),
            progress=text,
            status=ProgressReport.Status.SUBMITTED,
        )
    sheet = _download(login(coordinator), reported)["项目清单"]
    rows = list(sheet.iter_rows(min_row=exports.FIRST_DATA_ROW, values_only=True))
    assert len(rows) == 1
    headers = [c.value for c in sheet[exports.HEADER_ROW]]
    row = dict(zip(headers, rows[0], strict=True))
    assert row["任务"] == "建设科技大市场" and row["指标"] is None
    assert row["进展情况"] == "开工建设"
    assert row["状态"] == "—"


def test_a_tasks_cells_are_merged_over_its_targets(login, coordinator, regions, departments):
    structure = {**PLAN_STRUCTURE, "goals": []}
    structure["sections"] = [dict(PLAN_STRUCTURE["sections"][0])]
    task = dict(structure["sections"][0]["tasks"][0])
    task["indicators"] = [*task["indicators"], {**task["indicators"][0], "name": "新增科技型中小企业"}]
    structure["sections"][0]["tasks"] = [task]
    plan = create_plan(
        structure=structure,
        region=regions["county"],
        departments={"县科技局": departments["bureau"], "县财政局": departments["finance"]},
        status="active",
    )
    sheet = _download(login(coordinator), plan)["任务清单"]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A4:A5", "C4:C5", "G4:G5", "H4:H5", "B4:B5"} <= merged


def _big_plan(regions, departments, sections: int, tasks: int, in_words: int = 0):
    """`sections` × `tasks` tasks with a target each, and a last section of `in_words` tasks without."""
    task = PLAN_STRUCTURE["sections"][0]["tasks"][0]
    structure = {
        **PLAN_STRUCTURE,
        "sections": [
            {
                "label": f"({n})",
                "title": f"板块{n}",
                "theme": "",
                "tasks": [{**task, "number": str(t), "title": f"任务{n}-{t}"} for t in range(tasks)],
            }
            for n in range(sections)
        ],
    }
    if in_words:
        words = [
            {**task, "number": str(t), "title": f"文字任务{t}", "indicators": []} for t in range(in_words)
        ]
        structure["sections"].append({"label": "(文)", "title": "文字板块", "theme": "", "tasks": words})
    return owe(
        create_plan(
            structure=structure,
            region=regions["county"],
            departments={"县科技局": departments["bureau"], "县财政局": departments["finance"]},
            status="active",
        )
    )


@pytest.mark.parametrize("size", [(1, 1, 0), (6, 12, 5)])
def test_the_export_reads_a_fixed_number_of_queries(
    size, regions, departments, coordinator, django_assert_max_num_queries
):
    plan = _big_plan(regions, departments, *size)
    firms = list(Indicator.objects.filter(plan=plan, task__isnull=False))
    ProgressReport.objects.bulk_create(
        report_row(
            indicator=i,
            department=departments["bureau"],
            period=Period(2024, m),
            value=m,
            progress="进展",
            status="submitted",
        )
        for i in firms
        for m in range(1, 7)
    )
    for task in Task.objects.filter(section__plan=plan):
        Milestone.objects.create(task=task, title="节点", due_date=date(2024, 12, 31))
    plan = type(plan).objects.select_related("region", "issuing_department").get(pk=plan.pk)
    with django_assert_max_num_queries(16):
        ledger = exports.collect_ledger(
            plan, Period(2024, 6), seen_by=exports.visible_departments(plan, coordinator)
        )
        exports.write_ledger(ledger, BytesIO())
    assert len(ledger.lines) == size[0] * size[1] + 1 + size[2]
    assert sum(line.reporting.expected for line in ledger.by_section) == sum(
        line.reporting.expected for line in ledger.by_department
    )


def test_the_command_writes_the_same_workbook_as_the_button(login, coordinator, reported, tmp_path):
    out = tmp_path / "ledger.xlsx"
    call_command("export_ledger", str(reported.pk), "--as-of", "2024-06", "--out", str(out))
    from_command = openpyxl.load_workbook(out)
    from_button = _download(login(coordinator), reported)
    for name in LISTS:
        assert list(from_command[name].values) == list(from_button[name].values)


def test_the_command_takes_the_filters_and_a_users_view(reporter, departments, reported, tmp_path):
    out = tmp_path / "ledger.xlsx"
    call_command(
        "export_ledger", str(reported.pk), "--as-of", "2024-06", "--out", str(out), "--user", "reporter"
    )
    assert _indicator_names(openpyxl.load_workbook(out)) == {FIRMS}


def test_the_plan_page_offers_the_download(login, reporter, reported):
    client = login(reporter)
    page = client.get(reverse("plans:plan-detail", args=[reported.pk])).content.decode()
    form_url = reverse("outputs:ledger-form", args=[reported.pk])
    assert f'hx-get="{form_url}"' in page and f'href="{form_url}"' in page
    fragment = client.get(form_url, HTTP_HX_REQUEST="true").content.decode()
    assert reverse("outputs:ledger-download", args=[reported.pk]) in fragment
    assert 'name="as_of"' in fragment and 'name="department"' in fragment and 'name="section"' in fragment
    assert "<html" not in fragment
    assert "下载台账" in client.get(form_url).content.decode()


HYPERLINK, PLUS, MINUS, AT = '=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)"


def _formulas(workbook) -> list[str]:
    return [
        f"{sheet.title}!{cell.coordinate}"
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


def test_names_and_texts_that_look_like_formulas_are_written_as_text(
    login, coordinator, departments, reported
):
    firms = Indicator.objects.get(name=FIRMS)
    Section.objects.filter(pk=firms.task.section_id).update(label="", title=AT)
    Task.objects.filter(pk=firms.task_id).update(title=HYPERLINK)
    Indicator.objects.filter(pk=firms.pk).update(name=PLUS)
    Department.objects.filter(pk=departments["bureau"].pk).update(name=MINUS)
    ProgressReport.objects.filter(obligation__indicator=firms, period=Period(2024, 6)).update(
        progress=HYPERLINK, problems=PLUS, next_steps=MINUS
    )

    workbook = _download(login(coordinator), reported)

    assert _formulas(workbook) == []
    row = _row_of(workbook["任务清单"], PLUS)
    typed = {"板块": AT, "任务": HYPERLINK, "指标": PLUS, "牵头单位": MINUS, "进展情况": HYPERLINK}
    typed |= {"存在问题": PLUS, "下步计划": MINUS}
    for heading, text in typed.items():
        cell = row[heading]
        assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True), heading
    assert [(row[f"{m}月"].value, row[f"{m}月"].data_type) for m in (1, 6)] == [(20, "n"), (120, "n")]
    assert (row["目标值"].value, row["目标值"].data_type) == (310, "n")
    assert row["完成率"].data_type == "n" and row["完成率"].number_format == "0.0%"
    summary = {sheet_row[0].value: sheet_row[0] for sheet_row in workbook["汇总"].iter_rows(min_row=4)}
    for label in (AT, MINUS):
        assert (summary[label].data_type, summary[label].quotePrefix) == ("s", True)


@pytest.mark.skipif(shutil.which("libreoffice") is None, reason="LibreOffice is not installed")
def test_the_ledger_converts_to_pdf_with_libreoffice(login, coordinator, reported, tmp_path):
    response = login(coordinator).get(
        reverse("outputs:ledger-download", args=[reported.pk]), {"as_of": "2024-06"}
    )
    source = tmp_path / "ledger.xlsx"
    source.write_bytes(b"".join(response.streaming_content))
    assert convert_to_pdf(source, tmp_path).startswith(b"%PDF")
