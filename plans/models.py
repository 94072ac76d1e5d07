"""A published plan and its structure: sections, tasks, who answers for them, milestones."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from departments.models import Department, Region, scope_of


class PlanQuerySet(models.QuerySet):
    def visible_to(self, user) -> PlanQuerySet:
        """Plans of the user's regions and below, and plans that give their departments work.

        A county office may carry a task or a decomposed target in its city's plan; it sees
        that plan too. Superusers see everything.
        """
        scope = scope_of(user)
        if scope.is_superuser:
            return self.all()
        from indicators.models import IndicatorShare

        gives_work = models.Exists(
            Responsibility.objects.filter(
                task__section__plan=models.OuterRef("pk"), department_id__in=scope.department_ids
            )
        ) | models.Exists(
            IndicatorShare.objects.filter(indicator__plan=models.OuterRef("pk")).filter(
                models.Q(region_id__in=scope.region_ids) | models.Q(department_id__in=scope.department_ids)
            )
        )
        return self.filter(models.Q(region_id__in=scope.region_ids) | gives_work)


class Plan(models.Model):
    class Kind(models.TextChoices):
        WORK_PLAN = "work_plan", _("Work plan")
        KEY_POINTS = "key_points", _("Key points")
        IMPLEMENTATION = "implementation", _("Implementation plan")
        ACTION_PLAN = "action_plan", _("Action plan")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        ARCHIVED = "archived", _("Archived")

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.WORK_PLAN)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="plans"
    )
    issuing_department = models.ForeignKey(
        Department,
        verbose_name=_("issuing department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="issued_plans",
    )
    first_year = models.PositiveSmallIntegerField(_("first year"))
    last_year = models.PositiveSmallIntegerField(_("last year"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    source_text = models.TextField(_("source text"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-last_year", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_year__gte=models.F("first_year")), name="plan_years_in_order"
            ),
            models.CheckConstraint(
                condition=models.Q(first_year__gte=2000, last_year__lte=2100), name="plan_years_plausible"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def period_label(self) -> str:
        if self.first_year == self.last_year:
            return str(self.first_year)
        return f"{self.first_year}–{self.last_year}"


class Section(models.Model):
    class Theme(models.TextChoices):
        NONE = "", _("None")
        SPEED = "提速", "提速"
        GRADE = "提档", "提档"
        CAPACITY = "提能", "提能"
        EFFICIENCY = "提效", "提效"
        QUALITY = "提质", "提质"
        EXCELLENCE = "提优", "提优"

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField(_("position"))
    label = models.CharField(_("label"), max_length=20, blank=True)
    title = models.CharField(_("title"), max_length=200)
    theme = models.CharField(_("theme"), max_length=4, choices=Theme.choices, blank=True, default="")

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "position"], name="section_unique_position"),
            models.UniqueConstraint(fields=["plan", "label"], name="section_unique_label"),
        ]

    def __str__(self) -> str:
        return f"{self.label}{self.title}"


class Task(models.Model):
    class ListKind(models.TextChoices):
        TASK = "task", _("Task list")
        PROJECT = "project", _("Project list")
        POLICY = "policy", _("Policy list")

    section = models.ForeignKey(
        Section, verbose_name=_("section"), on_delete=models.CASCADE, related_name="tasks"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    number = models.CharField(_("number"), max_length=20, blank=True)
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"), blank=True)
    list_kind = models.CharField(_("list"), max_length=10, choices=ListKind.choices, default=ListKind.TASK)
    departments = models.ManyToManyField(
        Department, through="Responsibility", verbose_name=_("departments"), related_name="tasks"
    )

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["section", "position"]
        constraints = [
            models.UniqueConstraint(fields=["section", "position"], name="task_unique_position"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}" if self.number else self.title


class Responsibility(models.Model):
    """A department's part in a task: 牵头 (answers for it) or 配合 (contributes)."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead")
        CO = "co", _("Co-responsible")

    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="responsibilities"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="responsibilities"
    )
    role = models.CharField(_("role"), max_length=4, choices=Role.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("responsibility")
        verbose_name_plural = _("responsibilities")
        ordering = ["task", "role", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "department"], name="responsibility_one_role_per_department"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.department} ({self.get_role_display()})"


class Milestone(models.Model):
    """A dated step of a task, set backwards from its goal (倒排工期)."""

    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(_("title"), max_length=200)
    due_date = models.DateField(_("due date"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["task", "due_date"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_on is not None
