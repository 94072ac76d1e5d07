"""Monthly reporting: what each department owes this month, and every write a report goes through.

An *item* is an obligation in a month (see `tracking.obligations` for who owes what): a target
of a task or of the plan, a region's share of a decomposed target, or a task without a number,
each owed by one department; the other departments on a task owe contributions (配合).

The due list (本月待办) holds the items of the month being reported, and every earlier month of
an obligation that is still not submitted (逾期) until it is submitted or the task force waives
it. Every write is a keyword-only function here, under a transaction, that checks who may do it
(`departments.access`) and lets the model (`ProgressReport`) take the step; the views only call
them. Every save carries the version the user started from — 0 for a report that did not exist
yet — and a save based on an older version is refused and kept as a ReportConflict.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from departments import clock
from departments.access import ENTERS, REVIEWS, RUNS, access_of
from plans import periods
from plans.models import Indicator, Plan, Task
from plans.numbers import plain
from plans.periods import Period

from . import obligations, snapshot
from .evidence import evidence_name
from .models import (
    Contribution,
    Evidence,
    Obligation,
    ProgressReport,
    ReportChanged,
    ReportConflict,
    ReportError,
    StatusOverride,
    Waiver,
)
from .progress import Assessment, assess
from .status import Target

Status = ProgressReport.Status
EDITABLE = set(ProgressReport.EDITABLE)
REPORT_FIELDS = ProgressReport.FIELDS
ITEM_RELATED = (
    "plan__issuing_department",
    "plan__region",
    "indicator__task__section",
    "share__region",
    "task__section",
)

__all__ = ["ReportChanged", "ReportError"]


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
    """An obligation in one month: what a department owes then, and its report if there is one."""

    obligation: Obligation
    period: Period
    report: ProgressReport | None = None
    previous: ProgressReport | None = None
    waiver: Waiver | None = None
    extras: dict = field(default_factory=dict)

    # what it is about, from the obligation
    @property
    def key(self) -> str:
        return self.obligation.key

    @property
    def slug(self) -> str:
        """Unique on a page that lists several months of one item: i12-2024-06."""
        return f"{self.key}-{self.period}"

    @property
    def plan(self) -> Plan:
        return self.obligation.plan

    @property
    def department_id(self) -> int:
        return self.obligation.department_id

    @property
    def indicator(self) -> Indicator | None:
        return self.obligation.indicator

    @property
    def share(self):
        return self.obligation.share

    @property
    def task(self) -> Task | None:
        return self.obligation.task

    @property
    def title(self) -> str:
        return self.obligation.title

    @property
    def owner_task(self) -> Task | None:
        return self.obligation.owner_task

    @property
    def unit(self) -> str:
        return self.obligation.unit

    @property
    def target_label(self) -> str:
        return self.obligation.target_label

    @property
    def target(self) -> Target | None:
        return Target.of(self.indicator, self.share) if self.indicator is not None else None

    # where it stands
    @property
    def state(self) -> str:
        """The report's state, or "waived" (免报), or "missing" when nothing was saved."""
        if self.report is not None and self.report.pk:
            return self.report.status
        return "waived" if self.waiver is not None else "missing"

    @property
    def deadline(self):
        return self.plan.due_on(self.period)

    @property
    def is_overdue(self) -> bool:
        """A month before the one being reported, still not submitted (逾期)."""
        current = self.plan.reporting_period()
        return (
            current is not None
            and self.period < current
            and self.state not in (*ProgressReport.COUNTED, "waived")
        )

    @property
    def needs_action(self) -> bool:
        """Still to be done by the department: not started, a draft, or returned (this month's or
        an overdue one); what the due list counts."""
        return self.state in ("missing", *ProgressReport.EDITABLE)

    @property
    def covers(self) -> Period:
        """The month the figure belongs to: a statistic published quarterly or yearly, with a lag,
        is reported as its latest published figure (this month's report on R&D spending is last
        year's figure)."""
        return self.indicator.covered_period(self.period) if self.indicator is not None else self.period

    @property
    def covers_label(self) -> str:
        """The period the figure is for, as the statistic names it: 2023年, 2024年第1季度, 2024年5月."""
        frequency = self.indicator.data_frequency if self.indicator is not None else "monthly"
        return periods.period_label(self.covers, frequency)

    def meaning(self, value: Decimal | None) -> Assessment | None:
        """What a value would mean as of this month — the same judgement the cockpit makes."""
        if self.indicator is None or value is None:
            return None
        return assess(self.indicator, self.period, value, share=self.share)

    def new_report(self) -> ProgressReport:
        return ProgressReport(obligation=self.obligation, period=self.period)


