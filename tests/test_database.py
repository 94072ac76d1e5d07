"""SQLite, the demo's database, lets several people save at once without "database is locked"."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Twenty people save at the same moment, each in a transaction that reads before it writes
# (as the report views do). A file database, as `make run` uses: the test database of the
# suite lives in memory, where SQLite locks differently.
SAVES = """
import json, threading, time
import django
django.setup()
from django.db import connection, transaction
from departments.models import Region

with connection.schema_editor() as editor:
    editor.create_model(Region)
pragmas = {
    "journal_mode": connection.cursor().execute("PRAGMA journal_mode").fetchone()[0],
    "busy_timeout": connection.cursor().execute("PRAGMA busy_timeout").fetchone()[0],
}
connection.close()
start, errors = threading.Barrier(20), []

def save(n):
    start.wait()
    try:
        with transaction.atomic():
            seen = Region.objects.count()
            time.sleep(0.02)
            Region.objects.create(name=f"region {n} after {seen}", level="county")
    except Exception as exc:
        errors.append(f"{type(exc).__name__}: {exc}")
    finally:
        connection.close()

threads = [threading.Thread(target=save, args=(n,)) for n in range(20)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(json.dumps({"saved": Region.objects.count(), "errors": errors, **pragmas}))
"""


def _run_saves(database: Path, **env: str) -> dict:
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", **env}
    environment["DJANGO_SETTINGS_MODULE"] = "config.settings"
    run = subprocess.run(
        [sys.executable, "-c", SAVES], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout.strip().splitlines()[-1])


def test_twenty_concurrent_saves_on_sqlite_all_succeed(tmp_path):
    result = _run_saves(tmp_path / "db.sqlite3")
    assert result["errors"] == []
    assert result["saved"] == 20
    assert result["journal_mode"] == "wal"
    assert result["busy_timeout"] == 20000
