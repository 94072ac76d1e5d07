"""Logins, logouts, wrong passwords and lockouts, with address and browser, for those who oversee them."""

import pytest
from axes.models import AccessFailureLog, AccessLog
from django.conf import settings
from django.urls import reverse

from ..conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (Windows NT 10.0) Chrome/120 Safari/537.36"


def _attempt(client, username: str, password: str, address: str = "10.1.2.3"):
    data = {"username": username, "password": password}
    return client.post(reverse("login"), data, REMOTE_ADDR=address, HTTP_USER_AGENT=BROWSER)


def test_every_kind_of_event_is_recorded_with_address_browser_and_time(client, reporter):
    _attempt(client, "reporter", "wrong")
    assert _attempt(client, "reporter", PASSWORD).status_code == 302
    client.post(reverse("logout"), REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT=BROWSER)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _attempt(client, "reporter", "wrong", address="10.9.9.9")
    login = AccessLog.objects.get(username="reporter")
    assert (login.ip_address, login.user_agent) == ("10.1.2.3", BROWSER)
    assert login.attempt_time and login.logout_time
    failures = AccessFailureLog.objects.filter(username="reporter").order_by("attempt_time")
    assert [f.locked_out for f in failures] == [False] * settings.AXES_FAILURE_LIMIT + [True]
    assert failures.last().ip_address == "10.9.9.9"


def test_a_coordinator_reads_the_log_of_their_regions_users_in_chinese(
    client, coordinator, reporter, stranger
):
    _attempt(client, "reporter", "wrong")
    _attempt(client, "reporter", PASSWORD)
    client.post(reverse("logout"))
    _attempt(client, "stranger", "wrong", address="10.7.7.7")
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        _attempt(client, "reviewer-nobody", "wrong")
    client.force_login(coordinator)
    response = client.get(reverse("accounts:log"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "登录日志" in html
    for text in ["登录成功", "退出登录", "密码错误", "10.1.2.3", "Chrome/120"]:
        assert text in html, text
    assert "stranger" not in html and "10.7.7.7" not in html and "reviewer-nobody" not in html


def test_a_lockout_shows_as_a_refusal_in_the_log(client, coordinator, reporter):
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        _attempt(client, "reporter", "wrong")
    client.force_login(coordinator)
    assert "拒绝登录：账号已锁定" in client.get(reverse("accounts:log")).content.decode()


def test_the_log_filters_by_user_and_period_and_refuses_nothing_with_a_500(
    client, coordinator, reporter, reviewer
):
    _attempt(client, "reporter", "wrong")
    _attempt(client, "reviewer", "wrong", address="10.5.5.5")
    client.force_login(coordinator)
    html = client.get(reverse("accounts:log"), {"username": "reviewer", "days": "7"}).content.decode()
    assert "10.5.5.5" in html and "10.1.2.3" not in html
    for odd in [{"days": "abc"}, {"days": "-3"}, {"username": "x" * 500}]:
        assert client.get(reverse("accounts:log"), odd).status_code == 200


def test_the_superuser_reads_everyone_s_log_and_the_admin_lists_it(client, login, reporter, stranger):
    _attempt(client, "stranger", "wrong", address="10.7.7.7")
    _attempt(client, "reporter", PASSWORD)
    admin = make_user("root", is_superuser=True, is_staff=True)
    client = login(admin)
    assert "10.7.7.7" in client.get(reverse("accounts:log")).content.decode()
    assert "10.7.7.7" in client.get(reverse("admin:axes_accessfailurelog_changelist")).content.decode()
    assert "reporter" in client.get(reverse("admin:axes_accesslog_changelist")).content.decode()


def test_behind_a_trusted_proxy_the_log_keeps_the_address_the_proxy_saw(client, settings, reporter):
    settings.TRUSTED_PROXY_COUNT = 1
    data = {"username": "reporter", "password": "wrong"}
    client.post(reverse("login"), data, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 10.3.3.3")
    client.post(reverse("login"), data, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="not-an-address")
    addresses = list(AccessFailureLog.objects.order_by("attempt_time").values_list("ip_address", flat=True))
    assert addresses == ["10.3.3.3", "127.0.0.1"]
