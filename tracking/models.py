"""What departments owe each month (obligations), what they report, and what the task force records on it."""

from __future__ import annotations

import secrets
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q, Value
from django.db.models.functions import Least
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from departments import clock
from departments.access import ANSWERS, ENTERS, READS, REVIEWS, Where, access_of
from departments.clock import History, Timestamp
from departments.models import Department
from plans.models import NUMBER, Indicator, IndicatorShare, Plan, Responsibility, Task, plain
from plans.periods import Period, PeriodField
from tracking.status import Lamp, Tally, bucket

PRIVATE = ("draft", "returned")
"""Report states whose content is not submitted: only the department and the task force read them."""


class ObligationQuerySet(models.QuerySet):
    def readable_by(self, user) -> ObligationQuerySet:
        return self.filter(
            access_of(user).q(
                READS, region="plan__region_id", department="department_id", share_region="share__region_id"
            )
        )

    def enterable_by(self, user) -> ObligationQuerySet:
        return self.filter(access_of(user).q(ENTERS, region="plan__region_id", department="department_id"))

    def active_in(self, period: Period) -> ObligationQuerySet:
        """Obligations owed in the month: begun by then and not ended before it."""
        return self.filter(Q(ends__isnull=True) | Q(ends__gte=period), starts__lte=period)

    def reports(self) -> ObligationQuerySet:
        return self.filter(kind=Obligation.Kind.REPORT)

    def contributions(self) -> ObligationQuerySet:
        return self.filter(kind=Obligation.Kind.CONTRIBUTION)

    def of_active_plans(self) -> ObligationQuerySet:
        return self.filter(plan__status=Plan.Status.ACTIVE)

    def for_key(self, key: str) -> ObligationQuerySet:
        """The obligations on the item a key names ('i12' a target, 's3' a decomposed share,
        't40' a task without a number) — one department at a time, several over the months."""
        kind, number = key[:1], key[1:]
        if not number.isdigit() or kind not in "ist" or not kind:
            return self.none()
        lookup = {"i": {"indicator_id": number, "share__isnull": True}, "s": {"share_id": number}}
        return self.reports().filter(**lookup.get(kind, {"task_id": number, "indicator__isnull": True}))


