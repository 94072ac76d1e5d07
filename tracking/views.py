"""Monthly reporting pages: the due list, entry in place, review, contributions, evidence, targets."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from departments import clock
from departments.access import ENTERS, OVERSEES, READS, REVIEWS, RUNS, access_of, get_for_user
from plans.models import Indicator, Plan, Task
from plans.numbers import plain
from plans.periods import Period, PeriodNotShown, shown_period
from plans.views import get_plan_for_user

from . import services
from .forms import (
    CalendarForm,
    ContributionForm,
    EvidenceForm,
    OverrideForm,
    ReasonForm,
    ReportForm,
    ReviewForm,
    SubmitForm,
)
from .history import indicator_history
from .models import Evidence, FollowUp, Obligation, ProgressReport, ReportConflict
from .progress import plan_status

ACTION_FIRST = ["returned", "missing", "draft", "submitted", "approved", "waived"]


# --- access: the get_…_for_user family ---------------------------------------------------------


def _period(request: HttpRequest, plan: Plan) -> Period:
    """The month the page or the write is about (?period=2024-05), else the month being reported.

    A month the plan cannot show (unreadable, outside it, or not yet open) is a broken link: 404.
    """
    try:
        return shown_period([plan], request.GET.get("period") or request.POST.get("period"))
    except PeriodNotShown:
        raise Http404 from None


def get_item_for_user(request: HttpRequest, key: str, verb: str = READS) -> services.Item:
    """The item named by the key in the month asked for, if the user may read its obligation
    (else 404); for another verb, 403 unless they may do it."""
    obligations = services.obligations_on(key)
    if not obligations:
        raise Http404
    item = services.item_in(obligations, _period(request, obligations[0].plan))
    if item is None:
        raise Http404
    readable = Obligation.objects.readable_by(request.user).select_related("plan", "share")
    get_for_user(request.user, readable, verb, pk=item.obligation.pk)
    return item


def get_indicator_for_user(request: HttpRequest, pk: int, verb: str = READS) -> Indicator:
    """A target of a plan the user may see (else 404); for another verb, 403 unless allowed."""
    readable = Indicator.objects.readable_by(request.user).select_related("plan__region", "task__section")
    return get_for_user(request.user, readable, verb, pk=pk)


# --- the due list and one item --------------------------------------------------------------


@login_required
@require_GET
def due(request: HttpRequest) -> HttpResponse:
    """本月待办: what the user's departments owe (this month and overdue ones), what awaits their
    review, the tasks they contribute to and the 督办单 they must answer."""
    items = services.due_items(request.user)
    for item in items:
        item.extras["meaning"] = item.meaning(item.report.value if item.report else None)
    items.sort(key=lambda item: (not item.is_overdue, ACTION_FIRST.index(item.state)))
    context = {
        "items": items,
        "to_do": sum(item.needs_action for item in items),
        "overdue": sum(item.is_overdue for item in items),
        "queue": services.review_queue(request.user),
        "contributions": services.contribution_items(request.user),
        "follow_ups": FollowUp.objects.open_for(request.user),
        "today": clock.today(),
    }
    return render(request, "tracking/due.html", context)


def _entry_context(request: HttpRequest, item: services.Item, form=None) -> dict:
    report = item.report or item.new_report()
    access = access_of(request.user)
    if form is None:
        initial = {k: getattr(report, k) for k in ("progress", "problems", "next_steps")}
        initial.update(value=plain(report.value), version=report.version if report.pk else 0)
        form = ReportForm(initial=initial, unit=item.unit, numeric=item.indicator is not None)
    task = item.owner_task
    return {
        "item": item,
        "period": item.period,
        "report": report,
        "form": form,
        "meaning": item.meaning(report.value),
        "editable": report.is_editable and access.can(ENTERS, item.obligation) and item.waiver is None,
        "reviewable": report.status == ProgressReport.Status.SUBMITTED and access.can(REVIEWS, report),
        "reopenable": report.status == ProgressReport.Status.APPROVED and access.can(RUNS, item.obligation),
        "waivable": item.is_overdue and access.can(RUNS, item.obligation),
        "contributions": services.contributions_for(task, item.period, request.user) if task else [],
        "evidence": list(report.evidence.all()) if report.pk else [],
        "conflicts": list(report.conflicts.filter(resolved_at=None, user=request.user)) if report.pk else [],
        "evidence_form": EvidenceForm(),
        "reason_form": ReasonForm(),
    }


@login_required
@require_GET
@vary_on_headers("HX-Request")
def entry(request: HttpRequest, key: str) -> HttpResponse:
    """The report on one item for one month: the page, or (htmx) the panel under a due-list row."""
    item = get_item_for_user(request, key)
    if item.report is not None and not ProgressReport.objects.readable_by(request.user).filter(
        pk=item.report.pk
    ):
        item.report = None  # a draft of another department is not the user's to read
    template = "tracking/entry.html#panel" if request.htmx else "tracking/entry.html"
    return render(request, template, _entry_context(request, item))


@login_required
@require_POST
def save(request: HttpRequest, key: str) -> HttpResponse:
    """Autosave of a draft as it is typed; answers with the save status, never the inputs."""
    item = get_item_for_user(request, key, ENTERS)
    form = ReportForm(request.POST, unit=item.unit, numeric=item.indicator is not None)
    context = {"item": item, "period": item.period, "form": form, "report": item.report or item.new_report()}
    if not form.is_valid() and set(form.errors) - {"value"}:
        context["message"] = " ".join(e for errors in form.errors.values() for e in errors)
        return _save_response(request, item, context)
    data, version = form.report_data(), form.cleaned_data["version"]
    try:
        try:
            report = services.save_report(
                item=item,
                user=request.user,
                data=data,
                version=version,
                confirm_unusual=form.confirms_unusual,
            )
        except services.UnusualValue as warning:
            context["unusual"] = str(warning)
            data.pop("value", None)
            report = services.save_report(item=item, user=request.user, data=data, version=version)
        context.update(report=report, saved=True)
    except services.StaleReport as stale:
        context.update(conflict=stale.conflict, message=str(stale), refused=True)
    except services.ReportError as refusal:
        context.update(message=str(refusal), refused=True)
    return _save_response(request, item, context)


def _save_response(request: HttpRequest, item: services.Item, context: dict) -> HttpResponse:
    """The save status (htmx); without JavaScript, back to the entry page with a message."""
    if request.htmx:
        context["meaning"] = item.meaning(context["report"].value)
        return render(request, "tracking/entry.html#save-response", context)
    if context.get("message"):
        messages.error(request, context["message"])
    else:
        messages.success(request, _("Draft saved."))
    return redirect(_entry_url(item))


def _entry_url(item: services.Item) -> str:
    return f"{reverse('tracking:entry', args=[item.key])}?period={item.period}"


def _back_to_entry(request: HttpRequest, item: services.Item) -> HttpResponse:
    """After a state change: the entry panel again (htmx), or the entry page."""
    if request.htmx:
        fresh = services.item_for(item.key, item.period)
        return render(request, "tracking/entry.html#panel", _entry_context(request, fresh))
    return redirect(_entry_url(item))


@login_required
@require_POST
def submit(request: HttpRequest, key: str) -> HttpResponse:
    """Submitting takes two steps: the panel first shows exactly what will be submitted; the
    confirmation then submits that version (a report changed meanwhile is refused)."""
    item = get_item_for_user(request, key, ENTERS)
    form = SubmitForm(request.POST)
    if not form.is_valid() or not form.cleaned_data["confirm"]:
        context = {**_entry_context(request, item), "confirming": True}
        return render(
            request, "tracking/entry.html#panel" if request.htmx else "tracking/entry.html", context
        )
    try:
        services.submit_report(item=item, user=request.user, seen_version=form.cleaned_data["version"])
        messages.success(request, _("Submitted for review."))
    except services.ReportError as refusal:
        messages.error(
            request, " ".join([str(refusal), *(f"{f}：{a} → {b}" for f, a, b in _changes(refusal))])
        )
    return _back_to_entry(request, item)


def _changes(refusal: services.ReportError) -> list[tuple[str, str, str]]:
    return getattr(refusal, "changes", [])


@login_required
@require_POST
def review(request: HttpRequest, key: str) -> HttpResponse:
    """Approve, or return with a reason, the version the reviewer saw."""
    item = get_item_for_user(request, key)
    if item.report is None:
        raise Http404
    report = get_for_user(
        request.user, ProgressReport.objects.readable_by(request.user), REVIEWS, pk=item.report.pk
    )
    form = ReviewForm(request.POST)
    try:
        if not form.is_valid():
            raise services.ReportError(" ".join(e for errors in form.errors.values() for e in errors))
        data = form.cleaned_data
        if data["action"] == "approve":
            services.approve_report(report=report, user=request.user, seen_version=data["version"])
            messages.success(request, _("Approved; the report is now locked."))
        else:
            services.return_report(
                report=report, user=request.user, seen_version=data["version"], reason=data["reason"]
            )
            messages.success(request, _("Returned to the department with your reason."))
    except services.ReportError as refusal:
        messages.error(
            request, " ".join([str(refusal), *(f"{f}：{a} → {b}" for f, a, b in _changes(refusal))])
        )
    return _back_to_entry(request, item)


@login_required
@require_POST
def reopen(request: HttpRequest, key: str) -> HttpResponse:
    return _decide(request, key, services.reopen, _("Reopened; the department can correct it."))


@login_required
@require_POST
def waive(request: HttpRequest, key: str) -> HttpResponse:
    """The task force excuses an overdue month's report (免报), with the reason on record."""
    done = _("This month's report is waived; it no longer counts as missing.")
    return _decide(request, key, services.waive, done)


