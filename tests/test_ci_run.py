""".ci/run fails when PostgreSQL does not answer, unless told to skip it; `make` is a stub here."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CLOSED = "postgres://postgres@127.0.0.1:1/nothing"  # port 1: nothing listens, refused at once


def run_ci(tmp_path: Path, make_exit: int = 0, **env: str) -> tuple[subprocess.CompletedProcess, list[str]]:
    """Run .ci/run with `make` and `pg_ctlcluster` stubbed on PATH; what it ran, in order."""
    stubs, log = tmp_path / "bin", tmp_path / "calls.log"
    stubs.mkdir()
    for name, status in (("make", make_exit), ("pg_ctlcluster", 0)):
        stub = stubs / name
        stub.write_text(
            f'#!/bin/sh\necho "{name} $* DATABASE_URL=${{DATABASE_URL:-}}" >> "{log}"\nexit {status}\n'
        )
        stub.chmod(0o755)
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CI_SKIP_POSTGRES"}}
    environment.update(PATH=f"{stubs}:{os.environ['PATH']}", PG_WAIT_SECONDS="1", **env)
    run = subprocess.run(
        ["bash", str(ROOT / ".ci" / "run")], env=environment, capture_output=True, text=True, timeout=60
    )
    return run, log.read_text().splitlines() if log.exists() else []


def test_it_fails_with_a_clear_message_when_postgresql_does_not_answer(tmp_path):
    run, calls = run_ci(tmp_path, PG_URL=CLOSED)

    assert run.returncode == 1
    assert f"FAILED: PostgreSQL does not answer at {CLOSED}" in run.stderr
    assert "CI_SKIP_POSTGRES=1" in run.stderr
    assert calls[0] == "make test DATABASE_URL="  # SQLite ran first
    assert any(call.startswith("pg_ctlcluster ") for call in calls)  # it tried to start one
    assert not any("DATABASE_URL=postgres" in call for call in calls)


def test_an_explicit_opt_out_skips_postgresql_loudly(tmp_path):
    run, calls = run_ci(tmp_path, PG_URL=CLOSED, CI_SKIP_POSTGRES="1")

    assert run.returncode == 0
    assert "the suite was NOT run on PostgreSQL" in run.stdout
    assert calls == ["make test DATABASE_URL="]


def test_a_failing_sqlite_run_fails_the_whole_run(tmp_path):
    run, calls = run_ci(tmp_path, make_exit=2, PG_URL=CLOSED, CI_SKIP_POSTGRES="1")

    assert run.returncode == 2
    assert calls == ["make test DATABASE_URL="]
    assert "NOT run on PostgreSQL" not in run.stdout


def test_when_postgresql_answers_the_suite_runs_again_on_it(tmp_path):
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        pytest.skip("needs a PostgreSQL server to answer: run the suite with DATABASE_URL=postgres://…")

    run, calls = run_ci(tmp_path, PG_URL=url)

    assert run.returncode == 0, run.stderr
    assert calls == ["make test DATABASE_URL=", f"make test DATABASE_URL={url}"]


def test_a_server_that_answers_without_the_named_database_counts_as_answering(tmp_path):
    """The suite makes its own test_<name> database: only the server has to be there."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        pytest.skip("needs a PostgreSQL server to answer: run the suite with DATABASE_URL=postgres://…")
    missing = url.rsplit("/", 1)[0] + "/no_such_database_here"

    run, calls = run_ci(tmp_path, PG_URL=missing)

    assert run.returncode == 0, run.stderr
    assert calls == ["make test DATABASE_URL=", f"make test DATABASE_URL={missing}"]
