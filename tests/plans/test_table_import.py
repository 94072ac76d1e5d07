"""Importing a decomposition table (任务分解表) from Excel, and our own ledger back again."""

from __future__ import annotations

from io import BytesIO

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from plans.importers.table import TableRefused, read_table
from plans.models import Plan, PlanImport, Responsibility

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _workbook(rows: list[list], merges: list[str] = (), title: str = "分解表") -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for merged in merges:
        sheet.merge_cells(merged)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _tasks(structure: dict) -> list[dict]:
    return [task for section in structure["sections"] for task in section["tasks"]]


@pytest.mark.parametrize(
    "header",
    [
        ["序号", "重点任务", "目标/指标", "牵头单位", "配合单位", "完成时限"],
        ["编号", "工作任务", "主要指标", "牵头部门", "配合部门", "时间节点"],
        ["序 号", "任务内容", "工作目标", "责任单位（牵头）", "协同单位", "完成时间"],
        ["序号", "任务", "目标任务", "牵头单位", "责任单位", "完成时限"],
    ],
)
def test_columns_are_found_by_their_header_variants(header):
    data = _workbook(
        [
            ["某县2024年科技创新工作任务分解表"],
            header,
            [1, "培育高新技术企业", "全年净增高新技术企业310家", "县科技局", "县财政局", "2024年12月"],
        ]
    )
    result = read_table(data)
    assert result.structure["title"] == "某县2024年科技创新工作任务分解表"
    assert result.structure["year"] == 2024
    [task] = _tasks(result.structure)
    assert task["title"] == "培育高新技术企业"
    assert (task["lead"], task["co"]) == (["县科技局"], ["县财政局"])
    [target] = task["indicators"]
    assert (target["name"], target["value"], target["unit"], target["comparator"]) == (
        "净增高新技术企业",
        310,
        "家",
        "=",
    )
    assert task["deadline"] == "2024年12月"
    assert result.problems == []


def test_merged_sections_and_tasks_are_filled_down():
    data = _workbook(
        [
            ["序号", "板块", "重点任务", "目标/指标", "牵头单位", "配合单位"],
            [
                1,
                "(一)标志性工程提速",
                "壮大高新技术企业数量",
                "净增高新技术企业310家",
                "县科技局",
                "县财政局",
            ],
            [None, None, None, "科技型中小企业入库500家以上", None, None],
            [2, None, "建设创新平台", "新建省级平台2-3家", "县发改局", None],
            [3, "(二)平台能级提档", "引进研发机构", "引进研发机构5家", "县科技局", None],
        ],
        merges=["A2:A3", "B2:B4", "C2:C3", "E2:E3", "F2:F3"],
    )
    structure = read_table(data).structure
    first, second = structure["sections"]
    assert (first["label"], first["title"], first["theme"]) == ("(一)", "标志性工程提速", "提速")
    assert [t["title"] for t in first["tasks"]] == ["壮大高新技术企业数量", "建设创新平台"]
    firms = first["tasks"][0]
    assert [i["value"] for i in firms["indicators"]] == [310, 500]
    assert firms["indicators"][1]["comparator"] == ">="
    assert firms["lead"] == ["县科技局"] and firms["co"] == ["县财政局"]
    assert first["tasks"][1]["indicators"][0]["value_max"] == 3
    assert [t["title"] for t in second["tasks"]] == ["引进研发机构"]


def test_multi_line_cells_are_read_as_people_write_them():
    data = _workbook(
        [
            ["序号", "重点任务", "目标/指标", "牵头单位", "配合单位"],
            [
                1,
                "培育创新主体\n实施高企倍增计划，强化梯次培育。",
                "全年净增高新技术企业310家\n技术合同成交额突破10亿元",
                "县科技局\n县发改局",
                "县财政局、县市场监管局，县统计局等相关部门",
            ],
        ]
    )
    [task] = _tasks(read_table(data).structure)
    assert task["title"] == "培育创新主体"
    assert task["text"].endswith("强化梯次培育。")
    assert task["lead"] == ["县科技局", "县发改局"]
    assert task["co"] == ["县财政局", "县市场监管局", "县统计局"]
    assert [(i["value"], i["unit"], i["comparator"]) for i in task["indicators"]] == [
        (310, "家", "="),
        (10, "亿元", ">="),
    ]


def test_a_two_row_header_and_a_single_responsibility_column_are_understood():
    two_rows = _workbook(
        [
            ["序号", "重点任务", "目标/指标", "责任单位", None],
            [None, None, None, "牵头单位", "配合单位"],
            [1, "培育高新技术企业", "净增高企310家", "县科技局", "县财政局"],
        ],
        merges=["D1:E1"],
    )
    [task] = _tasks(read_table(two_rows).structure)
    assert (task["lead"], task["co"]) == (["县科技局"], ["县财政局"])
    marked = _workbook(
        [
            ["序号", "重点任务", "目标/指标", "责任单位"],
            [1, "培育高新技术企业", "净增高企310家", "县财政局、县科技局（牵头）"],
            [2, "建设创新平台", "新建平台2家", "县发改局、县科技局"],
        ]
    )
    first, second = _tasks(read_table(marked).structure)
    assert (first["lead"], first["co"]) == (["县科技局"], ["县财政局"])
    assert (second["lead"], second["co"]) == (["县发改局"], ["县科技局"])


