"""Monthly reporting: what each department owes, and every write a report goes through.

An *item* is something a department reports on each month: a quantitative target of a task
it leads (or of the plan, for the issuing bureau), a sub-region's share of a decomposed
target, or a task that has no number (a narrative report). The first lead department of a
task reports for it; the others, and the co-responsible departments, add contributions.

Every write is a keyword-only function here, under a transaction; the views only call them.
A report carries a version number: a save based on an older version is refused, and what
was typed is kept as a ReportConflict for the user to reconcile.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from django.db import IntegrityError, transaction
from django.db.models import BigIntegerField, Case, Exists, F, OuterRef, Q, Subquery, When
from django.utils import timezone
from django.utils.translation import gettext as _

from departments.models import Department, scope_of
from plans import calendar
from plans.calendar import Period
from plans.models import Indicator, IndicatorShare, Plan, Responsibility, Task

from .evidence import evidence_name
from .models import (
    Contribution,
    Evidence,
    ProgressReport,
    ReportConflict,
    StatusOverride,
)
from .status import Target, completion, expected_progress, performance

EDITABLE = {ProgressReport.Status.DRAFT, ProgressReport.Status.RETURNED}
REPORT_FIELDS = ("value", "progress", "problems", "next_steps", "outlier_note")


class ReportError(Exception):
    """A write that is not allowed now; the message is for the user."""


class StaleReport(ReportError):
    """Someone saved the report after this form was loaded; the refused version is kept."""

    def __init__(self, message: str, conflict: ReportConflict):
        super().__init__(message)
        self.conflict = conflict


class UnusualValue(ReportError):
    """A value far from the history asks for confirmation and a note before it is saved."""


# --- items ------------------------------------------------------------------------------


@dataclass
class Item:
    """One thing a department reports on in a month."""

    key: str
    plan: Plan
    department_id: int
    indicator: Indicator | None = None
    share: IndicatorShare | None = None
    task: Task | None = None
    period: Period | None = None
    report: ProgressReport | None = None
    previous: ProgressReport | None = None
    extras: dict = field(default_factory=dict)

    @property
    def title(self) -> str:
        if self.indicator is not None:
            suffix = (
                f"（{self.share.region.name}）" if self.share is not None and self.share.region_id else ""
            )
            return self.indicator.name + suffix
        return str(self.task)

    @property
    def owner_task(self) -> Task | None:
        return self.task if self.task is not None else (self.indicator.task if self.indicator else None)

    @property
    def unit(self) -> str:
        return self.indicator.unit if self.indicator is not None else ""

    @property
    def target(self) -> Target | None:
        return Target.of(self.indicator, self.share) if self.indicator is not None else None

    @property
    def target_label(self) -> str:
        if self.indicator is None:
            return ""
        if self.share is not None:
            return f"{_plain(self.share.target)}{self.indicator.unit}"
        return self.indicator.target_label

    @property
    def state(self) -> str:
        return self.report.status if self.report is not None and self.report.pk else "missing"

    @property
    def deadline(self):
        return calendar.due_on(self.plan, self.period) if self.period else None

    def meaning(self, value: Decimal | None) -> dict:
        """What a value would mean: completion and lamp, shown before the user submits."""
        target = self.target
        if target is None or value is None or self.period is None:
            return {}
        expected = expected_progress(
            self.plan.first_year, self.plan.last_year, self.period.year, self.period.month
        )
        return {
            "completion": completion(target, value),
            "expected": expected if target.is_prorated else None,
            "lamp": performance(target, value, expected),
        }

    def new_report(self) -> ProgressReport:
        return ProgressReport(
            indicator=self.indicator,
            share=self.share,
            task=self.task if self.indicator is None else None,
            department_id=self.department_id,
            year=self.period.year,
            month=self.period.month,
        )


def _plain(number: Decimal | None) -> str:
    return "" if number is None else format(number.normalize(), "f")


def first_lead(task_ref: str = "pk") -> Subquery:
    """The department that reports for a task (its first lead), for the task named by `task_ref`."""
    return Subquery(
        Responsibility.objects.filter(task=OuterRef(task_ref), role=Responsibility.Role.LEAD)
        .order_by("position")
        .values("department_id")[:1]
    )


def items_for_departments(department_ids: Iterable[int], plans=None) -> list[Item]:
    """Every item the departments report on, in the active plans (or the given ones).

    Four queries whatever the size of the plans: targets, shares, tasks without numbers,
    each with what the page shows of them.
    """
    department_ids = set(department_ids)
    if not department_ids:
        return []
    plan_filter = Q(plan__status=Plan.Status.ACTIVE) if plans is None else Q(plan__in=plans)
    indicators = (
        Indicator.objects.filter(plan_filter)
        .exclude(kind=Indicator.Kind.QUALITATIVE)
        .annotate(
            reporter_id=Case(
                When(task__isnull=True, then=F("plan__issuing_department_id")),
                default=first_lead("task"),
                output_field=BigIntegerField(),
            )
        )
        .filter(reporter_id__in=department_ids)
        .select_related("plan", "task__section")
        .order_by("plan_id", "task__section__position", "task__position", "position")
    )
    items = [Item(f"i{i.pk}", i.plan, i.reporter_id, indicator=i) for i in indicators]
    shares = (
        IndicatorShare.objects.filter(Q(department_id__in=department_ids) | Q(reporter_id__in=department_ids))
        .filter(**{f"indicator__{k}": v for k, v in _plan_kwargs(plans).items()})
        .select_related("indicator__plan", "indicator__task__section", "region")
        .order_by("indicator__plan_id", "indicator_id", "pk")
    )
    items += [
        Item(f"s{s.pk}", s.indicator.plan, s.department_id or s.reporter_id, indicator=s.indicator, share=s)
        for s in shares
    ]
    numbers = Indicator.objects.filter(task=OuterRef("pk")).exclude(kind=Indicator.Kind.QUALITATIVE)
    tasks = (
        Task.objects.filter(**{f"section__{k}": v for k, v in _plan_kwargs(plans).items()})
        .annotate(reporter_id=first_lead())
        .filter(reporter_id__in=department_ids)
        .exclude(Exists(numbers))
        .select_related("section__plan")
        .order_by("section__plan_id", "section__position", "position")
    )
    items += [Item(f"t{t.pk}", t.section.plan, t.reporter_id, task=t) for t in tasks]
    return items


def _plan_kwargs(plans) -> dict:
    return {"plan__status": Plan.Status.ACTIVE} if plans is None else {"plan__in": plans}


def attach_reports(items: list[Item], on=None) -> list[Item]:
    """Give each item its plan's current period, its report for it and last month's; one query."""
    wanted: set[Period] = set()
    for item in items:
        item.period = calendar.current_period(item.plan, on)
        if item.period is not None:
            wanted |= {item.period, item.period.previous()}
    items = [item for item in items if item.period is not None]
    if not items:
        return items
    by_period = Q()
    for period in wanted:
        by_period |= Q(year=period.year, month=period.month)
    reports = ProgressReport.objects.filter(by_period).filter(
        Q(indicator_id__in=[i.indicator.pk for i in items if i.indicator and not i.share], share__isnull=True)
        | Q(share_id__in=[i.share.pk for i in items if i.share])
        | Q(task_id__in=[i.task.pk for i in items if i.task])
    )
    found = {(report_key(r), r.department_id, r.year, r.month): r for r in reports}
    for item in items:
        period, previous = item.period, item.period.previous()
        item.report = found.get((item.key, item.department_id, period.year, period.month))
        item.previous = found.get((item.key, item.department_id, previous.year, previous.month))
    return items


def report_key(report: ProgressReport) -> str:
    if report.share_id:
        return f"s{report.share_id}"
    return f"i{report.indicator_id}" if report.indicator_id else f"t{report.task_id}"


def due_items(user, on=None) -> list[Item]:
    """本月待办: what the user's departments must report in the current period of each plan."""
    scope = scope_of(user)
    return attach_reports(items_for_departments(scope.reporter_department_ids), on)


