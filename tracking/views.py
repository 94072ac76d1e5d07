"""Monthly reporting pages: the due list, entry in place, review, contributions, evidence."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from departments.models import scope_of
from plans import periods
from plans.models import Indicator, Plan, Task
from plans.periods import Period, PeriodNotShown, shown_period

from . import services
from .forms import CalendarForm, ContributionForm, EvidenceForm, OverrideForm, ReasonForm, ReportForm
from .history import indicator_history
from .models import Evidence, FollowUp, ProgressReport, ReportConflict
from .progress import plan_status

ACTION_FIRST = ["returned", "missing", "draft", "submitted", "approved"]


def _get_item_for_user(request: HttpRequest, key: str, write: bool = False) -> services.Item:
    """The item if the user may see it (else 404); with `write`, 403 unless they may enter it."""
    item = services.item_for_key(key)
    if item is None or not services.can_read(request.user, item):
        raise Http404
    if write and not services.can_enter(request.user, item):
        raise PermissionDenied
    return item


def get_indicator_for_user(request: HttpRequest, pk: int, run: bool = False) -> Indicator:
    """A target of a plan the user may see (else 404); with `run`, 403 unless they are its task force."""
    indicator = get_object_or_404(
        Indicator.objects.filter(plan__in=Plan.objects.visible_to(request.user)).select_related(
            "plan", "task__section"
        ),
        pk=pk,
    )
    if run and not services.is_coordinator_of(request.user, indicator.plan):
        raise PermissionDenied
    return indicator


def _period(request: HttpRequest, plan: Plan) -> Period:
    """The month the page or the write is about (?period=2024-05), else the month being reported.

    A month the plan cannot show (unreadable, outside it, or not yet open) is a broken link: 404.
    """
    try:
        return shown_period([plan], request.GET.get("period") or request.POST.get("period"))
    except PeriodNotShown:
        raise Http404 from None


@login_required
def due(request: HttpRequest) -> HttpResponse:
    """本月待办: what the user's departments must report this period, and what awaits their review."""
    items = services.due_items(request.user)
    for item in items:
        item.extras["meaning"] = item.meaning(item.report.value if item.report else None)
    items.sort(key=lambda item: ACTION_FIRST.index(item.state))
    context = {
        "items": items,
        "queue": services.review_queue(request.user),
        "contributions": services.contribution_tasks(request.user),
        "today": periods.today(),
    }
    scope = scope_of(request.user)
    answerers = scope.reporter_department_ids | scope.reviewer_department_ids
    context["follow_ups"] = FollowUp.objects.open_for_departments(answerers)
    return render(request, "tracking/due.html", context)


def _entry_context(request: HttpRequest, item: services.Item, period: Period, form=None) -> dict:
    report = services.report_for(item, period)
    previous = services.report_for(item, period.previous()) if period > item.plan.first_period else None
    report_for_item = report if report.pk else None
    item.period, item.report, item.previous = (
        period,
        report_for_item,
        previous if previous and previous.pk else None,
    )
    if form is None:
        initial = {
            "value": _plain(report.value),
            "progress": report.progress,
            "problems": report.problems,
            "next_steps": report.next_steps,
            "version": report.version if report.pk else None,
        }
        form = ReportForm(initial=initial, unit=item.unit, numeric=item.indicator is not None)
    task = item.owner_task
    return {
        "item": item,
        "period": period,
        "report": report,
        "form": form,
        "meaning": item.meaning(report.value),
        "editable": report.status in services.EDITABLE and services.can_enter(request.user, item),
        "reviewable": report.status == ProgressReport.Status.SUBMITTED
        and services.can_review(request.user, report, item.plan),
        "reopenable": report.status == ProgressReport.Status.APPROVED
        and services.is_coordinator_of(request.user, item.plan),
        "contributions": services.contributions_for(task, period) if task else [],
        "evidence": list(report.evidence.all()) if report.pk else [],
        "conflicts": list(report.conflicts.filter(resolved_at=None).select_related("user"))
        if report.pk
        else [],
        "evidence_form": EvidenceForm(),
        "reason_form": ReasonForm(),
    }


def _plain(value) -> str:
    return "" if value is None else format(value.normalize(), "f")


@login_required
def entry(request: HttpRequest, key: str) -> HttpResponse:
    """The report on one item for one month: the page, or (htmx) the panel under a due-list row."""
    item = _get_item_for_user(request, key)
    context = _entry_context(request, item, _period(request, item.plan))
    template = "tracking/entry.html#panel" if request.htmx else "tracking/entry.html"
    return render(request, template, context)


