"""What the task force sends out about the plans: reminders (催办) recorded so none goes twice, and
exports of a region run in the background."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from departments import clock
from departments.access import OVERSEES, Where, access_of
from departments.models import Department, Region
from plans.models import Plan
from plans.periods import PeriodField


class Reminder(models.Model):
    """A reminder (催办) sent about a month's reports; recorded so none is sent twice.

    The row is also the claim on the email: an automatic stage may exist once per plan, month,
    stage, recipient and department (`reminder_sent_once`), and a run inserts its rows *before*
    it sends. A run whose insert meets that constraint knows another run has that reminder and
    leaves it out (see `chasing._claim`). Manual reminders (发送催办) may repeat.
    """

    class Stage(models.TextChoices):
        BEFORE = "before", _("Before the deadline")
        DUE = "due", _("On the deadline")
        OVERDUE = "overdue", _("Overdue")
        ESCALATED = "escalated", _("Overdue, to the reviewer")
        TASK_FORCE = "task_force", _("Overdue, to the task force")
        MANUAL = "manual", _("Sent by hand")

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="reminders")
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.CASCADE, related_name="+"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="+"
    )
    period = PeriodField(_("month"))
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    sent_at = models.DateTimeField(_("sent at"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "period", "stage", "recipient", "department"],
                condition=~models.Q(stage="manual"),
                name="reminder_sent_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.recipient}"


INTERRUPTED_MESSAGE = _(
    "The export was interrupted (the background worker stopped while it ran) and no file was "
    "made. Please start it again."
)


def stale_before(now: datetime) -> datetime:
    """A running export that has not moved since this moment was interrupted (EXPORT_STALE_MINUTES)."""
    return now - timedelta(minutes=settings.EXPORT_STALE_MINUTES)


class ExportJobQuerySet(models.QuerySet):
    def readable_by(self, user) -> ExportJobQuerySet:
        """Exports of the regions the user oversees: whoever may read all of a region may have its files."""
        return self.filter(access_of(user).q(OVERSEES, region="region_id"))

    def interrupted(self, now: datetime) -> ExportJobQuerySet:
        """Running, with no progress for longer than any step takes: its worker stopped."""
        moved = Coalesce("progressed_at", "started_at")  # jobs started before progress was kept
        return self.alias(moved=moved).filter(status=ExportJob.Status.RUNNING, moved__lt=stale_before(now))

    def finished_before(self, moment: datetime) -> ExportJobQuerySet:
        return self.filter(
            status__in=[ExportJob.Status.DONE, ExportJob.Status.FAILED], requested_at__lt=moment
        )


class ExportJob(models.Model):
    """An export of a region's plans run in the background: who asked, when, for which scope, how far
    it has got, and the file it wrote (kept in the default storage under exports/).

    The background task moves it along (`outputs.jobs.run_export`); the page polls its progress.
    """

    class Kind(models.TextChoices):
        LEDGER = "ledger", _("Ledger of the region's plans (Excel)")
        BULLETIN = "bulletin", _("Bulletin of the region's plans (Word)")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("export"), max_length=12, choices=Kind.choices)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="+")
    period = PeriodField(_("as of"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    steps_done = models.PositiveIntegerField(_("steps done"), default=0)
    steps_total = models.PositiveIntegerField(_("steps in all"), default=0)
    plans_count = models.PositiveIntegerField(_("plans"), default=0)
    file = models.FileField(_("file"), upload_to="exports/%Y/%m/", blank=True, max_length=255)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    error = models.TextField(_("why it failed"), blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    progressed_at = models.DateTimeField(_("last progress"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = ExportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.region} · {self.period}"

    def where(self) -> Where:
        return Where(self.region_id)

    @property
    def is_interrupted(self) -> bool:
        """Still marked running, but its worker stopped: no progress for EXPORT_STALE_MINUTES."""
        moved = self.progressed_at or self.started_at
        return self.status == self.Status.RUNNING and moved is not None and moved < stale_before(clock.now())

    @property
    def shown_status(self) -> str:
        """The status as the pages show it: an interrupted export has failed."""
        return self.Status.FAILED if self.is_interrupted else self.status

    @property
    def status_label(self) -> str:
        return self.Status(self.shown_status).label

    @property
    def failure(self) -> str:
        """Why it failed, for its page."""
        return str(INTERRUPTED_MESSAGE) if self.is_interrupted else self.error

    @property
    def is_finished(self) -> bool:
        return self.shown_status in (self.Status.DONE, self.Status.FAILED)

    @property
    def plans_read(self) -> int:
        return min(self.steps_done, self.plans_count)

    @property
    def percent(self) -> int:
        """How far it has got, in whole percent (100 once done)."""
        if self.status == self.Status.DONE:
            return 100
        return min(99, 100 * self.steps_done // self.steps_total) if self.steps_total else 0
