"""The daily reminder run (催办), for cron: ``python manage.py send_reminders [--date D] [--dry-run]``.

With ``--enqueue`` the run is handed to the background worker (`outputs.tasks.send_reminders_task`)
instead. Either way every reminder is claimed before it is sent, so runs that overlap (two
servers' crons, a cron and a queued task) never send one twice.

Prints a Chinese summary: per plan, period and stage, who was sent what, and who was skipped
(no email address, reminded within the quiet days, already sent this stage, nobody to send to).
"""

from __future__ import annotations

from argparse import ArgumentTypeError
from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from outputs import chasing
from outputs.tasks import send_reminders_task


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ArgumentTypeError(
            _("--date must be a day like 2024-06-25, not %(text)s") % {"text": text}
        ) from None


class Command(BaseCommand):
    help = (
        "Send the reminders due today (before the deadline, on it, overdue, escalated to reviewers "
        "and to the task force), each at most once, and print what was sent."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date",
            type=_day,
            help="Run for this day (YYYY-MM-DD), e.g. to replay a day the cron missed. Default: today.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would be sent; send and record nothing."
        )
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the run for the background worker (manage.py db_worker) instead of running it now.",
        )

    def handle(
        self, *args, date: date | None = None, dry_run: bool = False, enqueue: bool = False, **options
    ) -> None:
        if isinstance(date, str):  # call_command(..., date="2024-06-25") skips argparse's type
            try:
                date = _day(date)
            except ArgumentTypeError as exc:
                raise CommandError(str(exc)) from None
        if enqueue:
            result = send_reminders_task.enqueue(date.isoformat() if date else None, dry_run)
            self.stdout.write(
                _("The reminder run is queued for the background worker (task %(id)s).") % {"id": result.id}
            )
            return
        run = chasing.send_due_reminders(on=date, dry_run=dry_run)
        self.stdout.write("\n".join(chasing.run_summary(run)))
