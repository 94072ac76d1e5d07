"""Every upload goes through the storage API, so that several app servers can share one storage.

The storage here is Django's InMemoryStorage (as an S3-compatible bucket would be, it is not a
folder): evidence, the Excel sheets of bulk entry and plan imports must work end to end with it
and write nothing under MEDIA_ROOT.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.storage import InMemoryStorage, default_storage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from demo.loader import read_seed
from plans.models import PlanImport
from plans.periods import Period
from tracking import services
from tracking.models import BulkUpload, Evidence, ProgressReport

from .plans.test_import_flow import SEED_001
from .tracking.test_bulk_excel import confirm, filled, preview

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def shared_storage(settings, tmp_path):
    """June 2024; uploads go to an in-memory storage, MEDIA_ROOT is an empty folder to watch."""
    settings.REPORTING_TODAY = "2024-06-24"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    yield settings.MEDIA_ROOT
    assert list(settings.MEDIA_ROOT.rglob("*")) == [], "something was written under MEDIA_ROOT"


def test_the_storage_in_use_is_the_configured_one():
    assert isinstance(storages["default"], InMemoryStorage)
    assert Evidence._meta.get_field("file").storage is default_storage
    assert BulkUpload._meta.get_field("file").storage is default_storage


def test_evidence_is_stored_and_served_through_the_storage(login, reporter, plan):
    item = services.item_for(f"i{plan.indicators.get(name='净增高新技术企业').pk}", Period(2024, 6))
    client = login(reporter)
    url = reverse("tracking:evidence-upload", args=[item.key]) + "?period=2024-06"
    upload = SimpleUploadedFile("认定名单.pdf", b"%PDF-1.4 list", content_type="application/pdf")

    page = client.post(url, {"file": upload}, **HTMX).content.decode()

    assert "认定名单.pdf" in page
    evidence = Evidence.objects.get()
    assert default_storage.exists(evidence.file.name)
    download = client.get(reverse("tracking:evidence-file", args=[evidence.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 list"


def test_an_excel_sheet_is_staged_confirmed_and_marked_through_the_storage(login, reporter, plan):
    target = plan.indicators.get(name="净增高新技术企业")
    client = login(reporter)

    token, page = preview(client, filled(client, f"i{target.pk}", value=12, progress="认定12家"))

    assert "认定12家" in page
    upload = BulkUpload.objects.get(token=token)
    assert default_storage.exists(upload.file.name)
    assert client.get(reverse("tracking:bulk-marked", args=[token])).status_code == 200
    confirm(client, token)
    assert ProgressReport.objects.get().value == 12
    assert BulkUpload.objects.get(token=token).is_used
    again = client.post(reverse("tracking:bulk-confirm", args=[token]), follow=True)
    assert "已经确认过，不会重复保存" in again.content.decode()


def test_a_plan_file_is_imported_without_writing_a_file_anywhere(login, coordinator, regions):
    upload = SimpleUploadedFile(
        "通道方案.txt", read_seed(SEED_001).encode("gb18030"), content_type="text/plain"
    )

    response = login(coordinator).post(
        reverse("plans:import-start"), {"region": regions["county"].pk, "file": upload}
    )

    assert response.status_code == 302
    assert PlanImport.objects.get().filename == "通道方案.txt"
    assert default_storage.listdir("") == ([], [])


def test_a_sheet_nobody_confirmed_is_dropped_with_its_file_after_two_days(reporter):
    old = BulkUpload.keep(data=b"PK old", user=reporter, name="五月填报.xlsx")
    BulkUpload.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=2, minutes=1))
    recent = BulkUpload.keep(data=b"PK recent", user=reporter, name="六月填报.xlsx")

    assert list(BulkUpload.objects.all()) == [recent]
    assert not default_storage.exists(old.file.name)
    assert recent.data() == b"PK recent"
