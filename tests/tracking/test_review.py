"""Issue 9, case 8: review acts on what the reviewer saw, by someone other than who entered it.

- An approval posted from a page opened before the report was returned, changed to 99999 and
  resubmitted is refused with a message naming what changed; the report stays submitted.
- Under `separate_review` the task force cannot enter, submit and approve one report alone;
  another reviewer can approve it.
- Submitted and approved reports refuse evidence uploads and removals; what was added and
  removed before is in the target's history.
- A December report cannot be saved or submitted in June.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from plans.periods import Period
from tracking import services
from tracking.models import Evidence, ProgressReport

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
JUNE = Period(2024, 6)


@pytest.fixture(autouse=True)
def june_22(settings, tmp_path):
    settings.REPORTING_TODAY = "2024-06-22"
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def firms(plan):
    return plan.indicators.get(name="净增高新技术企业")


def _url(name, indicator, period="2024-06"):
    return reverse(name, args=[f"i{indicator.pk}"]) + f"?period={period}"


def _save(client, indicator, version, **data):
    payload = {"value": "", "progress": "", "problems": "", "next_steps": "", "version": str(version)}
    return client.post(_url("tracking:save", indicator), {**payload, **data}, **HTMX)


def _report(indicator) -> ProgressReport:
    return ProgressReport.objects.get(obligation__indicator=indicator, obligation__share=None, period=JUNE)


def _submit(client, indicator):
    return client.post(
        _url("tracking:submit", indicator), {"version": _report(indicator).version, "confirm": "1"}
    )


def _version_on_the_review_form(page: str) -> str:
    box = page[page.index('class="review-box"') :]
    return re.search(r'name="version" value="(\d+)"', box).group(1)


def test_an_approval_of_what_was_changed_since_the_page_opened_is_refused(
    client, reporter, reviewer, coordinator, firms
):
    client.force_login(reporter)
    _save(client, firms, 0, value="100", progress="新认定高企12家")
    _submit(client, firms)

    client.force_login(reviewer)  # the reviewer opens the report and keeps the page open
    seen = _version_on_the_review_form(client.get(_url("tracking:entry", firms)).content.decode())

    client.force_login(coordinator)  # meanwhile the task force returns it ...
    client.post(_url("tracking:review", firms), {"action": "return", "reason": "请核实", "version": seen})
    client.force_login(reporter)  # ... and the department changes it and submits it again
    report = _report(firms)
    _save(
        client,
        firms,
        report.version,
        value="99999",
        progress="新认定高企12家",
        confirm_unusual="on",
        outlier_note="按新口径",
    )
    assert _report(firms).value == Decimal("99999")
    _submit(client, firms)
    assert _report(firms).status == "submitted"

    client.force_login(reviewer)
    response = client.post(
        _url("tracking:review", firms), {"action": "approve", "version": seen}, follow=True
    )
    page = response.content.decode()
    assert "在您打开后，他人已修改了这份月报，本次操作未执行。" in page
    assert "截至当月累计：100 → 99999" in page
    report = _report(firms)
    assert (report.status, report.reviewed_by, report.value) == ("submitted", coordinator, Decimal("99999"))

    # what the reviewer now sees can be approved
    fresh = _version_on_the_review_form(page)
    client.post(_url("tracking:review", firms), {"action": "approve", "version": fresh})
    assert (_report(firms).status, _report(firms).reviewed_by) == ("approved", reviewer)


def test_the_task_force_cannot_enter_submit_and_approve_alone(client, coordinator, reviewer, firms):
    assert firms.plan.separate_review
    client.force_login(coordinator)
    _save(client, firms, 0, value="120", progress="专班代填")
    _submit(client, firms)
    report = _report(firms)
    assert (report.status, report.entered_by_coordinator) == ("submitted", True)
    response = client.post(
        _url("tracking:review", firms), {"action": "approve", "version": report.version}, follow=True
    )
    assert "这份月报由您填报或提交；按本计划的规定，须由他人审核。" in response.content.decode()
    assert _report(firms).status == "submitted"

    client.force_login(reviewer)
    client.post(_url("tracking:review", firms), {"action": "approve", "version": report.version})
    assert (_report(firms).status, _report(firms).reviewed_by) == ("approved", reviewer)


def test_a_plan_without_separate_review_lets_the_task_force_do_it_all(client, coordinator, firms):
    firms.plan.separate_review = False
    firms.plan.save()
    client.force_login(coordinator)
    _save(client, firms, 0, value="120", progress="专班代填")
    _submit(client, firms)
    client.post(_url("tracking:review", firms), {"action": "approve", "version": _report(firms).version})
    assert _report(firms).status == "approved"


def _upload(client, indicator, name):
    upload = SimpleUploadedFile(name, b"%PDF-1.4", content_type="application/pdf")
    return client.post(_url("tracking:evidence-upload", indicator), {"file": upload}, **HTMX).content.decode()


def test_locked_reports_refuse_evidence_and_the_history_shows_what_was_attached_and_removed(
    client, reporter, reviewer, firms
):
    client.force_login(reporter)
    _save(client, firms, 0, value="100", progress="进展")
    assert "认定名单.pdf" in _upload(client, firms, "认定名单.pdf")
    _upload(client, firms, "旧名单.pdf")
    old = Evidence.objects.get(name="旧名单.pdf")
    client.post(reverse("tracking:evidence-remove", args=[old.pk]))
    assert list(Evidence.objects.values_list("name", flat=True)) == ["认定名单.pdf"]

    _submit(client, firms)
    refused = _upload(client, firms, "补充材料.pdf")
    assert "已提交待审核" in refused
    kept = Evidence.objects.get()
    page = client.post(reverse("tracking:evidence-remove", args=[kept.pk]), follow=True).content.decode()
    assert "已提交待审核" in page

    client.force_login(reviewer)
    client.post(_url("tracking:review", firms), {"action": "approve", "version": _report(firms).version})
    client.force_login(reporter)
    assert "已审核通过并锁定" in _upload(client, firms, "补充材料.pdf")
    page = client.post(reverse("tracking:evidence-remove", args=[kept.pk]), follow=True).content.decode()
    assert "已审核通过并锁定" in page
    assert list(Evidence.objects.values_list("name", flat=True)) == ["认定名单.pdf"]

    history = client.get(reverse("tracking:indicator-detail", args=[firms.pk])).content.decode()
    history = history[history.index("变更记录") :]
    assert '2024年6月 佐证材料「认定名单.pdf」 <span class="muted">新建</span>' in history
    assert '2024年6月 佐证材料「旧名单.pdf」 <span class="muted">新建</span>' in history
    assert '2024年6月 佐证材料「旧名单.pdf」 <span class="muted">删除</span>' in history
    assert "补充材料.pdf" not in history  # refused, so never on record


def test_a_december_report_cannot_be_saved_or_submitted_in_june(client, reporter, firms):
    client.force_login(reporter)
    assert _save(client, firms, 0, value="300").status_code == 200
    december = "2024-12"
    payload = {"value": "300", "progress": "提前填报", "version": "0"}
    assert client.post(_url("tracking:save", firms, december), payload).status_code == 404
    assert (
        client.post(_url("tracking:submit", firms, december), {"version": 0, "confirm": "1"}).status_code
        == 404
    )
    assert not ProgressReport.objects.filter(period=Period(2024, 12)).exists()
    item = services.item_for(f"i{firms.pk}", Period(2024, 12))
    with pytest.raises(services.ReportError, match="2024年12月尚未开始填报"):
        services.save_report(item=item, user=reporter, data={"value": Decimal(300)}, version=0)
    with pytest.raises(services.ReportError, match="2024年12月尚未开始填报"):
        services.submit_report(item=item, user=reporter, seen_version=0)
