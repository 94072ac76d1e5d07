"""Issue 9, case 6: a statistic published quarterly or yearly, with a lag.

Before its first figure of the plan is published it is 未到期 (its first period has not closed)
or 待发布 (closed, not out yet) on every page alike — the due list, the entry form, the cockpit,
the ledger and the bulletin — never 严重滞后, however small the figure typed; and the entry
form says which period the figure entered belongs to.
"""

from __future__ import annotations

import re
from decimal import Decimal
from io import BytesIO

import openpyxl
import pytest
from django.urls import reverse
from docx import Document

from outputs import ledger as exports
from plans.periods import Period

from ..conftest import make_report, owe

pytestmark = pytest.mark.django_db

GOAL, FIRMS = "全社会研发经费投入增长", "净增高新技术企业"
CASES = {
    # R&D spending: a yearly figure out six months after the year; in June 2024 none of 2024's is out
    "yearly": (GOAL, "yearly", 6, "2024-06-24", Period(2024, 6), "未到期", "每年发布，滞后6个月", "2023年"),
    # value added of the quarter, out a month after it; in March 2024 the first quarter has closed
    # but its figure is not out yet
    "quarterly": (
        FIRMS,
        "quarterly",
        1,
        "2024-03-22",
        Period(2024, 3),
        "待发布",
        "每季度发布，滞后1个月",
        "2023年第4季度",
    ),
}


@pytest.fixture(params=list(CASES))
def lagged(request, settings, plan, departments):
    """The statistic, with a figure that would be 严重滞后 if it were judged, submitted this month."""
    name, frequency, lag, today, period, state, publication, covers = CASES[request.param]
    settings.REPORTING_TODAY = today
    plan.issuing_department = departments["bureau"]  # reports the plan goal
    plan.save()
    owe(plan)
    indicator = plan.indicators.get(name=name)
    indicator.data_frequency, indicator.data_lag_months = frequency, lag
    indicator.save()
    for month in range(1, period.month + 1):
        make_report(
            indicator=indicator,
            period=Period(2024, month),
            value=Decimal("1"),
            progress="进展",
            status="submitted" if month == period.month else "approved",
        )
    return indicator, period, state, publication, covers


def test_the_due_list_and_the_entry_form_show_the_same_state_and_the_period_covered(login, reporter, lagged):
    indicator, period, state, publication, covers = lagged
    client = login(reporter)
    due = client.get(reverse("tracking:due")).content.decode()
    row = re.search(rf'<tr class="state-submitted">.*?{indicator.name}.*?</tr>', due, re.S).group(0)
    assert state in row and "严重滞后" not in row and "滞后" not in row

    entry = client.get(reverse("tracking:entry", args=[f"i{indicator.pk}"]) + f"?period={period}")
    page = entry.content.decode()
    assert f"此统计数据{publication}：本月填报的是{covers}的数据。" in page
    assert f"读作 1 {indicator.unit}" in page and f" · {state}" in page and "严重滞后" not in page


def test_the_cockpit_counts_it_as_not_yet_judged_and_never_lagging(login, leader, lagged):
    indicator, period, state, *_ = lagged
    page = login(leader).get(
        reverse("dashboards:plan-cockpit", args=[indicator.plan.pk]) + f"?period={period}"
    )
    html = page.content.decode()
    assert '<div class="figure not-due"><b>1</b>未到期' in html
    assert "<b>0</b>严重滞后" in html and "<b>0</b>滞后" in html
    assert indicator.name not in html[html.index('id="lagging"') :]
    row = page.context["board"].statuses().get(indicator=indicator)
    assert (row.lamp, row.value) == ("none", None)


def test_the_ledger_and_the_bulletin_say_the_same(login, coordinator, lagged):
    indicator, period, state, *_ = lagged
    client = login(coordinator)
    response = client.get(
        reverse("outputs:ledger-download", args=[indicator.plan.pk]), {"as_of": str(period)}
    )
    workbook = openpyxl.load_workbook(BytesIO(b"".join(response.streaming_content)))
    sheet = workbook["任务清单"]
    headers = [cell.value for cell in sheet[exports.HEADER_ROW]]
    (line,) = [
        dict(zip(headers, (cell.value for cell in row), strict=False))
        for row in sheet.iter_rows(min_row=exports.FIRST_DATA_ROW)
        if row[headers.index("指标")].value == indicator.name
    ]
    assert line["状态"] == state and line["完成率"] in (None, "", "—")

    bulletin = client.get(reverse("outputs:bulletin", args=[indicator.plan.pk]) + f"?period={period}")
    document = Document(BytesIO(bulletin.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "另有1项统计数据未到期或待发布" in text and "严重滞后1项" not in text
    cells = [cell.text for table in document.tables for cell in table._cells]
    assert indicator.name not in cells  # not in the 落后清单
