"""Chasing (催办): how complete a month's reporting is, and the reminders that chase the rest.

Completeness
    For one plan and one period (month), every department owes what its report obligations
    (`tracking.obligations`) say it owes that month. Each item is in one of five states:
    *approved* or *submitted* (together: reported), *returned* (reported but sent back, so
    owed again), *draft* (saved, not submitted) or *missing* (no report at all). Whether a
    reported item came *on time* or *late* is the report's own `late` flag, set when it was
    submitted; it is counted apart from the review state, so approving a late report does
    not make it punctual and a punctual one awaiting review is still on time. A month the
    task force waived is not owed. The counts are `tracking.obligations.reporting_counts`,
    the same as the cockpit's, the bulletin's and the ledger's.

Cadence
    A daily cron runs ``manage.py send_reminders``. On each day, for every active plan and
    every period whose dates fall on that day, the departments with outstanding items
    (missing, draft or returned) are chased. With the default calendar (due the 25th, two
    grace days) June's reports are chased on June 22, 25 and 28, July 1 and July 5.

    ============  ==============================================================  =====================
    stage         day                                                             to
    ============  ==============================================================  =====================
    before        BEFORE_DUE_DAYS (3) days before the due day, if the window is   the department's
                  open by then                                                    reporters
    due           the due day                                                     its reporters
    overdue       OVERDUE_AFTER_GRACE_DAYS (1) day after the grace days end, and   its reporters
                  at least QUIET_DAYS after the due day
    escalated     ESCALATE_AFTER_DAYS (3) days after the overdue day               its reviewers
    task_force    TASK_FORCE_AFTER_DAYS (7) days after the overdue day             coordinators of the
                                                                                  plan's region
    ============  ==============================================================  =====================

    The reminder before the deadline comes three days ahead, not two, so that the quiet rule
    below does not swallow the reminder on the due day; for the same reason the overdue
    reminder waits at least QUIET_DAYS after the due day when a plan has fewer grace days.

Rules
    * One email per recipient, plan, period and stage, listing every department of theirs
      that is behind (a reviewer of six offices gets one message, not six); one Reminder row
      per department in it, so the completeness page shows each department's last reminder.
    * A stage is never sent twice to the same recipient about the same department, plan and
      period: running the command twice on one day sends nothing new, and neither do two runs at
      once (two servers' crons, a cron and a task): the Reminder row is a claim, inserted under
      a unique constraint and committed before the email goes, and only the run that inserted
      it sends. An email that fails gives its claims back.
    * Nobody gets anything about the same plan and period within QUIET_DAYS days of a
      previous reminder (manual ones included); they are "held back" and counted.
    * A coordinator may send a reminder by hand at any time (stage ``manual``); it goes to the
      department's reporters, ignores both rules above, and is recorded with `sent_by`.
    * Users without an email address are skipped and counted; nothing is recorded for them.
    * The days only match exactly: a day the cron missed can be replayed with
      ``send_reminders --date YYYY-MM-DD``.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core import mail
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from departments import clock
from departments.models import Department, Membership, Role
from plans.models import Plan
from plans.periods import Period, selectable_periods
from tracking.models import ProgressReport
from tracking.obligations import Counts, reporting_counts
from tracking.services import ITEM_RELATED, Item, owed_reports

from .models import Reminder

logger = logging.getLogger(__name__)

Stage = Reminder.Stage
Status = ProgressReport.Status

BEFORE_DUE_DAYS = 3
"""The first reminder comes this many days before the due day (to the reporters)."""
OVERDUE_AFTER_GRACE_DAYS = 1
"""The overdue reminder comes this many days after the last on-time day (due day + grace days)."""
ESCALATE_AFTER_DAYS = 3
"""Days after the overdue reminder at which the department's reviewers are told."""
TASK_FORCE_AFTER_DAYS = 7
"""Days after the overdue reminder at which the coordinators of the plan's region are told."""
QUIET_DAYS = 3
"""Nobody hears about the same plan and period twice within this many days (manual sends excepted)."""
RECENT_REMINDERS = 100
"""How many of a period's Reminder rows (one per department of an email) the completeness page reads."""