def item_for_key(key: str) -> Item | None:
    """The item named by a key ('i12', 's3', 't40'), whoever reports it; None if there is none."""
    kind, number = key[:1], key[1:]
    if not number.isdigit():
        return None
    pk = int(number)
    if kind == "i":
        indicator = (
            Indicator.objects.filter(pk=pk)
            .exclude(kind=Indicator.Kind.QUALITATIVE)
            .select_related("plan__issuing_department", "task__section")
            .first()
        )
        if indicator is None:
            return None
        department = (
            indicator.plan.issuing_department_id if indicator.task_id is None else _lead_of(indicator.task)
        )
        return Item(key, indicator.plan, department, indicator=indicator) if department else None
    if kind == "s":
        share = IndicatorShare.objects.filter(pk=pk).select_related("indicator__plan", "region").first()
        if share is None or share.reporting_department is None:
            return None
        return Item(
            key, share.indicator.plan, share.reporting_department.pk, indicator=share.indicator, share=share
        )
    if kind == "t":
        task = Task.objects.filter(pk=pk).select_related("section__plan").first()
        department = _lead_of(task) if task else None
        return Item(key, task.section.plan, department, task=task) if department else None
    return None


def _lead_of(task: Task) -> int | None:
    lead = (
        Responsibility.objects.filter(task=task, role=Responsibility.Role.LEAD)
        .order_by("position")
        .values_list("department_id", flat=True)
        .first()
    )
    return lead


