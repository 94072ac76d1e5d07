"""Exports of a region in the background: the page that starts one, its progress, its file.

Whoever oversees a region (its task force and leaders, and those of the regions above) may
export its plans and download what anyone exported for it: the same rule as the bulletin's
(`departments.access`, verb `oversees`), and the files hold every row, as the plan ledger does
for them. Everyone else gets 404 for a job and 403 for the page.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from departments import clock
from departments.access import access_of, get_for_user
from departments.models import Region
from plans.models import Plan
from plans.periods import selectable_periods

from . import jobs
from .forms import ExportForm
from .models import ExportJob

RECENT_JOBS = 20


def _export_form(request: HttpRequest) -> ExportForm:
    """The form over the regions the user oversees (403 for those who oversee none)."""
    overseen = access_of(request.user).overseen_regions()
    regions = Region.objects.all() if overseen is None else Region.objects.filter(pk__in=overseen)
    if not regions.exists():
        raise PermissionDenied
    plans = Plan.objects.visible_to(request.user).exclude(status=Plan.Status.DRAFT)
    periods = selectable_periods(plans) if plans.exists() else []
    return ExportForm(request.POST or None, regions=regions.order_by("level", "name"), periods=periods)


@login_required
@require_http_methods(["GET", "POST"])
def exports(request: HttpRequest) -> HttpResponse:
    """Start an export of a region, and the recent exports of the user's regions."""
    form = _export_form(request)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        job = jobs.start_export(
            user=request.user, kind=data["kind"], region=data["region"], period=data["as_of"]
        )
        return redirect("outputs:export-detail", pk=job.pk)
    recent = ExportJob.objects.readable_by(request.user).select_related("region", "requested_by")
    context = {"form": form, "jobs": recent[:RECENT_JOBS]}
    return render(request, "outputs/exports.html", context, status=400 if form.errors else 200)


def _get_job_for_user(request: HttpRequest, pk: int) -> ExportJob:
    readable = ExportJob.objects.readable_by(request.user).select_related("region", "requested_by")
    return get_for_user(request.user, readable, pk=pk)


@login_required
@require_GET
@vary_on_headers("HX-Request")
def export_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The job's page; htmx polls its progress fragment until it is done or failed."""
    job = _get_job_for_user(request, pk)
    waited = (clock.now() - job.requested_at).total_seconds()
    context = {
        "job": job,
        "no_worker": job.status == job.Status.QUEUED and waited > settings.EXPORT_WAIT_HINT_SECONDS,
    }
    template = "outputs/export_detail.html#progress" if request.htmx else "outputs/export_detail.html"
    return render(request, template, context)


@login_required
@require_GET
def export_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The kept file, to those who may read the region; 404 until it is made."""
    job = _get_job_for_user(request, pk)
    if job.status != job.Status.DONE or not job.file or not job.file.storage.exists(job.file.name):
        raise Http404
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename)
