"""Every user changes their own password; an initial one given by an administrator must be changed."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.models import PasswordState
from accounts.sessions import MUST_CHANGE_PASSWORD

from ..conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db

GOOD = "Liangshan-keji-2024"


def _change(client, old: str, new: str, again: str | None = None):
    data = {"old_password": old, "new_password1": new, "new_password2": again or new}
    return client.post(reverse("accounts:password-change"), data)


def test_the_top_bar_links_every_user_to_the_password_page(login, reporter):
    html = login(reporter).get(reverse("plans:plan-list")).content.decode()
    assert reverse("accounts:password-change") in html and "修改密码" in html


def test_a_user_changes_their_password_and_stays_logged_in(client, login, reporter):
    client = login(reporter)
    page = client.get(reverse("accounts:password-change"))
    assert page.status_code == 200 and "旧密码" in page.content.decode() and "新密码" in page.content.decode()
    response = _change(client, PASSWORD, GOOD)
    assert response.status_code == 302
    assert client.get(reverse("plans:plan-list")).status_code == 200
    reporter.refresh_from_db()
    assert reporter.check_password(GOOD)


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("Ab-12", "密码长度太短。密码必须包含至少 10 个字符。"),
        ("1234567890123", "密码只包含数字。"),
        ("password123", "这个密码太常见了。"),
        ("reporter-2024", "密码跟 用户名 太相似了。"),
        ("abcdefghijklmn", "密码只包含一类字符，请混合使用字母、数字或符号。"),
    ],
)
def test_a_weak_password_is_refused_in_chinese(login, reporter, new, message):
    response = _change(login(reporter), PASSWORD, new)
    assert response.status_code == 200
    assert message in response.content.decode()
    reporter.refresh_from_db()
    assert reporter.check_password(PASSWORD)


def test_a_wrong_old_password_or_a_mismatch_is_refused_in_chinese(login, reporter):
    client = login(reporter)
    assert "旧密码不正确" in _change(client, "not-it", GOOD).content.decode()
    assert "输入的两个密码不一致" in _change(client, PASSWORD, GOOD, GOOD + "x").content.decode()


def test_the_password_page_lists_the_rules_in_chinese(login, reporter):
    html = login(reporter).get(reverse("accounts:password-change")).content.decode()
    for rule in ["至少 10 个字符", "不能全都是数字", "常见密码", "两类"]:
        assert rule in html, rule


# --- initial passwords ------------------------------------------------------------------------


@pytest.fixture
def admin_user():
    return make_user("root", is_superuser=True, is_staff=True)


def _add_user_in_admin(client, username: str, password: str):
    data = {"username": username, "password1": password, "password2": password, "usable_password": "true"}
    return client.post(reverse("admin:auth_user_add"), data)


def test_a_user_added_by_an_administrator_must_change_the_password_at_first_login(client, admin_user):
    client.force_login(admin_user)
    assert _add_user_in_admin(client, "newcomer", "Chushi-mima-2024").status_code == 302
    newcomer = get_user_model().objects.get(username="newcomer")
    state = PasswordState.objects.get(user=newcomer)
    assert state.must_change and state.set_by == admin_user
    client.post(reverse("logout"))

    response = client.post(
        reverse("login"), {"username": "newcomer", "password": "Chushi-mima-2024"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("accounts:password-change")
    assert "初始密码" in response.content.decode()
    for url in [reverse("plans:plan-list"), reverse("dashboards:cockpit"), reverse("accounts:log")]:
        assert client.get(url).url == reverse("accounts:password-change"), url
    htmx = client.get(reverse("plans:plan-list"), HTTP_HX_REQUEST="true")
    assert htmx["HX-Redirect"] == reverse("accounts:password-change")

    assert _change(client, "Chushi-mima-2024", GOOD).status_code == 302
    assert client.get(reverse("plans:plan-list")).status_code == 200
    assert not PasswordState.objects.get(user=newcomer).must_change


def test_logout_stays_open_while_the_password_must_change(client, reporter):
    PasswordState.objects.create(user=reporter, must_change=True)
    client.post(reverse("login"), {"username": "reporter", "password": PASSWORD})
    assert client.session[MUST_CHANGE_PASSWORD] is True
    assert client.post(reverse("logout")).url == reverse("login")
    assert client.get(reverse("plans:plan-list")).url.startswith(reverse("login"))


def test_a_password_an_administrator_sets_for_someone_must_be_changed(client, admin_user, reporter):
    client.force_login(admin_user)
    url = reverse("admin:auth_user_password_change", args=[reporter.pk])
    data = {"password1": "Chongzhi-mima-2024", "password2": "Chongzhi-mima-2024", "usable_password": "true"}
    assert client.post(url, data).status_code == 302
    assert PasswordState.objects.get(user=reporter).must_change


def test_an_administrator_changing_their_own_password_in_the_admin_is_not_forced(client, admin_user):
    client.force_login(admin_user)
    url = reverse("admin:auth_user_password_change", args=[admin_user.pk])
    data = {"password1": "Ziji-mima-2024x", "password2": "Ziji-mima-2024x", "usable_password": "true"}
    assert client.post(url, data).status_code == 302
    assert not PasswordState.objects.filter(user=admin_user, must_change=True).exists()


def test_users_made_otherwise_are_not_forced(client, reporter):
    response = client.post(reverse("login"), {"username": "reporter", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] != reverse("accounts:password-change")