class Obligation(models.Model):
    """What one department owes on one item of a plan, from one month to another.

    The item is a target of a task or of the plan (its report), a region's share of a
    decomposed target (the share's report), or a task without a number (a narrative report);
    a contribution (配合) is owed on a task by every department named on it other than the one
    that reports. `tracking.obligations` decides who owes what and keeps these rows in step
    with the plan; every page, export and command counts what is owed from them, so a change of
    lead department changes what is owed from then on and leaves past months as they were.
    """

    class Kind(models.TextChoices):
        REPORT = "report", _("Report")
        CONTRIBUTION = "contribution", _("Contribution")

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="obligations"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="obligations",
    )
    share = models.ForeignKey(
        IndicatorShare,
        verbose_name=_("decomposed target"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="obligations",
    )
    task = models.ForeignKey(
        Task,
        verbose_name=_("task"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="obligations",
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="obligations"
    )
    starts = PeriodField(_("owed from"))
    ends = PeriodField(_("owed until"), null=True, blank=True)

    history = History()
    objects = ObligationQuerySet.as_manager()

    class Meta:
        verbose_name = _("obligation")
        verbose_name_plural = _("obligations")
        ordering = ["plan", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="report", indicator__isnull=False, task__isnull=True)
                | Q(kind="report", indicator__isnull=True, share__isnull=True, task__isnull=False)
                | Q(kind="contribution", indicator__isnull=True, share__isnull=True, task__isnull=False),
                name="obligation_subject_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(ends__isnull=True) | Q(ends__gte=models.F("starts")),
                name="obligation_span_in_order",
            ),
            models.UniqueConstraint(
                fields=["indicator"],
                condition=Q(ends__isnull=True, share__isnull=True, indicator__isnull=False),
                name="obligation_one_open_per_target",
            ),
            models.UniqueConstraint(
                fields=["share"],
                condition=Q(ends__isnull=True, share__isnull=False),
                name="obligation_one_open_per_share",
            ),
            models.UniqueConstraint(
                fields=["task", "department", "kind"],
                condition=Q(ends__isnull=True, task__isnull=False),
                name="obligation_one_open_per_task",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} · {self.department} · {self.get_kind_display()}"

    @property
    def key(self) -> str:
        """The item's key in URLs: i12 a target, s3 a decomposed share, t40 a task."""
        if self.share_id:
            return f"s{self.share_id}"
        return f"i{self.indicator_id}" if self.indicator_id else f"t{self.task_id}"

    @property
    def is_report(self) -> bool:
        return self.kind == self.Kind.REPORT

    @property
    def title(self) -> str:
        if self.indicator_id is not None:
            suffix = f"（{self.share.region.name}）" if self.share_id and self.share.region_id else ""
            return self.indicator.name + suffix
        return str(self.task)

    @property
    def owner_task(self) -> Task | None:
        """The task the item belongs to (a plan goal has none)."""
        return self.task if self.task_id else self.indicator.task

    @property
    def unit(self) -> str:
        return self.indicator.unit if self.indicator_id else ""

    @property
    def is_numeric(self) -> bool:
        return self.indicator_id is not None

    @property
    def target_label(self) -> str:
        if self.indicator_id is None:
            return ""
        if self.share_id:
            return f"{plain(self.share.target)}{self.indicator.unit}"
        return self.indicator.target_label

    def where(self) -> Where:
        return Where(self.plan.region_id, self.department_id, self.share.region_id if self.share_id else None)

    def owes(self, period: Period) -> bool:
        """Whether the month is one of the months this obligation covers."""
        return self.starts <= period and (self.ends is None or period <= self.ends)


class ReportQuerySet(models.QuerySet):
    def readable_by(self, user) -> ReportQuerySet:
        """Reports the user may read; drafts and returned reports only their department's members
        and the task force (their content is not submitted)."""
        return self.filter(
            access_of(user).q(
                READS,
                region="obligation__plan__region_id",
                department="obligation__department_id",
                share_region="obligation__share__region_id",
                status="status",
                drafts=PRIVATE,
            )
        )

    def reviewable_by(self, user) -> ReportQuerySet:
        return self.filter(
            access_of(user).q(
                REVIEWS, region="obligation__plan__region_id", department="obligation__department_id"
            )
        )

    def upto(self, period: Period) -> ReportQuerySet:
        return self.filter(period__lte=period)

    def counted(self) -> ReportQuerySet:
        return self.filter(status__in=ProgressReport.COUNTED)


class ProgressReport(models.Model):
    """A department's monthly report on an indicator, or on a task that has no number."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned")

    obligation = models.ForeignKey(
        Obligation, verbose_name=_("obligation"), on_delete=models.PROTECT, related_name="reports"
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

    objects = ReportQuerySet.as_manager()
    history = History(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-period"]
        constraints = [
            models.UniqueConstraint(fields=["obligation", "period"], name="report_one_per_obligation_month"),
        ]
        # a month's reports of many plans (the cockpit's and the completeness page's counts) are
        # read by month first: without it, every count scans all the years' reports
        indexes = [models.Index(fields=["period", "obligation"], name="report_month_obligation")]

    EDITABLE = (Status.DRAFT, Status.RETURNED)
    COUNTED = (Status.SUBMITTED, Status.APPROVED)
    FIELDS = ("value", "progress", "problems", "next_steps", "outlier_note")

    def __str__(self) -> str:
        return f"{self.obligation.title} · {self.department} · {self.period}"

    # what the report is on: its obligation's item and department
    @property
    def department(self) -> Department:
        return self.obligation.department

    @property
    def department_id(self) -> int:
        return self.obligation.department_id

    @property
    def plan(self) -> Plan:
        return self.obligation.plan

    @property
    def indicator(self) -> Indicator | None:
        return self.obligation.indicator

    @property
    def share(self) -> IndicatorShare | None:
        return self.obligation.share

    @property
    def task(self) -> Task | None:
        return self.obligation.task

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    def where(self) -> Where:
        where = self.obligation.where()
        return Where(where.region_id, where.department_id, where.share_region_id, self.status in PRIVATE)

    @property
    def is_counted(self) -> bool:
        """Submitted or approved: the month's figure counts, and the department has reported."""
        return self.status in self.COUNTED

    # --- the workflow: draft → submitted → approved, or returned → submitted again -------------
    #
    # Each step locks the row, checks the state it starts from and, where a person acted on
    # what they saw, the version they saw; a report changed meanwhile is refused, not overwritten.

    def _locked(self, seen_version: int | None = None) -> ProgressReport:
        locked = type(self).objects.select_for_update().select_related("obligation__plan").get(pk=self.pk)
        if seen_version is not None and locked.version != seen_version:
            raise ReportChanged(locked, seen_version)
        return locked

    def _saved(self, locked: ProgressReport, reason: str = "") -> None:
        locked.version += 1
        locked._change_reason = reason
        locked.save()
        self.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})

    def submit(self, *, by, seen_version: int, at=None) -> None:
        """Send the report for review; after the due day and its grace days it is marked late."""
        with transaction.atomic():
            locked = self._locked(seen_version)
            if not locked.is_editable:
                raise ReportError(locked.state_refusal())
            if locked.obligation.is_numeric and locked.value is None:
                raise ReportError(_("Enter the value to date before submitting."))
            if not locked.progress.strip():
                raise ReportError(_("Describe the progress (进展情况) before submitting."))
            at = at or clock.now()
            locked.status = self.Status.SUBMITTED
            locked.submitted_by, locked.submitted_at = by, at
            locked.late = locked.plan.is_late(locked.period, at)
            locked.return_reason = ""
            self._saved(locked)

    def approve(self, *, by, seen_version: int) -> None:
        self._review(by, seen_version, self.Status.APPROVED, "")

    def return_to(self, *, by, seen_version: int, reason: str) -> None:
        if not reason.strip():
            raise ReportError(_("Say why the report is returned."))
        self._review(by, seen_version, self.Status.RETURNED, reason.strip())

    def _review(self, by, seen_version: int, status: str, reason: str) -> None:
        with transaction.atomic():
            locked = self._locked(seen_version)
            if locked.status != self.Status.SUBMITTED:
                raise ReportError(_("Only a submitted report can be approved or returned."))
            if locked.plan.separate_review and by is not None and by.pk in locked.entered_by_ids():
                raise ReportError(
                    _(
                        "You entered or submitted this report; under this plan's rules another person "
                        "reviews it."
                    )
                )
            locked.status = status
            locked.reviewed_by, locked.reviewed_at = by, clock.now()
            locked.return_reason = reason
            self._saved(locked, reason)

    def reopen(self, *, by, reason: str) -> None:
        """Unlock an approved report so that the department can correct it, with the reason on record."""
        if not reason.strip():
            raise ReportError(_("Say why the report is reopened."))
        with transaction.atomic():
            locked = self._locked()
            if locked.status != self.Status.APPROVED:
                raise ReportError(_("Only an approved report can be reopened."))
            locked.status = self.Status.RETURNED
            locked.return_reason = reason.strip()
            self._saved(locked, _("reopened: %(reason)s") % {"reason": reason.strip()})

    def entered_by_ids(self) -> set[int]:
        """Who entered the figures under review: whoever saved or submitted them since it was last
        returned or created (the history knows every save)."""
        ids = {self.created_by_id, self.submitted_by_id}
        for user_id, status in self.history.order_by("-history_date", "-history_id").values_list(
            "history_user_id", "status"
        ):
            ids.add(user_id)
            if status == self.Status.RETURNED:
                break
        return ids - {None}

    def state_refusal(self) -> str:
        """Why the report cannot be changed now, in words for the user."""
        if self.status == self.Status.APPROVED:
            return str(_("This report was approved and is locked. Ask the task force to reopen it."))
        return str(_("This report was submitted and awaits review; it can be changed once it is returned."))

    def changes_since(self, version: int) -> list[tuple[str, str, str]]:
        """What changed after the given version: (field, then, now) for the fields a person reads."""
        then = self.history.filter(version=version).order_by("-history_date").first()
        if then is None:
            return []
        found = []
        for name in ("status", *self.FIELDS):
            old, new = getattr(then, name), getattr(self, name)
            if old != new:
                label = str(self._meta.get_field(name).verbose_name)
                if name == "status":
                    old, new = self.Status(old).label, self.Status(new).label
                found.append((label, _shown(old), _shown(new)))
        return found


