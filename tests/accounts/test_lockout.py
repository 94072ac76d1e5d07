"""Wrong passwords lock an account; its region's coordinator sees the lock and can release it."""

from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from ..conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def _attempt(client, username: str, password: str, **meta):
    return client.post(reverse("login"), {"username": username, "password": password}, **meta)


def _fail(client, username: str, times: int, **meta) -> None:
    for _ in range(times):
        assert _attempt(client, username, "not-the-password", **meta).status_code in {200, 429}


def _logged_in(client) -> bool:
    return client.get(reverse("plans:plan-list")).status_code == 200


def test_the_default_limit_is_at_most_twelve_and_the_lock_lasts_thirty_minutes():
    assert 1 <= settings.AXES_FAILURE_LIMIT <= 12
    assert timedelta(minutes=30) == settings.AXES_COOLOFF_TIME
    assert settings.AXES_LOCKOUT_PARAMETERS == ["username"]


@pytest.mark.parametrize("limit", [5, 12])
def test_the_limit_of_wrong_passwords_locks_the_account_and_the_right_one_is_then_refused(
    client, settings, reporter, limit
):
    settings.AXES_FAILURE_LIMIT = limit
    _fail(client, "reporter", limit)
    response = _attempt(client, "reporter", PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert f"连续{limit}次密码错误" in page and "已被锁定" in page and "30分钟后再试" in page
    assert "专班管理员" in page
    assert not _logged_in(client)


def test_one_wrong_password_fewer_than_the_limit_still_lets_the_right_one_in(client, settings, reporter):
    settings.AXES_FAILURE_LIMIT = 12
    _fail(client, "reporter", 11)
    assert _attempt(client, "reporter", PASSWORD).status_code == 302
    assert _logged_in(client)
    assert not AccessAttempt.objects.filter(username="reporter").exists()  # a success starts afresh


def test_changing_address_or_browser_does_not_reset_the_count(client, reporter):
    for n in range(settings.AXES_FAILURE_LIMIT):
        _fail(client, "reporter", 1, REMOTE_ADDR=f"10.0.0.{n + 1}", HTTP_USER_AGENT=f"Browser/{n}")
    response = _attempt(client, "reporter", PASSWORD, REMOTE_ADDR="10.9.9.9", HTTP_USER_AGENT="Other")
    assert response.status_code == 429


def test_other_accounts_from_the_same_address_are_not_locked(client, reporter, reviewer):
    _fail(client, "reporter", settings.AXES_FAILURE_LIMIT)
    assert _attempt(client, "reviewer", PASSWORD).status_code == 302


def test_the_lock_ends_by_itself_after_the_cool_off(client, reporter):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        _fail(client, "reporter", settings.AXES_FAILURE_LIMIT)
        clock.shift(timedelta(minutes=29))
        assert _attempt(client, "reporter", PASSWORD).status_code == 429
        clock.shift(timedelta(minutes=31))
        assert _attempt(client, "reporter", PASSWORD).status_code == 302


def test_a_coordinator_sees_the_locked_accounts_of_their_region_only(
    client, login, coordinator, reporter, stranger
):
    _fail(client, "reporter", settings.AXES_FAILURE_LIMIT)
    _fail(client, "stranger", settings.AXES_FAILURE_LIMIT)
    _fail(client, "nobody-by-this-name", settings.AXES_FAILURE_LIMIT)
    page = login(coordinator).get(reverse("accounts:locked"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "被锁定的账号" in html and "解锁" in html
    assert "reporter" in html and "县商务科技和工业信息化局" in html
    assert "stranger" not in html and "nobody-by-this-name" not in html


def test_a_coordinator_releases_a_lock_and_the_person_logs_in_at_once(client, coordinator, reporter):
    _fail(client, "reporter", settings.AXES_FAILURE_LIMIT)
    client.force_login(coordinator)
    response = client.post(reverse("accounts:release"), {"username": "reporter"}, follow=True)
    html = response.content.decode()
    assert "已解锁账号 reporter" in html and "当前没有被锁定的账号" in html
    client.post(reverse("logout"))
    assert _attempt(client, "reporter", PASSWORD).status_code == 302


def test_a_coordinator_cannot_release_an_account_of_another_region(client, coordinator, stranger):
    _fail(client, "stranger", settings.AXES_FAILURE_LIMIT)
    client.force_login(coordinator)
    assert client.post(reverse("accounts:release"), {"username": "stranger"}).status_code == 404
    assert AccessAttempt.objects.filter(username="stranger").exists()


def test_the_superuser_sees_every_lock_including_unknown_names(client, login, reporter, stranger):
    _fail(client, "stranger", settings.AXES_FAILURE_LIMIT)
    _fail(client, "nobody-by-this-name", settings.AXES_FAILURE_LIMIT)
    admin = make_user("root", is_superuser=True, is_staff=True)
    html = login(admin).get(reverse("accounts:locked")).content.decode()
    assert "stranger" in html and "nobody-by-this-name" in html


@pytest.mark.parametrize("persona", ["reporter", "reviewer", "leader"])
def test_only_coordinators_and_admins_oversee_logins(login, request, persona):
    client = login(request.getfixturevalue(persona))
    assert client.get(reverse("accounts:locked")).status_code == 403
    assert client.get(reverse("accounts:log")).status_code == 403
    assert client.post(reverse("accounts:release"), {"username": "reporter"}).status_code == 403
    assert reverse("accounts:locked") not in client.get(reverse("plans:plan-list")).content.decode()


def test_the_top_bar_leads_a_coordinator_to_login_security(login, coordinator):
    html = login(coordinator).get(reverse("plans:plan-list")).content.decode()
    assert reverse("accounts:locked") in html and "登录安全" in html


def test_the_admin_lists_the_attempts_for_a_superuser(client, login, reporter):
    _fail(client, "reporter", 2)
    admin = make_user("root", is_superuser=True, is_staff=True)
    response = login(admin).get(reverse("admin:axes_accessattempt_changelist"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "reporter" in html and "登录失败计数" in html and "失败次数" in html and "登录安全" in html


def test_a_lockout_page_is_no_500_for_an_empty_or_odd_username(client, settings):
    settings.AXES_FAILURE_LIMIT = 2
    for username in ["", " ", "x" * 300, "'; drop table users; --", "用户\u0000名"]:
        for _ in range(3):
            assert _attempt(client, username, "x", HTTP_USER_AGENT="A" * 1000).status_code in {200, 429}
    admin_login = client.post(reverse("admin:login"), {"username": "y" * 300, "password": "x"})
    assert admin_login.status_code in {200, 429}
    assert AccessAttempt.objects.filter(username="x" * 255).exists()  # recorded, cut to the column
