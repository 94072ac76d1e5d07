"""The monthly bulletin (情况通报) and the 督办单: same figures as plan_status, who may have them."""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from io import BytesIO

import docx
import pytest
from django.urls import reverse

from plans.models import Indicator, Responsibility, Section, Task
from plans.periods import Period
from tracking.models import FollowUp, ProgressReport
from tracking.progress import plan_status

from ..conftest import convert_to_pdf, make_report, owe

pytestmark = pytest.mark.django_db

JUNE = Period(2024, 6)


@pytest.fixture(autouse=True)
def june(settings):
    settings.REPORTING_TODAY = "2024-06-24"


def report(indicator: Indicator, department, value, *, month: int = 6, late: bool = False) -> ProgressReport:
    return make_report(
        indicator=indicator,
        department=department,
        period=Period(2024, month),
        value=Decimal(value),
        status="approved",
        late=late,
    )


@pytest.fixture
def firms(plan) -> Indicator:
    """净增高新技术企业 310家, led by the county bureau."""
    return Indicator.objects.get(plan=plan, name="净增高新技术企业")


@pytest.fixture
def bases(plan) -> Indicator:
    """新认定省级基地 2–3家, led by the finance bureau."""
    return Indicator.objects.get(plan=plan, name="新认定省级基地")


def open_docx(response) -> docx.Document:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return docx.Document(BytesIO(response.content))


def text_of(document) -> str:
    return "\n".join(p.text for p in document.paragraphs)


def table_with(document, *headers: str):
    """The first table whose header row has all these columns."""
    return next(t for t in document.tables if set(headers) <= {c.text for c in t.rows[0].cells})


def cells(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


# --- the bulletin -------------------------------------------------------------------------


def test_bulletin_counts_equal_plan_status(plan, firms, bases, departments, coordinator, login):
    report(firms, departments["bureau"], 100)  # 32% against 50% expected: yellow
    report(bases, departments["finance"], 3, late=True)  # met
    totals = plan_status([plan], JUNE).totals.counts
    document = open_docx(
        login(coordinator).get(reverse("outputs:bulletin", args=[plan.pk]) + "?period=2024-06")
    )
    text = text_of(document)
    assert "关于测试县科技局2024年工作计划推进情况的通报（2024年6月）" in text
    assert (
        f"共设定量指标3项，其中已完成{totals['done']}项、正常推进{totals['green']}项、"
        f"滞后{totals['yellow']}项、严重滞后{totals['red']}项" in text
    )
    by_lamp = {row[0]: row[1] for row in cells(table_with(document, "推进状态"))[1:]}
    assert by_lamp == {
        "已完成": str(totals["done"]),
        "正常": str(totals["green"]),
        "滞后": str(totals["yellow"]),
        "严重滞后": str(totals["red"]),
        "未到期": str(totals["not_due"]),
        "待发布": str(totals["pending"]),
        "尚无数据": "1",
        "合计": "3",
    }
    assert (totals["done"], totals["yellow"]) == (1, 1)


def test_bulletin_lists_lagging_targets_with_their_figures(plan, firms, bases, departments, leader, login):
    report(firms, departments["bureau"], 100)
    document = open_docx(login(leader).get(reverse("outputs:bulletin", args=[plan.pk])))
    lagging = cells(table_with(document, "差距（百分点）"))
    assert lagging[0] == [
        "序号",
        "指标",
        "牵头单位",
        "当前值",
        "目标",
        "完成率",
        "序时进度",
        "差距（百分点）",
        "需月均",
    ]
    # 100 of 310 is 32%; June expects 50%, 18 points behind; 210 left over six months is 35 a month
    assert lagging[1] == [
        "1",
        "净增高新技术企业",
        "县商务科技和工业信息化局",
        "100家",
        "310家",
        "32%",
        "50%",
        "18",
        "35家",
    ]
    assert len(lagging) == 2


def test_bulletin_ranks_departments_and_names_late_and_missing_reporters(
    plan, firms, bases, departments, coordinator, login
):
    plan.issuing_department = departments["bureau"]  # the bureau answers for the plan's goals
    plan.save(update_fields=["issuing_department"])
    owe(plan)
    report(firms, departments["bureau"], 200)  # 65%: green
    report(bases, departments["finance"], 1, late=True)  # 50%: green, reported late
    document = open_docx(login(coordinator).get(reverse("outputs:bulletin", args=[plan.pk])))
    ranked = cells(table_with(document, "名次", "平均完成率"))
    names = [row[1] for row in ranked[1:]]
    assert names.index("县商务科技和工业信息化局") < names.index("县财政局")
    on_time = cells(table_with(document, "按时填报率"))
    assert on_time[1][1] == "县商务科技和工业信息化局"
    assert on_time[1][-1] == "50%"  # the growth goal is unreported
    assert ["2", "县财政局", "1", "0", "1", "0", "0%"] in on_time
    text = text_of(document)
    assert "迟报单位：县财政局（1项）" in text
    assert "未报单位：县商务科技和工业信息化局（1项）" in text
    assert "一、总体进展" in text and "四、落后清单" in text


def test_bulletin_uses_government_document_fonts(plan, coordinator, login):
    document = open_docx(login(coordinator).get(reverse("outputs:bulletin", args=[plan.pk])))
    title_run = document.paragraphs[0].runs[0]
    east_asian = title_run._element.rPr.rFonts.get(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
    )
    assert east_asian == "方正小标宋简体"
    body = document.paragraphs[2].runs[0]._element.rPr.rFonts
    assert "仿宋_GB2312" in body.xml
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)


