"""Every view states its methods: anything else is 405, before any object is looked up.

No page of the product takes PUT, PATCH or DELETE; the views that change something take POST
only, and the pages that show something GET only (a form page takes both).
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .conftest import make_user

pytestmark = pytest.mark.django_db

# The views that change something: POST only, a GET is refused.
POST_ONLY = {
    "logout",
    "accounts:release",
    "plans:import-meta",
    "plans:import-part",
    "plans:import-item",
    "plans:import-drop",
    "plans:import-add",
    "plans:import-department",
    "plans:import-confirm",
    "plans:import-discard",
    "tracking:save",
    "tracking:submit",
    "tracking:review",
    "tracking:reopen",
    "tracking:waive",
    "tracking:evidence-upload",
    "tracking:evidence-remove",
    "tracking:override",
    "tracking:plan-activate",
    "tracking:bulk-confirm",
    "outputs:remind",
    "outputs:followup-issue",
}
ARGUMENTS = {"int": 1, "slug": "i1", "str": "x", "path": "x"}


def _routes(patterns=None, namespace: str | None = None):
    """(name, URL with sample arguments) of every named route but the admin's."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue
            yield from _routes(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            converters = pattern.pattern.converters
            kwargs = {
                key: ARGUMENTS.get(type(c).__name__.removesuffix("Converter").lower(), 1)
                for key, c in converters.items()
            }
            yield name, reverse(name, kwargs=kwargs)


ROUTES = sorted(_routes())


def test_the_table_of_post_only_views_names_real_routes():
    assert {name for name, _ in ROUTES} >= POST_ONLY


@pytest.mark.parametrize(("name", "url"), ROUTES, ids=[name for name, _ in ROUTES])
def test_a_wrong_method_is_405(client, name, url):
    client.force_login(make_user("root", is_superuser=True, is_staff=True))
    for method in ("put", "patch", "delete"):
        assert getattr(client, method)(url).status_code == 405, f"{method.upper()} {url}"
    if name in POST_ONLY:
        assert client.get(url).status_code == 405, f"GET {url}"