MISSING = "missing"
OUTSTANDING = (MISSING, Status.DRAFT, Status.RETURNED)
REPORTED = (Status.SUBMITTED, Status.APPROVED)
AUTOMATIC = (Stage.BEFORE, Stage.DUE, Stage.OVERDUE, Stage.ESCALATED, Stage.TASK_FORCE)
RECIPIENT_ROLE = {
    Stage.BEFORE: Role.REPORTER,
    Stage.DUE: Role.REPORTER,
    Stage.OVERDUE: Role.REPORTER,
    Stage.ESCALATED: Role.REVIEWER,
    Stage.TASK_FORCE: Role.COORDINATOR,
    Stage.MANUAL: Role.REPORTER,
}


class ChasingError(Exception):
    """A reminder that cannot be sent now; the message is for the user."""


# --- what is still owed ----------------------------------------------------------------


@dataclass
class Owed:
    """An item a department still owes for the period, and why (missing, draft or returned)."""

    item: Item
    state: str
    return_reason: str = ""

    @property
    def state_label(self) -> str:
        if self.state == MISSING:
            return _("not started")
        if self.state == Status.RETURNED:
            reason = self.return_reason.strip().splitlines()[0][:80] if self.return_reason.strip() else ""
            return _("returned: %(reason)s") % {"reason": reason} if reason else _("returned")
        return _("draft, not submitted")


def outstanding(plan: Plan, period: Period, department_ids=None) -> dict[int, list[Owed]]:
    """What each department (or each of the given ones) still owes the plan for the period: the
    month's report obligations not submitted, approved or waived. Two queries."""
    obligations = owed_reports(plan.obligations.all(), period).select_related(*ITEM_RELATED)
    if department_ids is not None:
        obligations = obligations.filter(department_id__in=list(department_ids))
    obligations = list(obligations.order_by("department_id", "pk"))
    reports = {
        r.obligation_id: r for r in ProgressReport.objects.filter(obligation__in=obligations, period=period)
    }
    owed: dict[int, list[Owed]] = defaultdict(list)
    for obligation in obligations:
        report = reports.get(obligation.pk)
        item = Item(obligation, period, report=report)
        owed[obligation.department_id].append(
            Owed(item, report.status if report else MISSING, report.return_reason if report else "")
        )
    return dict(owed)


# --- completeness -----------------------------------------------------------------------


@dataclass
class Row(Counts):
    """One department's reporting for a period (or, with no department, the plan's totals)."""

    department: Department | None = None
    last_reminder_at: datetime | None = None
    last_reminder_stage: str = ""

    @property
    def rate(self) -> int | None:
        """Reported / expected, in whole percent."""
        return round(100 * self.share) if self.share is not None else None

    @property
    def last_reminder_label(self) -> str:
        return Stage(self.last_reminder_stage).label if self.last_reminder_stage else ""


@dataclass
class Completeness:
    """A plan's reporting for one period: a row per department and the totals."""

    plan: Plan
    period: Period
    rows: list[Row]
    total: Row
    reminders: list[Reminder] = field(default_factory=list)

    @property
    def messages(self) -> list[dict]:
        """The period's reminders as the emails they were: one entry per recipient and sending.

        A reviewer of four offices got one email recorded as four rows; the page lists it once.
        """
        found: list[dict] = []
        for reminder in self.reminders:
            key = (reminder.sent_at, reminder.recipient_id, reminder.stage, reminder.sent_by_id)
            if found and found[-1]["key"] == key:
                found[-1]["departments"].append(reminder.department)
                continue
            found.append({"key": key, "reminder": reminder, "departments": [reminder.department]})
        return found

    @property
    def due_on(self) -> date:
        return self.plan.due_on(self.period)

    @property
    def on_time_until(self) -> date:
        return self.plan.on_time_until(self.period)

    @property
    def schedule(self) -> list[dict]:
        """The automatic reminders of this period in order: stage, day and who gets it."""
        today = clock.today()
        return [
            {
                "stage": stage,
                "label": Stage(stage).label,
                "day": day,
                "to": Role(RECIPIENT_ROLE[stage]).label,
                "past": day <= today,
            }
            for stage, day in stage_days(self.plan, self.period).items()
        ]

    @property
    def is_overdue(self) -> bool:
        return clock.today() > self.on_time_until

    def row_for(self, department_id: int) -> Row | None:
        return next((row for row in self.rows if row.department.pk == department_id), None)


