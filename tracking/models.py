"""Quantitative targets, their decomposition to regions and departments, and monthly reports."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from departments.models import Department
from plans import periods
from plans.models import NUMBER, Indicator, IndicatorShare, Plan, Task
from plans.periods import History, PeriodField, Timestamp


class ProgressReport(models.Model):
    """A department's monthly report on an indicator, or on a task that has no number."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned")

    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reports",
    )
    task = models.ForeignKey(
        Task, verbose_name=_("task"), null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    share = models.ForeignKey(
        IndicatorShare,
        verbose_name=_("decomposed target"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reports",
        help_text=_("Set when the report is a sub-region's figure for its share of the target."),
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="reports"
    )
    period = PeriodField(_("month"))
    value = models.DecimalField(_("value to date"), null=True, blank=True, **NUMBER)
    progress = models.TextField(_("progress"), blank=True)
    problems = models.TextField(_("problems"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    return_reason = models.TextField(_("reason for return"), blank=True)
    outlier_note = models.TextField(_("note on an unusual value"), blank=True)
    late = models.BooleanField(_("submitted late"), default=False)
    version = models.PositiveIntegerField(_("version"), default=1)
    entered_by_coordinator = models.BooleanField(_("entered by the task force"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    created_at = Timestamp(_("created at"), auto_now_add=True)
    updated_at = Timestamp(_("updated at"), auto_now=True)

    history = History(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-period"]
        constraints = [
            models.CheckConstraint(
                condition=Q(indicator__isnull=False, task__isnull=True)
                | Q(indicator__isnull=True, task__isnull=False),
                name="report_on_indicator_or_task",
            ),
            models.UniqueConstraint(
                fields=["indicator", "department", "period"],
                condition=Q(indicator__isnull=False, share__isnull=True),
                name="report_unique_indicator_month",
            ),
            models.UniqueConstraint(
                fields=["share", "period"],
                condition=Q(share__isnull=False),
                name="report_unique_share_month",
            ),
            models.CheckConstraint(
                condition=Q(share__isnull=True) | Q(indicator__isnull=False),
                name="report_share_has_indicator",
            ),
            models.UniqueConstraint(
                fields=["task", "department", "period"],
                condition=Q(task__isnull=False),
                name="report_unique_task_month",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator or self.task} · {self.department} · {self.period}"


class Contribution(models.Model):
    """What a co-responsible department (配合单位) did for a task in a month.

    The lead department reads these while it writes its own report; they are not reviewed.
    """

    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="contributions"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="contributions"
    )
    period = PeriodField(_("month"))
    text = models.TextField(_("what was done"))
    value = models.DecimalField(_("figure"), null=True, blank=True, **NUMBER)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = Timestamp(_("updated at"), auto_now=True)

    history = History(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        ordering = ["-period", "department"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "department", "period"], name="contribution_unique_month"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task} · {self.department} · {self.period}"


def evidence_path(instance: Evidence, filename: str) -> str:
    return f"evidence/{instance.uploaded_at:%Y/%m}/{filename}"


class Evidence(models.Model):
    """A file that backs a report or a contribution (佐证材料); served only after a permission check."""

    report = models.ForeignKey(
        ProgressReport,
        verbose_name=_("report"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    contribution = models.ForeignKey(
        Contribution,
        verbose_name=_("contribution"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=300)
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["uploaded_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(report__isnull=False, contribution__isnull=True)
                | Q(report__isnull=True, contribution__isnull=False),
                name="evidence_on_report_or_contribution",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ReportConflict(models.Model):
    """A save refused because someone else changed the report first; kept to reconcile."""

    report = models.ForeignKey(
        ProgressReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="conflicts"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    based_on_version = models.PositiveIntegerField(_("based on version"))
    data = models.JSONField(_("refused version"))
    created_at = Timestamp(_("created at"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("editing conflict")
        verbose_name_plural = _("editing conflicts")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.report} · v{self.based_on_version}"


class StatusOverride(models.Model):
    """A coordinator's judgement that a target's lamp for a month is not what the figures say."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="overrides"
    )
    period = PeriodField(_("month"))
    lamp = models.CharField(
        _("lamp"),
        max_length=10,
        choices=[
            ("done", _("Met")),
            ("green", _("On track")),
            ("yellow", _("Lagging")),
            ("red", _("Seriously lagging")),
        ],
    )
    reason = models.TextField(_("reason"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = Timestamp(_("set at"), auto_now_add=True)

    history = History()

    class Meta:
        verbose_name = _("lamp override")
        verbose_name_plural = _("lamp overrides")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period"], name="override_one_per_month"),
            models.CheckConstraint(condition=~Q(reason=""), name="override_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} · {self.period} · {self.lamp}"


class FollowUpRefused(Exception):
    """A 督办单 that cannot be issued or answered; the message is for the user."""


class FollowUpQuerySet(models.QuerySet):
    def open_for_departments(self, department_ids) -> FollowUpQuerySet:
        """Open follow-ups a department still owes an answer on: what its due list shows."""
        return (
            self.filter(status=FollowUp.Status.OPEN, department_id__in=list(department_ids))
            .select_related("plan", "indicator", "task", "department")
            .order_by("response_due", "pk")
        )


class FollowUp(models.Model):
    """A 督办单: the task force asks a lead department why a target lags and what it will do.

    The figures at issue (value, completion, gap, lamp) are copied from the month's status when
    the note is issued, so the printed note and the record keep saying what was chased even
    after later reports change the target's standing.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Awaiting an answer")
        ANSWERED = "answered", _("Answered")

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="follow_ups",
    )
    task = models.ForeignKey(
        Task,
        verbose_name=_("task"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="follow_ups",
        help_text=_("Set for a task without a number, chased on its milestones."),
    )
    department = models.ForeignKey(
        Department, verbose_name=_("lead department"), on_delete=models.PROTECT, related_name="follow_ups"
    )
    period = PeriodField(_("month"))
    sequence = models.PositiveSmallIntegerField(_("number in the month"))
    lamp = models.CharField(_("lamp at issue"), max_length=10, blank=True)
    value = models.DecimalField(_("value at issue"), null=True, blank=True, **NUMBER)
    completion = models.DecimalField(
        _("completion at issue"), null=True, blank=True, max_digits=9, decimal_places=4
    )
    expected = models.DecimalField(
        _("expected progress at issue"), null=True, blank=True, max_digits=9, decimal_places=4
    )
    gap = models.DecimalField(_("gap at issue"), null=True, blank=True, max_digits=9, decimal_places=4)
    note = models.TextField(_("what is asked"), blank=True)
    response_due = models.DateField(_("answer due by"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("issued at"))
    response = models.TextField(_("answer"), blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up note")
        verbose_name_plural = _("follow-up notes")
        ordering = ["-issued_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(indicator__isnull=False, task__isnull=True)
                | Q(indicator__isnull=True, task__isnull=False),
                name="follow_up_on_indicator_or_task",
            ),
            models.UniqueConstraint(fields=["plan", "period", "sequence"], name="follow_up_unique_number"),
            models.CheckConstraint(
                condition=Q(status="open") | ~Q(response=""), name="follow_up_answer_has_text"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} · {self.subject}"

    @property
    def number(self) -> str:
        """The note's number as a bureau writes it: 督〔2024〕6-03."""
        return f"督〔{self.period.year}〕{self.period.month}-{self.sequence:02d}"

    @property
    def subject(self) -> str:
        return self.indicator.name if self.indicator_id else self.task.title

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @classmethod
    def issue(cls, *, row, user, response_due, note: str = "", at=None) -> FollowUp:
        """Record a 督办单 on a lagging target's row (progress.Row) for its month.

        Only yellow and red targets are chased: a green or met target has nothing to answer
        for. The number is the next in the plan's month, taken under a lock on the plan so
        that two coordinators issuing at once do not get the same one.
        """
        if row.lamp not in ("yellow", "red"):
            raise FollowUpRefused(_("Only a lagging (yellow or red) target can be followed up."))
        if row.lead is None:
            raise FollowUpRefused(_("The target has no lead department to follow up."))
        at = at or periods.now()
        if response_due < periods.today():
            raise FollowUpRefused(_("The answer cannot be due before today."))

        def decimal(share):
            return None if share is None else round(Decimal(str(share)), 4)

        with transaction.atomic():
            Plan.objects.select_for_update().filter(pk=row.plan.pk).first()
            last = cls.objects.filter(plan=row.plan, period=row.period).aggregate(m=models.Max("sequence"))[
                "m"
            ]
            return cls.objects.create(
                plan=row.plan,
                indicator=row.indicator,
                department=row.lead,
                period=row.period,
                sequence=(last or 0) + 1,
                lamp=row.lamp,
                value=row.value,
                completion=decimal(row.completion),
                expected=decimal(row.expected),
                gap=decimal(row.gap),
                note=note,
                response_due=response_due,
                issued_by=user,
                issued_at=at,
            )

    def answer(self, *, text: str, by, at=None) -> None:
        """The lead department says what it did; the note leaves its due list."""
        if not self.is_open:
            raise FollowUpRefused(_("This follow-up note has already been answered."))
        if not text.strip():
            raise FollowUpRefused(_("Say what your department has done or will do."))
        self.response, self.responded_by = text.strip(), by
        self.responded_at, self.status = at or periods.now(), self.Status.ANSWERED
        self.save(update_fields=["response", "responded_by", "responded_at", "status"])
