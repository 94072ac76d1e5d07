"""`manage.py import_plan`: the JSON of CONVENTIONS.md with --dry-run, a draft plan without."""

import json
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from departments.models import Department
from plans.models import Plan

pytestmark = pytest.mark.django_db

SEED = str(settings.BASE_DIR / "fixtures" / "seeds" / "001_f95b799e28ed058d.txt")


def _run(*args) -> str:
    out = StringIO()
    call_command("import_plan", *args, stdout=out)
    return out.getvalue()


def test_dry_run_prints_the_conventions_json_and_writes_nothing():
    data = json.loads(_run(SEED, "--dry-run", "--json"))
    assert set(data) >= {"title", "year", "goals", "sections"}
    assert data["title"] == "通道侗族自治县创新提升行动实施方案"
    task = data["sections"][1]["tasks"][0]
    assert set(task) >= {"number", "title", "text", "lead", "co", "indicators"}
    assert task["lead"] == ["县发展和改革局", "县商务科技和工业信息化局"]
    assert task["indicators"][0] == {
        "text": "新建市级以上创新平台1个",
        "name": "新建市级以上创新平台",
        "value": 1,
        "value_max": None,
        "unit": "个",
        "comparator": "=",
        "kind": "count",
    }
    assert not Plan.objects.exists()


def test_dry_run_without_json_prints_a_chinese_summary():
    assert "6个板块、14项任务、20个指标、15个责任单位" in _run(SEED, "--dry-run")


def test_without_dry_run_a_draft_plan_is_created_in_the_region(regions, departments):
    out = _run(SEED, "--region", "测试县")
    plan = Plan.objects.get()
    assert plan.status == Plan.Status.DRAFT
    assert (plan.region, plan.kind, plan.first_year, plan.last_year) == (
        regions["county"],
        "implementation",
        2024,
        2024,
    )
    assert plan.indicators.count() == 20
    assert "已创建草稿计划" in out and "新建责任单位" in out and "县林业局" in out
    assert (
        plan.sections.first().tasks.first().responsibilities.get(role="lead").department
        == departments["bureau"]
    )
    assert Department.objects.filter(region=regions["county"], name="县林业局").exists()


def test_writing_needs_a_region():
    with pytest.raises(CommandError, match="--region"):
        _run(SEED)


def test_an_unknown_region_is_named(regions):
    with pytest.raises(CommandError, match="地区「火星县」不存在"):
        _run(SEED, "--region", "火星县")


def test_a_pdf_is_refused_with_the_same_message_as_in_the_browser(tmp_path):
    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(b"%PDF-1.5 ...")
    with pytest.raises(CommandError, match="无法读取 PDF 文件"):
        _run(str(pdf), "--dry-run", "--json")


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(CommandError, match="找不到文件"):
        _run(str(tmp_path / "nope.txt"), "--dry-run")


def test_a_compilation_lists_its_plans_and_imports_the_one_asked_for(tmp_path):
    path = tmp_path / "compilation.txt"
    path.write_text(
        "科技局2026年工作计划汇编\n"
        "甲县科技局2026年工作要点\n一、培育创新主体\n新增高新技术企业12家。\n二、建设平台\n新建平台3个。\n"
        "乙县科技局2026年工作计划\n(一)平台建设提档\n1.新建省级重点实验室2个。\n",
        encoding="utf-8",
    )
    assert _run(str(path), "--list-parts") == "1. 甲县科技局2026年工作要点\n2. 乙县科技局2026年工作计划\n"
    first = json.loads(_run(str(path), "--dry-run", "--json"))
    assert (first["title"], first["part"]) == ("甲县科技局2026年工作要点", 1)
    second = json.loads(_run(str(path), "--dry-run", "--json", "--part", "2"))
    assert second["title"] == "乙县科技局2026年工作计划"
    assert second["sections"][0]["tasks"][0]["indicators"][0]["value"] == 2
    with pytest.raises(CommandError, match="可选 1–2"):
        _run(str(path), "--dry-run", "--part", "3")


def test_the_seed_compilation_offers_its_five_plans():
    seed = str(settings.BASE_DIR / "fixtures" / "seeds" / "002_c29dd90ba846ba03.txt")
    parts = json.loads(_run(seed, "--list-parts", "--json"))
    assert [p["title"] for p in parts] == [
        "区科技局2024年度工作计划",
        "区科技局2024年工作计划",
        "市科技局2024年度行政执法监督工作计划",
        "县科技局2024年度帮扶工作计划",
        "县科技局2024年工作计划",
    ]
    fifth = json.loads(_run(seed, "--dry-run", "--json", "--part", "5"))
    assert [s["title"] for s in fifth["sections"]][:2] == ["标志性工程提速", "平台能级提档"]


def test_a_plan_of_a_compilation_ends_where_the_next_one_opens(tmp_path):
    path = tmp_path / "compilation.txt"
    path.write_text(
        "科技局2026年工作计划汇编\n"
        "甲县科技局2026年工作要点\n一、培育创新主体\n新增高新技术企业12家。\n二、建设平台\n新建平台3个。\n"
        "乙县科技局2026年工作计划\n2026年是关键之年，全县新增企业100家。\n(一)平台建设提档\n1.新建实验室2个。\n",
        encoding="utf-8",
    )
    first = json.loads(_run(str(path), "--dry-run", "--json", "--part", "1"))
    assert first["sections"][-1]["tasks"][-1]["text"] == "新建平台3个。"