def _items(obligations, months_of, until: Period | None = None) -> list[Item]:
    """Items for the given obligations, each in the months `months_of(obligation, done)` gives
    (`done`: the (obligation, month) pairs submitted, approved or waived), with their reports, the
    month before's, and their waivers; two queries.

    `until` is the last month whose reports are read (every earlier one too, so that `done` is
    known).
    """
    obligations = list(obligations)
    ids = [o.pk for o in obligations]
    if not ids:
        return []
    for o in obligations:  # the target's plan is the obligation's: one object, not a query each
        cached = Obligation.indicator.is_cached(o) and Obligation.plan.is_cached(o)
        if cached and o.indicator is not None and o.indicator.plan_id == o.plan_id:
            o.indicator.plan = o.plan
    reports_read = ProgressReport.objects.filter(obligation_id__in=ids)
    if until is not None:
        reports_read = reports_read.filter(period__lte=until)
    reports = {(r.obligation_id, r.period): r for r in reports_read}
    waivers = {(w.obligation_id, w.period): w for w in Waiver.objects.filter(obligation_id__in=ids)}
    done = {key for key, report in reports.items() if report.is_counted} | set(waivers)
    return [
        Item(
            o,
            m,
            report=reports.get((o.pk, m)),
            previous=reports.get((o.pk, m.previous())),
            waiver=waivers.get((o.pk, m)),
        )
        for o in obligations
        for m in months_of(o, done)
    ]


def due_items(user, on=None) -> list[Item]:
    """本月待办: the month being reported in each active plan of the user's departments, and every
    earlier month they still owe (not submitted, not waived). Three queries."""
    obligations = list(
        Obligation.objects.reports()
        .of_active_plans()
        .filter(department_id__in=access_of(user).departments("reporter"))
        .select_related(*ITEM_RELATED)
        .order_by("plan_id", "indicator__task__section__position", "task__section__position", "pk")
    )
    current = {}
    for obligation in obligations:
        if obligation.plan_id not in current:
            current[obligation.plan_id] = obligation.plan.reporting_period(on)

    def months(obligation: Obligation, done) -> list[Period]:
        now = current[obligation.plan_id]
        if now is None:
            return []
        last = min(now, obligation.ends) if obligation.ends else now
        owed = obligation.starts.until(last)
        return [m for m in owed if m == now or (obligation.pk, m) not in done]

    latest = max((p for p in current.values() if p is not None), default=None)
    owing = [o for o in obligations if current[o.plan_id] is not None]  # not last years' plans' reports
    return _items(owing, months, until=latest) if latest else []


def item_for(key: str, period: Period) -> Item | None:
    """The item a key names, in a month: the obligation on it that covered the month (after a
    change of lead department, an earlier month belongs to the department that owed it then)."""
    return item_in(obligations_on(key), period)


def obligations_on(key: str) -> list[Obligation]:
    """Every obligation there ever was on a key, the latest first, with what an item shows; one
    query (a page reads the plan of the first to know which month it shows, then `item_in`)."""
    return list(item_keys_for(key).select_related(*ITEM_RELATED).order_by("-starts"))


