"""Issue 9, case 9: the demo keeps its own day (REPORTING_TODAY=2024-06-24).

Its submissions are late or on time by the day they were submitted inside the month's window,
not all late because the real calendar is years on; what the demo wrote and what users do on
the demo's day is dated 2024 — history rows, created_at, submissions, a 督办单.
"""

from __future__ import annotations

import re
from datetime import date
from io import BytesIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from docx import Document

from plans.models import Plan
from plans.periods import Period
from tracking.models import FollowUp, ProgressReport
from tracking.progress import plan_status

pytestmark = pytest.mark.django_db

XIANNING = "2024年全市科技创新工作要点"
DEMO_DAY = date(2024, 6, 24)


@pytest.fixture(autouse=True)
def demo_day(settings):
    settings.REPORTING_TODAY = DEMO_DAY.isoformat()


def _client(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def _totals(page: str) -> dict[str, int]:
    """The completeness page's totals: 应报, 已报, 按时, 迟报 …"""
    return {label: int(number) for label, number in re.findall(r"<span>(\w+)</span><b>(\d+)", page)}


def test_lateness_follows_the_day_each_demo_report_was_submitted(demo_db):
    counted = ProgressReport.objects.counted().select_related("obligation__plan")
    assert counted.count() > 500
    for report in counted:
        day = timezone.localdate(report.submitted_at)
        assert day.year == 2024 and report.period.first_day < day
        assert report.late == (day > report.obligation.plan.on_time_until(report.period)), report
    assert 0 < counted.filter(late=True).count() < counted.count() / 2
    assert not counted.filter(period=Period(2024, 6), late=True).exists()


def test_the_completeness_pages_count_on_time_and_late_as_submitted(demo_db):
    client = _client("coordinator_xianning")
    plan = Plan.objects.get(title=XIANNING)
    may = _totals(
        client.get(reverse("outputs:completeness", args=[plan.pk]) + "?period=2024-05").content.decode()
    )
    assert may["按时"] > may["迟报"] > 0 and may["按时"] + may["迟报"] == may["已报"]
    june = _totals(client.get(reverse("outputs:completeness", args=[plan.pk])).content.decode())
    assert june["已报"] > 0 and june["迟报"] == 0


def test_june_submissions_awaiting_review_are_not_marked_late(demo_db):
    page = _client("reviewer_xianning").get(reverse("tracking:due")).content.decode()
    queue = page[page.index("待我审核") :]
    assert "2024年6月" in queue and 'class="badge late"' not in queue


def test_what_the_demo_wrote_is_dated_2024(demo_db):
    checked = 0
    for model in apps.get_models():
        moments = [f.name for f in model._meta.fields if isinstance(f, models.DateTimeField)]
        if model is get_user_model() or not moments or not model.objects.exists():
            continue
        for name in moments:
            years = set(model.objects.exclude(**{name: None}).values_list(f"{name}__year", flat=True))
            assert years <= {2024}, f"{model.__name__}.{name}: {years}"
            checked += 1
    assert checked >= 8  # reports, history of targets, obligations and responsibilities, plans …


def test_a_report_submitted_on_the_demo_day_is_on_time_and_dated_that_day(demo_db):
    report = (
        ProgressReport.objects.filter(
            status="draft", period=Period(2024, 6), obligation__plan__title=XIANNING
        )
        .exclude(value=None)
        .select_related("obligation")
        .first()
    )
    client = _client("reporter_xianning")
    url = reverse("tracking:submit", args=[report.obligation.key]) + "?period=2024-06"
    client.post(url, {"version": report.version, "confirm": "1"})
    report.refresh_from_db()
    assert (report.status, report.late) == ("submitted", False)
    assert timezone.localdate(report.submitted_at) == DEMO_DAY
    latest = report.history.first()
    assert (latest.status, timezone.localdate(latest.history_date)) == ("submitted", DEMO_DAY)


def test_a_follow_up_note_issued_on_the_demo_day_is_dated_that_day(demo_db):
    plan = Plan.objects.get(title=XIANNING)
    row = plan_status([plan], Period(2024, 6)).lagging[0]
    client = _client("coordinator_xianning")
    url = reverse("outputs:followup-issue", args=[row.indicator.pk]) + "?period=2024-06"
    page = client.post(
        url, {"response_due": "2024-06-30", "note": "请说明原因"}, follow=True
    ).content.decode()
    follow_up = FollowUp.objects.get()
    assert follow_up.number in page and follow_up.number == "督〔2024〕6-01"
    assert timezone.localdate(follow_up.issued_at) == DEMO_DAY
    document = Document(BytesIO(client.get(reverse("outputs:followup-file", args=[follow_up.pk])).content))
    cells = [cell.text for table in document.tables for cell in table._cells]
    assert cells[cells.index("签发日期") + 1] == "2024年6月24日"
    lead = follow_up.department.memberships.filter(role="reporter").first().user
    due = _client(lead.username).get(reverse("tracking:due")).content.decode()  # the lead's due list
    assert follow_up.number in due and "6月30日" in due
