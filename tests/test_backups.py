"""deploy/backup.sh and deploy/restore.sh: a round trip gives back every row and every file.

PostgreSQL only (production's database; pg_dump and pg_restore must be on the PATH). The copy
is restored into a new database beside the test's own, named after it, and dropped afterwards.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import dj_database_url
import psycopg
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from plans.periods import Period
from tracking import services
from tracking.models import Evidence

from .conftest import make_report

ROOT = Path(__file__).resolve().parents[1]
ON_POSTGRES = "postgresql" in settings.DATABASES["default"]["ENGINE"]

pytestmark = [
    pytest.mark.skipif(not ON_POSTGRES, reason="backups are of the PostgreSQL production database"),
    pytest.mark.skipif(not shutil.which("pg_dump"), reason="pg_dump is not installed"),
    pytest.mark.django_db(transaction=True),
]


def _url(**changes: str) -> str:
    """A postgres:// URL for the test database, or another database on the same server."""
    db = {**connection.settings_dict, **changes}
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def _counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        tables = [
            row[0] for row in conn.execute("select tablename from pg_tables where schemaname = 'public'")
        ]
        return {t: conn.execute(f'select count(*) from "{t}"').fetchone()[0] for t in sorted(tables)}


def _run(script: str, *args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, **env}
    return subprocess.run(
        ["bash", str(ROOT / "deploy" / script), *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def spare_database():
    """An empty database beside the test's own, named after the suite's DATABASE_URL."""
    base = dj_database_url.parse(os.environ.get("DATABASE_URL", ""))["NAME"] or "keji"
    name = f"{base}_restore_{secrets.token_hex(4)}"
    admin = _url(NAME="postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'create database "{name}"')
    try:
        yield name
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'drop database if exists "{name}" with (force)')


@pytest.fixture
def evidence(plan, reporter, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    indicator = plan.indicators.get(name="净增高新技术企业")
    lead = indicator.task.responsibilities.get(role="lead").department
    report = make_report(
        indicator=indicator, department=lead, period=Period(2024, 6), value=Decimal("120.5"), progress="进展"
    )
    upload = SimpleUploadedFile("认定名单.pdf", b"%PDF-1.7\n" + secrets.token_bytes(2048))
    item = services.attach_evidence(report=report, upload=upload, user=reporter)
    # a timestamp with microseconds, which dumpdata would round
    Evidence.objects.filter(pk=item.pk).update(
        uploaded_at=datetime(2024, 6, 22, 9, 30, 15, 123456, tzinfo=ZoneInfo("Asia/Shanghai"))
    )
    return item


def test_a_backup_restores_every_row_and_every_file_exactly(evidence, spare_database, tmp_path):
    media, backups, restored_media = tmp_path / "media", tmp_path / "backups", tmp_path / "restored"
    made = _run("backup.sh", DATABASE_URL=_url(), MEDIA_ROOT=str(media), BACKUP_DIR=str(backups))
    assert made.returncode == 0, made.stderr
    folder = Path(made.stdout.strip().splitlines()[-1])
    assert {p.name for p in folder.iterdir()} == {"database.dump", "media.tar.gz", "SHA256SUMS"}

    target = _url(NAME=spare_database)
    restored = _run("restore.sh", str(folder), DATABASE_URL=target, MEDIA_ROOT=str(restored_media))
    assert restored.returncode == 0, restored.stderr

    before, after = _counts(_url()), _counts(target)
    assert after == before
    assert before["tracking_evidence"] == 1 and before["plans_plan"] == 1 and before["auth_user"] >= 1
    with psycopg.connect(target) as conn:
        uploaded_at = conn.execute("select uploaded_at from tracking_evidence").fetchone()[0]
    assert uploaded_at.microsecond == 123456
    files = sorted(p.relative_to(media) for p in media.rglob("*") if p.is_file())
    assert files and files == sorted(
        p.relative_to(restored_media) for p in restored_media.rglob("*") if p.is_file()
    )
    for name in files:
        assert (restored_media / name).read_bytes() == (media / name).read_bytes()


def test_restore_refuses_a_database_that_is_not_empty(evidence, tmp_path):
    made = _run(
        "backup.sh", DATABASE_URL=_url(), MEDIA_ROOT=str(tmp_path / "media"), BACKUP_DIR=str(tmp_path / "b")
    )
    folder = made.stdout.strip().splitlines()[-1]
    refused = _run("restore.sh", folder, DATABASE_URL=_url(), MEDIA_ROOT=str(tmp_path / "restored"))
    assert refused.returncode == 1
    assert "empty database" in refused.stderr


def test_backups_are_rotated_and_a_damaged_one_is_refused(evidence, spare_database, tmp_path):
    env = {"DATABASE_URL": _url(), "MEDIA_ROOT": str(tmp_path / "media"), "BACKUP_DIR": str(tmp_path / "b")}
    folders = [_run("backup.sh", KEEP="2", **env).stdout.strip().splitlines()[-1] for _ in range(3)]
    kept = sorted(str(p) for p in (tmp_path / "b").iterdir())
    assert kept == sorted(folders[1:])
    (Path(folders[-1]) / "media.tar.gz").write_bytes(b"not the archive")
    damaged = _run(
        "restore.sh", folders[-1], DATABASE_URL=_url(NAME=spare_database), MEDIA_ROOT=str(tmp_path / "r")
    )
    assert damaged.returncode == 2 and "damaged" in damaged.stderr
    assert _counts(_url(NAME=spare_database)) == {}