def item_in(obligations: list[Obligation], period: Period) -> Item | None:
    """The item in a month, among the obligations on its key: the one that covered the month."""
    obligation = next((o for o in obligations if o.owes(period)), None)
    if obligation is None:
        return None
    return _items([obligation], lambda o, done: [period], until=period)[0]


def item_keys_for(key: str):
    """Every obligation there ever was on a key (its department changed over the months)."""
    return Obligation.objects.for_key(key)


def history_of(item: Item, months: int = 12) -> list[ProgressReport]:
    """The item's reports before its month, oldest first, whichever department made them."""
    rows = ProgressReport.objects.filter(
        obligation__in=item_keys_for(item.key), period__lt=item.period
    ).order_by("-period")[:months]
    return list(reversed(rows))


# --- writes -----------------------------------------------------------------------------


def _require(user, verb: str, obj, message: str) -> None:
    if not access_of(user).can(verb, obj):
        raise ReportError(message)


def _require_open(item: Item) -> None:
    """Only months whose window opened take reports, and only months the obligation owes."""
    if not item.plan.is_open(item.period) or item.plan.status != Plan.Status.ACTIVE:
        raise ReportError(_("%(period)s is not open for reports yet.") % {"period": item.period.label})
    if not item.obligation.owes(item.period):
        raise ReportError(_("Nothing is owed on this item for %(period)s.") % {"period": item.period.label})
    if item.waiver is not None:
        raise ReportError(
            _("The task force waived this month's report: %(reason)s") % {"reason": item.waiver.reason}
        )


def save_report(
    *, item: Item, user, data: dict, version: int, confirm_unusual: bool = False
) -> ProgressReport:
    """Save what was typed as a draft (or keep a returned report editable).

    `version` is the version the form started from: 0 when there was no report yet. A report
    created or changed meanwhile refuses the save; what was typed is kept as a ReportConflict
    (one per person and version: typing on after a refusal updates it). A value far from the
    history raises UnusualValue unless the user confirmed it with a note.
    """
    _require(user, ENTERS, item.obligation, _("You may not enter reports for this department."))
    _require_open(item)
    if item.indicator is not None and data.get("value") is not None and not confirm_unusual:
        warning = unusual_change(item, data["value"])
        if warning:
            raise UnusualValue(warning)
    on_behalf = item.department_id not in access_of(user).departments("reporter")
    stale = None
    with transaction.atomic():
        locked = ProgressReport.objects.select_for_update().filter(
            obligation=item.obligation, period=item.period
        )
        current = locked.first()
        if current is None and version == 0:
            try:
                with transaction.atomic():
                    return _write(item.new_report(), user, data, on_behalf, created=True)
            except IntegrityError:  # created meanwhile in another tab or by a colleague
                stale = ProgressReport.objects.get(obligation=item.obligation, period=item.period)
        elif current is None or current.version != version:
            stale = current
        elif not current.is_editable:
            raise ReportError(current.state_refusal())
        else:
            return _write(current, user, data, on_behalf)
    if stale is None:  # the report was deleted meanwhile, which never happens: start again
        raise ReportError(_("This report is no longer there. Reload the page."))
    # recorded after the transaction, so that refusing the save does not also lose what was typed
    raise _stale(stale, user, version, data)


def _write(
    report: ProgressReport, user, data: dict, on_behalf: bool, created: bool = False
) -> ProgressReport:
    for name in REPORT_FIELDS:
        if name in data:
            setattr(report, name, data[name])
    if created:
        report.created_by = user
    else:
        report.version += 1
    report.entered_by_coordinator = on_behalf
    report._change_reason = _("entered on the department's behalf by the task force") if on_behalf else ""
    report.save()
    item_report = report
    return item_report