def report_for(item: Item, period: Period) -> ProgressReport:
    """The item's report for the period, or a new unsaved draft."""
    item.period = period
    lookup = {"department_id": item.department_id, "year": period.year, "month": period.month}
    if item.share is not None:
        lookup["share"] = item.share
    elif item.indicator is not None:
        lookup.update(indicator=item.indicator, share__isnull=True)
    else:
        lookup["task"] = item.task
    return ProgressReport.objects.filter(**lookup).first() or item.new_report()


def history_of(item: Item, period: Period, months: int = 12) -> list[ProgressReport]:
    """The item's reports before the period, oldest first, for plausibility checks and charts."""
    lookup = {"department_id": item.department_id}
    if item.share is not None:
        lookup["share"] = item.share
    elif item.indicator is not None:
        lookup.update(indicator=item.indicator, share__isnull=True)
    else:
        lookup["task"] = item.task
    earlier = Q(year__lt=period.year) | Q(year=period.year, month__lt=period.month)
    rows = ProgressReport.objects.filter(earlier, **lookup).order_by("-year", "-month")[:months]
    return list(reversed(rows))


# --- permissions ------------------------------------------------------------------------


def can_enter(user, item: Item) -> bool:
    """The reporting department's reporters, and the plan's task force on their behalf."""
    scope = scope_of(user)
    return (
        scope.is_superuser
        or item.department_id in scope.reporter_department_ids
        or item.plan.region_id in scope.coordinator_region_ids
    )


def can_review(user, report: ProgressReport, plan: Plan) -> bool:
    """The reporting department's reviewers, and the plan's task force."""
    scope = scope_of(user)
    return (
        scope.is_superuser
        or report.department_id in scope.reviewer_department_ids
        or plan.region_id in scope.coordinator_region_ids
    )


def can_read(user, item: Item) -> bool:
    """Members of the reporting department, and whoever oversees the plan's region."""
    scope = scope_of(user)
    return (
        scope.is_superuser
        or item.department_id in scope.department_ids
        or item.plan.region_id in scope.overseen_region_ids
        or (item.share is not None and item.share.region_id in scope.overseen_region_ids)
    )


def is_coordinator_of(user, plan: Plan) -> bool:
    scope = scope_of(user)
    return scope.is_superuser or plan.region_id in scope.coordinator_region_ids


# --- writes -----------------------------------------------------------------------------