@login_required
@require_POST
def save(request: HttpRequest, key: str) -> HttpResponse:
    """Autosave of a draft as it is typed; answers with the save status, never the inputs."""
    item = _get_item_for_user(request, key, write=True)
    period = _period(request, item.plan)
    report = services.report_for(item, period)
    form = ReportForm(request.POST, unit=item.unit, numeric=item.indicator is not None)
    context = {"item": item, "period": period, "form": form, "report": report}
    if not form.is_valid() and set(form.errors) - {"value"}:
        return render(request, "tracking/entry.html#save-response", context)
    data = form.report_data()
    try:
        report = services.save_report(
            item=item,
            report=report,
            user=request.user,
            data=data,
            version=form.cleaned_data.get("version"),
            confirm_unusual=bool(form.cleaned_data.get("confirm_unusual")),
        )
    except services.UnusualValue as warning:
        data.pop("value", None)
        report = services.save_report(
            item=item, report=report, user=request.user, data=data, version=form.cleaned_data.get("version")
        )
        context["unusual"] = str(warning)
    except services.StaleReport as stale:
        context["conflict"] = stale.conflict
        context["message"] = str(stale)
    except services.ReportError as refusal:
        context["message"] = str(refusal)
    context.update(
        report=report, meaning=item.meaning(report.value), saved=form.is_valid() or "value" in form.errors
    )
    return render(request, "tracking/entry.html#save-response", context)


@login_required
@require_POST
def submit(request: HttpRequest, key: str) -> HttpResponse:
    item = _get_item_for_user(request, key, write=True)
    period = _period(request, item.plan)
    report = services.report_for(item, period)
    try:
        if report.pk is None:
            raise services.ReportError(_("Save the report before submitting it."))
        services.submit_report(item=item, report=report, user=request.user)
        messages.success(request, _("Submitted for review."))
    except services.ReportError as refusal:
        messages.error(request, str(refusal))
    return _back_to_entry(request, item, period)


def _back_to_entry(request: HttpRequest, item: services.Item, period: Period) -> HttpResponse:
    """After a state change: the entry panel again (htmx), or the entry page."""
    context = _entry_context(request, item, period)
    if request.htmx:
        return render(request, "tracking/entry.html#panel", context)
    return redirect(f"{request.path.rsplit('/', 2)[0]}/?period={period}")


@login_required
@require_POST
def review(request: HttpRequest, key: str) -> HttpResponse:
    """Approve, or return with a reason: the reporting department's reviewer or the task force."""
    item = _get_item_for_user(request, key)
    period = _period(request, item.plan)
    report = services.report_for(item, period)
    if report.pk is None or not services.can_review(request.user, report, item.plan):
        raise PermissionDenied
    try:
        if request.POST.get("action") == "approve":
            services.approve_report(report=report, plan=item.plan, user=request.user)
            messages.success(request, _("Approved; the report is now locked."))
        else:
            form = ReasonForm(request.POST)
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            services.return_report(report=report, plan=item.plan, user=request.user, reason=reason)
            messages.success(request, _("Returned to the department with your reason."))
    except services.ReportError as refusal:
        messages.error(request, str(refusal))
    return _back_to_entry(request, item, period)


@login_required
@require_POST
def reopen(request: HttpRequest, key: str) -> HttpResponse:
    item = _get_item_for_user(request, key)
    period = _period(request, item.plan)
    report = services.report_for(item, period)
    if report.pk is None or not services.is_coordinator_of(request.user, item.plan):
        raise PermissionDenied
    form = ReasonForm(request.POST)
    try:
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        services.reopen_report(report=report, plan=item.plan, user=request.user, reason=reason)
        messages.success(request, _("Reopened; the department can correct it."))
    except services.ReportError as refusal:
        messages.error(request, str(refusal))
    return _back_to_entry(request, item, period)


@login_required
def conflict(request: HttpRequest, key: str, pk: int) -> HttpResponse:
    """Both versions side by side; keep mine (applied on the current one) or keep theirs."""
    item = _get_item_for_user(request, key, write=True)
    record = get_object_or_404(
        ReportConflict.objects.select_related("report", "user"), pk=pk, user=request.user
    )
    if services.report_key(record.report) != key:
        raise Http404
    period = record.report.period
    if request.method == "POST" and record.resolved_at is None:
        try:
            services.resolve_conflict(
                conflict=record, item=item, user=request.user, keep_mine=request.POST.get("keep") == "mine"
            )
            messages.success(request, _("The conflict is settled."))
        except services.ReportError as refusal:
            messages.error(request, str(refusal))
        return redirect(f"{request.path.rsplit('/', 3)[0]}/?period={period}")
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


@login_required
@require_POST
def upload_evidence(request: HttpRequest, key: str) -> HttpResponse:
    item = _get_item_for_user(request, key, write=True)
    period = _period(request, item.plan)
    report = services.report_for(item, period)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        if report.pk is None:
            report = services.save_report(item=item, report=report, user=request.user, data={}, version=None)
        services.attach_evidence(report=report, upload=form.cleaned_data["file"], user=request.user)
    context = {"item": item, "period": period, "report": report, "evidence_form": form}
    context["evidence"] = list(report.evidence.all()) if report.pk else []
    return render(request, "tracking/entry.html#evidence", context)