def _stale(current: ProgressReport, user, version: int, data: dict) -> StaleReport:
    typed = {k: (str(v) if isinstance(v, Decimal) else v) for k, v in data.items()}
    conflict = ReportConflict.objects.filter(
        report=current, user=user, based_on_version=version, resolved_at=None
    ).first()
    if conflict is None:
        conflict = ReportConflict.objects.create(
            report=current, user=user, based_on_version=version, data=typed
        )
    else:
        conflict.data = {**conflict.data, **typed}
        conflict.save(update_fields=["data"])
    return StaleReport(
        _(
            "Someone else saved this report after you opened it. Your version was not saved but kept: "
            "compare the two below and keep one."
        ),
        conflict,
    )


def submit_report(*, item: Item, user, seen_version: int, at=None) -> ProgressReport:
    """Send the report as the user saw it for review; after the due day and its grace days it is late."""
    _require(user, ENTERS, item.obligation, _("You may not enter reports for this department."))
    _require_open(item)
    report = item.report
    if report is None or report.pk is None:
        raise ReportError(_("Save the report before submitting it."))
    report.submit(by=user, seen_version=seen_version, at=at)
    _judged_again(report.obligation, report.period)
    return report


def _judged_again(obligation: Obligation, period: Period) -> None:
    """A figure counts from its month on: the target's kept status from then is judged again. A
    narrative task's report has no status to judge, but it is counted as in or owed."""
    if obligation.indicator_id is not None:
        snapshot.refresh(indicators=[obligation.indicator], starting=period)
    else:
        snapshot.mark_changed()


def plan_changed(plan: Plan, *, starting: Period | None = None) -> None:
    """A plan's tasks, targets, decomposition or departments changed (or it went live): what is
    owed follows from the month being reported on, and its targets are judged again."""
    obligations.sync(plan, starting=starting)
    snapshot.refresh(plans=[plan])


def save_calendar(*, form) -> Plan:
    """The reporting calendar and the lamp thresholds: every lamp of the plan is judged again."""
    plan = form.save()
    snapshot.refresh(plans=[plan])
    return plan


def activate_plan(plan: Plan, *, starting: Period | None = None) -> None:
    """A checked draft goes live: from the month being reported its departments owe their reports."""
    with transaction.atomic():
        plan.activate()
        plan_changed(plan, starting=starting)


def approve_report(*, report: ProgressReport, user, seen_version: int) -> ProgressReport:
    _require(user, REVIEWS, report, _("You may not review this department's reports."))
    report.approve(by=user, seen_version=seen_version)
    snapshot.mark_changed()  # the figure counted already; what is counted as approved moved
    return report


def return_report(*, report: ProgressReport, user, seen_version: int, reason: str) -> ProgressReport:
    _require(user, REVIEWS, report, _("You may not review this department's reports."))
    report.return_to(by=user, seen_version=seen_version, reason=reason)
    _judged_again(report.obligation, report.period)
    return report


def reopen(*, item: Item, user, reason: str) -> ProgressReport:
    """Unlock a month's approved report (task force only), with the reason on record."""
    _require(user, RUNS, item.obligation, _("Only the task force can reopen an approved report."))
    if item.report is None:
        raise ReportError(_("Only an approved report can be reopened."))
    report = item.report
    report.reopen(by=user, reason=reason)
    _judged_again(report.obligation, report.period)
    return report


def waive(*, item: Item, user, reason: str) -> Waiver:
    """The task force excuses a department from one month's report, with the reason on record."""
    _require(user, RUNS, item.obligation, _("Only the task force can waive a report."))
    if not reason.strip():
        raise ReportError(_("Say why this month's report is waived."))
    if item.report is not None and item.report.is_counted:
        raise ReportError(_("This month's report is in; there is nothing to waive."))
    if not item.obligation.owes(item.period):
        raise ReportError(_("Nothing is owed on this item for %(period)s.") % {"period": item.period.label})
    waiver, _created = Waiver.objects.get_or_create(
        obligation=item.obligation,
        period=item.period,
        defaults={"reason": reason.strip(), "created_by": user},
    )
    if item.indicator is not None:
        snapshot.refresh(indicators=[item.indicator], months=[item.period])
    else:
        snapshot.mark_changed()
    return waiver


