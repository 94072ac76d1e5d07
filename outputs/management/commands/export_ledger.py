"""`manage.py export_ledger PLAN_ID --as-of 2024-06 --out ledger.xlsx [--department ID] [--section ID]`.

Writes the same workbook as the download button. Run from the server's shell it sees every
row, as the plan's coordinators do; `--user NAME` writes what that user would download.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from departments.models import Department
from outputs import ledger as exports
from plans.models import Plan
from plans.periods import Period


class Command(BaseCommand):
    help = "导出计划的工作台账（Excel），与页面上的“下载台账”相同。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("plan_id", type=int, help="计划编号")
        parser.add_argument("--as-of", required=True, help="截至月份，如 2024-06")
        parser.add_argument("--out", required=True, help="输出文件（.xlsx）")
        parser.add_argument("--department", type=int, help="只导出该单位（编号）牵头或配合的任务")
        parser.add_argument("--section", type=int, help="只导出该板块（编号）")
        parser.add_argument("--user", help="按该用户可见的范围导出（用户名）")

    def handle(self, *args, plan_id: int, as_of: str, out: str, **options) -> None:
        plan = Plan.objects.select_related("region", "issuing_department").filter(pk=plan_id).first()
        if plan is None:
            raise CommandError(f"找不到计划：{plan_id}")
        try:
            period = Period.parse(as_of)
        except ValueError as exc:
            raise CommandError(f"月份应写作 2024-06：{as_of}") from exc
        user = None
        if options.get("user"):
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None or not Plan.objects.visible_to(user).filter(pk=plan.pk).exists():
                raise CommandError(f"该用户看不到这个计划：{options['user']}")
        department = section = None
        if options.get("department"):
            department = Department.objects.filter(pk=options["department"]).first()
            if department is None:
                raise CommandError(f"找不到单位：{options['department']}")
        if options.get("section"):
            section = plan.sections.filter(pk=options["section"]).first()
            if section is None:
                raise CommandError(f"该计划没有这个板块：{options['section']}")
        ledger = exports.collect_ledger(
            plan,
            period,
            seen_by=exports.visible_departments(plan, user),
            department=department,
            section=section,
        )
        with Path(out).open("wb") as stream:
            exports.write_ledger(ledger, stream)
        self.stdout.write(f"已写入 {out}：{len(ledger.lines)} 行")
