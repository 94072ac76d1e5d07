"""A coordinator imports a plan in the browser: read, check, correct, resume, confirm once."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from demo.loader import read_seed
from departments.models import Department, Membership, Role
from plans.models import Plan, PlanImport

from ..conftest import make_user

pytestmark = pytest.mark.django_db

SEED_001 = "001_f95b799e28ed058d"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def tongdao_text():
    return read_seed(SEED_001)


@pytest.fixture
def started(login, coordinator, regions, tongdao_text):
    """The seed 001 plan pasted by the county's coordinator, waiting for review."""
    client = login(coordinator)
    response = client.post(
        reverse("plans:import-start"), {"region": regions["county"].pk, "text": tongdao_text}
    )
    plan_import = PlanImport.objects.get()
    assert response.url == reverse("plans:import-review", args=[plan_import.pk])
    return client, plan_import


def _first_target(plan_import, title_start):
    for section in plan_import.structure["sections"]:
        for task in section["tasks"]:
            if task["title"].startswith(title_start):
                return task, task["indicators"][0]
    raise AssertionError(title_start)


def _indicator_post(uid, **fields):
    data = {
        "name": "新建市级以上创新平台",
        "value": "1",
        "value_max": "",
        "unit": "个",
        "comparator": "=",
        "kind": "count",
        "text": "新建市级以上创新平台1个",
    }
    data.update(fields)
    return {f"{uid}-{key}": value for key, value in data.items()}


def test_only_coordinators_may_import(login, reporter, leader, reviewer):
    for user in (reporter, leader, reviewer):
        assert login(user).get(reverse("plans:import-start")).status_code == 403


def test_the_import_page_is_in_chinese_and_offers_the_coordinators_regions(login, coordinator, regions):
    page = login(coordinator).get(reverse("plans:import-start")).content.decode()
    assert "导入计划" in page and "粘贴" in page
    assert "测试县" in page and "邻县" not in page


def test_pasted_text_becomes_a_review_with_every_part_read(started):
    client, plan_import = started
    assert plan_import.region.name == "测试县"
    assert plan_import.kind == "implementation"
    assert plan_import.created_by.username == "coordinator"
    page = client.get(reverse("plans:import-review", args=[plan_import.pk])).content.decode()
    assert "识别结果：6个板块、14项任务、20个指标" in page
    assert '<mark class="target" id="src-' in page
    assert '<mark class="dept">县财政局</mark>' in page
    assert 'value="重点科创专项提速"' in page


def test_an_uploaded_gbk_file_is_read_like_pasted_text(login, coordinator, regions, tongdao_text):
    upload = SimpleUploadedFile("通道方案.txt", tongdao_text.encode("gb18030"), content_type="text/plain")
    response = login(coordinator).post(
        reverse("plans:import-start"), {"region": regions["county"].pk, "file": upload}
    )
    assert response.status_code == 302
    plan_import = PlanImport.objects.get()
    assert plan_import.filename == "通道方案.txt"
    assert plan_import.structure["title"] == "通道侗族自治县创新提升行动实施方案"


def test_a_pdf_upload_says_what_to_do_and_creates_nothing(login, coordinator, regions):
    upload = SimpleUploadedFile("plan.pdf", b"%PDF-1.4 ...", content_type="application/pdf")
    response = login(coordinator).post(
        reverse("plans:import-start"), {"region": regions["county"].pk, "file": upload}
    )
    assert response.status_code == 200
    assert "无法读取 PDF 文件" in response.content.decode()
    assert not PlanImport.objects.exists()


def test_text_without_structure_is_refused_and_the_pasted_text_is_kept(login, coordinator, regions):
    text = "这是一段没有任何标题和编号的文字，只是说明情况。"
    response = login(coordinator).post(
        reverse("plans:import-start"), {"region": regions["county"].pk, "text": text}
    )
    page = response.content.decode()
    assert "未识别出板块或编号任务" in page
    assert text in page
    assert not PlanImport.objects.exists()


def test_nothing_chosen_is_refused(login, coordinator, regions):
    response = login(coordinator).post(
        reverse("plans:import-start"), {"region": regions["county"].pk, "text": "  "}
    )
    assert "请选择文件或粘贴计划原文" in response.content.decode()