def completeness(
    plan: Plan, period: Period, *, department_ids=None, with_reminders: bool = False
) -> Completeness:
    """How far the plan's departments (or the given ones) have reported for the period.

    Counted by `tracking.obligations.reporting_counts`, like every other page; five queries
    however large the plan, a sixth for the reminder list.
    """
    obligations = plan.obligations.all()
    if department_ids is not None:
        obligations = obligations.filter(department_id__in=list(department_ids))
    counts = {dept: c for (dept, _month), c in reporting_counts(obligations, [period]).items() if c.expected}
    sent = Reminder.objects.filter(plan=plan, period=period)
    last = sent.filter(department=OuterRef("pk")).order_by("-sent_at", "-pk")
    departments = Department.objects.filter(pk__in=list(counts)).annotate(
        last_reminder_at=Subquery(last.values("sent_at")[:1]),
        last_reminder_stage=Subquery(last.values("stage")[:1]),
    )
    rows, total = [], Row()
    for department in departments:
        row = Row(department=department, last_reminder_at=department.last_reminder_at)
        row.add(counts[department.pk])
        row.last_reminder_stage = department.last_reminder_stage or ""
        rows.append(row)
        total.add(counts[department.pk])
    # Those furthest behind first: the page is for chasing them.
    rows.sort(key=lambda row: (row.reported / row.expected, -row.outstanding, row.department.name))
    result = Completeness(plan, period, rows, total)
    if with_reminders:
        related = sent.select_related("department", "recipient", "sent_by")
        result.reminders = list(related[:RECENT_REMINDERS])
    return result


def period_navigation(plan: Plan, selected: Period, on: date | None = None) -> dict:
    """The months of the selected period's year to pick from, and a link to each other year.

    A three-year plan has 36 months; a row of a year's months and the years stays readable.
    """
    choices = selectable_periods([plan], on)
    years: dict[int, Period] = {}
    for period in choices:
        years[period.year] = period  # the latest selectable month of each year
    return {
        "months": [p for p in choices if p.year == selected.year],
        "years": sorted(years.items()) if len(years) > 1 else [],
    }


# --- cadence ----------------------------------------------------------------------------


def stage_days(plan: Plan, period: Period) -> dict[str, date]:
    """The day of each automatic reminder about the period, in order (see the module docstring)."""
    due = plan.due_on(period)
    overdue = max(
        plan.on_time_until(period) + timedelta(days=OVERDUE_AFTER_GRACE_DAYS),
        due + timedelta(days=QUIET_DAYS),
    )
    days = {}
    before = due - timedelta(days=BEFORE_DUE_DAYS)
    if before >= plan.opens_on(period):
        days[Stage.BEFORE] = before
    days[Stage.DUE] = due
    days[Stage.OVERDUE] = overdue
    days[Stage.ESCALATED] = overdue + timedelta(days=ESCALATE_AFTER_DAYS)
    days[Stage.TASK_FORCE] = overdue + timedelta(days=TASK_FORCE_AFTER_DAYS)
    return days


