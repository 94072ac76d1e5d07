"""Exports of a region run in the background: starting one, running it, and what it covers.

`start_export` records an `ExportJob` (who asked, when, which region and month, which export)
and queues the task that runs it (`outputs.tasks.export_task`); `run_export` is that task's
work: it reads the region's plans one by one, counting each as a step the page's progress bar
shows, writes the workbook or document into the default storage under exports/, and marks the
job done, or failed with a message the user can read. A job is run once: a second delivery of
the same task finds it no longer waiting and does nothing.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from io import BytesIO

from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models import F
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from departments import clock
from departments.models import Region
from plans.models import Plan
from plans.periods import Period
from tracking.progress import plan_status

from . import documents
from . import ledger as ledgers
from .models import INTERRUPTED_MESSAGE, ExportJob

logger = logging.getLogger(__name__)

Kind, Status = ExportJob.Kind, ExportJob.Status
LEVELS = [choice for choice, _label in Region.Level.choices]


FAILED_MESSAGE = gettext_lazy(
    "The export failed and no file was made. Please try again; if it fails again, tell the "
    "administrator (the error is in the server's log)."
)


class ExportRefused(Exception):
    """An export that cannot be made; the message is for the user."""


def region_plans(region: Region, period: Period) -> list[Plan]:
    """The plans of the region and every region below it that are not drafts and run in the month,
    the widest region's first (a city's plans before its counties')."""
    plans = (
        Plan.objects.filter(region_id__in=Region.objects.subtree_ids([region]))
        .exclude(status=Plan.Status.DRAFT)
        .filter(first_year__lte=period.year, last_year__gte=period.year)
        .select_related("region", "issuing_department")
    )
    return sorted(plans, key=lambda p: (LEVELS.index(p.region.level), p.region.name, p.title, p.pk))


def start_export(*, user, kind: str, region: Region, period: Period) -> ExportJob:
    """Record the job and queue its task (with the immediate backend it has run on return)."""
    from .tasks import export_task

    job = ExportJob.objects.create(
        kind=kind, region=region, period=period, requested_by=user, requested_at=clock.now()
    )
    export_task.enqueue(job.pk)
    job.refresh_from_db()
    return job


def run_export(job_id: int) -> None:
    """Make the job's file; every failure ends in a failed job with a message, never a lost one.

    Messages are in the interface's language, whichever process (worker or request) runs it."""
    with translation.override(settings.LANGUAGE_CODE):
        _run_export(job_id)


def _run_export(job_id: int) -> None:
    started = ExportJob.objects.filter(pk=job_id, status=Status.QUEUED).update(
        status=Status.RUNNING, started_at=clock.now(), progressed_at=clock.now()
    )
    if not started:
        return  # gone, or already run by another delivery of the task
    job = ExportJob.objects.select_related("region").get(pk=job_id)
    try:
        plans = region_plans(job.region, job.period)
        if not plans:
            raise ExportRefused(
                _("%(region)s has no plan running in %(period)s: there is nothing to export.")
                % {"region": job.region.name, "period": job.period.label}
            )
        ExportJob.objects.filter(pk=job.pk).update(steps_total=len(plans) + 1, plans_count=len(plans))
        content, name = (_ledger if job.kind == Kind.LEDGER else _bulletin)(job, plans)
        stored = f"{job.kind}-region{job.region_id}-{job.period}-{job.pk}{name[name.rfind('.') :]}"
        job.file.save(stored, ContentFile(content), save=False)
        finished = ExportJob.objects.filter(pk=job.pk, status=Status.RUNNING).update(
            file=job.file.name,
            filename=name,
            status=Status.DONE,
            steps_done=F("steps_total"),
            finished_at=clock.now(),
        )
        if not finished:  # closed as interrupted meanwhile, or deleted: keep no file nobody can see
            job.file.storage.delete(job.file.name)
    except ExportRefused as refusal:
        _fail(job, str(refusal))
    except Exception:
        logger.exception("export %s failed", job.pk)
        _fail(job, FAILED_MESSAGE)


def close_interrupted() -> int:
    """Record as failed the exports whose worker stopped while they ran (their pages already say
    so: `ExportJob.is_interrupted`); the number closed. A worker that comes back to one finds it
    closed and keeps no file."""
    with translation.override(settings.LANGUAGE_CODE):
        return ExportJob.objects.interrupted(clock.now()).update(
            status=Status.FAILED, error=str(INTERRUPTED_MESSAGE), finished_at=clock.now()
        )


def prune(days: int | None = None) -> tuple[int, int]:
    """Close interrupted exports, then delete the finished ones requested more than `days`
    (EXPORT_KEEP_DAYS) ago, the rows first and then their files; (exports deleted, files deleted).
    An export waiting for a worker or running is never deleted."""
    close_interrupted()
    days = settings.EXPORT_KEEP_DAYS if days is None else days
    old = list(
        ExportJob.objects.finished_before(clock.now() - timedelta(days=days)).values_list("pk", "file")
    )
    deleted, _by_model = ExportJob.objects.filter(pk__in=[pk for pk, _name in old]).delete()
    storage = ExportJob._meta.get_field("file").storage
    files = [name for _pk, name in old if name and storage.exists(name)]
    for name in files:
        storage.delete(name)
    return deleted, len(files)


def _fail(job: ExportJob, message) -> None:
    ExportJob.objects.filter(pk=job.pk, status=Status.RUNNING).update(
        status=Status.FAILED, error=str(message), finished_at=clock.now()
    )


def _step(job: ExportJob) -> None:
    """One plan read: the progress bar moves, and the job shows it is alive."""
    ExportJob.objects.filter(pk=job.pk).update(steps_done=F("steps_done") + 1, progressed_at=clock.now())


def _ledger(job: ExportJob, plans: list[Plan]) -> tuple[bytes, str]:
    """Every row of every plan (the job's region is overseen by whoever may download it)."""
    parts = []
    for plan in plans:
        parts.append((plan, ledgers.collect_ledger(plan, job.period)))
        _step(job)
    stream = BytesIO()
    ledgers.write_ledger(ledgers.combine_ledgers(job.region, job.period, parts), stream)
    return stream.getvalue(), ledgers.region_filename(job.region, job.period)


def _bulletin(job: ExportJob, plans: list[Plan]) -> tuple[bytes, str]:
    parts = []
    for plan in plans:
        parts.append((plan, plan_status([plan], job.period)))
        _step(job)
    together = ledgers.combined_status(
        job.period,
        [state for _plan, state in parts],
        several_regions=len({plan.region_id for plan in plans}) > 1,
    )
    document = documents.region_bulletin_document(job.region, parts, together, today=clock.today())
    return documents.to_bytes(document), documents.region_bulletin_filename(job.region, job.period)
