"""`python manage.py load_demo`: the demo plans, users and reports for `make run`."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from demo.loader import DEMO_PASSWORD, load_demo

LABELS = [
    ("plans", "个计划"),
    ("sections", "个板块"),
    ("tasks", "项任务"),
    ("indicators", "个指标"),
    ("shares", "个分解指标"),
    ("obligations", "项填报责任"),
    ("reports", "份月报"),
    ("regions", "个地区"),
    ("departments", "个部门"),
    ("users", "个用户"),
]


def summary(counts: dict[str, int]) -> str:
    """One Chinese line saying what was created, or that the demo data was already there."""
    parts = [f"{counts[key]}{label}" for key, label in LABELS if counts.get(key)]
    if not parts:
        return f"演示数据已存在，未新建任何数据。演示账号密码均为 {DEMO_PASSWORD}。"
    return f"已加载演示数据：{'、'.join(parts)}。演示账号密码均为 {DEMO_PASSWORD}。"


class Command(BaseCommand):
    help = "加载演示数据（地区、部门、演示账号、计划和月报），只用于开发和演示环境，重复运行不会重复创建。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="DEBUG 关闭时也加载（演示服务器用，切勿用于生产环境）"
        )

    def handle(self, *args, force: bool = False, **options) -> None:
        # Demo users share a published password: on a real server they would be a way in.
        if not settings.DEBUG and not force:
            raise CommandError("DEBUG 已关闭，这可能是生产环境：拒绝加载演示数据。确需加载请加 --force。")
        counts = load_demo(stdout=self.stdout if options.get("verbosity", 1) > 1 else None)
        self.stdout.write(self.style.SUCCESS(summary(counts)))
