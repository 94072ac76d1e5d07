"""`/healthz` answers a probe without a login: 200 when the database and the cache answer, else 503."""

from __future__ import annotations

import json
import logging
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import OperationalError, connection
from django.urls import reverse

from config import settings as project_settings

pytestmark = pytest.mark.django_db


def test_a_healthy_server_answers_200_with_a_tiny_json_body(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "database": "ok", "cache": "ok"}
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert not response.cookies  # no session, no CSRF cookie: nothing to keep for a probe
    assert reverse("healthz") == "/healthz"


def test_a_head_probe_is_answered_and_a_post_is_not(client):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


def test_a_signed_in_user_with_an_initial_password_is_not_sent_elsewhere(client, reporter):
    client.force_login(reporter)
    session = client.session
    session["accounts_must_change_password"] = True
    session.save()
    assert client.get("/healthz").status_code == 200


def test_when_the_database_does_not_answer_it_is_503_and_no_error_is_logged(client, caplog, settings):
    settings.CACHES = project_settings.CACHES  # production's cache, a table of the same database
    down = OperationalError('connection to server at "10.1.2.5", port 5432 failed: Connection refused')
    with (
        caplog.at_level(logging.INFO),
        mock.patch.object(connection, "ensure_connection", side_effect=down),
    ):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert json.loads(response.content) == {"status": "error", "database": "error", "cache": "error"}
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert any(
        "database did not answer" in r.getMessage() for r in caplog.records if r.levelno == logging.WARNING
    )


def test_when_the_cache_does_not_answer_it_is_503_naming_the_cache(client):
    with mock.patch.object(
        cache, "get", side_effect=OperationalError('relation "keji_cache" does not exist')
    ):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert json.loads(response.content) == {"status": "error", "database": "ok", "cache": "error"}


def test_a_load_balancer_probing_gunicorn_over_plain_http_is_not_redirected(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    assert client.get("/healthz").status_code == 200
    assert client.get(reverse("login")).status_code == 301
