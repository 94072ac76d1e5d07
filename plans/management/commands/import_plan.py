"""`python manage.py import_plan FILE [--dry-run --json] [--region NAME] [--list-parts | --part N]`."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from departments.models import Region
from plans import services
from plans.importers import review
from plans.importers.files import ImportFileError, max_bytes, read_upload
from plans.importers.text import has_structure, parse_plan, plan_parts


class Command(BaseCommand):
    help = (
        "读取计划原文（.txt 或 .docx），识别板块、任务、指标和责任单位。"
        "--dry-run --json 只输出识别结果；否则在 --region 指定的地区创建草稿计划。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="计划文件（.txt 或 .docx）")
        parser.add_argument("--dry-run", action="store_true", help="只识别，不写入数据库")
        parser.add_argument("--json", action="store_true", dest="as_json", help="以 JSON 输出识别结果")
        parser.add_argument("--region", help="计划所属地区（名称或编号），写入数据库时必填")
        parser.add_argument("--list-parts", action="store_true", help="列出汇编中的各份计划及其编号")
        parser.add_argument("--part", type=int, help="汇编中要导入的计划编号（见 --list-parts），默认第一份")

    def handle(
        self,
        *args,
        file: str,
        dry_run: bool,
        as_json: bool,
        region: str | None,
        list_parts: bool = False,
        part: int | None = None,
        **options,
    ) -> None:
        path = Path(file)
        try:
            if path.stat().st_size > max_bytes():
                raise CommandError(f"文件超过 {max_bytes() // 1024 // 1024} MB，无法导入：{file}")
            text = read_upload(path.name, path.read_bytes())
        except FileNotFoundError as exc:
            raise CommandError(f"找不到文件：{file}") from exc
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        parts = plan_parts(text)
        if list_parts:
            self.stdout.write(_dumps(parts) if as_json else _parts_summary(parts))
            return
        if part is not None and part not in {p["part"] for p in parts}:
            raise CommandError(
                f"没有编号为 {part} 的计划；本文{'只有一份计划' if not parts else f'可选 1–{len(parts)}'}。"
            )
        if dry_run:
            structure = parse_plan(text, part)
            if as_json:
                self.stdout.write(_dumps(structure))
            else:
                self.stdout.write(_summary(structure))
            return
        plan = self._create(text, path.name, self._region(region), part)
        if as_json:
            self.stdout.write(_dumps({"plan": plan.pk, "title": plan.title}))
        else:
            self.stdout.write(self.style.SUCCESS(f"已创建草稿计划「{plan.title}」（编号 {plan.pk}）。"))

    def _region(self, value: str | None) -> Region:
        if not value:
            raise CommandError("写入数据库时须用 --region 指定计划所属地区。")
        regions = (
            Region.objects.filter(pk=int(value)) if value.isdigit() else Region.objects.filter(name=value)
        )
        found = list(regions[:2])
        if len(found) != 1:
            raise CommandError(f"地区「{value}」{'不存在' if not found else '有重名，请用编号'}。")
        return found[0]

    def _create(self, text: str, filename: str, region: Region, part: int | None = None):
        structure = parse_plan(text, part)
        if not has_structure(structure):
            raise CommandError("未识别出计划的板块或任务，请检查文件内容。")
        if not structure.get("year"):
            raise CommandError("未识别出计划年份，请在网页上导入并填写年份。")
        names = review.department_names(structure)
        known = services.resolve_departments(names, region=region)
        new = [name for name in names if name not in known]
        departments = {**known, **services.resolve_departments(new, region=region, create=True)}
        plan = services.create_plan(
            structure=structure,
            region=region,
            departments=departments,
            kind=review.infer_kind(structure.get("title") or ""),
            first_year=review.first_year(text, structure.get("title") or "", structure.get("year")),
            source_text=text,
        )
        if new:
            self.stdout.write(f"新建责任单位：{'、'.join(new)}")
        return plan


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def _parts_summary(parts: list[dict]) -> str:
    if not parts:
        return "本文只有一份计划。"
    return "\n".join(f"{p['part']}. {p['title']}" for p in parts)


def _summary(structure: dict) -> str:
    counts = review.counts(structure)
    return (
        f"{structure.get('title') or '（无标题）'}（{structure.get('year') or '年份未识别'}）："
        f"{counts['sections']}个板块、{counts['tasks']}项任务、{counts['indicators']}个指标、"
        f"{counts['departments']}个责任单位"
    )
