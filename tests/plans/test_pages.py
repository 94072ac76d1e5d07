import re

import pytest
from django.urls import reverse

from demo.loader import load_demo, read_structure
from plans.models import Plan
from plans.services import create_plan

from ..conftest import PASSWORD, PLAN_STRUCTURE

pytestmark = pytest.mark.django_db


def test_login_page_is_in_chinese(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "登录" in response.content.decode()


def test_anonymous_visitor_is_sent_to_login(client, plan):
    response = client.get(reverse("plans:plan-detail", args=[plan.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_reporter_logs_in_and_lands_on_the_months_work(client, reporter, plan):
    response = client.post(reverse("login"), {"username": "reporter", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("tracking:due")
    assert "本月待办" in response.content.decode()


def test_a_leader_logs_in_and_lands_on_the_plans(client, leader, plan):
    response = client.post(reverse("login"), {"username": "leader", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("plans:home")
    assert plan.title in response.content.decode()


def test_wrong_password_is_refused_with_a_chinese_message(client, reporter):
    response = client.post(reverse("login"), {"username": "reporter", "password": "wrong"})
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()


def test_plan_list_shows_visible_plans_with_counts(login, reporter, plan):
    plan.status = "active"
    plan.save()
    page = login(reporter).get(reverse("plans:plan-list")).content.decode()
    assert plan.title in page
    assert "测试县" in page
    assert "进行中" in page


def test_home_of_a_stranger_lists_no_plans(login, stranger, plan):
    page = login(stranger).get(reverse("plans:plan-list")).content.decode()
    assert plan.title not in page
    assert "暂无" in page


def test_plan_page_shows_sections_tasks_targets_and_departments(login, reporter, plan):
    page = login(reporter).get(reverse("plans:plan-detail", args=[plan.pk])).content.decode()
    for text in [
        "(一)标志性工程提速",
        "(二)平台能级提档",
        "培育高新技术企业",
        "建设省级基地",
        "县商务科技和工业信息化局",
        "县财政局",
        "牵头单位",
        "配合单位",
        "净增高新技术企业",
        "310家",
        "2–3家",
        "≥12%",
        "工作目标",
    ]:
        assert text in page, text


def test_plan_page_of_another_county_is_404(login, stranger, plan):
    assert login(stranger).get(reverse("plans:plan-detail", args=[plan.pk])).status_code == 404


def test_leader_of_the_city_reads_the_county_plan(login, leader, plan):
    assert login(leader).get(reverse("plans:plan-detail", args=[plan.pk])).status_code == 200


def _big_structure(sections: int, tasks: int) -> dict:
    template = PLAN_STRUCTURE["sections"][0]["tasks"][0]
    return {
        "title": "大计划",
        "year": 2024,
        "goals": PLAN_STRUCTURE["goals"],
        "sections": [
            {
                "label": f"({s})",
                "title": f"板块{s}",
                "theme": "",
                "tasks": [{**template, "number": str(t), "title": f"任务{s}-{t}"} for t in range(tasks)],
            }
            for s in range(sections)
        ],
    }


@pytest.mark.parametrize(("sections", "tasks"), [(1, 1), (6, 12)])
def test_plan_page_queries_do_not_grow_with_tasks(
    login, reporter, regions, departments, django_assert_max_num_queries, sections, tasks
):
    plan = create_plan(
        structure=_big_structure(sections, tasks),
        region=regions["county"],
        departments={"县科技局": departments["bureau"], "县财政局": departments["finance"]},
    )
    client = login(reporter)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("plans:plan-detail", args=[plan.pk]))
    assert response.content.decode().count('class="task"') == sections * tasks


def test_home_queries_do_not_grow_with_plans(
    login, reporter, regions, departments, django_assert_max_num_queries
):
    for n in range(5):
        create_plan(
            structure={**PLAN_STRUCTURE, "title": f"计划{n}"},
            region=regions["county"],
            departments={"县科技局": departments["bureau"], "县财政局": departments["finance"]},
        )
    client = login(reporter)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("plans:plan-list"))
    assert response.content.decode().count("计划") >= 5


def test_the_plan_list_is_paged_with_each_plans_own_counts(
    login, leader, regions, departments, plan, django_assert_max_num_queries
):
    Plan.objects.bulk_create(
        [
            Plan(title=f"乡镇计划{n:02}", region=regions["other"], first_year=2024, last_year=2024)
            for n in range(54)
        ]
    )
    client = login(leader)
    with django_assert_max_num_queries(8):
        first = client.get(reverse("plans:plan-list")).content.decode()
    assert first.count('<td><a href="/plans/') == 50 and "第1页，共2页（共55项）" in first
    # the county's plan before the neighbouring county's (by name), with its 2 tasks and 3 targets
    row = re.search(rf"{plan.title}</a></td>(.*?)</tr>", first, re.S).group(1)
    assert re.findall(r'<td class="num">(\d+)</td>', row) == ["2", "3"]
    second = client.get(reverse("plans:plan-list"), {"page": "2"}).content.decode()
    assert second.count('<td><a href="/plans/') == 5 and "乡镇计划53" in second
    assert "第1页" in client.get(reverse("plans:plan-list"), {"page": "x"}).content.decode()


def test_plan_page_of_seed_001_shows_every_section_task_and_department_as_written(client):
    """What a 通道 reporter sees: the six sections, each task, its lead and co departments in order."""
    load_demo()
    structure = read_structure("001_f95b799e28ed058d")
    plan = Plan.objects.get(title=structure["title"])
    client.post(reverse("login"), {"username": "reporter", "password": "demo12345"})
    page = client.get(reverse("plans:plan-detail", args=[plan.pk])).content.decode()
    tasks = page.split('<article class="task"')[1:]
    gold = [(s, t) for s in structure["sections"] for t in s["tasks"]]
    assert len(tasks) == len(gold) == 14
    for section in structure["sections"]:
        assert f"{section['label']}{section['title']}" in page
    for html, (_, task) in zip(tasks, gold, strict=True):
        assert task["title"] in html
        assert re.findall(r'class="dept lead">([^<]+)<', html) == task["lead"]
        assert re.findall(r'class="dept co">([^<]+)<', html) == task["co"]
