"""Evidence is checked by its content: the type its name claims, and no macros; long names keep
their extension."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from plans.models import Plan, Task
from plans.periods import Period
from tracking import services
from tracking.evidence import check_evidence, evidence_name
from tracking.forms import EvidenceForm
from tracking.models import Contribution, Evidence

from ..conftest import owe
from . import evidence_files as files

HTMX = {"HTTP_HX_REQUEST": "true"}
DOC = {"WordDocument": b"\xec\xa5" + b"\0" * 30, "1Table": b"\0" * 16}
XLS = {"Workbook": b"\x09\x08" + b"\0" * 30}


def _check(name: str, content: bytes) -> None:
    check_evidence(SimpleUploadedFile(name, content))


def _refusal(name: str, content: bytes) -> str:
    with pytest.raises(ValidationError) as refused:
        _check(name, content)
    return " ".join(refused.value.messages)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("认定名单.pdf", files.PDF),
        ("现场.jpg", files.JPEG),
        ("现场.JPEG", files.JPEG),
        ("截图.png", files.PNG),
        ("报告.docx", files.docx()),
        ("统计表.xlsx", files.xlsx()),
        ("旧报告.doc", files.ole2(DOC)),
        ("旧统计表.xls", files.ole2(XLS)),
        ("电子公文.ofd", files.archive({"OFD.xml": b"<ofd:OFD/>", "Doc_0/Document.xml": b"<x/>"})),
        (
            "材料.zip",
            files.archive({"名单.pdf": files.PDF, "照片/1.jpg": files.JPEG, "表.xlsx": files.xlsx()}),
        ),
    ],
)
def test_files_of_every_allowed_kind_are_accepted(name, content):
    _check(name, content)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("报告.docx", files.rezip(files.docx(), add={"word/vbaProject.bin": b"\0" * 64})),
        (
            "统计表.xlsx",
            files.rezip(
                files.xlsx(),
                types=b'<Override PartName="/xl/workbook.xml" '
                b'ContentType="application/vnd.ms-excel.sheet.macroEnabled.main+xml"/>',
            ),
        ),
        ("旧报告.doc", files.ole2({**DOC, "Macros": {"VBA": {"dir": b"\0"}, "PROJECT": b"ID="}})),
        ("旧统计表.xls", files.ole2({**XLS, "_VBA_PROJECT_CUR": {"VBA": {"dir": b"\0"}}})),
        ("材料.zip", files.rezip(files.docx(), add={"word/vbaProject.bin": b"\0"})),
    ],
)
def test_office_files_with_macros_are_refused(name, content):
    assert "宏" in _refusal(name, content)


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("认定名单.pdf", files.EXE, "PDF"),
        ("报告.docx", files.PDF, "Word 文档（.docx）"),
        ("报告.docx", files.xlsx(), "Word 文档（.docx）"),
        ("旧报告.doc", files.docx(), "Word 97-2003 文档（.doc）"),
        ("旧报告.doc", files.ole2(XLS), "Word 97-2003 文档（.doc）"),
        ("旧统计表.xls", files.ole2(DOC), "Excel 97-2003 工作簿（.xls）"),
        ("现场.jpg", files.PNG, "JPEG 图片"),
        ("截图.png", b"GIF89a" + b"\0" * 20, "PNG 图片"),
        ("电子公文.ofd", files.archive({"a.txt": b"x"}), "OFD"),
        ("材料.zip", files.PDF, "ZIP"),
    ],
)
def test_a_file_whose_content_is_not_what_its_extension_says_is_refused(name, content, kind):
    message = _refusal(name, content)
    assert "文件内容不是" in message and kind in message


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("报告.docx", b"PK\x03\x04" + b"\xff" * 200),
        ("旧报告.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100),
    ],
)
def test_a_damaged_container_is_refused_not_a_500(name, content):
    assert "已损坏" in _refusal(name, content)


def test_a_password_protected_office_file_is_refused_with_the_reason():
    encrypted = files.ole2({"EncryptionInfo": b"\x04\x00\x04\x00", "EncryptedPackage": b"\0" * 64})
    assert "密码" in _refusal("报告.docx", encrypted)


@pytest.mark.parametrize("inside", ["setup.exe", "宏.docm", "脚本/run.vbs", "表.xlsm"])
def test_an_archive_holding_a_program_or_a_macro_document_is_refused(inside):
    message = _refusal("材料.zip", files.archive({"名单.pdf": files.PDF, inside: b"MZ"}))
    assert inside in message and "压缩包" in message


def test_a_checked_upload_can_still_be_read_from_its_start():
    upload = SimpleUploadedFile("报告.docx", files.docx())
    check_evidence(upload)
    assert upload.read(4) == b"PK\x03\x04"


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("认定名单.pdf", "认定名单.pdf"),
        ("长" * 250 + ".pdf", "长" * 196 + ".pdf"),
        ("a" * 300 + ".xlsx", "a" * 195 + ".xlsx"),
        ("无扩展名" * 60, ("无扩展名" * 60)[:200]),
        ("C:\\Users\\科员\\Desktop\\名单.pdf", "名单.pdf"),
    ],
)
def test_a_long_name_is_shortened_to_200_characters_keeping_its_extension(name, kept):
    assert evidence_name(name) == kept
    assert len(evidence_name(name)) <= 200


def test_the_form_refuses_a_macro_file_with_a_chinese_message():
    upload = SimpleUploadedFile("报告.docx", files.rezip(files.docx(), add={"word/vbaProject.bin": b"\0"}))
    form = EvidenceForm(files={"file": upload})
    assert not form.is_valid()
    assert "宏" in " ".join(form.errors["file"])


# --- through the pages -------------------------------------------------------------------------


@pytest.fixture
def firms(plan, departments, settings, tmp_path):
    settings.REPORTING_TODAY = "2024-06-22"
    settings.MEDIA_ROOT = tmp_path
    plan.status = Plan.Status.ACTIVE
    plan.issuing_department = departments["bureau"]
    plan.save()
    owe(plan)
    return services.item_for(f"i{plan.indicators.get(name='净增高新技术企业').pk}", Period(2024, 6))


@pytest.mark.django_db
def test_a_report_refuses_a_macro_document_and_keeps_nothing(login, reporter, firms):
    url = reverse("tracking:evidence-upload", args=[firms.key]) + "?period=2024-06"
    macro = files.ole2({**DOC, "Macros": {"VBA": {"dir": b"\0"}}})
    response = login(reporter).post(url, {"file": SimpleUploadedFile("旧报告.doc", macro)}, **HTMX)
    assert response.status_code == 200
    assert "宏" in response.content.decode()
    assert not Evidence.objects.exists()


@pytest.mark.django_db
def test_a_report_keeps_a_long_name_with_its_extension(login, reporter, firms):
    url = reverse("tracking:evidence-upload", args=[firms.key]) + "?period=2024-06"
    name = "关于" + "认定" * 120 + ".pdf"
    login(reporter).post(url, {"file": SimpleUploadedFile(name, files.PDF)}, **HTMX)
    evidence = Evidence.objects.get()
    assert len(evidence.name) == 200 and evidence.name.endswith(".pdf")
    assert evidence.file.name.endswith(".pdf")


@pytest.mark.django_db
def test_a_contribution_refuses_a_renamed_program(login, departments, firms):
    from ..conftest import make_user

    finance = make_user("finance", departments["finance"], "reporter")
    task = Task.objects.get(title="培育高新技术企业")
    url = reverse("tracking:contribute", args=[task.pk]) + "?period=2024-06"
    data = {"text": "兑现奖补资金", "value": "", "file": SimpleUploadedFile("名单.pdf", files.EXE)}
    response = login(finance).post(url, data, follow=True)
    assert response.status_code == 200
    assert "文件内容不是PDF" in response.content.decode().replace(" ", "")
    assert Contribution.objects.exists() and not Evidence.objects.exists()