def test_a_corrected_target_is_saved_at_once_and_survives_a_reload(started):
    client, plan_import = started
    _, target = _first_target(plan_import, "培育建设市级以上创新平台")
    url = reverse("plans:import-item", args=[plan_import.pk, target["uid"]])
    response = client.post(url, _indicator_post(target["uid"], value="2", comparator=">="), **HTMX)
    assert response.status_code == 200
    assert 'value="2"' in response.content.decode()
    plan_import.refresh_from_db()
    _, saved = _first_target(plan_import, "培育建设市级以上创新平台")
    assert (saved["value"], saved["comparator"]) == (2, ">=")
    page = client.get(reverse("plans:import-review", args=[plan_import.pk])).content.decode()
    assert f'name="{target["uid"]}-value" value="2"' in page


def test_text_in_a_number_field_is_refused_in_chinese_and_the_typed_value_kept(started):
    client, plan_import = started
    _, target = _first_target(plan_import, "培育建设市级以上创新平台")
    url = reverse("plans:import-item", args=[plan_import.pk, target["uid"]])
    response = client.post(url, _indicator_post(target["uid"], value="一个"), **HTMX)
    page = response.content.decode()
    assert "输入一个数字" in page
    assert 'value="一个"' in page
    plan_import.refresh_from_db()
    assert _first_target(plan_import, "培育建设市级以上创新平台")[1]["value"] == 1


def test_a_range_needs_an_upper_end_not_below_the_lower(started):
    client, plan_import = started
    _, target = _first_target(plan_import, "培育建设市级以上创新平台")
    url = reverse("plans:import-item", args=[plan_import.pk, target["uid"]])
    page = client.post(
        url, _indicator_post(target["uid"], comparator="range", value="3", value_max="2"), **HTMX
    )
    assert "上限不能小于下限" in page.content.decode()


def test_a_false_target_is_dropped_and_dropping_twice_is_harmless(started):
    client, plan_import = started
    task, target = _first_target(plan_import, "培育建设市级以上创新平台")
    url = reverse("plans:import-drop", args=[plan_import.pk, target["uid"]])
    assert client.post(url, **HTMX).content == b""
    assert client.post(url, **HTMX).status_code == 200
    plan_import.refresh_from_db()
    assert _indicator_uids(plan_import).isdisjoint({target["uid"]})


def _indicator_uids(plan_import):
    structure = plan_import.structure
    uids = {g["uid"] for g in structure["goals"]}
    for section in structure["sections"]:
        for task in section["tasks"]:
            uids |= {i["uid"] for i in task["indicators"]}
    return uids


def test_a_missed_target_is_added_to_its_task(started):
    client, plan_import = started
    task, _ = _first_target(plan_import, "培育建设市级以上创新平台")
    url = reverse("plans:import-add", args=[plan_import.pk, task["uid"]])
    data = _indicator_post(f"new-{task['uid']}", name="新建工程技术研究中心", value="3", unit="家", text="")
    response = client.post(url, data, **HTMX)
    assert 'hx-swap-oob="beforeend:#indicators-' in response.content.decode()
    plan_import.refresh_from_db()
    task, _ = _first_target(plan_import, "培育建设市级以上创新平台")
    assert [i["name"] for i in task["indicators"]][-1] == "新建工程技术研究中心"


def test_editing_a_target_dropped_in_another_tab_says_so(started):
    client, plan_import = started
    _, target = _first_target(plan_import, "培育建设市级以上创新平台")
    plan_import.drop_item(target["uid"])
    url = reverse("plans:import-item", args=[plan_import.pk, target["uid"]])
    response = client.post(url, _indicator_post(target["uid"]), **HTMX)
    assert "该项已被删除" in response.content.decode()


def test_departments_are_proposed_by_name_and_alias_and_the_rest_await_a_choice(started, departments):
    client, plan_import = started
    choices = plan_import.department_choices
    assert choices["县财政局"] == {"department": departments["finance"].pk, "score": 1.0}
    assert choices["县商务科技和工业信息化局"]["department"] == departments["bureau"].pk
    assert choices["县林业局"] == {"create": True}


def test_a_name_matched_to_a_department_becomes_its_alias_on_confirm(started, departments):
    client, plan_import = started
    url = reverse("plans:import-department", args=[plan_import.pk])
    response = client.post(url, {"name": "县科协", "choice": departments["finance"].pk}, **HTMX)
    assert response.status_code == 200
    client.post(reverse("plans:import-confirm", args=[plan_import.pk]))
    assert (
        Department.objects.resolve("县科协", region=departments["finance"].region) == departments["finance"]
    )