@login_required
def evidence_file(request: HttpRequest, pk: int) -> FileResponse:
    """An evidence file, only for those who may read what it backs."""
    evidence = get_object_or_404(Evidence.objects.select_related("report", "contribution__task"), pk=pk)
    if evidence.report_id:
        item = services.item_for_key(services.report_key(evidence.report))
        allowed = item is not None and services.can_read(request.user, item)
    else:
        allowed = _may_read_contribution(request.user, evidence.contribution)
    if not allowed:
        raise Http404
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.name)


def _may_read_contribution(user, contribution) -> bool:
    scope = scope_of(user)
    plan = Plan.objects.filter(sections__tasks=contribution.task).first()
    return (
        scope.is_superuser
        or contribution.department_id in scope.department_ids
        or contribution.task.responsibilities.filter(department_id__in=scope.department_ids).exists()
        or (plan is not None and plan.region_id in scope.overseen_region_ids)
    )


@login_required
def contribute(request: HttpRequest, task_pk: int) -> HttpResponse:
    """A co-responsible department's contribution to a task this month (配合单位填报)."""
    scope = scope_of(request.user)
    task = get_object_or_404(
        Task.objects.select_related("section__plan").filter(
            section__plan__in=Plan.objects.visible_to(request.user)
        ),
        pk=task_pk,
    )
    if scope.is_read_only:
        raise PermissionDenied
    department = task.departments.filter(pk__in=scope.reporter_department_ids).first()
    if department is None:
        raise Http404
    period = _period(request, task.section.plan)
    existing = services.contributions_for(task, period)
    mine = next((c for c in existing if c.department_id == department.pk), None)
    unit = task.indicators.exclude(unit="").values_list("unit", flat=True).first() or ""
    initial = {"text": mine.text, "value": _plain(mine.value)} if mine else None
    form = ContributionForm(request.POST or None, request.FILES or None, unit=unit, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            mine = services.save_contribution(
                task=task,
                department=department,
                period=period,
                user=request.user,
                text=form.cleaned_data["text"],
                value=form.cleaned_data["value"],
            )
            upload = request.FILES.get("file")
            if upload:
                evidence_form = EvidenceForm(files={"file": upload})
                if evidence_form.is_valid():
                    services.attach_evidence(contribution=mine, upload=upload, user=request.user)
                else:
                    messages.error(request, " ".join(evidence_form.errors["file"]))
            messages.success(request, _("Your contribution is saved; the lead department sees it."))
            return redirect(f"{request.path}?period={period}")
        except services.ReportError as refusal:
            form.add_error(None, str(refusal))
    context = {"task": task, "department": department, "period": period, "form": form, "mine": mine}
    return render(request, "tracking/contribute.html", context)


@login_required
def indicator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One target: its months, shares, the task's contributions, evidence and every change on record."""
    indicator = get_indicator_for_user(request, pk)
    reports = (
        indicator.reports.select_related("department", "share__region", "submitted_by", "reviewed_by")
        .prefetch_related("evidence")
        .order_by("share__region__name", "period")
    )
    shares = indicator.shares.select_related("region", "department")
    contributions = []
    if indicator.task_id:
        contributions = (
            indicator.task.contributions.select_related("department")
            .prefetch_related("evidence")
            .order_by("-period")
        )
    period = _period(request, indicator.plan)
    row = next(iter(plan_status([indicator.plan], period).rows_for(indicator)), None)
    context = {
        "indicator": indicator,
        "period": period,
        "row": row,
        "can_override": services.is_coordinator_of(request.user, indicator.plan),
        "override_form": OverrideForm(),
        "reports": reports,
        "shares": shares,
        "contributions": contributions,
        "history": indicator_history(indicator),
        "item_key": f"i{indicator.pk}",
    }
    return render(request, "tracking/indicator_detail.html", context)


@login_required
@require_POST
def override(request: HttpRequest, pk: int) -> HttpResponse:
    """A coordinator sets (or clears) a target's lamp for a month, with a reason on record."""
    indicator = get_indicator_for_user(request, pk, run=True)
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


@login_required
def plan_calendar(request: HttpRequest, plan_pk: int) -> HttpResponse:
    """The plan's reporting calendar, set by its task force."""
    plan = get_object_or_404(Plan.objects.visible_to(request.user), pk=plan_pk)
    if not services.is_coordinator_of(request.user, plan):
        raise PermissionDenied
    form = CalendarForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The reporting calendar is saved."))
        return redirect("plans:plan-detail", plan.pk)
    return render(request, "tracking/calendar.html", {"plan": plan, "form": form})
