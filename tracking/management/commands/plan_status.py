"""`python manage.py plan_status PLAN_ID --as-of 2024-06 [--json]`: every target's figures and lamps."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError, CommandParser

from plans.models import Plan
from plans.periods import Period
from tracking import status
from tracking.progress import Row, plan_status


def _number(value):
    if value is None:
        return None
    return float(value)


def row_json(row: Row) -> dict:
    """One target as the cockpit shows it, in plain JSON."""
    pace = row.pace
    return {
        "indicator": row.indicator.pk,
        "name": row.indicator.name,
        "section": f"{row.section.label}{row.section.title}" if row.section else "工作目标",
        "task": str(row.task) if row.task else None,
        "lead": row.lead.name if row.lead else None,
        "unit": row.indicator.unit,
        "target": _number(row.indicator.target),
        "target_max": _number(row.indicator.target_max),
        "comparator": row.indicator.comparator,
        "measure": row.indicator.measure,
        "value": _number(row.value),
        "value_month": str(row.value_period) if row.value_period else None,
        "expected": None if row.expected is None else round(row.expected, 4),
        "completion": None if row.completion is None else round(row.completion, 4),
        "gap": None if row.gap is None else round(row.gap, 4),
        "lamps": {
            "performance": row.lamp,
            "performance_computed": row.computed_lamp,
            "override_reason": row.override.reason if row.override else None,
            "reporting": row.reporting,
            "availability": row.availability,
        },
        "pace": None
        if pace is None
        else {
            "needed_per_month": round(float(pace.needed), 4),
            "current_per_month": round(float(pace.current), 4),
            "projected": round(float(pace.projected), 4),
            "remaining_months": pace.remaining,
        },
    }


class Command(BaseCommand):
    help = "打印计划每个指标截至某月的序时进度、完成率、差距、三盏灯和进度节奏，与领导驾驶舱一致。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("plan_id", type=int)
        parser.add_argument("--as-of", help="月份，如 2024-06；默认当前填报月份")
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args, plan_id: int, as_of: str | None, as_json: bool, **options) -> None:
        plan = Plan.objects.filter(pk=plan_id).first()
        if plan is None:
            raise CommandError(f"计划 {plan_id} 不存在。")
        try:
            period = Period.parse(as_of) if as_of else plan.reporting_period()
        except ValueError as exc:
            raise CommandError(f"月份“{as_of}”格式不对，应为 2024-06。") from exc
        if period is None:
            raise CommandError("计划不在填报期内，请用 --as-of 指定月份。")
        result = plan_status([plan], period)
        if as_json:
            data = {
                "plan": plan.pk,
                "title": plan.title,
                "as_of": str(period),
                "counts": result.totals.counts,
                "indicators": [row_json(row) for row in result.rows],
            }
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{plan.title} · 截至{period.label}")
        for row in result.rows:
            self.stdout.write(_line(row))


def _line(row: Row) -> str:
    lamp = status.state_label(row.lamp, row.availability)
    value = "—" if row.value is None else f"{row.value.normalize():f}{row.indicator.unit}"
    completion = "—" if row.completion is None else f"{row.completion:.0%}"
    expected = "—" if row.expected is None else f"{row.expected:.0%}"
    return (
        f"{row.indicator.name}：{value} / 目标{row.indicator.target_label}，完成率{completion}，"
        f"序时进度{expected}，{lamp}，{status.Reporting(row.reporting).label}"
    )