def unusual_change(item: Item, value: Decimal | None) -> str:
    """Why a value needs a second look, or "" when it is plausible.

    A cumulative figure (a net increase or a level) should not fall; a month's rise far above
    the monthly rises so far, or a rate that jumps by more than half, is more often a typo
    (an extra zero, 万 for 亿) than news.
    """
    if value is None or item.target is None:
        return ""
    earlier = [r.value for r in history_of(item) if r.value is not None]
    if not earlier:
        goal = item.target.value
        if goal and goal > 0 and item.target.is_prorated and value > goal * 3:
            return _(
                "%(value)s is more than three times the target (%(target)s). Check the unit and the digits."
            ) % {"value": plain(value), "target": plain(goal)}
        return ""
    last = earlier[-1]
    if item.target.is_prorated:
        if value < last:
            return _("The figure to date fell from %(last)s last month to %(value)s.") % {
                "last": plain(last),
                "value": plain(value),
            }
        rises = [b - a for a, b in zip(earlier, earlier[1:], strict=False) if b >= a]
        typical = max(rises) if rises else last
        rise = value - last
        if typical > 0 and rise > typical * 3 and rise > 1:
            return _("This month's rise (%(rise)s) is far above earlier months' (at most %(typical)s).") % {
                "rise": plain(rise),
                "typical": plain(typical),
            }
        return ""
    if last != 0 and abs(value - last) > abs(last) / 2 and abs(value - last) > 1:
        return _("The rate changed from %(last)s to %(value)s in one month.") % {
            "last": plain(last),
            "value": plain(value),
        }
    return ""


# --- contributions (配合) -----------------------------------------------------------------


def contribution_items(user, on=None) -> list[Item]:
    """The tasks the user's departments help with (配合) in the month being reported, with what
    they entered so far (as `Item.extras["contribution"]`)."""
    access = access_of(user)
    obligations = list(
        Obligation.objects.contributions()
        .of_active_plans()
        .filter(department_id__in=access.departments("reporter"))
        .select_related("plan", "task__section", "department")
        .order_by("plan_id", "task__section__position", "task__position")
    )
    items = []
    for obligation in obligations:
        period = obligation.plan.reporting_period(on)
        if period is not None and obligation.owes(period):
            items.append(Item(obligation, period))
    found = {
        (c.obligation_id, c.period): c
        for c in Contribution.objects.filter(obligation__in=[i.obligation for i in items])
    }
    for item in items:
        item.extras["contribution"] = found.get((item.obligation.pk, item.period))
    return items


def contribution_obligation(*, task: Task, user, period: Period) -> Obligation | None:
    """The user's department's contribution obligation on the task in the month, if it has one."""
    return (
        Obligation.objects.contributions()
        .filter(task=task, department_id__in=access_of(user).departments("reporter"))
        .active_in(period)
        .select_related("plan", "task__section", "department")
        .first()
    )


def save_contribution(*, obligation: Obligation, period: Period, user, text: str, value) -> Contribution:
    """A co-responsible department's account of its part in a task this month."""
    _require(user, ENTERS, obligation, _("Your department has no part in this task."))
    if access_of(user).is_read_only or not obligation.owes(period) or not obligation.plan.is_open(period):
        raise ReportError(_("Your department has no part in this task."))
    contribution, _created = Contribution.objects.update_or_create(
        obligation=obligation, period=period, defaults={"text": text, "value": value, "created_by": user}
    )
    return contribution


def contributions_for(task: Task, period: Period, user) -> list[Contribution]:
    """What the co-responsible departments did for the task in the month, as the user may read it."""
    return list(
        Contribution.objects.readable_by(user)
        .filter(obligation__task=task, period=period)
        .select_related("obligation__department", "created_by")
        .prefetch_related("evidence")
        .order_by("obligation__department__name")
    )


# --- evidence ------------------------------------------------------------------------------