def _decide(request: HttpRequest, key: str, step, done: str) -> HttpResponse:
    """A task-force step on one month's report that needs a reason: reopen, waive."""
    item = get_item_for_user(request, key, RUNS)
    form = ReasonForm(request.POST)
    try:
        step(item=item, user=request.user, reason=form.cleaned_data["reason"] if form.is_valid() else "")
        messages.success(request, done)
    except services.ReportError as refusal:
        messages.error(request, str(refusal))
    return _back_to_entry(request, item)


@login_required
@require_http_methods(["GET", "POST"])
def conflict(request: HttpRequest, key: str, pk: int) -> HttpResponse:
    """Both versions side by side; keep mine (applied on the current one) or keep theirs."""
    record = get_for_user(request.user, ReportConflict.objects.filter(user=request.user), READS, pk=pk)
    request.GET = request.GET.copy()
    request.GET["period"] = str(record.report.period)
    item = get_item_for_user(request, key, ENTERS)
    if record.report.obligation_id != item.obligation.pk:
        raise Http404
    if request.method == "POST" and record.resolved_at is None:
        try:
            keep_mine = request.POST.get("keep") == "mine"
            services.resolve_conflict(conflict=record, item=item, user=request.user, keep_mine=keep_mine)
            messages.success(request, _("The conflict is settled."))
        except services.ReportError as refusal:
            messages.error(request, str(refusal))
        return redirect(_entry_url(item))
    fields = [
        (
            ProgressReport._meta.get_field(name).verbose_name,
            getattr(record.report, name),
            record.data.get(name),
        )
        for name in services.REPORT_FIELDS
        if name in record.data
    ]
    return render(request, "tracking/conflict.html", {"item": item, "conflict": record, "fields": fields})


