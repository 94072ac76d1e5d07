"""The background tasks (django-tasks): a region's export, and the day's reminders.

Each is a thin wrapper: the work is in `outputs.jobs` and `outputs.chasing`, where the tests
call it directly. `manage.py db_worker` runs them (README "Background jobs").
"""

from __future__ import annotations

from datetime import date

from django_tasks import task

from . import chasing, jobs


@task()
def export_task(job_id: int) -> None:
    """Make the file of an ExportJob, moving its progress as it goes."""
    jobs.run_export(job_id)


@task()
def send_reminders_task(day: str | None = None, dry_run: bool = False) -> list[str]:
    """The day's reminders (`manage.py send_reminders`), as a task; returns the printed summary.

    Safe beside the cron's run: every reminder is claimed before it is sent (`chasing._claim`).
    """
    run = chasing.send_due_reminders(on=date.fromisoformat(day) if day else None, dry_run=dry_run)
    return chasing.run_summary(run)
