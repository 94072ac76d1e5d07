"""The production settings pass Django's deployment checklist and refuse unsafe values."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy():
    run = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="x7Kq!p2-" * 8,
        ALLOWED_HOSTS="keji.example.gov.cn",
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "no issues" in run.stdout


def test_production_refuses_to_start_without_a_secret_key():
    run = _manage("check", DEBUG="0", ALLOWED_HOSTS="keji.example.gov.cn")
    assert run.returncode != 0
    assert "SECRET_KEY must be set" in run.stderr


def test_a_malformed_boolean_is_an_error_not_a_guess():
    run = _manage("check", DEBUG="maybe")
    assert run.returncode != 0
    assert "DEBUG must be a boolean" in run.stderr