def test_confirming_creates_the_draft_plan_with_everything_read(started, departments):
    client, plan_import = started
    response = client.post(reverse("plans:import-confirm", args=[plan_import.pk]))
    plan = Plan.objects.get()
    assert response.url == reverse("plans:plan-detail", args=[plan.pk])
    assert plan.status == Plan.Status.DRAFT
    assert (plan.sections.count(), plan.indicators.count()) == (6, 20)
    assert plan.source_text == plan_import.source_text
    assert Department.objects.filter(name="县林业局", region=plan.region).exists()
    page = client.get(response.url).content.decode()
    assert "县林业局" in page and "草稿" in page


def test_confirming_twice_creates_one_plan(started):
    client, plan_import = started
    url = reverse("plans:import-confirm", args=[plan_import.pk])
    first = client.post(url)
    second = client.post(url, **HTMX)
    assert Plan.objects.count() == 1
    assert second["HX-Redirect"] == first.url


def test_a_confirmed_import_takes_no_more_corrections(started):
    client, plan_import = started
    client.post(reverse("plans:import-confirm", args=[plan_import.pk]))
    _, target = _first_target(plan_import, "培育建设市级以上创新平台")
    url = reverse("plans:import-item", args=[plan_import.pk, target["uid"]])
    response = client.post(url, _indicator_post(target["uid"], value="9"), **HTMX)
    assert "已确认或已放弃" in response.content.decode()
    assert Plan.objects.get().indicators.filter(target=9).count() == 0


def test_an_unmatched_department_stops_confirmation(started):
    client, plan_import = started
    plan_import.choose_department("县林业局", {})
    response = client.post(reverse("plans:import-confirm", args=[plan_import.pk]))
    assert response.status_code == 400
    assert "尚未匹配的单位：县林业局" in response.content.decode()
    assert not Plan.objects.exists()


def test_a_half_reviewed_import_is_listed_for_resuming(started):
    client, plan_import = started
    page = client.get(reverse("plans:import-start")).content.decode()
    assert reverse("plans:import-review", args=[plan_import.pk]) in page
    assert "通道侗族自治县创新提升行动实施方案" in page


def test_a_coordinator_of_another_county_cannot_open_the_import(started, departments, client):
    outsider = make_user("outsider", departments["neighbour"], Role.COORDINATOR)
    client.force_login(outsider)
    plan_import = started[1]
    assert client.get(reverse("plans:import-review", args=[plan_import.pk])).status_code == 404
    assert client.post(reverse("plans:import-confirm", args=[plan_import.pk])).status_code == 404


def test_the_plan_meta_is_corrected_in_place(started):
    client, plan_import = started
    data = {
        "meta-title": "通道县创新提升行动实施方案",
        "meta-year": "2025",
        "meta-first_year": "2024",
        "meta-kind": "action_plan",
    }
    client.post(reverse("plans:import-meta", args=[plan_import.pk]), data, **HTMX)
    plan_import.refresh_from_db()
    assert (plan_import.structure["title"], plan_import.structure["year"]) == (
        "通道县创新提升行动实施方案",
        2025,
    )
    assert (plan_import.first_year, plan_import.kind) == (2024, "action_plan")


def test_review_page_queries_are_bounded(started, django_assert_max_num_queries):
    client, plan_import = started
    with django_assert_max_num_queries(12):
        assert client.get(reverse("plans:import-review", args=[plan_import.pk])).status_code == 200


def test_a_leader_gets_403_on_every_import_write(started, leader, client):
    plan_import = started[1]
    Membership.objects.filter(user=leader).update(role=Role.LEADER)
    client.force_login(leader)
    for name in [
        "plans:import-confirm",
        "plans:import-discard",
        "plans:import-department",
        "plans:import-meta",
    ]:
        assert client.post(reverse(name, args=[plan_import.pk])).status_code == 403


