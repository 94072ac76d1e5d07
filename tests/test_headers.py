"""The security headers, the caching rule and pages without inline script (tests/test_crawl.py
walks every page of the demo for every demo user for the same)."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.urls import reverse

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


class Page(HTMLParser):
    """The links, the htmx URLs, the inline scripts and the on…= handlers of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.htmx_urls: set[str] = set()
        self.inline_scripts: list[str] = []
        self.handlers: list[str] = []
        self._script: dict | None = None

    def handle_starttag(self, tag: str, attrs) -> None:
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append(f"<{tag} {name}={value!r}>")
        for name in ("href", "hx-get"):
            if attributes.get(name):
                self.urls.append(attributes[name])
        if attributes.get("hx-get"):
            self.htmx_urls.add(attributes["hx-get"])
        if tag == "script":
            self._script = attributes

    def handle_data(self, data: str) -> None:
        script = self._script
        inline = script is not None and "src" not in script and script.get("type") != "application/json"
        if inline and data.strip():
            self.inline_scripts.append(data.strip()[:80])

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None


def _assert_safe_html(response) -> None:
    assert "script-src 'self'" in response["Content-Security-Policy"]
    page = Page()
    page.feed(response.content.decode())
    assert page.inline_scripts == [] and page.handlers == []


def test_the_login_page_and_the_lockout_page_have_the_policy_too(client, settings, reporter):
    _assert_safe_html(client.get(reverse("login")))
    settings.AXES_FAILURE_LIMIT = 1
    client.post(reverse("login"), {"username": "reporter", "password": "wrong"})
    locked = client.post(reverse("login"), {"username": "reporter", "password": PASSWORD})
    assert locked.status_code == 429
    _assert_safe_html(locked)


def test_the_import_review_page_asks_before_discarding_without_inline_script(login, coordinator, regions):
    client = login(coordinator)
    text = "一、加快创新\n1. 培育高新技术企业。全年净增高新技术企业10家。（县科技局牵头）"
    response = client.post(reverse("plans:import-start"), {"region": regions["county"].pk, "text": text})
    review = client.get(response.url)
    assert review.status_code == 200
    _assert_safe_html(review)
    assert 'data-confirm="确定放弃此次导入？"' in review.content.decode()


def test_downloads_and_signed_in_pages_are_never_stored(login, coordinator, plan):
    client = login(coordinator)
    download = client.get(reverse("outputs:ledger-download", args=[plan.pk]), {"as_of": "2024-06"})
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["Cache-Control"] == "private, no-store"
    assert client.get(reverse("plans:plan-list"))["Cache-Control"] == "private, no-store"


def test_htmx_inserts_no_style_element_and_its_indicator_css_is_ours(login, reporter):
    html = login(reporter).get(reverse("plans:plan-list")).content.decode()
    assert '<meta name="htmx-config" content=\'{"includeIndicatorStyles": false' in html
    css = (Path(__file__).resolve().parents[1] / "static" / "css" / "app.css").read_text()
    assert ".htmx-request .htmx-indicator" in css
