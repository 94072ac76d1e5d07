"""The ledger (工作台账) download: a small GET form on the plan page and the workbook it returns.

The form is served as a fragment loaded into the plan page (and as a page of its own for
a plain link), so the plan page's view stays as it is. What a user may download follows
`exports.visible_departments`: the plan's coordinators and leaders get every row, everyone
else the rows of their departments' tasks.
"""

from __future__ import annotations

from io import BytesIO

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from plans.models import Plan
from plans.views import get_plan_for_user

from . import ledger as exports
from .forms import LedgerForm


def _form(request: HttpRequest, plan: Plan) -> LedgerForm:
    seen_by = exports.visible_departments(plan, request.user)
    return LedgerForm(request.GET or None, plan=plan, seen_by=seen_by)


@login_required
@require_GET
@vary_on_headers("HX-Request")
def ledger_form(request: HttpRequest, pk: int) -> HttpResponse:
    """The download form: a fragment for the plan page (htmx), or a page of its own."""
    plan = get_plan_for_user(request, pk)
    template = "outputs/ledger.html#ledger-form" if request.htmx else "outputs/ledger.html"
    return render(request, template, {"plan": plan, "form": _form(request, plan)})


@login_required
@require_GET
def ledger_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The workbook as of the chosen month, with only the rows the user may see."""
    plan = get_plan_for_user(request, pk)
    form = _form(request, plan)
    if not form.is_valid():
        return render(request, "outputs/ledger.html", {"plan": plan, "form": form}, status=400)
    period = form.cleaned_data["as_of"]
    ledger = exports.collect_ledger(
        plan,
        period,
        seen_by=exports.visible_departments(plan, request.user),
        department=form.cleaned_data["department"],
        section=form.cleaned_data["section"],
    )
    stream = BytesIO()
    exports.write_ledger(ledger, stream)
    stream.seek(0)
    return FileResponse(stream, as_attachment=True, filename=exports.filename(plan, period))
