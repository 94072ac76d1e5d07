"""Bulk entry in Excel: download the month as a template, upload it, check the preview, confirm.

Between the preview and the confirm the upload is kept (`BulkUpload`: the file in the site's
storage under a random name, its owner and file name in the database), so a reload of the
preview reads it again (against the reports as they are then), on whichever app server answers.
Confirming claims it before saving anything: a second confirm, or a second tab, finds nothing
left to save. Rows are saved as drafts; submitting stays a deliberate act on the website.
"""

from __future__ import annotations

import re
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.uploads import UploadField
from departments.access import access_of
from departments.models import Department

from . import excel, services
from .models import BulkUpload

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TOKEN = re.compile(r"[0-9a-f]{32}")


def max_bytes() -> int:
    return getattr(settings, "BULK_UPLOAD_MAX_BYTES", 5 * 1024 * 1024)


class UploadForm(forms.Form):
    file = UploadField(
        label=gettext_lazy("Filled-in template (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self):
        """Read the workbook once here: a file that is not our template never reaches the disk."""
        upload = self.cleaned_data["file"]
        try:
            excel.check_name_and_size(upload.name, upload.size, max_bytes())
            self.data_bytes = upload.read()
            excel.read_upload(self.data_bytes, upload.name, max_bytes())
        except excel.UploadRefused as exc:
            raise forms.ValidationError(str(exc)) from None
        return upload


# --- the stored upload ---------------------------------------------------------------------


def _get_upload_for_user(request: HttpRequest, token: str) -> BulkUpload:
    """The user's own upload, pending or used; anybody else's (or none) is a 404."""
    if not TOKEN.fullmatch(token):
        raise Http404
    return get_object_or_404(BulkUpload, token=token, user=request.user)


# --- helpers -------------------------------------------------------------------------------


def _require_reporter(request: HttpRequest) -> None:
    """Only people who report for a department fill its sheet; leaders and reviewers are refused."""
    if not access_of(request.user).reports:
        raise PermissionDenied


def _checked(request: HttpRequest, upload: BulkUpload) -> tuple[excel.Sheet, excel.Check]:
    """The upload read against the user's items as they are now, with unusual values flagged."""
    data = upload.data()
    # the file passed the size check when it was uploaded; a lower limit since must not strand it
    sheet = excel.read_upload(data, upload.name, max(len(data), max_bytes()))
    result = excel.check(sheet, {item.key: item for item in _month_items(request.user)})
    for change in result.changes:
        value, item = change.data.get("value"), change.item
        if item.indicator is not None and value is not None and value != change.old["value"]:
            change.unusual = services.unusual_change(item, value)
    return sheet, result


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _month_items(user) -> list[services.Item]:
    """The sheet holds the month being reported; overdue months are entered on the website."""
    return [item for item in services.due_items(user) if not item.is_overdue]


def _posted_version(request: HttpRequest, change: excel.Change) -> int:
    """The version the preview showed (0: no report then).

    Handing it to save_report makes it refuse a row somebody saved between preview and confirm.
    """
    return int(request.POST[f"version-{change.item.key}"])


def _save_changes(request: HttpRequest, result: excel.Check) -> tuple[int, list[str]]:
    """Save each row as a draft on its own: a conflict on one row does not stop the others."""
    saved, problems = 0, []
    for change in result.changes:
        item = change.item
        report = item.report or item.new_report()
        data = dict(change.data)
        if not request.POST.get(f"version-{item.key}", "").isdigit():
            # the row equalled the saved report when the user looked; it was changed since
            problems.append(_row_refusal(change, _("it changed since the preview; upload the file again.")))
            continue
        if change.unusual and not report.outlier_note:
            data["outlier_note"] = _("Confirmed as typed when uploading the Excel sheet.")
        try:
            services.save_report(
                item=item,
                user=request.user,
                data=data,
                version=_posted_version(request, change),
                confirm_unusual=True,
            )
        except services.StaleReport:
            message = _("someone changed it meanwhile; your version was kept on the item's page to compare.")
        except services.ReportError as exc:
            message = str(exc)
        else:
            saved += 1
            continue
        problems.append(_row_refusal(change, message))
    return saved, problems


def _row_refusal(change: excel.Change, message: str) -> str:
    return _("Row %(row)s (%(title)s) was not saved: %(message)s") % {
        "row": change.row,
        "title": change.item.title,
        "message": message,
    }


# --- views ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def bulk_upload(request: HttpRequest) -> HttpResponse:
    """The Excel entry page: download this month's template, upload it filled in."""
    _require_reporter(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = BulkUpload.keep(data=form.data_bytes, user=request.user, name=form.cleaned_data["file"].name)
        return redirect("tracking:bulk-preview", upload.token)
    items = _month_items(request.user)
    period_label = "、".join(period.label for period in sorted({item.period for item in items}))
    context = {"form": form, "items": items, "period_label": period_label}
    return render(request, "tracking/bulk_upload.html", context)


@login_required
@require_GET
def bulk_template(request: HttpRequest) -> HttpResponse:
    """The month's template for the user's departments, prefilled with their drafts."""
    _require_reporter(request)
    items = _month_items(request.user)
    names = Department.objects.filter(pk__in=access_of(request.user).departments("reporter")).order_by("name")
    title = excel.template_title(list(names.values_list("name", flat=True)), [item.period for item in items])
    workbook = excel.build_template(title=title, rows=[excel.TemplateRow.of(item) for item in items])
    return _xlsx(excel.to_bytes(workbook), f"{title}.xlsx")


@login_required
@require_GET
def bulk_preview(request: HttpRequest, token: str) -> HttpResponse:
    """What the upload would save, row by row, and every bad cell; nothing is saved here."""
    _require_reporter(request)
    upload = _get_upload_for_user(request, token)
    if upload.is_used:
        messages.info(request, _("This upload was confirmed already; its rows are saved as drafts."))
        return redirect("tracking:due")
    try:
        sheet, result = _checked(request, upload)
    except excel.UploadRefused as exc:
        messages.error(request, str(exc))
        return redirect("tracking:bulk-upload")
    context = {"upload": upload, "sheet": sheet, "check": result, "form": None}
    return render(request, "tracking/bulk_upload.html", context)


@login_required
@require_POST
def bulk_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """Save the previewed rows as drafts, once; errors or an unticked warning save nothing."""
    _require_reporter(request)
    upload = _get_upload_for_user(request, token)
    if upload.is_used:
        messages.error(request, _("This upload was confirmed already; nothing was saved twice."))
        return redirect("tracking:due")
    _sheet, result = _checked(request, upload)
    if result.errors:
        messages.error(request, _("Nothing was saved: correct the errors and upload the file again."))
        return redirect("tracking:bulk-preview", token)
    if not result.changes:
        messages.info(request, _("Nothing to save: no row of the file differs from what is saved."))
        return redirect("tracking:bulk-preview", token)
    if result.needs_tick and not request.POST.get("confirm_warnings"):
        messages.error(
            request, _("Tick the box to confirm the flagged figures, or correct them and upload again.")
        )
        return redirect("tracking:bulk-preview", token)
    if not upload.claim():
        messages.error(request, _("This upload was confirmed already; nothing was saved twice."))
        return redirect("tracking:due")
    saved, problems = _save_changes(request, result)
    messages.success(
        request, _("Rows saved as drafts: %(count)s. Check them and submit them below.") % {"count": saved}
    )
    for problem in problems:
        messages.error(request, problem)
    return redirect("tracking:due")


@login_required
@require_GET
def bulk_marked(request: HttpRequest, token: str) -> HttpResponse:
    """The user's own file back, each bad cell red with the reason in a comment."""
    _require_reporter(request)
    upload = _get_upload_for_user(request, token)
    sheet, result = _checked(request, upload)
    workbook = excel.mark_errors(upload.data(), result.errors, sheet.name)
    suffix = _("errors marked")
    return _xlsx(excel.to_bytes(workbook), f"{Path(upload.name).stem}-{suffix}.xlsx")
