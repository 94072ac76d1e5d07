"""Issue 9, case 3, in a real browser: Enter in the figure field saves the draft and never
submits it; submitting goes through a confirmation that lists what will be submitted.

Drives Debian's Chromium (/usr/bin/chromium) through Playwright against the live test server;
no browser is downloaded. Skips when either is missing (`make test` installs both).
"""

from __future__ import annotations

import shutil
import threading
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connections
from django.urls import reverse

from departments.models import Role
from plans.periods import Period
from tracking.models import ProgressReport

from ..conftest import PASSWORD, make_user

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (.[dev] extras)")
if not CHROMIUM.exists() and not shutil.which("chromium"):
    pytest.skip("Debian's chromium is not installed (apt-get install chromium)", allow_module_level=True)


def saved(item) -> ProgressReport | None:
    """The report as saved, read beside the browser session: Playwright runs an event loop in
    this thread, where Django refuses the ORM, so the read runs in a thread of its own that
    closes its connection (PostgreSQL would otherwise keep the test database open)."""
    found: list[ProgressReport | None] = []

    def read() -> None:
        try:
            found.append(
                ProgressReport.objects.select_related("submitted_by")
                .filter(obligation__indicator=item, period=Period(2024, 6))
                .first()
            )
        finally:
            connections.close_all()

    reader = threading.Thread(target=read)
    reader.start()
    reader.join()
    return found[0]


@pytest.fixture
def browser_page():
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        page = browser.new_page(locale="zh-CN")
        page.set_default_timeout(15_000)
        yield page
        browser.close()


@pytest.fixture
def firms(settings, plan, departments):
    """A reporter of the bureau, and the target the bureau owes in June (set up before the
    browser starts: the ORM is not used while Playwright runs)."""
    settings.REPORTING_TODAY = "2024-06-22"
    make_user("tianbao", departments["bureau"], Role.REPORTER)
    return plan.indicators.get(name="净增高新技术企业")


@pytest.mark.django_db(transaction=True)
def test_enter_in_the_figure_field_saves_a_draft_and_submitting_asks_first(firms, live_server, browser_page):
    indicator, page = firms, browser_page

    page.goto(f"{live_server.url}{reverse('login')}")
    page.fill("input[name=username]", "tianbao")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")

    page.goto(f"{live_server.url}{reverse('tracking:entry', args=[f'i{indicator.pk}'])}?period=2024-06")
    page.fill("textarea[name=progress]", "新认定高新技术企业12家")
    page.wait_for_selector(".saved-note")  # the autosave after typing
    page.fill("input[name=value]", "120")
    page.press("input[name=value]", "Enter")
    page.wait_for_timeout(1500)  # past the autosave delay
    page.wait_for_load_state("networkidle")

    report = saved(indicator)
    assert (report.status, report.value) == ("draft", Decimal("120"))
    assert "草稿已保存" in page.inner_text(".save-status")
    assert page.url.endswith("?period=2024-06")  # Enter did not leave the page

    page.get_by_role("button", name="提交审核…", exact=True).click()
    confirmation = page.wait_for_selector(".confirm-box")
    text = confirmation.inner_text()
    assert "确认提交这份月报审核？" in text and "120家" in text and "新认定高新技术企业12家" in text
    assert saved(indicator).status == "draft"  # nothing is submitted before the confirmation

    page.get_by_role("button", name="确认提交", exact=True).click()
    page.wait_for_selector(".badge.state-submitted")
    assert "已提交审核。" in page.inner_text(".messages")
    report = saved(indicator)
    assert (report.status, report.value, report.submitted_by.username) == (
        "submitted",
        Decimal(120),
        "tianbao",
    )
