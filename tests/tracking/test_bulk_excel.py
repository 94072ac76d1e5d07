"""Bulk entry in Excel: the template a department downloads, the upload check, the confirm."""

from __future__ import annotations

import re
from decimal import Decimal
from io import BytesIO

import openpyxl
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl.utils import get_column_letter

from departments.models import Role
from plans.models import Indicator, Responsibility, Section, Task
from plans.periods import Period
from tracking import excel, services
from tracking.models import BulkUpload, ProgressReport

from ..conftest import make_report, make_user, owe

pytestmark = pytest.mark.django_db

JUNE, MAY = Period(2024, 6), Period(2024, 5)
COL = {column.field: get_column_letter(index) for index, column in enumerate(excel.COLUMNS, start=1)}
FIRST = excel.FIRST_DATA_ROW


@pytest.fixture(autouse=True)
def june(settings, tmp_path):
    """June 2024, June's window open; uploads kept in a throwaway MEDIA_ROOT."""
    settings.REPORTING_TODAY = "2024-06-24"
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def target(plan) -> Indicator:
    """净增高新技术企业 310家: led by the bureau, so the reporter's item."""
    return plan.indicators.get(name="净增高新技术企业")


@pytest.fixture
def narrative(plan, departments) -> Task:
    """A task without a number, led by the bureau: reported in words only."""
    section = Section.objects.create(plan=plan, position=5, label="(三)", title="服务效能提效")
    task = Task.objects.create(section=section, position=0, number="1", title="优化科技服务")
    Responsibility.objects.create(task=task, department=departments["bureau"], role=Responsibility.Role.LEAD)
    owe(plan)
    return task


def report(departments, period=JUNE, **fields) -> ProgressReport:
    return make_report(department=departments["bureau"], period=period, **fields)


