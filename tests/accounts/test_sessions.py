"""A session ends after SESSION_IDLE_MINUTES without a request; activity keeps it alive."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from ..conftest import PASSWORD

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def clock():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


def _log_in(client):
    assert client.post(reverse("login"), {"username": "reporter", "password": PASSWORD}).status_code == 302


def test_the_idle_timeout_is_thirty_minutes_by_default_and_sessions_end_with_the_browser():
    assert settings.SESSION_IDLE_MINUTES == 30
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600


def test_a_session_idle_too_long_ends_and_the_login_page_says_why(client, reporter, clock):
    _log_in(client)
    clock.shift(timedelta(minutes=31))
    response = client.get(reverse("plans:plan-list"))
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={reverse('plans:plan-list')}"
    page = client.get(response.url).content.decode()
    assert "您已超过30分钟未操作，会话已过期，请重新登录。" in page
    assert client.get(reverse("plans:plan-list")).status_code == 302  # logged out for good


def test_activity_slides_the_timeout(client, reporter, clock):
    _log_in(client)
    for _ in range(4):
        clock.shift(timedelta(minutes=25))
        assert client.get(reverse("plans:plan-list")).status_code == 200


def test_an_htmx_request_of_an_expired_session_reloads_the_whole_page_at_login(client, reporter, clock):
    _log_in(client)
    clock.shift(timedelta(minutes=31))
    response = client.get(reverse("plans:plan-list"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith(reverse("login"))


def test_the_timeout_is_a_setting(client, settings, reporter, clock):
    settings.SESSION_IDLE_MINUTES = 5
    _log_in(client)
    clock.shift(timedelta(minutes=6))
    assert client.get(reverse("plans:plan-list")).url.startswith(reverse("login"))


def test_the_timeout_is_read_from_the_environment():
    code = "from django.conf import settings; print(settings.SESSION_IDLE_MINUTES)"
    environment = {**os.environ, "SESSION_IDLE_MINUTES": "15"}
    run = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.stdout.strip().splitlines()[-1] == "15", run.stderr
