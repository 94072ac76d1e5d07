"""Every page a user can reach carries the security headers and has no inline script to allow.

The crawl starts from the home page of each kind of demo user and follows every link and every
htmx URL within the site (a few of each URL shape), as a person clicking around would.
"""

from __future__ import annotations

import re
from collections import Counter, deque

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from demo.loader import load_demo

from .test_headers import Page

pytestmark = pytest.mark.django_db

PERSONAS = [
    "reporter",
    "reviewer",
    "coordinator",
    "leader",
    "reporter_xianan",
    "coordinator_xianning",
    "admin",
]
PER_SHAPE = 2
MAX_PAGES = 80
SKIP = ("/static/", "/media/", "/admin/", "/logout/")


def _shape(url: str) -> str:
    path, _, query = url.partition("?")
    keys = sorted(part.split("=")[0] for part in query.split("&") if part)
    return re.sub(r"\d+", "N", path) + "?" + "&".join(keys)


def _crawl(client: Client, start: str):
    seen, shapes, queue = set(), Counter(), deque([start])
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        if url in seen or shapes[_shape(url)] >= PER_SHAPE:
            continue
        seen.add(url)
        shapes[_shape(url)] += 1
        htmx = {"HTTP_HX_REQUEST": "true"} if "tile" in url else {}
        response = client.get(url, **htmx)
        if response.status_code in (301, 302):
            queue.append(response.url)
            continue
        page = None
        if response["Content-Type"].startswith("text/html"):
            page = Page()
            page.feed(response.content.decode())
            for link in page.urls:
                link = link.split("#")[0]
                if link.startswith("/") and not link.startswith(SKIP):
                    queue.append(link)
        yield url, response, page


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_demo()
        yield
        call_command("flush", interactive=False, verbosity=0)


@pytest.mark.parametrize("username", PERSONAS)
def test_every_page_has_the_headers_and_no_inline_script(demo, settings, username):
    settings.REPORTING_TODAY = "2024-06-24"
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    seen_urls = []
    for url, response, page in _crawl(client, reverse("plans:home")):
        seen_urls.append(url)
        assert response.status_code == 200, url
        assert "script-src 'self'" in response["Content-Security-Policy"], url
        assert "default-src 'self'" in response["Content-Security-Policy"], url
        assert "camera=()" in response["Permissions-Policy"], url
        assert response["Referrer-Policy"] == "same-origin", url
        assert response["Cache-Control"] == "private, no-store", url
        if page is not None:
            assert page.inline_scripts == [], (url, page.inline_scripts)
            assert page.handlers == [], (url, page.handlers)
    assert len(seen_urls) >= 30
    assert {"/cockpit/plan/N/tiles/bullets/?period", "/plans/N/?", "/account/password/?"} <= {
        _shape(url) for url in seen_urls
    }
