"""Exports of a region in the background: started from a page, polled, kept, and downloaded only
by those who oversee the region."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from io import BytesIO, StringIO
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from docx import Document

from departments import clock
from departments.models import Role
from outputs import jobs
from outputs import ledger as ledgers
from outputs.models import ExportJob
from plans.periods import Period

from ..conftest import make_user

pytestmark = pytest.mark.django_db

JUNE = Period(2024, 6)
HTMX = {"HTTP_HX_REQUEST": "true"}
Status = ExportJob.Status


@pytest.fixture(autouse=True)
def june_and_media(settings, tmp_path):
    settings.REPORTING_TODAY = "2024-06-28"
    settings.MEDIA_ROOT = tmp_path


def _start(client, kind: str, region, period: str = "2024-06", **extra):
    data = {"kind": kind, "region": region.pk, "as_of": period}
    return client.post(reverse("outputs:exports"), data, **extra)


def _job() -> ExportJob:
    return ExportJob.objects.get()


def _content(response) -> bytes:
    """A download's bytes; reading them to the end closes the file (the test client's wrapper)."""
    return b"".join(response.streaming_content)


def test_a_leader_exports_the_ledger_of_every_plan_of_the_city_and_downloads_it(
    login, leader, plan, city_plan, regions
):
    client = login(leader)
    response = _start(client, "ledger", regions["city"])
    job = _job()
    assert response.status_code == 302 and response["Location"] == reverse(
        "outputs:export-detail", args=[job.pk]
    )
    assert (job.status, job.requested_by, job.region, job.period, job.plans_count) == (
        Status.DONE,
        leader,
        regions["city"],
        JUNE,
        2,
    )
    assert job.file.name.startswith("exports/") and default_storage.exists(job.file.name)
    page = client.get(response["Location"]).content.decode()
    assert "已完成：共导出2个计划。" in page and "测试市台账_2024-06.xlsx" in page
    assert 'hx-trigger="every 1s"' not in page  # done: the page stops polling

    download = client.get(reverse("outputs:export-download", args=[job.pk]))
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    assert download["Cache-Control"] == "private, no-store"
    book = openpyxl.load_workbook(BytesIO(_content(download)))
    tasks = book["任务清单"]
    assert tasks["A1"].value == "测试市2024年科技创新工作台账(截至6月)"
    assert [c.value for c in tasks[3]][:4] == ["序号", "计划", "板块", "任务"]
    plans = {row[1] for row in tasks.iter_rows(min_row=4, values_only=True)}
    assert plans >= {"测试市2024年科技创新工作要点", "测试县科技局2024年工作计划"}
    summary = [row for row in book["汇总"].iter_rows(values_only=True) if row and row[0]]
    headings = [row[0] for row in summary]
    assert "计划" in headings and "测试市2024年科技创新工作要点" in headings


def test_the_ledger_of_one_region_numbers_each_plans_tasks_from_one(plan, city_plan, regions):
    parts = [(p, ledgers.collect_ledger(p, JUNE)) for p in (city_plan, plan)]
    ledger = ledgers.combine_ledgers(regions["city"], JUNE, parts)
    book = openpyxl.load_workbook(BytesIO(_bytes(ledger)))
    rows = list(book["任务清单"].iter_rows(min_row=4, values_only=True))
    firsts = [row[0] for row in rows if row[0] is not None]
    assert firsts.count(1) == 2  # each plan starts again at 1


def _bytes(ledger) -> bytes:
    stream = BytesIO()
    ledgers.write_ledger(ledger, stream)
    return stream.getvalue()


def test_the_bulletin_of_a_region_is_a_word_document_with_a_table_by_plan(
    login, leader, plan, city_plan, regions
):
    client = login(leader)
    _start(client, "bulletin", regions["city"])
    job = _job()
    assert job.status == Status.DONE and job.filename == "测试市情况通报2024-06.docx"
    download = client.get(reverse("outputs:export-download", args=[job.pk]))
    document = Document(BytesIO(_content(download)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "关于测试市科技创新工作推进情况的通报（2024年6月）" in text
    assert "现将测试市2个工作计划截至2024年6月底的推进情况通报如下。" in text
    assert "二、分计划推进情况" in text
    by_plan = document.tables[1]
    assert [cell.text for cell in by_plan.rows[0].cells][:3] == ["计划", "地区", "指标数"]
    assert [row.cells[0].text for row in by_plan.rows[1:]] == [
        "测试市2024年科技创新工作要点",
        "测试县科技局2024年工作计划",
    ]
    assert "测试市工作专班" in text


def test_the_progress_fragment_polls_until_the_job_is_done(login, leader, plan, regions):
    job = ExportJob.objects.create(
        kind="ledger", region=regions["county"], period=JUNE, requested_by=leader, requested_at=_now()
    )
    client = login(leader)
    url = reverse("outputs:export-detail", args=[job.pk])
    fragment = client.get(url, **HTMX)
    assert fragment["Vary"] == "HX-Request, Cookie" or "HX-Request" in fragment["Vary"]
    html = fragment.content.decode()
    assert "<html" not in html and 'hx-trigger="every 1s"' in html and f'hx-get="{url}"' in html
    assert '<progress max="100" value="0">' in html and "等待开始" in html
    ExportJob.objects.filter(pk=job.pk).update(
        status=Status.RUNNING, steps_total=3, steps_done=1, plans_count=2
    )
    html = client.get(url, **HTMX).content.decode()
    assert '<progress max="100" value="33">' in html and "已读取1/2个计划" in html
    ExportJob.objects.filter(pk=job.pk).update(status=Status.QUEUED, steps_total=0, steps_done=0)
    jobs.run_export(job.pk)
    html = client.get(url, **HTMX).content.decode()
    assert "hx-trigger" not in html and reverse("outputs:export-download", args=[job.pk]) in html


def _now() -> datetime:
    return datetime(2024, 6, 28, 9, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_a_job_no_worker_picks_up_says_so(login, leader, regions):
    job = ExportJob.objects.create(
        kind="ledger", region=regions["county"], period=JUNE, requested_by=leader, requested_at=_now()
    )
    client = login(leader)
    url = reverse("outputs:export-detail", args=[job.pk])
    with time_machine.travel(_now() + timedelta(seconds=5), tick=False):
        assert "后台任务进程" not in client.get(url, **HTMX).content.decode()
    with time_machine.travel(_now() + timedelta(minutes=2), tick=False):
        assert "后台任务进程（manage.py db_worker）可能未运行" in client.get(url, **HTMX).content.decode()


def test_only_those_who_oversee_the_region_may_see_and_download_its_exports(
    client, login, leader, coordinator, reporter, stranger, plan, city_plan, regions
):
    _start(login(leader), "ledger", regions["city"])
    city_job = _job()
    detail = reverse("outputs:export-detail", args=[city_job.pk])
    download = reverse("outputs:export-download", args=[city_job.pk])
    # the county's task force oversees the county, not the city: the city's file is not theirs
    client = login(coordinator)
    assert client.get(detail).status_code == 404 and client.get(download).status_code == 404
    assert (
        city_job.region.name
        not in client.get(reverse("outputs:exports")).content.decode().split("最近的导出")[1]
    )
    # ... but the city's leader reads what the county's task force exported
    _start(client, "ledger", regions["county"])
    county_job = ExportJob.objects.get(region=regions["county"])
    client = login(leader)
    response = client.get(reverse("outputs:export-download", args=[county_job.pk]))
    assert response.status_code == 200 and _content(response).startswith(b"PK")
    # reporters and other counties' staff oversee nothing: no page, no link, no file
    for user in (reporter, stranger):
        client = login(user)
        assert client.get(reverse("outputs:exports")).status_code == 403
        assert "区域导出" not in client.get(reverse("plans:plan-list")).content.decode()
        assert client.get(download).status_code == 404


def test_a_coordinator_cannot_export_a_region_above_their_own(login, coordinator, plan, regions):
    response = _start(login(coordinator), "ledger", regions["city"])
    assert response.status_code == 400
    assert "选择一个有效的选项" in response.content.decode()
    assert not ExportJob.objects.exists()


def test_a_month_that_cannot_be_chosen_is_refused_in_chinese(login, leader, plan, regions):
    response = _start(login(leader), "ledger", regions["county"], period="2024-13")
    assert response.status_code == 400 and "选择一个有效的选项" in response.content.decode()
    assert not ExportJob.objects.exists()


def test_a_region_without_a_running_plan_fails_with_a_message_not_a_500(login, leader, plan, regions):
    client = login(leader)
    response = _start(client, "bulletin", regions["other"], follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "邻县在2024年6月没有执行中的计划，无可导出的内容。" in page
    assert _job().status == Status.FAILED and not _job().file
    assert client.get(reverse("outputs:export-download", args=[_job().pk])).status_code == 404


def test_an_unexpected_error_fails_the_job_with_a_chinese_message(login, leader, plan, regions, monkeypatch):
    def broken(ledger, stream):
        raise RuntimeError("disk full")

    monkeypatch.setattr(ledgers, "write_ledger", broken)
    response = _start(login(leader), "ledger", regions["county"], follow=True)
    assert response.status_code == 200
    assert "导出失败，未生成文件。请重试" in response.content.decode()
    assert _job().status == Status.FAILED


def test_a_job_runs_once_even_if_its_task_comes_twice(leader, plan, regions):
    job = jobs.start_export(user=leader, kind="ledger", region=regions["county"], period=JUNE)
    name = job.file.name
    jobs.run_export(job.pk)
    job.refresh_from_db()
    assert job.status == Status.DONE and job.file.name == name


@pytest.mark.django_db(transaction=True)
def test_with_the_database_backend_the_worker_runs_the_queued_export(settings, login, leader, plan, regions):
    settings.TASKS = {"default": {"BACKEND": settings.TASK_BACKENDS["database"]}}
    client = login(leader)
    _start(client, "ledger", regions["county"])
    job = _job()
    assert job.status == Status.QUEUED
    assert (
        'hx-trigger="every 1s"'
        in client.get(reverse("outputs:export-detail", args=[job.pk])).content.decode()
    )
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    job.refresh_from_db()
    assert job.status == Status.DONE and default_storage.exists(job.file.name)


@pytest.mark.parametrize("count", [1, 15])
def test_the_exports_page_queries_do_not_grow_with_the_jobs(
    login, leader, regions, django_assert_max_num_queries, count
):
    for _ in range(count):
        ExportJob.objects.create(
            kind="ledger", region=regions["county"], period=JUNE, requested_by=leader, requested_at=_now()
        )
    client = login(leader)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("outputs:exports")).content.decode()
    assert page.count("<td>测试县</td>") == count


def test_another_user_with_a_role_in_the_city_reads_the_city_exports(
    login, leader, departments, plan, regions
):
    _start(login(leader), "ledger", regions["county"])
    coordinator = make_user("city_coordinator", departments["city_bureau"], Role.COORDINATOR)
    page = login(coordinator).get(reverse("outputs:exports")).content.decode()
    assert reverse("outputs:export-download", args=[_job().pk]) in page


@pytest.mark.parametrize("kind", ["ledger", "bulletin"])
@pytest.mark.parametrize(("region", "plans"), [("county", 1), ("city", 2)])
def test_an_export_reads_each_plan_in_a_fixed_number_of_queries(
    leader, plan, city_plan, regions, django_assert_max_num_queries, kind, region, plans
):
    job = ExportJob.objects.create(
        kind=kind, region=regions[region], period=JUNE, requested_by=leader, requested_at=_now()
    )
    with django_assert_max_num_queries(6 + 16 * plans):  # a plan's ledger reads in 16, whatever its size
        jobs.run_export(job.pk)
    job.refresh_from_db()
    assert (job.status, job.plans_count, job.steps_done, job.steps_total) == (
        Status.DONE,
        plans,
        plans + 1,
        plans + 1,
    )


def test_an_export_whose_worker_stopped_says_so_instead_of_waiting_for_ever(login, leader, regions, settings):
    settings.EXPORT_STALE_MINUTES = 30
    job = ExportJob.objects.create(
        kind="ledger",
        region=regions["county"],
        period=JUNE,
        requested_by=leader,
        requested_at=_now(),
        status=Status.RUNNING,
        started_at=_now(),
        progressed_at=_now() + timedelta(minutes=20),  # still reading plans 20 minutes in
        steps_total=3,
        steps_done=1,
    )
    client = login(leader)
    url = reverse("outputs:export-detail", args=[job.pk])
    with time_machine.travel(_now() + timedelta(minutes=45), tick=False):
        html = client.get(url, **HTMX).content.decode()
        assert "hx-trigger" in html and "导出中断" not in html  # a large region: it moved 25 minutes ago
    with time_machine.travel(_now() + timedelta(minutes=51), tick=False):
        html = client.get(url, **HTMX).content.decode()
        listed = client.get(reverse("outputs:exports")).content.decode()
    assert "hx-trigger" not in html and "导出中断" in html and "请重新导出" in html
    row = re.search(r"<tr>(?:(?!</tr>).)*测试县(?:(?!</tr>).)*</tr>", listed, re.S).group(0)
    assert "失败" in row and "运行中" not in row
    job.refresh_from_db()
    assert job.status == Status.RUNNING  # pages only read; the daily prune records it


def test_prune_exports_deletes_old_finished_exports_and_their_files(login, leader, plan, regions):
    client = login(leader)
    _start(client, "ledger", regions["county"])
    old = _job()
    _start(client, "bulletin", regions["county"])
    recent = ExportJob.objects.exclude(pk=old.pk).get()
    assert old.status == recent.status == Status.DONE
    assert default_storage.exists(old.file.name) and default_storage.exists(recent.file.name)
    forty_days_ago = old.requested_at - timedelta(days=40)
    ExportJob.objects.filter(pk=old.pk).update(requested_at=forty_days_ago)
    waiting = ExportJob.objects.create(
        kind="ledger", region=regions["county"], period=JUNE, requested_by=leader, requested_at=forty_days_ago
    )
    out = StringIO()
    call_command("prune_exports", stdout=out)
    assert out.getvalue().strip() == "已删除1个旧导出及1个文件。"
    assert set(ExportJob.objects.values_list("pk", flat=True)) == {
        recent.pk,
        waiting.pk,
    }  # a waiting one stays
    assert not default_storage.exists(old.file.name) and default_storage.exists(recent.file.name)
    call_command("prune_exports", "--days", "0", stdout=StringIO())
    assert set(ExportJob.objects.values_list("pk", flat=True)) == {waiting.pk}


def test_a_worker_that_comes_back_to_a_closed_export_keeps_no_file(
    leader, plan, regions, settings, monkeypatch, tmp_path
):
    """prune_exports closed it as interrupted while its worker was only slow: the late result is
    dropped, so the page, the list and the storage agree that it failed."""
    settings.EXPORT_STALE_MINUTES = 30
    job = ExportJob.objects.create(
        kind="ledger", region=regions["county"], period=JUNE, requested_by=leader, requested_at=_now()
    )
    real_ledger = jobs._ledger

    def slow(job, plans):
        ExportJob.objects.filter(pk=job.pk).update(progressed_at=clock.now() - timedelta(hours=1))
        call_command("prune_exports", stdout=StringIO())  # the timer runs while the worker is slow
        return real_ledger(job, plans)

    monkeypatch.setattr(jobs, "_ledger", slow)
    jobs.run_export(job.pk)
    job.refresh_from_db()
    assert job.status == Status.FAILED and "导出中断" in job.error and not job.file
    assert not [path for path in tmp_path.rglob("*") if path.is_file()]  # the late workbook was not kept