def download(client) -> openpyxl.Workbook:
    response = client.get(reverse("tracking:bulk-template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return openpyxl.load_workbook(BytesIO(response.content))


def row_of(sheet, key: str) -> int:
    for cell in sheet[COL["key"]]:
        if cell.value == key:
            return cell.row
    raise AssertionError(f"no row for {key}")


def as_bytes(workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, data: bytes, name: str = "六月填报.xlsx"):
    file = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    return client.post(reverse("tracking:bulk-upload"), {"file": file})


def filled(client, key: str, **cells) -> bytes:
    """The downloaded template with the given cells of one row typed in."""
    workbook = download(client)
    sheet = workbook.active
    row = row_of(sheet, key)
    for name, value in cells.items():
        sheet[f"{COL[name]}{row}"] = value
    return as_bytes(workbook)


def preview(client, data: bytes, name: str = "六月填报.xlsx"):
    response = upload(client, data, name)
    assert response.status_code == 302, response.content.decode()[:2000]
    token = response.url.rstrip("/").split("/")[-1]
    page = client.get(response.url)
    assert page.status_code == 200
    return token, page.content.decode()


def shown_versions(page: str) -> dict[str, str]:
    return dict(re.findall(r'name="(version-[its]\d+)" value="(\d+)"', page))


def confirm(client, token: str, versions: dict | None = None, **extra):
    """Press the preview's confirm button: post the versions it shows (or the given ones)."""
    if versions is None:
        versions = shown_versions(client.get(reverse("tracking:bulk-preview", args=[token])).content.decode())
    return client.post(reverse("tracking:bulk-confirm", args=[token]), {**versions, **extra}, follow=True)


# --- the template --------------------------------------------------------------------------


def test_template_lists_the_departments_items_with_units_last_values_and_drafts(
    login, reporter, departments, target
):
    report(departments, MAY, indicator=target, value=Decimal("120"), status=ProgressReport.Status.APPROVED)
    report(
        departments, JUNE, indicator=target, value=Decimal("150"), progress="已认定30家", problems="缺人手"
    )

    sheet = download(login(reporter)).active

    assert sheet[f"{COL['plan']}1"].value == "县商务科技和工业信息化局 2024年6月进度填报"
    headers = [sheet.cell(excel.HEADER_ROW, i).value for i in range(4, len(excel.COLUMNS) + 1)]
    assert headers == [
        "计划",
        "板块/任务",
        "指标",
        "目标值",
        "单位",
        "上月值",
        "状态",
        "本月累计值",
        "进展情况",
        "存在问题",
        "下步计划",
    ]
    row = row_of(sheet, f"i{target.pk}")
    cell = {name: sheet[f"{letter}{row}"].value for name, letter in COL.items()}
    assert cell["period"] == "2024-06"
    assert cell["plan"] == "测试县科技局2024年工作计划"
    assert cell["task"] == "(一)标志性工程提速 / 1. 培育高新技术企业"
    assert cell["indicator"] == "净增高新技术企业"
    assert (cell["target"], cell["unit"], cell["previous"]) == ("310家", "家", 120)
    assert (cell["status"], cell["value"], cell["progress"]) == ("草稿", 150, "已认定30家")
    assert (cell["problems"], cell["next_steps"]) == ("缺人手", None)


def test_template_is_protected_with_only_entry_cells_unlocked_and_header_frozen(login, reporter, target):
    sheet = download(login(reporter)).active
    row = row_of(sheet, f"i{target.pk}")

    assert sheet.protection.sheet is True
    assert sheet.freeze_panes == f"A{FIRST}"
    for name in ("value", "progress", "problems", "next_steps"):
        assert sheet[f"{COL[name]}{row}"].protection.locked is False, name
    for name in ("key", "plan", "indicator", "target", "unit", "previous", "status"):
        assert sheet[f"{COL[name]}{row}"].protection.locked is True, name
    assert sheet.column_dimensions[COL["key"]].hidden
    assert sheet[f"{COL['progress']}{row}"].alignment.wrap_text
    prompts = [dv.prompt for dv in sheet.data_validations.dataValidation if dv.prompt]
    assert any("单位：家" in prompt for prompt in prompts)


def test_submitted_and_approved_rows_are_in_the_template_but_locked(
    login, reporter, departments, target, narrative
):
    report(departments, indicator=target, value=Decimal("150"), status=ProgressReport.Status.SUBMITTED)
    report(departments, task=narrative, progress="已完成", status=ProgressReport.Status.APPROVED)

    sheet = download(login(reporter)).active

    submitted, approved = row_of(sheet, f"i{target.pk}"), row_of(sheet, f"t{narrative.pk}")
    assert sheet[f"{COL['status']}{submitted}"].value == "已提交（锁定）"
    assert sheet[f"{COL['status']}{approved}"].value == "已审核（锁定）"
    for row in (submitted, approved):
        for name in ("value", "progress", "problems", "next_steps"):
            assert sheet[f"{COL[name]}{row}"].protection.locked is True


def test_a_narrative_task_has_its_texts_open_and_no_value_cell(login, reporter, narrative):
    sheet = download(login(reporter)).active
    row = row_of(sheet, f"t{narrative.pk}")

    assert sheet[f"{COL['indicator']}{row}"].value == "（文字进展，无量化指标）"
    assert sheet[f"{COL['value']}{row}"].protection.locked is True
    assert sheet[f"{COL['progress']}{row}"].protection.locked is False
    assert sheet[f"{COL['status']}{row}"].value == "未填报"


def test_a_returned_report_carries_the_reviewers_reason(login, reporter, departments, target):
    report(
        departments, indicator=target, value=Decimal("9"), status="returned", return_reason="数值与台账不一致"
    )
    sheet = download(login(reporter)).active
    status = sheet[f"{COL['status']}{row_of(sheet, f'i{target.pk}')}"]
    assert status.value == "已退回，请修改"
    assert "数值与台账不一致" in status.comment.text


@pytest.mark.parametrize("extra", [0, 25])
def test_template_download_takes_the_same_queries_for_one_item_or_many(
    login, reporter, departments, plan, target, extra, django_assert_max_num_queries
):
    task = target.task
    for n in range(extra):
        indicator = Indicator.objects.create(
            plan=plan,
            task=task,
            position=n + 1,
            name=f"指标{n}",
            unit="项",
            kind="count",
            comparator=">=",
            target=10,
        )
        owe(plan)
        report(departments, MAY, indicator=indicator, value=n)
        report(departments, JUNE, indicator=indicator, value=n + 1, progress="进展")
        section = Section.objects.create(plan=plan, position=10 + n, label=f"({n + 10})", title=f"板块{n}")
        narrative = Task.objects.create(section=section, position=0, title=f"任务{n}")
        Responsibility.objects.create(task=narrative, department=departments["bureau"], role="lead")
    owe(plan)
    client = login(reporter)

    with django_assert_max_num_queries(9):
        response = client.get(reverse("tracking:bulk-template"))

    sheet = openpyxl.load_workbook(BytesIO(response.content)).active
    assert sheet.max_row == excel.HEADER_ROW + 1 + 2 * extra


# --- upload, preview, confirm --------------------------------------------------------------


def test_upload_shows_what_would_change_and_saves_nothing_before_confirm(login, reporter, target):
    client = login(reporter)
    data = filled(client, f"i{target.pk}", value="200家", progress="新认定高企20家")

    _token, page = preview(client, data)

    assert "保存前请核对" in page
    assert "净增高新技术企业" in page
    assert "200家" in page
    assert "65%" in page  # 200 of 310
    assert "新认定高企20家" in page
    assert not ProgressReport.objects.exists()


def test_confirm_saves_the_rows_as_drafts_and_says_how_many(login, reporter, departments, target):
    draft = report(departments, indicator=target, value=Decimal("150"), progress="旧的进展")
    client = login(reporter)
    token, page = preview(client, filled(client, f"i{target.pk}", value=180, progress="新的进展"))
    assert "150家" in page and "180家" in page

    response = confirm(client, token)

    assert "已将1行保存为草稿" in response.content.decode()
    draft.refresh_from_db()
    assert (draft.value, draft.progress, draft.status) == (Decimal("180"), "新的进展", "draft")
    assert draft.version == 2


def test_confirming_twice_saves_once(login, reporter, target):
    client = login(reporter)
    token, _page = preview(client, filled(client, f"i{target.pk}", value=200, progress="进展"))

    confirm(client, token)
    second = confirm(client, token)

    assert "已经确认过" in second.content.decode()
    saved = ProgressReport.objects.get()
    assert saved.version == 1
    assert saved.history.count() == 1
    reload = client.get(reverse("tracking:bulk-preview", args=[token]))
    assert reload.status_code == 302


def test_the_preview_survives_a_reload(login, reporter, target):
    client = login(reporter)
    token, first = preview(client, filled(client, f"i{target.pk}", value=200, progress="进展"))
    again = client.get(reverse("tracking:bulk-preview", args=[token]))
    assert again.status_code == 200
    assert "200家" in again.content.decode()


def test_a_bad_value_is_reported_by_row_and_column_in_chinese_and_blocks_the_confirm(login, reporter, target):
    client = login(reporter)
    data = filled(client, f"i{target.pk}", value="abc", progress="进展")

    token, page = preview(client, data)

    assert f"第{FIRST}行，{COL['value']}列（本月累计值）" in page
    assert "“abc”不是数字" in page
    assert "确认保存" not in page
    confirm(client, token)
    assert not ProgressReport.objects.exists()


def test_the_marked_file_has_the_bad_cell_filled_red_with_the_message(login, reporter, target):
    client = login(reporter)
    token, _page = preview(client, filled(client, f"i{target.pk}", value="abc", progress="进展"))

    response = client.get(reverse("tracking:bulk-marked", args=[token]))

    assert response.status_code == 200
    sheet = openpyxl.load_workbook(BytesIO(response.content)).active
    bad = sheet[f"{COL['value']}{FIRST}"]
    assert bad.value == "abc"
    assert bad.fill.fgColor.rgb.endswith("FFC7CE")
    assert "不是数字" in bad.comment.text
    assert sheet[f"{COL['progress']}{FIRST}"].comment is None


def test_a_value_is_required_when_the_texts_of_the_row_are_filled(login, reporter, target):
    client = login(reporter)
    _token, page = preview(client, filled(client, f"i{target.pk}", progress="只写了进展"))
    assert "请填写本月累计值" in page
    assert not ProgressReport.objects.exists()


def test_a_row_whose_key_is_not_the_users_is_an_error(login, reporter, plan, target):
    other = plan.indicators.get(name="新认定省级基地")  # led by 县财政局
    client = login(reporter)
    workbook = download(client)
    sheet = workbook.active
    sheet[f"{COL['key']}{FIRST}"] = f"i{other.pk}"
    sheet[f"{COL['value']}{FIRST}"] = 2

    _token, page = preview(client, as_bytes(workbook))

    assert f"i{other.pk}" in page
    assert "不是本单位本月的填报事项" in page
    assert not ProgressReport.objects.exists()


def test_changing_a_submitted_row_is_an_error(login, reporter, departments, target):
    report(departments, indicator=target, value=Decimal("150"), progress="已报", status="submitted")
    client = login(reporter)

    _token, page = preview(client, filled(client, f"i{target.pk}", value=160))

    assert "已提交，正在审核" in page
    assert ProgressReport.objects.get().value == Decimal("150")


def test_unchanged_rows_are_skipped(login, reporter, departments, target):
    report(departments, indicator=target, value=Decimal("150"), progress="进展")
    client = login(reporter)
    _token, page = preview(client, as_bytes(download(client)))
    assert "没有需要保存的修改" in page
    assert "1行与已保存的内容相同" in page


def test_an_unusual_value_needs_an_explicit_tick(login, reporter, departments, target):
    report(departments, MAY, indicator=target, value=Decimal("100"), status="approved")
    client = login(reporter)
    token, page = preview(client, filled(client, f"i{target.pk}", value=80, progress="进展"))
    assert "由上月的 100 下降到 80" in page

    refused = confirm(client, token)
    assert "请勾选" in refused.content.decode()
    assert not ProgressReport.objects.filter(period=Period(2024, 6)).exists()

    confirm(client, token, confirm_warnings="on")
    saved = ProgressReport.objects.get(period=Period(2024, 6))
    assert saved.value == Decimal("80")
    assert saved.outlier_note


def test_a_conflict_on_one_row_is_reported_and_the_others_still_save(
    login, reporter, departments, target, narrative
):
    number = report(departments, indicator=target, value=Decimal("150"), progress="一")
    words = report(departments, task=narrative, progress="一")
    client = login(reporter)
    workbook = download(client)
    sheet = workbook.active
    sheet[f"{COL['value']}{row_of(sheet, f'i{target.pk}')}"] = 160
    sheet[f"{COL['progress']}{row_of(sheet, f't{narrative.pk}')}"] = "二"
    token, page = preview(client, as_bytes(workbook))
    assert shown_versions(page) == {f"version-i{target.pk}": "1", f"version-t{narrative.pk}": "1"}
    item = next(i for i in services.due_items(reporter) if (i.key, i.period) == (f"t{narrative.pk}", JUNE))
    services.save_report(item=item, user=reporter, data={"progress": "网页上改的"}, version=1)

    response = confirm(client, token, shown_versions(page), confirm_warnings="on")

    page = response.content.decode()
    assert "已将1行保存为草稿" in page
    assert "未保存" in page and "优化科技服务" in page
    number.refresh_from_db()
    words.refresh_from_db()
    assert number.value == Decimal("160")
    assert words.progress == "网页上改的"
    assert words.conflicts.get().data["progress"] == "二"  # kept to compare on the item's page


def test_a_row_changed_on_the_website_after_the_preview_is_not_overwritten(
    login, reporter, departments, target, narrative
):
    words = report(departments, task=narrative, progress="一")
    client = login(reporter)
    token, page = preview(client, filled(client, f"i{target.pk}", value=100, progress="进展"))
    assert f"version-t{narrative.pk}" not in page  # the narrative row equalled the draft
    item = next(i for i in services.due_items(reporter) if (i.key, i.period) == (f"t{narrative.pk}", JUNE))
    services.save_report(item=item, user=reporter, data={"progress": "网页上改的"}, version=1)

    page = confirm(client, token, shown_versions(page), confirm_warnings="on").content.decode()

    assert "已将1行保存为草稿" in page
    assert "预览后已有改动" in page
    words.refresh_from_db()
    assert words.progress == "网页上改的"
    assert ProgressReport.objects.get(obligation__indicator=target).value == Decimal("100")


def test_round_trip_download_fill_upload_confirm(login, reporter, target, narrative):
    client = login(reporter)
    workbook = download(client)
    sheet = workbook.active
    number, words = row_of(sheet, f"i{target.pk}"), row_of(sheet, f"t{narrative.pk}")
    sheet[f"{COL['value']}{number}"] = "157家"
    sheet[f"{COL['progress']}{number}"] = "新增高企157家"
    sheet[f"{COL['next_steps']}{number}"] = "做好下半年申报"
    sheet[f"{COL['progress']}{words}"] = "完成服务平台上线"

    token, page = preview(client, as_bytes(workbook))
    assert "保存2行为草稿" in page
    confirm(client, token)

    saved = ProgressReport.objects.get(obligation__indicator=target)
    assert (saved.period, saved.value) == (Period(2024, 6), Decimal("157"))
    assert (saved.progress, saved.next_steps, saved.created_by) == (
        "新增高企157家",
        "做好下半年申报",
        reporter,
    )
    assert ProgressReport.objects.get(obligation__task=narrative).progress == "完成服务平台上线"


# --- what people typed stays text ----------------------------------------------------------

HYPERLINK, PLUS, MINUS, AT = '=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)"


@pytest.fixture
def typed(departments, target, narrative) -> Indicator:
    """Names and texts that begin like formulas, on a returned report with a negative value."""
    departments["bureau"].name = MINUS
    departments["bureau"].save()
    task = target.task
    Section.objects.filter(pk=task.section_id).update(label="", title=AT)
    Task.objects.filter(pk=task.pk).update(number="", title=HYPERLINK)
    Indicator.objects.filter(pk=target.pk).update(name=PLUS)
    report(departments, MAY, indicator=target, value=Decimal("120"), status=ProgressReport.Status.APPROVED)
    report(
        departments,
        indicator=target,
        value=Decimal("-2"),
        status=ProgressReport.Status.RETURNED,
        return_reason=AT,
        progress=HYPERLINK,
        problems=PLUS,
        next_steps=MINUS,
    )
    report(departments, task=narrative, progress=MINUS, problems=AT, next_steps=HYPERLINK)
    return target


def typed_cells(sheet, target, narrative) -> dict[str, str]:
    """Where the template shows the planted names and texts, and what they must read."""
    number, words = row_of(sheet, f"i{target.pk}"), row_of(sheet, f"t{narrative.pk}")
    return {
        f"{COL['plan']}{excel.TITLE_ROW}": f"{MINUS} 2024年6月进度填报",
        f"{COL['task']}{number}": f"{AT} / {HYPERLINK}",
        f"{COL['indicator']}{number}": PLUS,
        f"{COL['progress']}{number}": HYPERLINK,
        f"{COL['problems']}{number}": PLUS,
        f"{COL['next_steps']}{number}": MINUS,
        f"{COL['progress']}{words}": MINUS,
        f"{COL['problems']}{words}": AT,
        f"{COL['next_steps']}{words}": HYPERLINK,
    }


def assert_text_as_typed(sheet, expected: dict[str, str]) -> None:
    for coordinate, text in expected.items():
        cell = sheet[coordinate]
        assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True), coordinate
    formulas = [cell.coordinate for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]
    assert formulas == []


def test_the_template_writes_texts_that_look_like_formulas_as_text(login, reporter, typed, narrative):
    sheet = download(login(reporter)).active

    assert_text_as_typed(sheet, typed_cells(sheet, typed, narrative))
    row = row_of(sheet, f"i{typed.pk}")
    for name, number in (("previous", 120), ("value", -2)):
        cell = sheet[f"{COL[name]}{row}"]
        assert (cell.value, cell.data_type) == (number, "n"), name
    status = sheet[f"{COL['status']}{row}"]
    assert status.comment.text == f"退回原因：{AT}"


def test_the_untouched_template_reads_back_as_typed_and_changes_nothing(login, reporter, typed, narrative):
    data = login(reporter).get(reverse("tracking:bulk-template")).content

    result = excel.check(
        excel.read_upload(data, "六月填报.xlsx"), {i.key: i for i in services.due_items(reporter)}
    )

    assert (result.errors, result.changes, result.unchanged) == ([], [], 2)


def test_a_negative_value_typed_as_text_is_read_as_a_number(login, reporter, typed):
    client = login(reporter)
    data = filled(client, f"i{typed.pk}", value="-5")

    result = excel.check(
        excel.read_upload(data, "六月填报.xlsx"), {i.key: i for i in services.due_items(reporter)}
    )

    assert [change.data["value"] for change in result.changes] == [Decimal("-5")]


def test_the_marked_file_gives_the_texts_back_as_text(login, reporter, typed, narrative):
    client = login(reporter)
    token, _page = preview(client, filled(client, f"i{typed.pk}", value="abc"))

    response = client.get(reverse("tracking:bulk-marked", args=[token]))

    sheet = openpyxl.load_workbook(BytesIO(response.content)).active
    assert_text_as_typed(sheet, typed_cells(sheet, typed, narrative))
    row = row_of(sheet, f"i{typed.pk}")
    assert sheet[f"{COL['value']}{row}"].fill.fgColor.rgb.endswith("FFC7CE")
    previous = sheet[f"{COL['previous']}{row}"]
    assert (previous.value, previous.data_type) == (120, "n")


# --- refusals and permissions --------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("六月.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "旧版Excel文件（.xls）"),
        ("六月.csv", "编号,本月累计值\ni1,5\n".encode(), "CSV文件无法读取"),
        ("六月.docx", b"PK\x03\x04", "只能上传Excel工作簿（.xlsx）"),
        ("六月.xlsx", b"not a workbook at all", "文件已损坏"),
        ("六月.xlsx", b"\xd0\xcf\x11\xe0" + b"\0" * 100, "加密"),
    ],
)
def test_files_that_are_not_xlsx_are_refused_with_a_reason(login, reporter, target, name, content, message):
    response = upload(login(reporter), content, name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not any(excel_file for excel_file in _stored())


def _stored():
    """Uploads kept for a preview, and their files: a refused upload must leave none."""
    directory = settings.MEDIA_ROOT / "bulk"
    return [*BulkUpload.objects.all(), *(directory.iterdir() if directory.exists() else [])]


def test_an_oversize_file_is_refused(login, reporter, settings):
    settings.BULK_UPLOAD_MAX_BYTES = 1000
    response = upload(login(reporter), b"PK" + b"0" * 2000)
    assert "最多可上传" in response.content.decode()


def test_a_workbook_that_is_not_the_template_is_refused(login, reporter, target):
    workbook = openpyxl.Workbook()
    workbook.active.append(["指标", "完成值"])
    workbook.active.append(["净增高新技术企业", 200])

    response = upload(login(reporter), as_bytes(workbook))

    assert response.status_code == 200
    assert "不是本系统的填报模板" in response.content.decode()
    assert _stored() == []


def test_a_leader_is_refused(login, leader, reporter, target):
    reporter_client = login(reporter)
    token, _page = preview(reporter_client, filled(reporter_client, f"i{target.pk}", value=1, progress="x"))
    client = login(leader)
    assert client.get(reverse("tracking:bulk-upload")).status_code == 403
    assert client.get(reverse("tracking:bulk-template")).status_code == 403
    assert client.post(reverse("tracking:bulk-confirm", args=[token])).status_code == 403
    assert not ProgressReport.objects.exists()


def test_a_reviewer_gets_no_template(login, reviewer):
    assert login(reviewer).get(reverse("tracking:bulk-template")).status_code == 403


def test_an_anonymous_visitor_is_sent_to_login(client):
    response = client.get(reverse("tracking:bulk-upload"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_nobody_else_can_see_or_confirm_an_upload(client, login, reporter, departments, target):
    reporter_client = login(reporter)
    token, _page = preview(reporter_client, filled(reporter_client, f"i{target.pk}", value=1, progress="x"))
    colleague = make_user("colleague", departments["bureau"], Role.REPORTER)
    client.force_login(colleague)

    assert client.get(reverse("tracking:bulk-preview", args=[token])).status_code == 404
    assert client.get(reverse("tracking:bulk-marked", args=[token])).status_code == 404
    assert client.post(reverse("tracking:bulk-confirm", args=[token])).status_code == 404
    assert not ProgressReport.objects.exists()


def test_the_upload_page_offers_the_template(login, reporter, target):
    page = login(reporter).get(reverse("tracking:bulk-upload")).content.decode()
    assert "下载填报模板" in page
    assert "2024年6月" in page


# --- the pure functions --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "unit", "expected"),
    [
        (1576, "家", Decimal("1576")),
        (12.5, "%", Decimal("12.5")),
        ("1,576家", "家", Decimal("1576")),
        ("1.5亿", "万元", Decimal("15000")),
        (33.333333333, "%", Decimal("33.3333")),
        ("", "家", None),
        (None, "家", None),
    ],
)
def test_value_cells_are_read_as_numbers_or_as_typed_text(raw, unit, expected):
    assert excel.read_value(raw, unit) == expected


def test_a_row_of_last_months_template_is_refused(reporter, plan, target):
    items = {item.key: item for item in services.due_items(reporter)}
    sheet = excel.Sheet(
        "填报",
        [excel.SheetRow(FIRST, f"i{target.pk}", "2024-05", 0, {"value": 5, "progress": "x"})],
        {name: index for index, name in enumerate(COL, start=1)},
    )
    with translation.override("zh-hans"):
        result = excel.check(sheet, items)
    assert not result.changes
    assert "2024年5月" in result.errors[0].message
    assert result.errors[0].column == COL["indicator"]