def _shown(value) -> str:
    """A field's value as a message names it: 99999, not 99999.0000."""
    if value is None:
        return ""
    return plain(value) if isinstance(value, Decimal) else str(value)


class ReportError(Exception):
    """A step a report cannot take now; the message is for the user."""


class ReportChanged(ReportError):
    """The report changed after the user loaded it: the step is refused, with what changed."""

    def __init__(self, current: ProgressReport, seen_version: int):
        self.current, self.seen_version = current, seen_version
        self.changes = current.changes_since(seen_version)
        super().__init__(
            _("Someone changed this report after you opened it; nothing was done. Look at it again.")
        )


class Decision(models.Model):
    """What the task force decides by hand about one month (a waiver, a lamp set by hand): never
    without a reason, and on record with who decided and when."""

    period = PeriodField(_("month"))
    reason = models.TextField(_("reason"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = Timestamp(_("decided at"), auto_now_add=True)

    class Meta:
        abstract = True
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="%(class)s_has_reason")]


class Waiver(Decision):
    """The task force excuses one month of an obligation (免报), with the reason on record.

    A waived month is no longer owed: it leaves the due list and the counts of what is missing.
    """

    obligation = models.ForeignKey(
        Obligation, verbose_name=_("obligation"), on_delete=models.CASCADE, related_name="waivers"
    )

    history = History()

    class Meta(Decision.Meta):
        verbose_name = _("waiver")
        verbose_name_plural = _("waivers")
        constraints = [
            models.UniqueConstraint(fields=["obligation", "period"], name="waiver_one_per_month"),
            *Decision.Meta.constraints,
        ]

    def __str__(self) -> str:
        return f"{self.obligation} · {self.period}"


