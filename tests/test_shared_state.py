"""What several app servers must share lives in the database: sessions, the cache, login locks."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connection
from django.test import Client
from django.urls import reverse

from config import settings as project_settings

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_cache(settings):
    """Production's cache (the suite's own is in memory, see tests/conftest.py)."""
    settings.CACHES = project_settings.CACHES


def test_migrate_makes_the_cache_table_and_the_cache_answers_from_it(database_cache):
    assert project_settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert isinstance(caches["default"], DatabaseCache)
    assert "keji_cache" in connection.introspection.table_names()
    cache.set("shared", "一致", 60)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM keji_cache WHERE cache_key LIKE %s", ["%:shared"])
        assert cursor.fetchone()[0] == 1
    assert cache.get("shared") == "一致"


def test_a_session_begun_on_one_server_is_honoured_by_another(reporter):
    first = Client()
    assert first.post(reverse("login"), {"username": "reporter", "password": PASSWORD}).status_code == 302
    other_server = Client()  # no memory of the first: only the cookie and the database
    other_server.cookies[settings.SESSION_COOKIE_NAME] = first.cookies[settings.SESSION_COOKIE_NAME].value

    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    assert other_server.get(reverse("plans:plan-list")).status_code == 200


def test_wrong_passwords_counted_by_one_server_lock_the_account_on_another(reporter):
    assert settings.AXES_HANDLER == "axes.handlers.database.AxesDatabaseHandler"
    first = Client(REMOTE_ADDR="10.1.2.11")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        first.post(reverse("login"), {"username": "reporter", "password": "not-the-password"})

    other_server = Client(REMOTE_ADDR="10.1.2.11")
    response = other_server.post(reverse("login"), {"username": "reporter", "password": PASSWORD})

    assert AccessAttempt.objects.filter(username="reporter").exists()
    assert response.status_code == 429
    assert "已被锁定" in response.content.decode()


def test_the_cockpit_keeps_its_tiles_in_the_database_cache(database_cache, login, leader, plan):
    client = login(leader)
    url = reverse("dashboards:plan-tile", args=[plan.pk, "bullets"]) + "?period=2024-06"
    first = client.get(url, HTTP_HX_REQUEST="true")
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM keji_cache WHERE cache_key LIKE %s", ["%cockpit:%"])
        kept = cursor.fetchone()[0]
    again = client.get(url, HTTP_HX_REQUEST="true")

    assert first.status_code == again.status_code == 200
    assert kept > 0
    assert again.content == first.content