def stages_on(plan: Plan, on: date) -> list[tuple[Period, str]]:
    """The (period, stage) pairs whose reminder falls on `on`.

    A period's reminders run from its own month into the next (the task force hears at most
    about 3 weeks after the due day), so this month and the two before are enough.
    """
    first, last = plan.first_period, plan.last_period
    this = Period.of(on)
    found = []
    for period in (this.previous().previous(), this.previous(), this):
        if first <= period <= last:
            found += [(period, stage) for stage, day in stage_days(plan, period).items() if day == on]
    return found


def moment_on(on: date) -> datetime:
    """When a reminder sent for day `on` is recorded: now, or this time of day on a replayed day.

    The quiet rule compares days, so a run for another day (--date, or the demo's
    REPORTING_TODAY) must be recorded on that day.
    """
    now = timezone.localtime()
    if on == now.date():
        return now
    return timezone.make_aware(datetime.combine(on, now.time().replace(microsecond=0)))


# --- sending ----------------------------------------------------------------------------


@dataclass
class Message:
    """One email to one person, about one or more departments of one plan and period."""

    recipient: object
    departments: list[Department]
    subject: str = ""
    body: str = ""


@dataclass
class Outcome:
    """What came of one stage of one plan and period (or of a manual send)."""

    plan: Plan
    period: Period
    stage: str
    sent: list[Message] = field(default_factory=list)
    no_email: list = field(default_factory=list)
    held_back: list = field(default_factory=list)
    already_sent: list = field(default_factory=list)
    no_recipients: list[Department] = field(default_factory=list)
    failed: list = field(default_factory=list)

    @property
    def reminders(self) -> int:
        """Reminder rows recorded: one per department of each message sent."""
        return sum(len(message.departments) for message in self.sent)


@dataclass
class Run:
    """A day's automatic reminders across all active plans."""

    on: date
    dry_run: bool
    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, name: str) -> int:
        return sum(len(getattr(outcome, name)) for outcome in self.outcomes)

    @property
    def reminders(self) -> int:
        return sum(outcome.reminders for outcome in self.outcomes)


def _display_name(user) -> str:
    return user.get_full_name() or user.username


