"""Word documents and 督办单: the monthly bulletin download, issuing and answering follow-up notes.

The documents themselves are built in `documents.py`; these views only check who may have
them. The bulletin goes to those who oversee the plan (its task force and the leaders above
it); a 督办单 is issued by the task force, answered by the lead department's reporters or
reviewers, and read by both.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from departments.access import ANSWERS, OVERSEES, READS, RUNS, get_for_user
from plans.views import get_plan_for_user
from tracking.models import FollowUp, FollowUpRefused
from tracking.progress import plan_status
from tracking.views import _period, get_indicator_for_user

from . import documents
from .forms import AnswerForm, IssueForm


def _docx(document, filename: str) -> HttpResponse:
    response = HttpResponse(documents.to_bytes(document), content_type=documents.DOCX_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


@login_required
@require_GET
def bulletin(request: HttpRequest, plan_pk: int) -> HttpResponse:
    """情况通报 of a plan's month (?period=2024-06), as an editable .docx."""
    plan = get_plan_for_user(request, plan_pk, OVERSEES)
    period = _period(request, plan)
    return _docx(documents.bulletin(plan, period), documents.bulletin_filename(plan, period))


@login_required
@require_POST
def followup_issue(request: HttpRequest, pk: int) -> HttpResponse:
    """The task force issues a 督办单 on a yellow or red target from the target's page."""
    indicator = get_indicator_for_user(request, pk, RUNS)
    period = _period(request, indicator.plan)
    back = f"{reverse('tracking:indicator-detail', args=[pk])}?period={period}"
    form = IssueForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date by which the lead department must answer."))
        return redirect(back)
    row = next(iter(plan_status([indicator.plan], period).rows_for(indicator)), None)
    try:
        if row is None:
            raise FollowUpRefused(_("Only a lagging (yellow or red) target can be followed up."))
        follow_up = FollowUp.issue(row=row, user=request.user, **form.cleaned_data)
    except FollowUpRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            _("Follow-up note %(number)s is issued; %(department)s sees it on its due list.")
            % {"number": follow_up.number, "department": follow_up.department.name},
        )
    return redirect(back)


def _get_follow_up_for_user(request: HttpRequest, pk: int, verb: str = READS) -> FollowUp:
    """The note if the user oversees its plan or works in its department (else 404); to answer,
    403 unless they report or review for the lead department."""
    readable = FollowUp.objects.readable_by(request.user).select_related(
        "plan__region", "plan__issuing_department", "indicator__task__section", "task__section", "department"
    )
    return get_for_user(request.user, readable, verb, pk=pk)


@login_required
@require_GET
def followup_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The one-page 督办单 as .docx, to print, sign and send."""
    follow_up = _get_follow_up_for_user(request, pk)
    return _docx(documents.follow_up_document(follow_up), documents.follow_up_filename(follow_up))


@login_required
@require_http_methods(["GET", "POST"])
def followup_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """The lead department answers a 督办单; once answered it leaves the due list."""
    follow_up = _get_follow_up_for_user(request, pk, ANSWERS)
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            follow_up.answer(text=form.cleaned_data["response"], by=request.user)
        except FollowUpRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Your answer is recorded; the task force sees it."))
            return redirect("tracking:due")
    return render(request, "outputs/followup_answer.html", {"follow_up": follow_up, "form": form})