def test_bulletin_is_for_overseers_only(plan, reporter, reviewer, stranger, login):
    url = reverse("outputs:bulletin", args=[plan.pk])
    assert login(reporter).get(url).status_code == 403
    assert login(reviewer).get(url).status_code == 403
    assert login(stranger).get(url).status_code == 404


def test_plan_page_offers_the_bulletin_to_overseers_only(plan, coordinator, reporter, client):
    client.force_login(coordinator)
    assert "月度情况通报" in client.get(reverse("plans:plan-detail", args=[plan.pk])).content.decode()
    client.force_login(reporter)
    assert (
        reverse("outputs:bulletin", args=[plan.pk])
        not in client.get(reverse("plans:plan-detail", args=[plan.pk])).content.decode()
    )


def _grow(plan, departments, sections: int) -> None:
    """Add sections, tasks and reported targets, to show the bulletin's queries do not grow."""
    for s in range(sections):
        section = Section.objects.create(plan=plan, position=10 + s, label=f"({s + 10})", title=f"板块{s}")
        for t in range(3):
            task = Task.objects.create(section=section, position=t, number=str(t + 1), title=f"任务{s}-{t}")
            department = departments["finance"] if t % 2 else departments["bureau"]
            Responsibility.objects.create(task=task, department=department, role="lead")
            indicator = Indicator.objects.create(
                plan=plan,
                task=task,
                name=f"指标{s}-{t}",
                unit="家",
                kind="count",
                comparator=">=",
                target=100,
            )
            owe(plan)
            report(indicator, department, 10 * t)


@pytest.mark.parametrize("sections", [0, 6])
def test_bulletin_queries_do_not_grow_with_the_plan(
    plan, departments, coordinator, login, django_assert_max_num_queries, sections
):
    _grow(plan, departments, sections)
    client = login(coordinator)
    with django_assert_max_num_queries(14):  # plan_status reads the month's waivers too
        response = client.get(reverse("outputs:bulletin", args=[plan.pk]))
    assert response.status_code == 200


# --- 督办单 ---------------------------------------------------------------------------------


def issue(client, indicator, due: str = "2024-07-05", note: str = "请说明原因"):
    return client.post(
        reverse("outputs:followup-issue", args=[indicator.pk]) + "?period=2024-06",
        {"response_due": due, "note": note},
        follow=True,
    )


def test_coordinator_issues_a_follow_up_the_lead_department_answers(
    plan, firms, departments, coordinator, reporter, client
):
    report(firms, departments["bureau"], 100)
    client.force_login(coordinator)
    page = issue(client, firms).content.decode()
    follow_up = FollowUp.objects.get()
    assert follow_up.number == "督〔2024〕6-01"
    assert (follow_up.department, follow_up.lamp, follow_up.value) == (departments["bureau"], "yellow", 100)
    assert follow_up.gap == Decimal("0.1774")
    assert follow_up.response_due == date(2024, 7, 5) and follow_up.issued_by == coordinator
    assert "督〔2024〕6-01" in page

    client.force_login(reporter)
    due = client.get(reverse("tracking:due")).content.decode()
    assert "督〔2024〕6-01" in due
    assert reverse("outputs:followup-answer", args=[follow_up.pk]) in due

    answered = client.post(
        reverse("outputs:followup-answer", args=[follow_up.pk]),
        {"response": "已组织专班走访企业，7月底前新增申报50家。"},
        follow=True,
    )
    follow_up.refresh_from_db()
    assert follow_up.status == "answered" and follow_up.responded_by == reporter
    assert follow_up.responded_at is not None
    assert "督〔2024〕6-01" not in answered.content.decode()

    client.force_login(coordinator)
    detail = client.get(reverse("tracking:indicator-detail", args=[firms.pk])).content.decode()
    assert "已组织专班走访企业" in detail