def _field_label(name: str) -> str:
    return str(ProgressReport._meta.get_field(name).verbose_name)


# --- evidence -----------------------------------------------------------------------------------


@login_required
@require_POST
def upload_evidence(request: HttpRequest, key: str) -> HttpResponse:
    item = get_item_for_user(request, key, ENTERS)
    form = EvidenceForm(request.POST, request.FILES)
    report = item.report
    context = {"item": item, "period": item.period, "evidence_form": form, "editable": True}
    try:
        if form.is_valid():
            if report is None:
                report = services.save_report(item=item, user=request.user, data={}, version=0)
            services.attach_evidence(report=report, upload=form.cleaned_data["file"], user=request.user)
    except services.ReportError as refusal:
        context["evidence_message"] = str(refusal)
    context["evidence"] = list(report.evidence.all()) if report is not None and report.pk else []
    context["report"] = report or item.new_report()
    return render(request, "tracking/entry.html#evidence", context)


@login_required
@require_POST
def remove_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = get_for_user(request.user, Evidence.objects.readable_by(request.user), READS, pk=pk)
    try:
        services.remove_evidence(evidence=evidence, user=request.user)
        messages.success(request, _("The file was removed; the removal is on record."))
    except services.ReportError as refusal:
        messages.error(request, str(refusal))
    report = evidence.report
    if report is None:
        return redirect("tracking:due")
    return redirect(f"{reverse('tracking:entry', args=[report.obligation.key])}?period={report.period}")


@login_required
@require_GET
def evidence_file(request: HttpRequest, pk: int) -> FileResponse:
    """An evidence file, only for those who may read what it backs."""
    evidence = get_for_user(request.user, Evidence.objects.readable_by(request.user), READS, pk=pk)
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.name)