def attach_evidence(
    *, report: ProgressReport | None = None, contribution: Contribution | None = None, upload, user
) -> Evidence:
    """Keep a file that backs a report or a contribution, under a name nobody can guess.

    A report takes evidence only while it can be edited: once submitted, what backs it is fixed.
    """
    owner = report if report is not None else contribution
    _require(user, ENTERS, owner, _("You may not enter reports for this department."))
    if report is not None and not report.is_editable:
        raise ReportError(report.state_refusal())
    extension = Path(upload.name).suffix.lower()
    evidence = Evidence(
        report=report,
        contribution=contribution,
        name=evidence_name(upload.name),
        size=upload.size,
        uploaded_by=user,
        uploaded_at=clock.now(),
    )
    evidence.file.save(f"{uuid.uuid4().hex}{extension}", upload, save=False)
    evidence.save()
    return evidence


def remove_evidence(*, evidence: Evidence, user) -> None:
    """Take a file off an editable report (or a contribution); the removal stays on record."""
    owner = evidence.report or evidence.contribution
    _require(user, ENTERS, owner, _("You may not enter reports for this department."))
    if evidence.report is not None and not evidence.report.is_editable:
        raise ReportError(evidence.report.state_refusal())
    evidence.delete()


# --- conflicts and review -------------------------------------------------------------------


def resolve_conflict(*, conflict: ReportConflict, item: Item, user, keep_mine: bool) -> ProgressReport:
    """Settle an editing conflict: apply the refused version on top of the current one, or drop it."""
    report = conflict.report
    if keep_mine:
        data = {k: v for k, v in conflict.data.items() if k in REPORT_FIELDS}
        if data.get("value") not in (None, ""):
            data["value"] = Decimal(str(data["value"]))
        elif "value" in data:
            data["value"] = None
        report = save_report(item=item, user=user, data=data, version=report.version, confirm_unusual=True)
    conflict.resolved_at = clock.now()
    conflict.save(update_fields=["resolved_at"])
    return report


def review_queue(user) -> list[Item]:
    """Submitted reports the user may approve or return: their departments', or their plans'."""
    if not access_of(user).reviews_anything:
        return []
    reports = (
        ProgressReport.objects.reviewable_by(user)
        .filter(status=Status.SUBMITTED)
        .select_related(
            *(f"obligation__{name}" for name in ITEM_RELATED), "obligation__department", "submitted_by"
        )
        .order_by("submitted_at", "pk")
    )
    return [Item(report.obligation, report.period, report=report) for report in reports]


# --- lamps set by hand ----------------------------------------------------------------------


def set_override(*, indicator: Indicator, period: Period, lamp: str, reason: str, user) -> StatusOverride:
    """A coordinator's lamp for a target and month, with the reason that must go with it."""
    _require(user, RUNS, indicator, _("Only the task force can set a target's lamp by hand."))
    if not reason.strip():
        raise ReportError(_("Say why the lamp differs from what the figures show."))
    override, _created = StatusOverride.objects.update_or_create(
        indicator=indicator,
        period=period,
        defaults={"lamp": lamp, "reason": reason.strip(), "created_by": user},
    )
    snapshot.refresh(indicators=[indicator], months=[period])
    return override


def clear_override(*, indicator: Indicator, period: Period, user) -> None:
    _require(user, RUNS, indicator, _("Only the task force can set a target's lamp by hand."))
    for override in StatusOverride.objects.filter(indicator=indicator, period=period):
        override._change_reason = _("cleared")
        override.delete()
    snapshot.refresh(indicators=[indicator], months=[period])


def owed_reports(obligations, period: Period):
    """The report obligations among these that owe the month and have not submitted it."""
    counted = ProgressReport.objects.filter(obligation=OuterRef("pk"), period=period).counted()
    waived = Waiver.objects.filter(obligation=OuterRef("pk"), period=period)
    return obligations.reports().active_in(period).exclude(Exists(counted) | Exists(waived))