def save_report(
    *,
    item: Item,
    report: ProgressReport,
    user,
    data: dict,
    version: int | None,
    confirm_unusual: bool = False,
) -> ProgressReport:
    """Save what was typed as a draft (or keep a returned report editable).

    `version` is the version the form was loaded with (None for a report not saved yet).
    A report changed meanwhile refuses the save and keeps the refused version; a value far
    from the history raises UnusualValue unless the user confirmed it with a note.
    """
    if not can_enter(user, item):
        raise ReportError(_("You may not enter reports for this department."))
    if item.indicator is not None and "value" in data and not confirm_unusual:
        warning = unusual_change(item, report, data.get("value"))
        if warning:
            raise UnusualValue(warning)
    stale = None
    with transaction.atomic():
        if report.pk is None:
            try:
                with transaction.atomic():
                    return _create(item, report, user, data)
            except IntegrityError:  # created meanwhile in another tab or by a colleague
                stale = report_for(item, Period(report.year, report.month))
        else:
            locked = ProgressReport.objects.select_for_update().get(pk=report.pk)
            if version is not None and locked.version != version:
                stale = locked
            else:
                if locked.status not in EDITABLE:
                    raise ReportError(_status_refusal(locked))
                for name in REPORT_FIELDS:
                    if name in data:
                        setattr(locked, name, data[name])
                locked.version += 1
                locked.entered_by_coordinator = (
                    locked.department_id not in scope_of(user).reporter_department_ids
                )
                locked._change_reason = _entry_reason(user, locked)
                locked.save()
                return locked
    # recorded after the transaction, so that refusing the save does not also lose what was typed
    raise _stale(stale, user, version or 0, data)


def _create(item: Item, report: ProgressReport, user, data: dict) -> ProgressReport:
    for name in REPORT_FIELDS:
        if name in data:
            setattr(report, name, data[name])
    report.created_by = user
    report.entered_by_coordinator = item.department_id not in scope_of(user).reporter_department_ids
    report._change_reason = _entry_reason(user, report)
    report.save()
    return report


def _entry_reason(user, report: ProgressReport) -> str:
    return _("entered on the department's behalf by the task force") if report.entered_by_coordinator else ""


def _stale(current: ProgressReport, user, version: int, data: dict) -> StaleReport:
    conflict = ReportConflict.objects.create(
        report=current,
        user=user,
        based_on_version=version,
        data={k: (str(v) if isinstance(v, Decimal) else v) for k, v in data.items()},
    )
    return StaleReport(
        _(
            "Someone else saved this report after you opened it. Your version was not saved but kept: "
            "compare the two below and keep one."
        ),
        conflict,
    )


def _status_refusal(report: ProgressReport) -> str:
    if report.status == ProgressReport.Status.APPROVED:
        return _("This report was approved and is locked. Ask the task force to reopen it.")
    return _("This report was submitted and awaits review; it can be changed once it is returned.")


def submit_report(*, item: Item, report: ProgressReport, user, at: datetime | None = None) -> ProgressReport:
    """Send a saved draft for review; a report after the due day and its grace days is marked late."""
    if not can_enter(user, item):
        raise ReportError(_("You may not enter reports for this department."))
    with transaction.atomic():
        locked = ProgressReport.objects.select_for_update().get(pk=report.pk)
        if locked.status not in EDITABLE:
            raise ReportError(_status_refusal(locked))
        if item.indicator is not None and locked.value is None:
            raise ReportError(_("Enter the value to date before submitting."))
        if not locked.progress.strip():
            raise ReportError(_("Describe the progress (进展情况) before submitting."))
        at = at or timezone.now()
        locked.status = ProgressReport.Status.SUBMITTED
        locked.submitted_by, locked.submitted_at = user, at
        locked.late = calendar.is_late(item.plan, Period(locked.year, locked.month), at)
        locked.return_reason = ""
        locked.version += 1
        locked.save()
        return locked


def approve_report(*, report: ProgressReport, plan: Plan, user) -> ProgressReport:
    return _review(report, plan, user, ProgressReport.Status.APPROVED, "")


def return_report(*, report: ProgressReport, plan: Plan, user, reason: str) -> ProgressReport:
    if not reason.strip():
        raise ReportError(_("Say why the report is returned."))
    return _review(report, plan, user, ProgressReport.Status.RETURNED, reason.strip())


