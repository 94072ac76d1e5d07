"""Every page for every role: log in as each demo user and follow every link from the home page.

A page offers a user only what the user may open: every link and every htmx fragment a page
shows must answer (200, or a redirect to somewhere that does), never a server error, never a
403 or 404. Every page carries the security headers (CSP, Permissions-Policy, Referrer-Policy,
private no-store caching) and has no inline script or on…= handler the CSP would have to allow.
The crawl runs on the demo's June day and again on 24 July, after the month rolled over
(June's unfinished items are overdue then, July's are open).

Links of one shape (/reports/indicator/12/ and /reports/indicator/13/) are the same view with
another object; two of each shape per user keep the crawl short while every page type is
opened by every role.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from urllib.parse import urljoin, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from demo.loader import demo_usernames, read_spec

from .test_headers import Page

pytestmark = pytest.mark.django_db

PER_SHAPE = 2
SKIPPED = ("/logout/", "/static/", "/media/", "/admin/")
DAYS = ["2024-06-24", "2024-07-24"]


def shape(url: str) -> str:
    """The view and the kind of object a URL opens: /reports/item/sN/?period, /cockpit/?department."""
    parts = urlsplit(url)
    path = re.sub(r"/([ist]?)\d+(?=/|\.|$)", r"/\1N", parts.path)
    names = sorted({pair.split("=")[0] for pair in parts.query.split("&") if pair})
    return f"{path}?{'&'.join(names)}"


def page_problems(response) -> list[str]:
    """What a page must not lack (the security headers) or hold (inline script, handlers)."""
    found = []
    policy = response.get("Content-Security-Policy", "")
    if "script-src 'self'" not in policy or "default-src 'self'" not in policy:
        found.append(f"content security policy {policy!r}")
    if "camera=()" not in response.get("Permissions-Policy", ""):
        found.append("no Permissions-Policy")
    if response.get("Referrer-Policy") != "same-origin":
        found.append("no Referrer-Policy")
    if response.get("Cache-Control") != "private, no-store":
        found.append(f"Cache-Control {response.get('Cache-Control')!r}")
    return found


def crawl(client: Client, start: str = "/") -> tuple[dict[str, int], list[str]]:
    """Status of every URL followed (by shape, a few each), and the problems found."""
    seen: set[str] = set()
    per_shape: Counter[str] = Counter()
    queue = deque([(start, False, "(start)")])
    statuses: dict[str, int] = {}
    problems: list[str] = []
    while queue:
        url, htmx, source = queue.popleft()
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or url.startswith(("#", "mailto:", "javascript:")):
            continue
        url = url.split("#")[0]
        if url in seen or any(url.startswith(prefix) for prefix in SKIPPED):
            continue
        seen.add(url)
        if per_shape[shape(url)] >= PER_SHAPE:
            continue
        per_shape[shape(url)] += 1
        response = client.get(url, headers={"HX-Request": "true"} if htmx else {}, follow=True)
        statuses[url] = response.status_code
        kind = "htmx" if htmx else "page"
        if response.status_code != 200:
            problems.append(f"{url} ({kind}, linked from {source}): {response.status_code}")
            continue
        problems += [f"{url} ({kind}): {problem}" for problem in page_problems(response)]
        if "html" not in response.get("Content-Type", ""):
            continue  # a download: .xlsx, .docx, evidence
        page = Page()
        page.feed(response.content.decode())
        problems += [f"{url} ({kind}): inline script {script!r}" for script in page.inline_scripts]
        problems += [f"{url} ({kind}): handler {handler}" for handler in page.handlers]
        for href in page.urls:
            queue.append((urljoin(url, href), href in page.htmx_urls, url))
    return statuses, problems


@pytest.mark.parametrize("day", DAYS)
def test_every_demo_user_follows_every_link_without_an_error(demo_db, settings, day):
    settings.REPORTING_TODAY = day
    problems: list[str] = []
    shapes: set[str] = set()
    for username in demo_usernames(read_spec()):
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        statuses, found = crawl(client)
        shapes |= {shape(url) for url in statuses}
        problems += [f"{username}: {problem}" for problem in found]
    assert not problems, "\n".join(problems[:40])
    # every kind of page was reached by somebody
    assert {
        "/reports/due/?",
        "/reports/item/iN/?period",
        "/reports/item/sN/?period",
        "/reports/indicator/N/?period",
        "/plans/N/?",
        "/cockpit/plan/N/tiles/bullets/?period",
        "/reports/plan/N/completeness/?",
        "/account/password/?",
    } <= shapes, sorted(shapes)