class ContributionQuerySet(models.QuerySet):
    def readable_by(self, user) -> ContributionQuerySet:
        """The contributing department's and the overseers', and every department named on the
        task: the lead department reads them while it writes its own report."""
        access = access_of(user)
        on_task = Responsibility.objects.filter(
            access.q_department("department_id"), task=OuterRef("obligation__task")
        )
        return self.filter(
            access.q(READS, region="obligation__plan__region_id", department="obligation__department_id")
            | Exists(on_task)
        )


class Contribution(models.Model):
    """What a co-responsible department (配合单位) did for a task in a month.

    The lead department reads these while it writes its own report; they are not reviewed.
    """

    obligation = models.ForeignKey(
        Obligation, verbose_name=_("obligation"), on_delete=models.PROTECT, related_name="contributions"
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

    objects = ContributionQuerySet.as_manager()
    history = History(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        ordering = ["-period", "obligation__department__name"]
        constraints = [
            models.UniqueConstraint(fields=["obligation", "period"], name="contribution_one_per_month"),
        ]

    def __str__(self) -> str:
        return f"{self.task} · {self.department} · {self.period}"

    @property
    def task(self) -> Task:
        return self.obligation.task

    @property
    def department(self) -> Department:
        return self.obligation.department

    @property
    def department_id(self) -> int:
        return self.obligation.department_id

    def where(self) -> Where:
        return self.obligation.where()


def evidence_path(instance: Evidence, filename: str) -> str:
    return f"evidence/{instance.uploaded_at:%Y/%m}/{filename}"


class EvidenceQuerySet(models.QuerySet):
    def readable_by(self, user) -> EvidenceQuerySet:
        return self.filter(
            Q(report__in=ProgressReport.objects.readable_by(user))
            | Q(contribution__in=Contribution.objects.readable_by(user))
        )


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

    history = History()
    objects = EvidenceQuerySet.as_manager()

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


class BulkUploadQuerySet(models.QuerySet):
    def expired(self) -> BulkUploadQuerySet:
        return self.filter(created_at__lt=timezone.now() - BulkUpload.KEEP)


class BulkUpload(models.Model):
    """An Excel sheet uploaded for bulk entry, kept between its preview and its confirm.

    The file goes through the storage API (`default_storage`: a folder, an NFS mount shared by
    the app servers, or an S3-compatible bucket), and who owns it and whether it was confirmed
    is a row here, so that the preview, the confirm and the marked copy work whichever server
    answers them. Confirming claims the row in one UPDATE (`claim`), so a second confirm, a
    second tab or a second server finds nothing left to save.

    `created_at` is the real time, not the demo's clock: it only decides when a sheet nobody
    confirmed is thrown away (after KEEP), and the demo's clock never moves past its day.
    """

    KEEP = timedelta(days=2)

    token = models.CharField(_("token"), max_length=32, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("file name"), max_length=255)
    file = models.FileField(_("file"), upload_to="bulk/", max_length=200)
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    used_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    objects = BulkUploadQuerySet.as_manager()

    class Meta:
        verbose_name = _("bulk upload")
        verbose_name_plural = _("bulk uploads")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def keep(cls, *, data: bytes, user, name: str) -> BulkUpload:
        """Store an upload under a random name; uploads nobody confirmed in time are dropped first."""
        cls.purge_expired()
        token = secrets.token_hex(16)
        upload = cls(token=token, user=user, name=name[:255])
        upload.file.save(f"{token}.xlsx", ContentFile(data), save=False)
        upload.save()
        return upload

    @classmethod
    def purge_expired(cls) -> int:
        """Drop the uploads older than KEEP, files and rows: they hold a department's figures."""
        expired = list(cls.objects.expired())
        for upload in expired:
            upload.file.delete(save=False)
        cls.objects.filter(pk__in=[upload.pk for upload in expired]).delete()
        return len(expired)

    @property
    def is_used(self) -> bool:
        return self.used_at is not None

    def data(self) -> bytes:
        with self.file.open("rb") as stream:
            return stream.read()

    def claim(self) -> bool:
        """Take the upload for saving; False when another confirm took it first."""
        claimed = BulkUpload.objects.filter(pk=self.pk, used_at__isnull=True).update(used_at=timezone.now())
        if claimed:
            self.used_at = timezone.now()
        return bool(claimed)


class StatusOverride(Decision):
    """A coordinator's judgement that a target's lamp for a month is not what the figures say."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="overrides"
    )
    lamp = models.CharField(
        _("lamp"), max_length=10, choices=[(lamp.value, lamp.label) for lamp in Lamp if lamp != Lamp.NONE]
    )

    history = History()

    class Meta(Decision.Meta):
        verbose_name = _("lamp override")
        verbose_name_plural = _("lamp overrides")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period"], name="override_one_per_month"),
            *Decision.Meta.constraints,
        ]

    def __str__(self) -> str:
        return f"{self.indicator} · {self.period} · {self.lamp}"


class FollowUpRefused(Exception):
    """A 督办单 that cannot be issued or answered; the message is for the user."""


class FollowUpQuerySet(models.QuerySet):
    def readable_by(self, user) -> FollowUpQuerySet:
        return self.filter(access_of(user).q(READS, region="plan__region_id", department="department_id"))

    def open_for(self, user) -> FollowUpQuerySet:
        """Open follow-ups the user's departments still owe an answer on: what their due list shows."""
        return (
            self.filter(access_of(user).q(ANSWERS, region="plan__region_id", department="department_id"))
            .filter(status=FollowUp.Status.OPEN)
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

    def where(self) -> Where:
        return Where(self.plan.region_id, self.department_id)

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
        at = at or clock.now()
        if response_due < clock.today():
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
        self.responded_at, self.status = at or clock.now(), self.Status.ANSWERED
        self.save(update_fields=["response", "responded_by", "responded_at", "status"])


class TargetStatusQuerySet(models.QuerySet):
    GROUPS = {
        None: (),
        "plan": ("plan_id",),
        "region": ("region_id",),
        "section": ("plan_id", "section_id"),
        "department": ("lead_id",),
    }

    def targets(self) -> TargetStatusQuerySet:
        """The targets' own rows, not their regions' shares."""
        return self.filter(share__isnull=True)

    def in_order(self, *first) -> TargetStatusQuerySet:
        """As the plans list their targets (the engine's order), after any orderings given first."""
        task = "indicator__task__"
        return self.order_by(
            *first, "plan_id", f"{task}section__position", f"{task}position", "indicator__position"
        )

    def tallies(self, by: str | None = None) -> dict:
        """How many rows stand where, per group (a key of GROUPS; a tuple for a section, 0 for
        none) and their mean completion: one grouped query."""
        judged = Q(completion__isnull=False) & ~Q(lamp=Lamp.NONE)
        rows = (
            self.values(*self.GROUPS[by], "availability", "lamp")
            .annotate(
                n=models.Count("pk"),
                completion_sum=models.Sum(Least("completion", Value(1.0)), filter=judged),
                judged=models.Count("pk", filter=judged),
            )
            .order_by()
        )
        found: dict = {}
        for row in rows:
            key = tuple(row[name] for name in self.GROUPS[by])
            key = key[0] if len(key) == 1 else (key or 0)
            found.setdefault(key, Tally()).add(
                bucket(row["lamp"], row["availability"]),
                row["n"],
                row["completion_sum"] or 0.0,
                row["judged"],
            )
        return found


class TargetStatus(models.Model):
    """Where a target (or one region's share of it) stood at the end of a month, as the status
    engine (`tracking.progress.judge`) judged it.

    The engine stays the one place that decides; these rows are its output, written when
    something it reads changes (a report's state, a target, the calendar and thresholds, a lamp
    set by hand, who owes the report) and by `manage.py refresh_status`. Pages over many plans
    (a city's, a province's cockpit) aggregate these rows in SQL instead of judging thousands of
    targets on every request. The plan, region, section and lead department are copied in so
    that the counts by any of them are one grouped query.
    """

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="statuses"
    )
    share = models.ForeignKey(
        IndicatorShare,
        verbose_name=_("decomposed target"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="statuses",
    )
    period = PeriodField(_("month"))
    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="+")
    region = models.ForeignKey(
        "departments.Region", verbose_name=_("region"), on_delete=models.CASCADE, related_name="+"
    )
    section = models.ForeignKey(
        "plans.Section", verbose_name=_("section"), null=True, on_delete=models.CASCADE, related_name="+"
    )
    lead = models.ForeignKey(
        Department, verbose_name=_("lead department"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    value = models.DecimalField(_("value to date"), null=True, **NUMBER)
    value_period = PeriodField(_("value of"), null=True)
    expected = models.FloatField(_("expected progress"), null=True)
    completion = models.FloatField(_("completion"), null=True)
    gap = models.FloatField(_("gap"), null=True)
    computed_lamp = models.CharField(_("lamp from the figures"), max_length=10)
    lamp = models.CharField(_("lamp"), max_length=10)
    overridden = models.BooleanField(_("set by hand"), default=False)
    availability = models.CharField(_("data availability"), max_length=10)
    data_period = PeriodField(_("latest published month"), null=True)
    reporting = models.CharField(_("reporting"), max_length=10, blank=True)
    pace_needed = models.DecimalField(_("monthly pace needed"), null=True, **NUMBER)
    pace_current = models.DecimalField(_("monthly pace so far"), null=True, **NUMBER)
    pace_projected = models.DecimalField(_("projected end value"), null=True, **NUMBER)

    objects = TargetStatusQuerySet.as_manager()

    class Meta:
        verbose_name = _("target status")
        verbose_name_plural = _("target statuses")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period"],
                condition=Q(share__isnull=True),
                name="status_one_per_target_month",
            ),
            models.UniqueConstraint(
                fields=["share", "period"],
                condition=Q(share__isnull=False),
                name="status_one_per_share_month",
            ),
        ]
        indexes = [
            models.Index(fields=["period", "plan"], name="status_month_plan"),
            models.Index(fields=["period", "region"], name="status_month_region"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} · {self.period} · {self.lamp}"

    @property
    def task(self) -> Task | None:
        return self.indicator.task
