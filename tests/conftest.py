"""Shared fixtures: a small region tree, one plan, and the personas of STYLE.md."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from departments.models import Department, Membership, Region, Role
from plans.models import IndicatorShare
from plans.periods import Period
from plans.services import create_plan
from tracking import obligations, snapshot
from tracking.models import Obligation, ProgressReport

PASSWORD = "test-pass-123"

PLAN_STRUCTURE = {
    "title": "测试县科技局2024年工作计划",
    "year": 2024,
    "goals": [
        {
            "text": "全社会研发经费投入增长12%以上",
            "name": "全社会研发经费投入增长",
            "value": 12,
            "value_max": None,
            "unit": "%",
            "comparator": ">=",
            "kind": "growth_rate",
        },
    ],
    "sections": [
        {
            "label": "(一)",
            "title": "标志性工程提速",
            "theme": "提速",
            "tasks": [
                {
                    "number": "1",
                    "title": "培育高新技术企业",
                    "text": "培育高新技术企业。全年净增高新技术企业310家。",
                    "lead": ["县科技局"],
                    "co": ["县财政局"],
                    "indicators": [
                        {
                            "text": "全年净增高新技术企业310家",
                            "name": "净增高新技术企业",
                            "value": 310,
                            "value_max": None,
                            "unit": "家",
                            "comparator": "=",
                            "kind": "count",
                        },
                    ],
                },
            ],
        },
        {
            "label": "(二)",
            "title": "平台能级提档",
            "theme": "提档",
            "tasks": [
                {
                    "number": "1",
                    "title": "建设省级基地",
                    "text": "建设省级基地。新认定省级基地2-3家。",
                    "lead": ["县财政局"],
                    "co": [],
                    "indicators": [
                        {
                            "text": "新认定省级基地2-3家",
                            "name": "新认定省级基地",
                            "value": 2,
                            "value_max": 3,
                            "unit": "家",
                            "comparator": "range",
                            "kind": "count",
                        },
                    ],
                },
            ],
        },
    ],
}


@pytest.fixture
def regions(db):
    province = Region.objects.create(name="测试省", level=Region.Level.PROVINCE)
    city = Region.objects.create(name="测试市", level=Region.Level.CITY, parent=province)
    county = Region.objects.create(name="测试县", level=Region.Level.COUNTY, parent=city)
    other = Region.objects.create(name="邻县", level=Region.Level.COUNTY, parent=city)
    return {"province": province, "city": city, "county": county, "other": other}


@pytest.fixture
def departments(regions):
    bureau = Department.objects.create(name="县商务科技和工业信息化局", region=regions["county"])
    bureau.aliases.create(name="县科技局")
    finance = Department.objects.create(name="县财政局", region=regions["county"])
    city_bureau = Department.objects.create(name="市科技局", region=regions["city"])
    neighbour = Department.objects.create(name="邻县科技局", region=regions["other"])
    return {"bureau": bureau, "finance": finance, "city_bureau": city_bureau, "neighbour": neighbour}


def owe(plan, starting: Period | None = None):
    """The plan's obligations in step with it, owed from its first month (or `starting`), and
    its targets judged: what `services.plan_changed` does, for a plan the test built by hand."""
    obligations.sync(plan, starting=starting or plan.first_period)
    snapshot.refresh(plans=[plan])
    return plan


def obligation_for(*, indicator=None, share=None, task=None, department=None, period=None, kind="report"):
    """The obligation on the item that covers the month (the first one when no month is given)."""
    found = Obligation.objects.filter(kind=kind)
    if share is not None:
        found = found.filter(share=share)
    elif indicator is not None:
        found = found.filter(indicator=indicator, share__isnull=True)
    else:
        found = found.filter(task=task, indicator__isnull=True)
    if department is not None:
        found = found.filter(department=department)
    if period is not None:
        found = found.active_in(period)
    obligation = found.order_by("starts").first()
    assert obligation is not None, f"nobody owes {indicator or share or task} ({department}, {period})"
    return obligation


def report_row(*, indicator=None, share=None, task=None, department=None, period=None, **fields):
    """An unsaved report on whatever obligation owes the item that month (for bulk_create)."""
    obligation = obligation_for(
        indicator=indicator, share=share, task=task, department=department, period=period
    )
    return ProgressReport(obligation=obligation, period=period, **fields)


def make_report(**kwargs) -> ProgressReport:
    """A report written straight to the database, on the obligation that owes the item that month,
    and the target judged again from that month (as the services do after a state change)."""
    report = report_row(**kwargs)
    report.save()
    if report.obligation.indicator_id:
        snapshot.refresh(indicators=[report.obligation.indicator], starting=report.period)
    return report


@pytest.fixture
def plan(regions, departments):
    return owe(
        create_plan(
            structure=PLAN_STRUCTURE,
            region=regions["county"],
            departments={"县科技局": departments["bureau"], "县财政局": departments["finance"]},
            status="active",
        )
    )


def make_user(username: str, department: Department | None = None, role: str | None = None, **extra):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, **extra)
    if department is not None:
        Membership.objects.create(user=user, department=department, role=role)
    return user


@pytest.fixture
def reporter(departments):
    return make_user("reporter", departments["bureau"], Role.REPORTER)


@pytest.fixture
def reviewer(departments):
    return make_user("reviewer", departments["bureau"], Role.REVIEWER)


@pytest.fixture
def coordinator(departments):
    return make_user("coordinator", departments["bureau"], Role.COORDINATOR)


@pytest.fixture
def leader(departments):
    return make_user("leader", departments["city_bureau"], Role.LEADER)


@pytest.fixture
def stranger(departments):
    """Staff of a department in another county: must see nothing of the plan."""
    return make_user("stranger", departments["neighbour"], Role.REPORTER)


@pytest.fixture
def city_plan(regions, departments):
    """The city's plan: 高新技术企业 650家, led by the city bureau, decomposed to its two counties;
    each county's share is reported by that county's bureau (a share with a region, no department)."""
    structure = {
        "title": "测试市2024年科技创新工作要点",
        "year": 2024,
        "goals": [],
        "sections": [
            {
                "label": "一、",
                "title": "企业创新",
                "theme": "",
                "tasks": [
                    {
                        "number": "1",
                        "title": "壮大高新技术企业",
                        "text": "全市新增高新技术企业650家。",
                        "lead": ["市科技局"],
                        "co": [],
                        "indicators": [
                            {
                                "text": "全市新增高新技术企业650家",
                                "name": "新增高新技术企业",
                                "value": 650,
                                "value_max": None,
                                "unit": "家",
                                "comparator": ">=",
                                "kind": "count",
                            }
                        ],
                    }
                ],
            }
        ],
    }
    plan = create_plan(
        structure=structure,
        region=regions["city"],
        departments={"市科技局": departments["city_bureau"]},
        issuing_department=departments["city_bureau"],
        status="active",
    )
    indicator = plan.indicators.get()
    for county, bureau, target in (("county", "bureau", 400), ("other", "neighbour", 250)):
        IndicatorShare.objects.create(
            indicator=indicator, region=regions[county], target=Decimal(target), reporter=departments[bureau]
        )
    return owe(plan)


@pytest.fixture(scope="module")
def demo_db(django_db_setup, django_db_blocker):
    """The demo data (demo.loader), loaded once for a module's tests and flushed after them; each
    test's own writes are rolled back as usual."""
    from demo.loader import load_demo

    with django_db_blocker.unblock():
        load_demo()
    yield
    with django_db_blocker.unblock():
        call_command("flush", "--noinput", verbosity=0)


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


def convert_to_pdf(source, outdir) -> bytes:
    """Convert a produced file with LibreOffice, as a bureau would print it; the PDF's bytes."""
    import subprocess

    subprocess.run(
        ["libreoffice", "--headless", "--convert-to", "pdf", "--outdir", str(outdir), str(source)],
        check=True,
        capture_output=True,
        timeout=180,
        env={"HOME": str(outdir), "PATH": "/usr/bin:/bin"},
    )
    return (outdir / (source.stem + ".pdf")).read_bytes()


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings):
    """Background tasks run inside the request that starts them; a test may run the worker instead."""
    settings.TASKS = {"default": {"BACKEND": settings.TASK_BACKENDS["immediate"]}}


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Hashing is slow on purpose; tests log in hundreds of times."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_cache(settings):
    """Each test starts with an empty cache of its own (a cockpit tile of another test's plan of the
    same id is never seen). Production's cache is a table of the database (`tests/test_shared_state.py`
    and `tests/test_health.py` use it); here each test gets a fresh in-memory one instead, which a test
    without database access may touch and which adds no query to a page's count."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": uuid.uuid4().hex}
    }