def test_follow_up_numbers_run_on_within_the_month(plan, firms, bases, departments, coordinator, login):
    report(firms, departments["bureau"], 100)
    report(bases, departments["finance"], 0)
    client = login(coordinator)
    issue(client, firms)
    issue(client, bases)
    assert sorted(f.number for f in FollowUp.objects.all()) == ["督〔2024〕6-01", "督〔2024〕6-02"]


def test_follow_up_is_refused_for_a_green_target(plan, firms, departments, coordinator, login):
    report(firms, departments["bureau"], 200)
    page = issue(login(coordinator), firms).content.decode()
    assert not FollowUp.objects.exists()
    assert "只有滞后或严重滞后的指标才能督办" in page


def test_only_coordinators_issue_follow_ups(plan, firms, departments, leader, reporter, stranger, login):
    report(firms, departments["bureau"], 50)
    assert issue(login(leader), firms).status_code == 403
    assert issue(login(reporter), firms).status_code == 403
    assert issue(login(stranger), firms).status_code == 404
    assert not FollowUp.objects.exists()


def test_follow_up_document_carries_the_figures(plan, firms, departments, coordinator, login):
    report(firms, departments["bureau"], 100)
    client = login(coordinator)
    issue(client, firms)
    follow_up = FollowUp.objects.get()
    document = open_docx(client.get(reverse("outputs:followup-file", args=[follow_up.pk])))
    text = text_of(document)
    assert "督  办  单" in text and "督〔2024〕6-01" in text
    rows = dict(cells(document.tables[0]))
    assert rows["指标"] == "净增高新技术企业"
    assert rows["目标"] == "310家"
    assert rows["当前值（截至2024年6月）"] == "100家"
    assert rows["牵头单位"] == "县商务科技和工业信息化局"
    assert rows["反馈时限"] == "2024年7月5日前"
    assert rows["差距"] == "落后序时进度18个百分点（滞后）"
    assert rows["办理情况"] == ""


def test_follow_up_access_by_role(plan, firms, departments, coordinator, leader, reviewer, stranger, login):
    report(firms, departments["bureau"], 100)
    issue(login(coordinator), firms)
    follow_up = FollowUp.objects.get()
    file_url = reverse("outputs:followup-file", args=[follow_up.pk])
    answer_url = reverse("outputs:followup-answer", args=[follow_up.pk])
    assert login(leader).get(file_url).status_code == 200
    assert login(leader).get(answer_url).status_code == 403
    assert login(reviewer).get(answer_url).status_code == 200
    assert login(stranger).get(file_url).status_code == 404
    assert login(stranger).get(answer_url).status_code == 404


def test_other_departments_do_not_see_the_follow_up_on_their_due_list(
    plan, firms, departments, coordinator, login
):
    from tests.conftest import make_user

    report(firms, departments["bureau"], 100)
    issue(login(coordinator), firms)
    finance_reporter = make_user("finance", departments["finance"], "reporter")
    assert "督〔2024〕6-01" not in login(finance_reporter).get(reverse("tracking:due")).content.decode()


@pytest.mark.skipif(shutil.which("libreoffice") is None, reason="LibreOffice is not installed")
def test_the_bulletin_converts_to_pdf_with_libreoffice(
    plan, firms, departments, coordinator, login, tmp_path
):
    report(firms, departments["bureau"], 100)
    response = login(coordinator).get(reverse("outputs:bulletin", args=[plan.pk]) + "?period=2024-06")
    source = tmp_path / "bulletin.docx"
    source.write_bytes(response.content)
    assert convert_to_pdf(source, tmp_path).startswith(b"%PDF")