def _day(day: date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


def _members(plan: Plan, department_ids) -> dict[str, dict[int, list]]:
    """Active users by role and department: the departments' reporters and reviewers, and the
    coordinators of the plan's own region (under the key of the plan, department id 0)."""
    memberships = (
        Membership.objects.filter(user__is_active=True)
        .filter(
            Q(department_id__in=department_ids, role__in=[Role.REPORTER, Role.REVIEWER])
            | Q(department__region_id=plan.region_id, role=Role.COORDINATOR)
        )
        .select_related("user")
        .order_by("user__username")
    )
    found: dict[str, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    for membership in memberships:
        key = 0 if membership.role == Role.COORDINATOR else membership.department_id
        users = found[membership.role][key]
        if membership.user not in users:
            users.append(membership.user)
    return found


def compose(
    *, plan: Plan, period: Period, stage: str, recipient, owed: dict[Department, list[Owed]], sender=None
) -> tuple[str, str]:
    """The subject and body of a reminder, in the interface's language whoever runs the command."""
    with translation.override(settings.LANGUAGE_CODE):
        due, until = plan.due_on(period), plan.on_time_until(period)
        values = {"period": period.label, "due": _day(due), "until": _day(until)}
        intro = {
            Stage.BEFORE: _(
                "The %(period)s progress reports are due on %(due)s. These items are not submitted yet:"
            ),
            Stage.DUE: _(
                "Today, %(due)s, the %(period)s progress reports are due. These items are not submitted yet:"
            ),
            Stage.OVERDUE: _(
                "The %(period)s progress reports were due on %(due)s and counted as on time until %(until)s. "
                "These items are overdue: please submit them now; they will be marked late."
            ),
            Stage.ESCALATED: _(
                "You review the reports of the departments below. Their %(period)s progress reports are "
                "overdue (due %(due)s): please see that they are submitted."
            ),
            Stage.TASK_FORCE: _(
                "For the task force: these %(period)s progress reports of the plan are still overdue "
                "(due %(due)s). Please follow them up."
            ),
            Stage.MANUAL: _(
                "%(sender)s of the task force reminds you: these %(period)s progress reports are not "
                "submitted yet (due %(due)s)."
            ),
        }[stage] % {**values, "sender": _display_name(sender) if sender else ""}
        lines = [
            _("Dear %(name)s,") % {"name": _display_name(recipient)},
            "",
            intro,
            "",
            _("Plan: %(plan)s") % {"plan": plan.title},
            _("Deadline: %(due)s (reports after %(until)s are marked late)") % values,
        ]
        for department, items in owed.items():
            heading = _("%(department)s: %(count)s items") % {
                "department": department.name,
                "count": len(items),
            }
            lines += ["", heading]
            # bullets, not numbers: task titles carry their own numbers (2. 提升人才服务能力)
            lines += [f"  · {entry.item.title}（{entry.state_label}）" for entry in items]
        # A full link when the deployment names its address (SITE_URL), else the path.
        path = settings.SITE_URL.rstrip("/") + reverse("tracking:due")
        lines += [
            "",
            _("Log in and report under “Due this month”: %(url)s") % {"url": path},
            "",
            _("Sent by the plan tracker (%(stage)s).") % {"stage": Stage(stage).label},
        ]
        subject = _("[Reminder] %(plan)s · %(period)s reports · %(stage)s") % {
            "plan": plan.title,
            "period": period.label,
            "stage": Stage(stage).label,
        }
    return subject[:200], "\n".join(lines) + "\n"


def _claim(outcome: Outcome, message: Message, *, at: datetime, sender) -> list[Reminder]:
    """Record the message's Reminder rows before it is sent: each row is the claim on one department.

    An automatic stage may be recorded once per recipient, department, plan and month (the
    `reminder_sent_once` constraint). Each row is inserted in a savepoint of its own; a row
    another run inserted first fails that constraint (on PostgreSQL the insert waits until the
    other run commits or gives its claim back) and its department is left to that run. The
    claims are committed before anything is sent, so two runs at once never send one reminder twice.
    """
    claimed = []
    with transaction.atomic():
        for department in message.departments:
            try:
                with transaction.atomic():
                    claimed.append(
                        Reminder.objects.create(
                            plan=outcome.plan,
                            department=department,
                            recipient=message.recipient,
                            period=outcome.period,
                            stage=outcome.stage,
                            subject=message.subject,
                            body=message.body,
                            sent_at=at,
                            sent_by=sender,
                        )
                    )
            except IntegrityError:
                continue
    return claimed


def _deliver(
    outcome: Outcome,
    message: Message,
    *,
    at: datetime,
    sender,
    dry_run: bool,
    connection,
    owed: dict[Department, list[Owed]] | None = None,
) -> None:
    """Claim the message's reminders, then send it: only what this run claimed, and only once.

    When another run has claimed some of the departments in the meantime, the message names only
    the others (composed again from `owed`); when it has claimed all, nothing is sent. A message
    that cannot be sent gives its claims back, so that a later run may try again.
    """
    if dry_run:
        outcome.sent.append(message)
        return
    claimed = _claim(outcome, message, at=at, sender=sender)
    if not claimed:
        outcome.already_sent.append(message.recipient)
        return
    if len(claimed) < len(message.departments) and owed is not None:
        mine = {reminder.department_id for reminder in claimed}
        chosen = {department: items for department, items in owed.items() if department.pk in mine}
        subject, body = compose(
            plan=outcome.plan,
            period=outcome.period,
            stage=outcome.stage,
            recipient=message.recipient,
            owed=chosen,
        )
        message = Message(message.recipient, list(chosen), subject, body)
        Reminder.objects.filter(pk__in=[r.pk for r in claimed]).update(subject=subject, body=body)
    try:
        mail.EmailMessage(
            message.subject, message.body, to=[message.recipient.email], connection=connection
        ).send()
    except Exception:  # a refused address must not stop the other reminders
        logger.exception("reminder to %s failed", message.recipient.email)
        Reminder.objects.filter(pk__in=[r.pk for r in claimed]).delete()
        outcome.failed.append(message.recipient)
    else:
        outcome.sent.append(message)


def _chase_stage(
    plan: Plan,
    period: Period,
    stage: str,
    *,
    on: date,
    at: datetime,
    dry_run: bool,
    connection,
) -> Outcome:
    """Send one automatic stage of a plan's period to everyone it is due to."""
    outcome = Outcome(plan, period, stage)
    owed = outstanding(plan, period)
    if not owed:
        return outcome
    departments = Department.objects.in_bulk(list(owed))
    members = _members(plan, list(owed))
    role = RECIPIENT_ROLE[stage]
    by_recipient: dict[int, tuple[object, list[int]]] = {}
    for department_id in owed:
        users = members[role][0] if role == Role.COORDINATOR else members[role][department_id]
        if not users:
            outcome.no_recipients.append(departments[department_id])
        for user in users:
            by_recipient.setdefault(user.pk, (user, []))[1].append(department_id)
    earlier = Reminder.objects.filter(plan=plan, period=period, recipient_id__in=by_recipient).values_list(
        "recipient_id", "department_id", "stage", "sent_at"
    )
    done, last_day = set(), {}
    for recipient_id, department_id, earlier_stage, sent_at in earlier:
        done.add((recipient_id, department_id, earlier_stage))
        day = timezone.localdate(sent_at)
        last_day[recipient_id] = max(day, last_day.get(recipient_id, day))
    quiet_from = on - timedelta(days=QUIET_DAYS - 1)
    for user, department_ids in by_recipient.values():
        fresh = [pk for pk in department_ids if (user.pk, pk, stage) not in done]
        if not fresh:
            outcome.already_sent.append(user)
        elif not user.email:
            outcome.no_email.append(user)
        elif user.pk in last_day and last_day[user.pk] >= quiet_from:
            outcome.held_back.append(user)
        else:
            chosen = {departments[pk]: owed[pk] for pk in fresh}
            subject, body = compose(plan=plan, period=period, stage=stage, recipient=user, owed=chosen)
            message = Message(user, list(chosen), subject, body)
            _deliver(
                outcome, message, at=at, sender=None, dry_run=dry_run, connection=connection, owed=chosen
            )
    return outcome


def send_due_reminders(*, on: date | None = None, dry_run: bool = False, at: datetime | None = None) -> Run:
    """The day's automatic reminders for every active plan (what the daily cron runs).

    Queries per plan that has a reminder due: what is owed (two), the departments, the members
    and the earlier reminders, then one insert per message.
    """
    on = on or clock.today()
    at = at or moment_on(on)
    run = Run(on, dry_run)
    connection = mail.get_connection()
    plans = Plan.objects.filter(status=Plan.Status.ACTIVE).select_related("region").order_by("pk")
    for plan in plans:
        due = stages_on(plan, on)
        if not due:
            continue
        for period, stage in due:
            run.outcomes.append(
                _chase_stage(plan, period, stage, on=on, at=at, dry_run=dry_run, connection=connection)
            )
    return run


def send_manual_reminder(
    *, plan: Plan, department: Department, period: Period, user, at: datetime | None = None
) -> Outcome:
    """A coordinator chases one department by hand: its reporters get the list of what it owes.

    Neither dedupe rule applies (the coordinator decided to send), but the reminder is recorded
    with who sent it, and it counts towards the quiet days of the automatic ones.
    """
    if not plan.can_be_run_by(user):
        raise ChasingError(_("Only the plan's task force can send reminders."))
    if plan.status != Plan.Status.ACTIVE:
        raise ChasingError(_("Reminders are sent only for active plans."))
    owed = outstanding(plan, period, [department.pk]).get(department.pk)
    if not owed:
        raise ChasingError(
            _("%(department)s owes nothing for %(period)s.")
            % {"department": department.name, "period": period.label}
        )
    outcome = Outcome(plan, period, Stage.MANUAL)
    recipients = _members(plan, [department.pk])[Role.REPORTER][department.pk]
    if not recipients:
        outcome.no_recipients.append(department)
    connection = mail.get_connection()
    at = at or moment_on(clock.today())
    for recipient in recipients:
        if not recipient.email:
            outcome.no_email.append(recipient)
            continue
        subject, body = compose(
            plan=plan,
            period=period,
            stage=Stage.MANUAL,
            recipient=recipient,
            owed={department: owed},
            sender=user,
        )
        message = Message(recipient, [department], subject, body)
        _deliver(outcome, message, at=at, sender=user, dry_run=False, connection=connection)
    return outcome


# --- what the user reads ----------------------------------------------------------------


def _names(users) -> str:
    return "、".join(_display_name(user) for user in users)


def manual_summary(outcome: Outcome) -> str:
    """One sentence for the coordinator after a manual send."""
    parts = []
    if outcome.sent:
        parts.append(_("Reminder sent to %(names)s.") % {"names": _names(m.recipient for m in outcome.sent)})
    if outcome.no_email:
        parts.append(_("No email address: %(names)s.") % {"names": _names(outcome.no_email)})
    if outcome.failed:
        parts.append(_("Sending failed: %(names)s.") % {"names": _names(outcome.failed)})
    if outcome.no_recipients:
        parts.append(_("The department has no reporter account."))
    return " ".join(parts)


def run_summary(run: Run) -> list[str]:
    """The lines `send_reminders` prints: what went to whom, what was skipped and why."""
    with translation.override(settings.LANGUAGE_CODE):
        lines = [_("Reminders for %(day)s") % {"day": _day(run.on)}]
        if run.dry_run:
            lines.append(_("Dry run: nothing was sent or recorded."))
        if not run.outcomes:
            lines.append(_("No reminders are due today."))
            return lines
        for outcome in run.outcomes:
            lines.append(
                _("%(plan)s · %(period)s · %(stage)s: %(count)s emails")
                % {
                    "plan": outcome.plan.title,
                    "period": outcome.period.label,
                    "stage": Stage(outcome.stage).label,
                    "count": len(outcome.sent),
                }
            )
            for message in outcome.sent:
                lines.append(
                    "  → "
                    + _("%(name)s <%(email)s>: %(departments)s")
                    % {
                        "name": _display_name(message.recipient),
                        "email": message.recipient.email,
                        "departments": "、".join(d.name for d in message.departments),
                    }
                )
            for label, users in (
                (_("no email address, skipped"), outcome.no_email),
                (_("reminded within %(days)s days, held back") % {"days": QUIET_DAYS}, outcome.held_back),
                (_("already sent this stage"), outcome.already_sent),
                (_("sending failed"), outcome.failed),
            ):
                if users:
                    lines.append(f"  {label}：{_names(users)}")
            if outcome.no_recipients:
                lines.append(
                    "  "
                    + _("nobody to send to: %(departments)s")
                    % {"departments": "、".join(d.name for d in outcome.no_recipients)}
                )
        lines.append(
            _(
                "Total: %(emails)s emails, %(reminders)s reminders recorded; %(no_email)s without an email "
                "address; %(held)s held back; %(already)s already sent; %(failed)s failed."
            )
            % {
                "emails": sum(len(o.sent) for o in run.outcomes),
                "reminders": run.reminders,
                "no_email": run.count("no_email"),
                "held": run.count("held_back"),
                "already": run.count("already_sent"),
                "failed": run.count("failed"),
            }
        )
    return lines
