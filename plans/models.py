"""A published plan and its structure: sections, tasks, who answers for them, milestones."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from departments import clock
from departments.access import OVERSEES, RUNS, Where, access_of
from departments.clock import History, Timestamp
from departments.models import Department, Region

from . import periods
from .importers.review import ImportClosed, ItemGone, find, new_uid
from .numbers import plain
from .periods import Period


class PlanQuerySet(models.QuerySet):
    def visible_to(self, user) -> PlanQuerySet:
        """Plans the user may read: of their regions and below, and plans that give their
        departments work or decompose a target to their region. Superusers see everything."""
        access = access_of(user)
        if access.is_superuser:
            return self.all()
        gives_work = models.Exists(
            Responsibility.objects.filter(
                access.q_department("department_id"), task__section__plan=models.OuterRef("pk")
            )
        ) | models.Exists(
            IndicatorShare.objects.filter(indicator__plan=models.OuterRef("pk")).filter(
                access.q_region("region_id")
                | access.q_department("department_id")
                | access.q_department("reporter_id")
            )
        )
        return self.filter(access.q_region("region_id") | gives_work)

    def readable_by(self, user) -> PlanQuerySet:
        return self.visible_to(user)

    def widest_first(self) -> PlanQuerySet:
        """A province's plans before its cities', a city's before its counties', then by region,
        the newest first, then by title."""
        levels = [
            models.When(region__level=level, then=index) for index, level in enumerate(Region.Level.values)
        ]
        return self.order_by(
            models.Case(*levels, default=len(levels)), "region__name", "-last_year", "title", "pk"
        )

    def with_counts(self) -> PlanQuerySet:
        """Each plan with its number of tasks and of targets, counted apart (a join of both
        would multiply them: a province's list took a second)."""
        # order_by(): a model's default ordering inside a grouped subquery is an error on PostgreSQL
        tasks = Task.objects.filter(section__plan=models.OuterRef("pk")).order_by().values("section__plan")
        targets = Indicator.objects.filter(plan=models.OuterRef("pk")).order_by().values("plan")
        count = models.Func(models.F("pk"), function="COUNT")
        return self.annotate(
            task_count=models.Subquery(
                tasks.annotate(n=count).values("n"), output_field=models.IntegerField()
            ),
            indicator_count=models.Subquery(
                targets.annotate(n=count).values("n"), output_field=models.IntegerField()
            ),
        )

    def run_by(self, user) -> PlanQuerySet:
        """Plans the user's task force runs."""
        return self.filter(access_of(user).q(RUNS, region="region_id"))


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
    report_opens_day = models.PositiveSmallIntegerField(
        _("reporting opens on day"), default=20, help_text=_("Day of the month on which reporting opens.")
    )
    report_due_day = models.PositiveSmallIntegerField(
        _("reports due on day"),
        default=25,
        help_text=_("Reports are due by this day of the month (每月25日前报送)."),
    )
    report_grace_days = models.PositiveSmallIntegerField(
        _("grace days"),
        default=2,
        help_text=_("Days after the due day in which a report still counts as on time."),
    )
    lamp_green_gap = models.PositiveSmallIntegerField(
        _("green within (points)"),
        default=0,
        help_text=_("A target this many percentage points behind expected progress is still green (正常)."),
    )
    lamp_red_gap = models.PositiveSmallIntegerField(
        _("red beyond (points)"),
        default=20,
        help_text=_("More than this many percentage points behind expected progress is red (严重滞后)."),
    )
    separate_review = models.BooleanField(
        _("reviewer is not the person who entered"),
        default=True,
        help_text=_("Reports are approved or returned by another person than the one who entered them."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = Timestamp(_("created at"), auto_now_add=True)

    # the calendar and the lamp thresholds change what every department owes and how every
    # target is judged: every change is on record
    history = History(excluded_fields=["source_text"])
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
            models.CheckConstraint(
                condition=models.Q(
                    report_opens_day__gte=1,
                    report_opens_day__lte=models.F("report_due_day"),
                    report_due_day__lte=28,
                    report_grace_days__lte=15,
                ),
                name="plan_reporting_calendar_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(lamp_green_gap__lt=models.F("lamp_red_gap"), lamp_red_gap__lte=100),
                name="plan_lamp_thresholds_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def where(self) -> Where:
        return Where(self.region_id)

    def can_be_run_by(self, user) -> bool:
        """Coordinators of the plan's region (or above) run it: activate, chase, reopen."""
        return access_of(user).can(RUNS, self)

    def is_overseen_by(self, user) -> bool:
        """The plan's task force and the leaders over its region: completeness, bulletin, ledger."""
        return access_of(user).can(OVERSEES, self)

    def activate(self) -> None:
        """A checked draft goes live: from now on departments report on it."""
        if self.status != self.Status.DRAFT:
            raise ValueError("only a draft plan can be activated")
        self.status = self.Status.ACTIVE
        self.save(update_fields=["status"])

    # --- the reporting calendar: the plan's months and each month's window -----------------

    @property
    def first_period(self) -> Period:
        return Period(self.first_year, 1)

    @property
    def last_period(self) -> Period:
        return Period(self.last_year, 12)

    @property
    def months_total(self) -> int:
        return 12 * (self.last_year - self.first_year + 1)

    def periods(self, until: Period | None = None) -> list[Period]:
        """Every month of the plan, up to `until` if given."""
        return self.first_period.until(min(self.last_period, until) if until else self.last_period)

    def opens_on(self, period: Period) -> date:
        """The day reporting on the month opens (the 20th by default)."""
        return period.on_day(self.report_opens_day)

    def due_on(self, period: Period) -> date:
        """The day the month's reports are due (每月25日前报送)."""
        return period.on_day(self.report_due_day)

    def on_time_until(self, period: Period) -> date:
        """The last day on which a report on the month still counts as on time."""
        return self.due_on(period) + timedelta(days=self.report_grace_days)

    def is_late(self, period: Period, at: datetime) -> bool:
        """Submitted after the due day and its grace days (in the bureau's time zone)."""
        return timezone.localdate(at) > self.on_time_until(period)

    def reporting_period(self, on: date | None = None) -> Period | None:
        """The month being reported on `on`: this month once its window opened, else the one before.

        None before the plan's first month, and a month after its last month's reporting is over.
        """
        on = on or clock.today()
        period = Period.of(on) if on.day >= self.report_opens_day else Period.of(on).previous()
        if period < self.first_period:
            return None
        if period > self.last_period:
            last = self.last_period
            return last if on <= self.on_time_until(last) + timedelta(days=31) else None
        return period

    def is_open(self, period: Period, on: date | None = None) -> bool:
        """Whether the month takes reports: its window has opened (past months stay open: a late
        report is accepted and marked late), and it is one of the plan's months."""
        on = on or clock.today()
        return self.first_period <= period <= self.last_period and self.opens_on(period) <= on

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


class TaskQuerySet(models.QuerySet):
    def readable_by(self, user) -> TaskQuerySet:
        return self.filter(section__plan__in=Plan.objects.visible_to(user))


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

    objects = TaskQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.number}. {self.title}" if self.number else self.title

    def where(self) -> Where:
        return Where(self.section.plan.region_id)


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

    history = History()

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


class PlanImport(models.Model):
    """A plan read from its published text, waiting for a person to check it.

    The extracted structure is kept as JSON and saved on every correction, so a review
    can be left and resumed; confirming turns it into a Plan exactly once.
    """

    class Status(models.TextChoices):
        REVIEWING = "reviewing", _("Under review")
        CONFIRMED = "confirmed", _("Confirmed")
        DISCARDED = "discarded", _("Discarded")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.CASCADE, related_name="+"
    )
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=Plan.Kind.choices, default=Plan.Kind.WORK_PLAN)
    first_year = models.PositiveSmallIntegerField(_("first year"), null=True, blank=True)
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    source_text = models.TextField(_("source text"))
    structure = models.JSONField(_("extracted structure"))
    department_choices = models.JSONField(_("department matching"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REVIEWING)
    plan = models.OneToOneField(
        Plan,
        verbose_name=_("plan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan_import",
    )
    created_at = Timestamp(_("created at"), auto_now_add=True)
    updated_at = Timestamp(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("plan import")
        verbose_name_plural = _("plan imports")
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.structure.get("title") or self.filename or str(self.pk)

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.REVIEWING

    def _edit(self, change) -> None:
        """Apply `change(structure, choices)` to the stored row under a lock, then refresh self.

        Two tabs correcting different items of one import must not overwrite each other, so
        every correction re-reads the row it changes instead of saving a stale copy.
        """

        with transaction.atomic():
            fresh = type(self).objects.select_for_update().get(pk=self.pk)
            if not fresh.is_open:
                raise ImportClosed(fresh.status)
            change(fresh.structure, fresh.department_choices)
            fresh.save(update_fields=["structure", "department_choices", "updated_at"])
        self.structure, self.department_choices = fresh.structure, fresh.department_choices
        self.updated_at = fresh.updated_at

    def update_meta(self, *, title: str, year: int, first_year: int, kind: str) -> None:
        """Correct the plan's title, years and kind."""

        def change(structure, choices):
            structure.update(title=title, year=year)

        self._edit(change)
        self.first_year, self.kind = first_year, kind
        self.save(update_fields=["first_year", "kind", "updated_at"])

    def update_item(self, uid: str, fields: dict) -> None:
        """Correct fields of a section, task or target."""

        def change(structure, choices):
            found = find(structure, uid)
            if found is None:
                raise ItemGone(uid)
            found[1].update(fields)

        self._edit(change)

    def drop_item(self, uid: str) -> None:
        """Drop a false target, or a task or section that is not one."""

        def change(structure, choices):
            found = find(structure, uid)
            if found is None:
                raise ItemGone(uid)
            found[0].remove(found[1])

        self._edit(change)

    def add_indicator(self, parent_uid: str, fields: dict) -> str:
        """Add a target the importer missed, to a task or (parent "goals") to the plan."""

        added = {}

        def change(structure, choices):
            if parent_uid == "goals":
                target_list = structure.setdefault("goals", [])
            else:
                found = find(structure, parent_uid)
                if found is None or not found[1].get("uid", "").startswith("t"):
                    raise ItemGone(parent_uid)
                target_list = found[1].setdefault("indicators", [])
            added["uid"] = new_uid(structure, "i")
            target_list.append({**fields, "uid": added["uid"]})

        self._edit(change)
        return added["uid"]

    def choose_department(self, name: str, choice: dict) -> None:
        """Match a department name of the plan to a department ({"department": pk}) or create it."""

        def change(structure, choices):
            choices[name] = choice

        self._edit(change)


NUMBER = {"max_digits": 20, "decimal_places": 4}


class IndicatorQuerySet(models.QuerySet):
    def readable_by(self, user) -> IndicatorQuerySet:
        return self.filter(plan__in=Plan.objects.visible_to(user))


class Indicator(models.Model):
    """A target of a task, or of the plan itself (工作目标) when `task` is empty."""

    class Kind(models.TextChoices):
        COUNT = "count", _("Count")
        GROWTH_RATE = "growth_rate", _("Growth rate")
        RATIO = "ratio", _("Ratio")
        AMOUNT = "amount", _("Amount")
        RANK = "rank", _("Rank")
        INDEX = "index", _("Index")
        QUALITATIVE = "qualitative", _("Qualitative")

    class Comparator(models.TextChoices):
        NONE = "", _("None")
        AT_LEAST = ">=", "≥"
        AT_MOST = "<=", "≤"
        EQUAL = "=", "="
        APPROX = "approx", "≈"
        RANGE = "range", _("range")

    class Measure(models.TextChoices):
        """How monthly values are read against the target."""

        INCREASE = "increase", _("Net increase over the baseline")
        STOCK = "stock", _("Stock level")
        RATE = "rate", _("Rate")

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="indicators"
    )
    task = models.ForeignKey(
        Task,
        verbose_name=_("task"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="indicators",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    comparator = models.CharField(_("comparator"), max_length=6, choices=Comparator.choices, blank=True)
    target = models.DecimalField(_("target"), null=True, blank=True, **NUMBER)
    target_max = models.DecimalField(_("upper target"), null=True, blank=True, **NUMBER)
    baseline = models.DecimalField(_("baseline"), null=True, blank=True, **NUMBER)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    measure = models.CharField(_("measure"), max_length=10, choices=Measure.choices, default=Measure.INCREASE)
    source_text = models.TextField(_("source sentence"), blank=True)
    curve = models.JSONField(
        _("expected progress curve"),
        null=True,
        blank=True,
        help_text=_(
            "Twelve cumulative shares of the year's target expected by the end of each month, "
            "e.g. [0,0,0,0,0,0.5,0.5,0.5,0.5,0.5,0.5,1] for firms certified in two batches. Empty: even."
        ),
    )
    data_frequency = models.CharField(
        _("data published"),
        max_length=10,
        choices=[("monthly", _("monthly")), ("quarterly", _("quarterly")), ("yearly", _("yearly"))],
        default="monthly",
    )
    data_lag_months = models.PositiveSmallIntegerField(
        _("publication lag (months)"),
        default=0,
        help_text=_("Months after its period that a statistic is published (R&D spending: the next year)."),
    )

    objects = IndicatorQuerySet.as_manager()
    history = History()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["plan", "task", "position"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="qualitative") & Q(target__isnull=True) & Q(comparator=""))
                | (~Q(kind="qualitative") & Q(target__isnull=False) & ~Q(comparator="")),
                name="indicator_target_matches_kind",
            ),
            models.CheckConstraint(
                condition=(
                    Q(comparator="range")
                    & Q(target_max__isnull=False)
                    & Q(target_max__gte=models.F("target"))
                )
                | (~Q(comparator="range") & Q(target_max__isnull=True)),
                name="indicator_range_has_upper_target",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def where(self) -> Where:
        return Where(self.plan.region_id)

    def covered_period(self, period: Period) -> Period:
        """The month a report of `period` gives the figure of: its latest published one (a yearly
        statistic out mid next year is, in June, last December's)."""
        return periods.published_as_of(period, self.data_frequency, self.data_lag_months)

    @property
    def publication_label(self) -> str:
        """每季度发布，滞后1个月: how the figure comes out, for the entry form; "" for monthly data."""
        if self.data_frequency == "monthly" and not self.data_lag_months:
            return ""
        every = {"monthly": _("each month"), "quarterly": _("each quarter"), "yearly": _("each year")}
        values = {"frequency": every.get(self.data_frequency, ""), "lag": self.data_lag_months}
        if self.data_lag_months:
            return _("published %(frequency)s, %(lag)s months after the period it covers") % values
        return _("published %(frequency)s") % values

    @staticmethod
    def default_measure(kind: str, name: str) -> str:
        """How a target is tracked when nobody said: rates as rates, levels as stock.

        Counts and amounts are net increases (净增/新增/引进/认定 …) unless the name speaks
        of a level reached (总数, 数量, 拥有量, 总额 without 累计).
        """
        if kind in {
            Indicator.Kind.GROWTH_RATE,
            Indicator.Kind.RATIO,
            Indicator.Kind.RANK,
            Indicator.Kind.INDEX,
        }:
            return Indicator.Measure.RATE
        level_words = ("总数", "数量", "拥有量", "总量", "总值", "有效")
        is_level = "累计" not in name and any(word in name for word in level_words)
        if kind in {Indicator.Kind.COUNT, Indicator.Kind.AMOUNT} and is_level:
            return Indicator.Measure.STOCK
        return Indicator.Measure.INCREASE

    @property
    def is_plan_goal(self) -> bool:
        return self.task_id is None

    @property
    def target_label(self) -> str:
        """The target as a bureau writes it: ≥12%, 2–3家, 1件左右, 全省前10位."""
        if self.kind == self.Kind.QUALITATIVE:
            return ""
        value = plain(self.target)
        if self.comparator == self.Comparator.RANGE:
            return f"{value}–{plain(self.target_max)}{self.unit}"
        if self.kind == self.Kind.RANK:
            prefix = {"<=": "前", ">=": "后"}.get(self.comparator, "第")
            return f"{prefix}{value}{self.unit}"
        if self.comparator == self.Comparator.APPROX:
            return f"{value}{self.unit}左右"
        symbol = {">=": "≥", "<=": "≤"}.get(self.comparator, "")
        return f"{symbol}{value}{self.unit}"


class IndicatorShare(models.Model):
    """A part of a target decomposed (分解) to a sub-region or a department."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="shares"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    target = models.DecimalField(_("target"), **NUMBER)
    target_max = models.DecimalField(_("upper target"), null=True, blank=True, **NUMBER)
    reporter = models.ForeignKey(
        Department,
        verbose_name=_("reporting department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reported_shares",
        help_text=_("The office that reports this share each month (a county's share: its 科技局)."),
    )

    history = History()

    class Meta:
        verbose_name = _("decomposed target")
        verbose_name_plural = _("decomposed targets")
        constraints = [
            models.CheckConstraint(
                condition=Q(region__isnull=False, department__isnull=True)
                | Q(region__isnull=True, department__isnull=False),
                name="share_region_or_department",
            ),
            models.UniqueConstraint(
                fields=["indicator", "region"], condition=Q(region__isnull=False), name="share_unique_region"
            ),
            models.UniqueConstraint(
                fields=["indicator", "department"],
                condition=Q(department__isnull=False),
                name="share_unique_department",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} · {self.region or self.department}"

    @property
    def holder(self) -> str:
        """Whom the share was given to, as a page names it: its region, or its department."""
        return (self.region or self.department).name

    @property
    def reporting_department(self) -> Department | None:
        return self.department or self.reporter
