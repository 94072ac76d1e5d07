"""No upload is kept past UPLOAD_MAX_MB: it is stopped while it streams in, and the page says so in
Chinese with what the user typed kept."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.test import RequestFactory
from django.urls import reverse

from config.uploads import TooLargeUpload
from plans.models import PlanImport
from plans.periods import Period
from tracking import services
from tracking.models import BulkUpload, Evidence

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
HTMX = {"HTTP_HX_REQUEST": "true"}
PASSED_ON: list[int] = []
REFUSED = "超过 1.0\xa0MB 的文件无法上传"  # filesizeformat keeps number and unit together


class CountingHandler(FileUploadHandler):
    """Stands after the limit: records how many bytes of a file were handed on to be kept."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        PASSED_ON.append(0)

    def receive_data_chunk(self, raw_data, start):
        PASSED_ON[-1] += len(raw_data)
        return raw_data

    def file_complete(self, file_size):
        return None


@pytest.fixture(autouse=True)
def one_megabyte(settings, tmp_path):
    settings.UPLOAD_MAX_MB = 1
    settings.MEDIA_ROOT = tmp_path
    settings.REPORTING_TODAY = "2024-06-24"


def over_the_limit(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 " + b"0" * MB, content_type="application/octet-stream")


def test_the_bytes_past_the_limit_are_never_handed_on_to_be_kept(settings):
    settings.FILE_UPLOAD_HANDLERS = [
        "config.uploads.UploadLimitHandler",
        "tests.test_upload_limit.CountingHandler",
        "django.core.files.uploadhandler.TemporaryFileUploadHandler",
    ]
    PASSED_ON.clear()
    request = RequestFactory().post(
        "/", {"before": "在文件前输入", "file": over_the_limit("大文件.pdf"), "after": "在文件后输入"}
    )

    upload = request.FILES["file"]

    assert isinstance(upload, TooLargeUpload)
    assert upload.size == MB + 9 and upload.name == "大文件.pdf"
    assert upload.read() == b""
    assert len(PASSED_ON) == 1 and PASSED_ON[0] <= MB
    assert request.upload_handlers[2].file.closed  # the temporary file of its first megabyte is gone
    assert request.POST["before"] == "在文件前输入" and request.POST["after"] == "在文件后输入"


def test_a_file_within_the_limit_arrives_whole(settings):
    request = RequestFactory().post(
        "/", {"file": SimpleUploadedFile("小文件.pdf", b"%PDF-1.4 " + b"0" * 1000)}
    )
    assert request.FILES["file"].read() == b"%PDF-1.4 " + b"0" * 1000


def test_a_plan_over_the_limit_is_refused_in_chinese_and_the_form_keeps_what_was_typed(
    login, coordinator, regions, settings
):
    settings.PLAN_IMPORT_MAX_BYTES = 10 * MB  # the form's own limit is higher: the upload limit speaks
    response = login(coordinator).post(
        reverse("plans:import-start"),
        {
            "region": regions["county"].pk,
            "kind": "work_plan",
            "file": over_the_limit("方案.txt"),
            "text": "一、任务",
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert REFUSED in page
    assert f'<option value="{regions["county"].pk}" selected>' in page
    assert "一、任务</textarea>" in page
    assert not PlanImport.objects.exists()


def test_evidence_over_the_limit_is_refused_in_the_fragment_and_nothing_is_kept(login, reporter, plan):
    indicator = plan.indicators.get(name="净增高新技术企业")
    item = services.item_for(f"i{indicator.pk}", Period(2024, 6))
    url = reverse("tracking:evidence-upload", args=[item.key]) + "?period=2024-06"

    response = login(reporter).post(url, {"file": over_the_limit("认定名单.pdf")}, **HTMX)

    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    assert not Evidence.objects.exists()
    assert not default_storage.exists("evidence")


def test_an_excel_sheet_over_the_limit_is_refused_and_nothing_is_kept(login, reporter, plan, settings):
    settings.BULK_UPLOAD_MAX_BYTES = 10 * MB
    response = login(reporter).post(reverse("tracking:bulk-upload"), {"file": over_the_limit("六月.xlsx")})

    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    assert not BulkUpload.objects.exists()
