"""`python manage.py refresh_status [--all] [--plan ID]`: keep every target's status up to date.

Run daily by cron beside `send_reminders` (see the README): it judges the month being reported
for every plan that was not judged for it yet, so that a new month's pages are ready before
anybody opens them. `--all` judges every kept month of every plan again (after an upgrade, or to
check); `--plan` limits either to one plan.

It runs on one node at a time: a second run started while one is under way (on this server or
another) says so and stops without judging anything (`config.locks.run_once`).
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from config.locks import AlreadyRunning, run_once
from plans.models import Plan
from tracking import snapshot


class Command(BaseCommand):
    help = "Judge the month being reported for every plan not yet judged for it (--all: everything again)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--all", action="store_true", help="Judge every kept month of every plan again.")
        parser.add_argument("--plan", type=int, help="Only this plan.")

    def handle(self, *args, **options) -> None:
        plans = Plan.objects.exclude(status=Plan.Status.DRAFT).select_related("region")
        if options["plan"]:
            plans = plans.filter(pk=options["plan"])
            if not plans.exists():
                raise CommandError(f"没有编号为 {options['plan']} 的计划。")
        started = time.monotonic()
        try:
            with run_once("refresh_status"):
                written = self.refresh(plans, everything=options["all"])
        except AlreadyRunning:
            self.stderr.write("refresh_status 正在另一个进程或另一台服务器上运行，本次未做任何更新。")
            return
        seconds = time.monotonic() - started
        self.stdout.write(f"已更新 {written} 条指标状态（{plans.count()} 个计划，用时 {seconds:.1f} 秒）。")

    def refresh(self, plans, *, everything: bool) -> int:
        if everything:
            return snapshot.rebuild(plans)
        written = 0
        for plan in plans:
            current = plan.reporting_period()
            if current is not None:
                written += snapshot.ensure([plan], current)
        return written
