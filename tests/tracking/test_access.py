"""Issue 9, case 7: who reads which report.

A county's reporter opening a city target decomposed to the counties reads its own share's
reports — not the city's or another county's values, narratives, evidence or history. A draft
or a returned report is read by its department and the task force only: not by a leader, not by
another department, on the entry page, the target page or in the history.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from departments.models import Role
from plans.periods import Period
from tracking import services

from ..conftest import make_report, make_user

pytestmark = pytest.mark.django_db

MAY, JUNE = Period(2024, 5), Period(2024, 6)


@pytest.fixture(autouse=True)
def june_24(settings, tmp_path):
    settings.REPORTING_TODAY = "2024-06-24"
    settings.MEDIA_ROOT = tmp_path


def _with_evidence(report, name: str, user) -> None:
    report.status = "draft"
    report.save()
    services.attach_evidence(report=report, upload=SimpleUploadedFile(name, b"%PDF-1.4"), user=user)
    report.status = "approved"
    report.save()


@pytest.fixture
def city_reports(city_plan, departments, regions, coordinator):
    """May on the city target: the city's own figure and each county's share, with evidence."""
    indicator = city_plan.indicators.get()
    filed = {
        "city": make_report(
            indicator=indicator,
            period=MAY,
            value=Decimal("310"),
            progress="全市累计新增310家",
            status="approved",
        ),
        "county": make_report(
            share=indicator.shares.get(region=regions["county"]),
            period=MAY,
            value=Decimal("180"),
            progress="测试县新增180家",
            status="approved",
        ),
        "other": make_report(
            share=indicator.shares.get(region=regions["other"]),
            period=MAY,
            value=Decimal("95"),
            progress="邻县新增95家",
            status="approved",
        ),
    }
    admin = make_user("root", is_superuser=True)
    for key, name in (
        ("city", "全市汇总表.pdf"),
        ("county", "测试县认定名单.pdf"),
        ("other", "邻县认定名单.pdf"),
    ):
        _with_evidence(filed[key], name, admin)
    return indicator, filed


def test_a_county_reads_only_its_own_share_on_the_city_targets_page(login, departments, city_reports):
    indicator, filed = city_reports
    county_reporter = make_user("county_reporter", departments["bureau"], Role.REPORTER)
    client = login(county_reporter)
    page = client.get(reverse("tracking:indicator-detail", args=[indicator.pk]) + "?period=2024-05").content
    page = page.decode()
    reports = page[page.index("月度填报") : page.index("分解目标")]
    assert "测试县新增180家" in reports and "180家" in reports and "测试县认定名单.pdf" in reports
    for hidden in (
        "全市累计新增310家",
        "310家",
        "全市汇总表.pdf",
        "邻县新增95家",
        "95家",
        "邻县认定名单.pdf",
    ):
        assert hidden not in reports
    history = page[page.index("变更记录") :]
    assert "县商务科技和工业信息化局 2024年5月" in history  # its own report's changes
    for hidden in ("市科技局 2024年5月", "邻县科技局 2024年5月", "全市累计新增310家", "邻县新增95家"):
        assert hidden not in history
    for key in ("city", "other"):  # nor can it fetch the others' evidence
        evidence = filed[key].evidence.get()
        assert client.get(reverse("tracking:evidence-file", args=[evidence.pk])).status_code == 404
    # the other county's share is not an item it may open
    assert client.get(reverse("tracking:entry", args=[f"s{filed['other'].share.pk}"])).status_code == 404


def test_the_city_reads_every_share(login, leader, city_reports):
    indicator, _filed = city_reports
    page = login(leader).get(reverse("tracking:indicator-detail", args=[indicator.pk]) + "?period=2024-05")
    html = page.content.decode()
    for shown in ("全市累计新增310家", "测试县新增180家", "邻县新增95家", "邻县认定名单.pdf"):
        assert shown in html


@pytest.fixture
def unsubmitted(plan, departments, reporter):
    """The bureau's June draft on the firms and the finance bureau's returned May report."""
    indicators = {i.name: i for i in plan.indicators.all()}
    draft = make_report(
        indicator=indicators["净增高新技术企业"],
        period=JUNE,
        value=Decimal("77"),
        progress="草稿：尚未核实的数字",
        created_by=reporter,
    )
    services.attach_evidence(
        report=draft, upload=SimpleUploadedFile("草稿附件.pdf", b"%PDF-1.4"), user=reporter
    )
    returned = make_report(
        indicator=indicators["新认定省级基地"],
        period=MAY,
        value=Decimal("5"),
        progress="退回稿：含未认定基地",
        status="returned",
        return_reason="数字不实",
    )
    return draft, returned


PRIVATE_TEXT = ("草稿：尚未核实的数字", "77家", "草稿附件.pdf", "退回稿：含未认定基地", "数字不实")


def _everything_a_user_reads(client, draft, returned) -> str:
    pages = [
        client.get(reverse("tracking:entry", args=[report.obligation.key]) + f"?period={report.period}")
        for report in (draft, returned)
    ]
    pages += [
        client.get(
            reverse("tracking:indicator-detail", args=[report.obligation.indicator_id]) + f"?period={period}"
        )
        for report in (draft, returned)
        for period in ("2024-05", "2024-06")
    ]
    assert all(page.status_code in (200, 404) for page in pages)
    return "".join(page.content.decode() for page in pages if page.status_code == 200)


def test_a_leader_reads_no_draft_or_returned_report_anywhere(login, leader, unsubmitted):
    draft, returned = unsubmitted
    client = login(leader)
    seen = _everything_a_user_reads(client, draft, returned)
    assert "净增高新技术企业" in seen and "新认定省级基地" in seen  # the pages open
    for text in PRIVATE_TEXT:
        assert text not in seen
    evidence = draft.evidence.get()
    assert client.get(reverse("tracking:evidence-file", args=[evidence.pk])).status_code == 404


def test_another_departments_staff_read_neither(login, departments, unsubmitted):
    draft, returned = unsubmitted
    finance = make_user("finance_reviewer", departments["finance"], Role.REVIEWER)
    seen = _everything_a_user_reads(login(finance), draft, returned)
    for text in ("草稿：尚未核实的数字", "77家", "草稿附件.pdf"):
        assert text not in seen
    bureau = make_user("bureau_reader", departments["bureau"], Role.REVIEWER)
    seen = _everything_a_user_reads(login(bureau), draft, returned)
    for text in ("退回稿：含未认定基地", "数字不实"):
        assert text not in seen


def test_the_department_and_the_task_force_read_them(login, departments, reviewer, coordinator, unsubmitted):
    draft, returned = unsubmitted
    finance = make_user("finance_reporter", departments["finance"], Role.REPORTER)
    bureau_sees = _everything_a_user_reads(login(reviewer), draft, returned)
    assert all(text in bureau_sees for text in ("草稿：尚未核实的数字", "77家", "草稿附件.pdf"))
    finance_sees = _everything_a_user_reads(login(finance), draft, returned)
    assert all(text in finance_sees for text in ("退回稿：含未认定基地", "数字不实"))
    task_force_sees = _everything_a_user_reads(login(coordinator), draft, returned)
    assert all(text in task_force_sees for text in PRIVATE_TEXT)
