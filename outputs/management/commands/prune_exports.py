"""Forget old exports of a region, for cron: ``python manage.py prune_exports [--days N]``.

Exports whose worker stopped while they ran are marked failed first; then every finished export
requested more than N days ago (EXPORT_KEEP_DAYS, 30) is deleted with its file in the storage.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from outputs import jobs


class Command(BaseCommand):
    help = "Delete finished exports of a region older than --days (EXPORT_KEEP_DAYS), and their files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=None, help="keep this many days (EXPORT_KEEP_DAYS)")

    def handle(self, *args, days: int | None = None, **options) -> None:
        if days is not None and days < 0:
            days = 0
        deleted, files = jobs.prune(days)
        self.stdout.write(
            _("Deleted %(jobs)d old exports and %(files)d files.") % {"jobs": deleted, "files": files}
        )