def _review(report: ProgressReport, plan: Plan, user, status: str, reason: str) -> ProgressReport:
    if not can_review(user, report, plan):
        raise ReportError(_("You may not review this department's reports."))
    with transaction.atomic():
        locked = ProgressReport.objects.select_for_update().get(pk=report.pk)
        if locked.status != ProgressReport.Status.SUBMITTED:
            raise ReportError(_("Only a submitted report can be approved or returned."))
        locked.status = status
        locked.reviewed_by, locked.reviewed_at = user, timezone.now()
        locked.return_reason = reason
        locked.version += 1
        locked._change_reason = reason
        locked.save()
        return locked


def reopen_report(*, report: ProgressReport, plan: Plan, user, reason: str) -> ProgressReport:
    """Unlock an approved report (task force only), with the reason on record."""
    if not is_coordinator_of(user, plan):
        raise ReportError(_("Only the task force can reopen an approved report."))
    if not reason.strip():
        raise ReportError(_("Say why the report is reopened."))
    with transaction.atomic():
        locked = ProgressReport.objects.select_for_update().get(pk=report.pk)
        if locked.status != ProgressReport.Status.APPROVED:
            raise ReportError(_("Only an approved report can be reopened."))
        locked.status = ProgressReport.Status.RETURNED
        locked.return_reason = reason.strip()
        locked.version += 1
        locked._change_reason = _("reopened: %(reason)s") % {"reason": reason.strip()}
        locked.save()
        return locked


def unusual_change(item: Item, report: ProgressReport, value: Decimal | None) -> str:
    """Why a value needs a second look, or "" when it is plausible.

    A cumulative figure (a net increase or a level) should not fall; a month's rise far above
    the monthly rises so far, or a rate that jumps by more than half, is more often a typo
    (an extra zero, 万 for 亿) than news.
    """
    if value is None:
        return ""
    earlier = [r.value for r in history_of(item, Period(report.year, report.month)) if r.value is not None]
    if not earlier:
        goal = item.target.value if item.target else None
        if goal and goal > 0 and item.target.is_prorated and value > goal * 3:
            return _(
                "%(value)s is more than three times the target (%(target)s). Check the unit and the digits."
            ) % {
                "value": _plain(value),
                "target": _plain(goal),
            }
        return ""
    last = earlier[-1]
    if item.target.is_prorated:
        if value < last:
            return _("The figure to date fell from %(last)s last month to %(value)s.") % {
                "last": _plain(last),
                "value": _plain(value),
            }
        rises = [b - a for a, b in zip(earlier, earlier[1:], strict=False) if b >= a]
        typical = max(rises) if rises else last
        rise = value - last
        if typical > 0 and rise > typical * 3 and rise > 1:
            return _("This month's rise (%(rise)s) is far above earlier months' (at most %(typical)s).") % {
                "rise": _plain(rise),
                "typical": _plain(typical),
            }
        return ""
    if last != 0 and abs(value - last) > abs(last) / 2 and abs(value - last) > 1:
        return _("The rate changed from %(last)s to %(value)s in one month.") % {
            "last": _plain(last),
            "value": _plain(value),
        }
    return ""


def save_contribution(
    *, task: Task, department: Department, period: Period, user, text: str, value
) -> Contribution:
    """A co-responsible department's account of its part in a task this month."""
    is_co = Responsibility.objects.filter(task=task, department=department).exists()
    scope = scope_of(user)
    if not is_co or (department.pk not in scope.reporter_department_ids and not scope.is_superuser):
        raise ReportError(_("Your department has no part in this task."))
    contribution, _created = Contribution.objects.update_or_create(
        task=task,
        department=department,
        year=period.year,
        month=period.month,
        defaults={"text": text, "value": value, "created_by": user},
    )
    return contribution


def attach_evidence(
    *, report: ProgressReport | None = None, contribution: Contribution | None = None, upload, user
):
    """Keep a file that backs a report or a contribution, under a name nobody can guess."""
    extension = Path(upload.name).suffix.lower()
    evidence = Evidence(
        report=report,
        contribution=contribution,
        name=evidence_name(upload.name),
        size=upload.size,
        uploaded_by=user,
        uploaded_at=timezone.now(),
    )
    evidence.file.save(f"{uuid.uuid4().hex}{extension}", upload, save=False)
    evidence.save()
    return evidence