# --- contributions ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def contribute(request: HttpRequest, task_pk: int) -> HttpResponse:
    """A co-responsible department's contribution to a task this month (配合单位填报)."""
    obligation, period = get_contribution_for_user(request, task_pk)
    mine = obligation.contributions.filter(period=period).first()
    unit = obligation.task.indicators.exclude(unit="").values_list("unit", flat=True).first() or ""
    initial = {"text": mine.text, "value": plain(mine.value)} if mine else None
    form = ContributionForm(request.POST or None, request.FILES or None, unit=unit, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            mine = services.save_contribution(
                obligation=obligation, period=period, user=request.user, **form.cleaned_data
            )
            _attach_contribution_file(request, mine)
            messages.success(request, _("Your contribution is saved; the lead department sees it."))
            return redirect(f"{request.path}?period={period}")
        except services.ReportError as refusal:
            form.add_error(None, str(refusal))
    context = {"task": obligation.task, "department": obligation.department, "period": period}
    return render(request, "tracking/contribute.html", {**context, "form": form, "mine": mine})


def get_contribution_for_user(request: HttpRequest, task_pk: int):
    """The user's department's contribution obligation on a task they may see, and the month:
    404 for a task they cannot see or have no part in, 403 for a leader (who changes nothing)."""
    tasks = Task.objects.readable_by(request.user).select_related("section__plan")
    task = get_for_user(request.user, tasks, pk=task_pk)
    if access_of(request.user).is_read_only:
        raise PermissionDenied
    period = _period(request, task.section.plan)
    obligation = services.contribution_obligation(task=task, user=request.user, period=period)
    if obligation is None:
        raise Http404
    return obligation, period


def _attach_contribution_file(request: HttpRequest, contribution) -> None:
    upload = request.FILES.get("file")
    if upload is None:
        return
    evidence_form = EvidenceForm(files={"file": upload})
    if evidence_form.is_valid():
        services.attach_evidence(contribution=contribution, upload=upload, user=request.user)
    else:
        messages.error(request, " ".join(evidence_form.errors["file"]))


# --- a target's page ----------------------------------------------------------------------------


@login_required
@require_GET
def indicator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One target: its months, shares, the task's contributions, evidence and every change on record.

    Reports are those the user may read: a county sees its own share's, not other departments'.
    """
    indicator = get_indicator_for_user(request, pk)
    period = _period(request, indicator.plan)
    reports = (
        ProgressReport.objects.readable_by(request.user)
        .filter(obligation__indicator=indicator)
        .select_related("obligation__department", "obligation__share__region", "submitted_by", "reviewed_by")
        .prefetch_related("evidence")
        .order_by("obligation__share__region__name", "period")
    )
    task = indicator.task
    context = {
        "indicator": indicator,
        "period": period,
        "row": _target_row(request, indicator, period),
        "can_override": access_of(request.user).can(RUNS, indicator),
        "override_form": OverrideForm(),
        "reports": reports,
        "shares": indicator.shares.select_related("region", "department", "reporter"),
        "contributions": services.contributions_for(task, period, request.user) if task else [],
        "history": indicator_history(indicator, request.user),
        "item_key": f"i{indicator.pk}",
    }
    return render(request, "tracking/indicator_detail.html", context)


def _target_row(request: HttpRequest, indicator: Indicator, period: Period):
    """The target's own standing, for those who may read its reports (a county reporter sees its
    share, not the city's figure)."""
    own = Obligation.objects.readable_by(request.user).filter(indicator=indicator, share__isnull=True)
    if not own.exists() and not access_of(request.user).can(OVERSEES, indicator):
        return None
    return next(iter(plan_status([indicator.plan], period).rows_for(indicator)), None)


@login_required
@require_POST
def override(request: HttpRequest, pk: int) -> HttpResponse:
    """A coordinator sets (or clears) a target's lamp for a month, with a reason on record."""
    indicator = get_indicator_for_user(request, pk, RUNS)
    period = _period(request, indicator.plan)
    form = OverrideForm(request.POST)
    try:
        if request.POST.get("action") == "clear":
            services.clear_override(indicator=indicator, period=period, user=request.user)
        elif form.is_valid():
            services.set_override(indicator=indicator, period=period, user=request.user, **form.cleaned_data)
            messages.success(request, _("The lamp is set by hand; it shows as such, with your reason."))
        else:
            messages.error(request, _("Choose a lamp and say why."))
    except services.ReportError as refusal:
        messages.error(request, str(refusal))
    return redirect(f"{reverse('tracking:indicator-detail', args=[pk])}?period={period}")


# --- running a plan -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def plan_calendar(request: HttpRequest, plan_pk: int) -> HttpResponse:
    """The plan's reporting calendar and lamp thresholds, set by its task force."""
    plan = get_plan_for_user(request, plan_pk, RUNS)
    form = CalendarForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        services.save_calendar(form=form)
        messages.success(request, _("The reporting calendar is saved."))
        return redirect("plans:plan-detail", plan.pk)
    return render(request, "tracking/calendar.html", {"plan": plan, "form": form})


@login_required
@require_POST
def plan_activate(request: HttpRequest, pk: int) -> HttpResponse:
    """A checked draft goes live: from the month being reported its departments owe their reports."""
    plan = get_plan_for_user(request, pk, RUNS)
    if plan.status == Plan.Status.DRAFT:
        services.activate_plan(plan)
        messages.success(request, _("The plan is active: departments can report on it."))
    else:
        messages.error(request, _("Only a draft plan can be activated."))
    return redirect("plans:plan-detail", pk)