def test_the_coordinator_activates_the_confirmed_draft(started, login, reporter):
    client, plan_import = started
    client.post(reverse("plans:import-confirm", args=[plan_import.pk]))
    plan = Plan.objects.get()
    assert "启用计划" in client.get(reverse("plans:plan-detail", args=[plan.pk])).content.decode()
    client.post(reverse("tracking:plan-activate", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.status == Plan.Status.ACTIVE


def test_a_reporter_cannot_activate_a_plan(started, reporter, client):
    started[0].post(reverse("plans:import-confirm", args=[started[1].pk]))
    plan = Plan.objects.get()
    client.force_login(reporter)
    assert "启用计划" not in client.get(reverse("plans:plan-detail", args=[plan.pk])).content.decode()
    assert client.post(reverse("tracking:plan-activate", args=[plan.pk])).status_code == 403
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT


COMPILATION = (
    "科技局2026年工作计划汇编\n"
    "目 录\n1.甲县科技局2026年工作要点\n2.乙县科技局2026年工作计划\n"
    "甲县科技局2026年工作要点\n一、培育创新主体\n新增高新技术企业12家。\n二、建设创新平台\n新建研发平台3个。\n"
    "乙县科技局2026年工作计划\n(一)平台建设提档\n1.新建省级重点实验室2个。（县科技局牵头，县财政局配合）\n"
    "(二)成果转化提效\n1.技术合同成交额达到4亿元。（县科技局牵头）\n"
)


def test_a_compilation_offers_each_plan_and_imports_the_one_chosen(login, coordinator, regions):
    client = login(coordinator)
    client.post(reverse("plans:import-start"), {"region": regions["county"].pk, "text": COMPILATION})
    plan_import = PlanImport.objects.get()
    assert plan_import.structure["title"] == "甲县科技局2026年工作要点"
    page = client.get(reverse("plans:import-review", args=[plan_import.pk])).content.decode()
    assert "这份文本是汇编，共含 2 份计划" in page
    assert "2. 乙县科技局2026年工作计划" in page

    response = client.post(reverse("plans:import-part", args=[plan_import.pk]), {"part": "2"})
    assert response.status_code == 302
    plan_import.refresh_from_db()
    assert plan_import.structure["title"] == "乙县科技局2026年工作计划"
    assert [s["title"] for s in plan_import.structure["sections"]] == ["平台建设提档", "成果转化提效"]
    assert set(plan_import.department_choices) == {"县科技局", "县财政局"}
    page = client.get(reverse("plans:import-review", args=[plan_import.pk])).content.decode()
    assert 'value="平台建设提档"' in page


def test_choosing_a_plan_that_is_not_in_the_compilation_changes_nothing(login, coordinator, regions):
    client = login(coordinator)
    client.post(reverse("plans:import-start"), {"region": regions["county"].pk, "text": COMPILATION})
    plan_import = PlanImport.objects.get()
    response = client.post(reverse("plans:import-part", args=[plan_import.pk]), {"part": "7"}, follow=True)
    assert "请从汇编中选择一份计划" in response.content.decode()
    plan_import.refresh_from_db()
    assert plan_import.structure["title"] == "甲县科技局2026年工作要点"


def test_the_review_page_shows_what_could_not_be_placed(login, coordinator, regions):
    text = (
        "县科技局2026年工作计划\n一、重点任务\n（一）培育创新主体\n1.新增高新技术企业10家。\n"
        "二、工作举措\n（一）强化政策兑现\n1.兑现研发奖补资金500万元。\n"
    )
    client = login(coordinator)
    client.post(reverse("plans:import-start"), {"region": regions["county"].pk, "text": text})
    plan_import = PlanImport.objects.get()
    page = client.get(reverse("plans:import-review", args=[plan_import.pk])).content.decode()
    assert "未能归入计划的内容" in page
    assert "兑现研发奖补资金500万元" in page
    assert "既不是包含任务的板块" in page


def test_a_paste_of_twenty_kilobytes_of_digits_is_answered_not_crashed(login, coordinator, regions):
    client = login(coordinator)
    response = client.post(
        reverse("plans:import-start"), {"region": regions["county"].pk, "text": "7" * 20_000}
    )
    assert response.status_code == 200
    assert "未识别出" in response.content.decode()
    assert not PlanImport.objects.exists()


def test_a_text_longer_than_any_plan_is_refused_in_chinese(login, coordinator, regions, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = None
    client = login(coordinator)
    text = "一、任务\n" + "新增企业1家。" * 50_000
    response = client.post(reverse("plans:import-start"), {"region": regions["county"].pk, "text": text})
    assert "超过可导入的上限" in response.content.decode()


def test_an_uploaded_file_over_the_limit_is_refused_in_the_form(login, coordinator, regions, settings):
    settings.PLAN_IMPORT_MAX_BYTES = 1024
    upload = SimpleUploadedFile("plan.txt", "新增企业1家。".encode() * 500)
    response = login(coordinator).post(
        reverse("plans:import-start"), {"region": regions["county"].pk, "file": upload}
    )
    assert response.status_code == 200
    assert "最多" in response.content.decode()
