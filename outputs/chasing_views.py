"""The task force's completeness page and its manual reminder (催办); the logic is in chasing.py.

Coordinators of the plan's region and leaders overseeing it read the page; only coordinators
send. A user who cannot see the plan at all gets 404 (we do not confirm that it exists); one who
sees the plan but does not oversee it (a department's reporter or reviewer) gets 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from departments.access import OVERSEES, RUNS
from plans.models import Plan
from plans.periods import Period, PeriodNotShown, shown_period
from plans.views import get_plan_for_user

from . import chasing


def _get_plan_for_chasing(request: HttpRequest, plan_pk: int, *, send: bool = False) -> Plan:
    """The plan if the user oversees it (404 if they cannot see it, 403 if they only report on it);
    to send, 403 unless they run it."""
    return get_plan_for_user(request, plan_pk, RUNS if send else OVERSEES)


def _period(text: str | None, plan: Plan) -> Period:
    """The period asked for (?period=2024-05), else the one being reported; 404 when it cannot be shown."""
    try:
        return shown_period([plan], text)
    except PeriodNotShown:
        raise Http404 from None


@login_required
@require_GET
@vary_on_headers("HX-Request")
def completeness(request: HttpRequest, plan_pk: int) -> HttpResponse:
    """填报完整度: per department, what was reported for the period, on time or late, and chased."""
    plan = _get_plan_for_chasing(request, plan_pk)
    period = _period(request.GET.get("period"), plan)
    context = {
        "report": chasing.completeness(plan, period, with_reminders=True),
        "navigation": chasing.period_navigation(plan, period),
        "can_send": plan.can_be_run_by(request.user) and plan.status == Plan.Status.ACTIVE,
        "quiet_days": chasing.QUIET_DAYS,
    }
    template = "outputs/partials/chasing_table.html" if request.htmx else "outputs/completeness.html"
    return render(request, template, context)


@login_required
@require_POST
def remind(request: HttpRequest, plan_pk: int, department_pk: int) -> HttpResponse:
    """Send one department's reporters a reminder by hand; htmx gets the department's row back."""
    plan = _get_plan_for_chasing(request, plan_pk, send=True)
    period = _period(request.POST.get("period"), plan)
    before = chasing.completeness(plan, period, department_ids=[department_pk]).row_for(department_pk)
    if before is None:
        raise Http404
    try:
        outcome = chasing.send_manual_reminder(
            plan=plan, department=before.department, period=period, user=request.user
        )
    except chasing.ChasingError as exc:
        note, failed = str(exc), True
    else:
        note, failed = chasing.manual_summary(outcome), not outcome.sent
    if not request.htmx:
        (messages.error if failed else messages.success)(request, note)
        return redirect(f"{reverse('outputs:completeness', args=[plan.pk])}?period={period}")
    row = chasing.completeness(plan, period, department_ids=[department_pk]).row_for(department_pk)
    context = {
        "report": {"plan": plan, "period": period},
        "row": row,
        "can_send": True,
        "note": note,
        "note_failed": failed,
    }
    return render(request, "outputs/partials/chasing_row.html", context)