def test_a_task_without_departments_in_columns_takes_them_from_its_text():
    data = _workbook(
        [
            ["序号", "重点任务", "目标/指标"],
            [1, "培育高新技术企业。（县科技局牵头，县财政局配合）", "净增高企310家"],
        ]
    )
    [task] = _tasks(read_table(data).structure)
    assert (task["lead"], task["co"]) == (["县科技局"], ["县财政局"])


def test_rows_that_cannot_be_read_are_reported_by_sheet_and_row_and_the_rest_imports():
    data = _workbook(
        [
            ["某县2024年工作任务分解表"],
            ["序号", "重点任务", "目标/指标", "牵头单位", "配合单位"],
            [1, "培育高新技术企业", "净增高企310家", "县科技局", "县财政局"],
            [2, None, "新建平台2家", "县科技局", None],
            [3, "建设创新平台", "新建平台2家", 12345, None],
            [4, "引进人才", "引进人才50名", "县人社局", "ABC"],
            [5, "深化科技合作", None, "县科技局", None],
        ],
        title="任务表",
    )
    result = read_table(data)
    assert [t["title"] for t in _tasks(result.structure)] == ["培育高新技术企业", "深化科技合作"]
    assert [(p.sheet, p.row) for p in result.problems] == [("任务表", 4), ("任务表", 5), ("任务表", 6)]
    messages = [str(p) for p in result.problems]
    assert "工作表“任务表”第4行" in messages[0] and "没有任务" in messages[0]
    assert "12345" in messages[1] and "数字" in messages[1]
    assert "ABC" in messages[2]


def test_a_workbook_without_a_header_is_refused_in_chinese():
    data = _workbook([["今年工作很多"], ["一、抓好创新", "二、抓好人才"]])
    with pytest.raises(TableRefused) as caught:
        read_table(data)
    assert "未能在该工作簿中识别出表头" in str(caught.value)
    with pytest.raises(TableRefused) as caught:
        read_table(b"PK\x03\x04 not a workbook at all")
    assert "损坏" in str(caught.value)


def _upload(client, regions, data: bytes, name: str = "分解表.xlsx"):
    return client.post(
        reverse("plans:import-start"),
        {"region": regions["county"].pk, "file": SimpleUploadedFile(name, data, content_type=XLSX)},
        follow=True,
    )


def test_a_table_uploaded_on_the_start_page_goes_to_the_review_with_its_bad_rows_listed(
    login, coordinator, regions
):
    data = _workbook(
        [
            ["某县2024年工作任务分解表"],
            ["序号", "重点任务", "目标/指标", "牵头单位", "配合单位"],
            [1, "培育高新技术企业", "净增高企310家", "县科技局", "县财政局"],
            [2, None, "新建平台2家", "县科技局", None],
        ]
    )
    response = _upload(login(coordinator), regions, data)
    plan_import = PlanImport.objects.get()
    assert response.redirect_chain[-1][0] == reverse("plans:import-review", args=[plan_import.pk])
    page = response.content.decode()
    assert "工作表“分解表”第4行：没有任务内容" in page
    assert "培育高新技术企业" in page
    assert plan_import.filename == "分解表.xlsx"
    assert plan_import.structure["skipped_rows"]


def test_a_table_without_a_header_is_refused_on_the_start_page(login, coordinator, regions):
    response = _upload(login(coordinator), regions, _workbook([["随便写点什么"]]))
    assert response.status_code == 200
    assert "未能在该工作簿中识别出表头" in response.content.decode()
    assert not PlanImport.objects.exists()


def test_an_excel_file_with_another_name_is_still_read_as_a_table(login, coordinator, regions):
    data = _workbook([["序号", "重点任务", "牵头单位"], [1, "培育高新技术企业", "县科技局"]])
    _upload(login(coordinator), regions, data, name="plan.bin")
    assert _tasks(PlanImport.objects.get().structure)[0]["lead"] == ["县科技局"]


def test_the_ledger_exported_and_imported_back_gives_the_same_plan(login, coordinator, regions, plan):
    client = login(coordinator)
    response = client.get(reverse("outputs:ledger-download", args=[plan.pk]), {"as_of": "2024-06"})
    ledger = b"".join(response.streaming_content)
    _upload(client, regions, ledger, name="台账.xlsx")
    plan_import = PlanImport.objects.get()
    assert plan_import.structure["skipped_rows"] == []
    confirmed = client.post(reverse("plans:import-confirm", args=[plan_import.pk]))
    assert confirmed.status_code == 302, confirmed.content.decode()[:2000]
    copy = Plan.objects.exclude(pk=plan.pk).get()
    assert copy.title == plan.title and copy.last_year == 2024

    def shape(p: Plan):
        tasks = []
        for section in p.sections.order_by("position"):
            for task in section.tasks.order_by("position"):
                roles = Responsibility.objects.filter(task=task).order_by("role", "position")
                tasks.append(
                    (
                        section.label,
                        section.title,
                        task.title,
                        task.list_kind,
                        [(r.role, r.department_id) for r in roles],
                        _targets(task.indicators.all()),
                    )
                )
        return tasks, _targets(p.indicators.filter(task__isnull=True))

    assert shape(copy) == shape(plan)


def _targets(indicators) -> list[tuple]:
    return [
        (i.name, i.target, i.target_max, i.unit, i.comparator, i.kind)
        for i in indicators.order_by("position")
    ]
