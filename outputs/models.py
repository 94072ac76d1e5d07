"""What the task force sends out about the plans: reminders (催办) recorded so none goes twice."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from departments.models import Department
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