def resolve_conflict(*, conflict: ReportConflict, item: Item, user, keep_mine: bool) -> ProgressReport:
    """Settle an editing conflict: apply the refused version on top of the current one, or drop it."""
    report = conflict.report
    if keep_mine:
        data = {k: v for k, v in conflict.data.items() if k in REPORT_FIELDS}
        if data.get("value") not in (None, ""):
            data["value"] = Decimal(str(data["value"]))
        report = save_report(
            item=item, report=report, user=user, data=data, version=report.version, confirm_unusual=True
        )
    conflict.resolved_at = timezone.now()
    conflict.save(update_fields=["resolved_at"])
    return report


def review_queue(user) -> list[tuple[ProgressReport, Item]]:
    """Submitted reports the user may approve or return: their departments', or their plans'."""
    scope = scope_of(user)
    if not (scope.reviewer_department_ids or scope.coordinator_region_ids or scope.is_superuser):
        return []
    reports = ProgressReport.objects.filter(status=ProgressReport.Status.SUBMITTED).select_related(
        "indicator__plan",
        "indicator__task",
        "share__region",
        "task__section__plan",
        "department",
        "submitted_by",
    )
    if not scope.is_superuser:
        reports = reports.filter(
            Q(department_id__in=scope.reviewer_department_ids)
            | Q(indicator__plan__region_id__in=scope.coordinator_region_ids)
            | Q(task__section__plan__region_id__in=scope.coordinator_region_ids)
        )
    queue = []
    for report in reports.order_by("submitted_at"):
        plan = report.indicator.plan if report.indicator_id else report.task.section.plan
        item = Item(
            report_key(report), plan, report.department_id, indicator=report.indicator, share=report.share
        )
        item.task = report.task
        item.period, item.report = Period(report.year, report.month), report
        queue.append((report, item))
    return queue


def contributions_for(task: Task, period: Period) -> list[Contribution]:
    return list(
        Contribution.objects.filter(task=task, year=period.year, month=period.month)
        .select_related("department", "created_by")
        .prefetch_related("evidence")
        .order_by("department__name")
    )


def contribution_tasks(user, on=None) -> list[tuple[Task, Department, Period, Contribution | None]]:
    """Tasks in which the user's departments help without reporting for them (配合), this period."""
    scope = scope_of(user)
    if not scope.reporter_department_ids:
        return []
    responsibilities = (
        Responsibility.objects.filter(
            department_id__in=scope.reporter_department_ids, task__section__plan__status=Plan.Status.ACTIVE
        )
        .annotate(reporter_id=first_lead("task"))
        .exclude(reporter_id=F("department_id"))
        .select_related("task__section__plan", "department")
        .order_by("task__section__plan_id", "task__section__position", "task__position")
    )
    rows, wanted = [], Q(pk__in=[])
    for responsibility in responsibilities:
        period = calendar.current_period(responsibility.task.section.plan, on)
        if period is None:
            continue
        rows.append((responsibility.task, responsibility.department, period))
        wanted |= Q(
            task=responsibility.task,
            department=responsibility.department,
            year=period.year,
            month=period.month,
        )
    existing = {(c.task_id, c.department_id): c for c in Contribution.objects.filter(wanted)} if rows else {}
    return [(task, dept, period, existing.get((task.pk, dept.pk))) for task, dept, period in rows]


def set_override(*, indicator: Indicator, period: Period, lamp: str, reason: str, user) -> StatusOverride:
    """A coordinator's lamp for a target and month, with the reason that must go with it."""
    if not is_coordinator_of(user, indicator.plan):
        raise ReportError(_("Only the task force can set a target's lamp by hand."))
    if not reason.strip():
        raise ReportError(_("Say why the lamp differs from what the figures show."))
    override, _created = StatusOverride.objects.update_or_create(
        indicator=indicator,
        year=period.year,
        month=period.month,
        defaults={"lamp": lamp, "reason": reason.strip(), "created_by": user},
    )
    return override


def clear_override(*, indicator: Indicator, period: Period, user) -> None:
    if not is_coordinator_of(user, indicator.plan):
        raise ReportError(_("Only the task force can set a target's lamp by hand."))
    StatusOverride.objects.filter(indicator=indicator, year=period.year, month=period.month).delete()
