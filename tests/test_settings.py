"""The production settings pass Django's deployment checklist and refuse unsafe values."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


PRODUCTION_ONLY = {
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "EMAIL_BACKEND",
    "SITE_URL",
    "INTRANET_PLAIN_HTTP",
}
SECRET = "x7Kq!p2-" * 8


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ONLY}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _env_file(name: str) -> dict[str, str]:
    """The variables of one of the README's production variants (deploy/*.env.example)."""
    lines = (ROOT / "deploy" / name).read_text().splitlines()
    pairs = [line.split("=", 1) for line in lines if line.strip() and not line.startswith("#")]
    return {key.strip(): value.strip() for key, value in pairs}


@pytest.mark.parametrize("variant", ["https.env.example", "intranet-http.env.example"])
def test_each_production_variant_of_the_readme_passes_check_deploy(variant):
    env = {**_env_file(variant), "SECRET_KEY": SECRET}
    run = _manage("check", "--deploy", "--fail-level", "WARNING", **env)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "no issues" in run.stdout


def test_the_readme_names_both_variants_and_their_files():
    readme = (ROOT / "README.md").read_text()
    assert "deploy/https.env.example" in readme and "deploy/intranet-http.env.example" in readme
    assert "INTRANET_PLAIN_HTTP" in readme


def test_plain_http_without_the_intranet_setting_is_reported():
    """Turning HTTPS off piecemeal, as the README once said, is what the checks exist to catch."""
    env = {**_env_file("https.env.example"), "SECRET_KEY": SECRET, "SECURE_SSL_REDIRECT": "0"}
    run = _manage("check", "--deploy", "--fail-level", "WARNING", **env)
    assert run.returncode != 0
    assert "security.W008" in run.stderr + run.stdout


@pytest.mark.parametrize(
    ("change", "check"),
    [
        ({"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}, "keji.E001"),
        ({"EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend"}, "keji.E001"),
        ({"SITE_URL": ""}, "keji.E002"),
        ({"DATABASE_URL": "sqlite:////srv/keji/db.sqlite3"}, "keji.W003"),
    ],
)
def test_production_without_mail_a_site_url_or_postgresql_fails_check_deploy(change, check):
    env = {**_env_file("https.env.example"), "SECRET_KEY": SECRET, **change}
    env = {key: value for key, value in env.items() if value}
    run = _manage("check", "--deploy", "--fail-level", "WARNING", **env)
    assert run.returncode != 0
    output = run.stdout + run.stderr
    assert check in output
    assert output.count("(keji.") == 1 and output.count("(security.") == 0


def test_production_sends_mail_through_smtp_unless_told_otherwise():
    """Reminders are recorded as sent only when they were: production never falls back to the console."""
    unset = ("EMAIL_BACKEND", "SECRET_KEY")
    env = {k: v for k, v in _env_file("https.env.example").items() if k not in unset}
    code = "from django.conf import settings; print(settings.EMAIL_BACKEND)"
    run = _manage("shell", "-v", "0", "-c", code, **env, SECRET_KEY=SECRET)
    assert run.stdout.strip() == "django.core.mail.backends.smtp.EmailBackend", run.stderr


def test_production_refuses_to_start_without_a_secret_key():
    run = _manage("check", DEBUG="0", ALLOWED_HOSTS="keji.example.gov.cn")
    assert run.returncode != 0
    assert "SECRET_KEY must be set" in run.stderr


def test_a_malformed_boolean_is_an_error_not_a_guess():
    run = _manage("check", DEBUG="maybe")
    assert run.returncode != 0
    assert "DEBUG must be a boolean" in run.stderr


@pytest.mark.parametrize(("name", "value"), [("LOGIN_FAILURE_LIMIT", "30"), ("PASSWORD_MIN_LENGTH", "6")])
def test_a_weaker_login_setting_than_the_review_allows_refuses_to_start(name, value):
    run = _manage("check", **{name: value})
    assert run.returncode != 0
    assert name in run.stderr


def test_the_cache_the_storage_and_the_upload_limit_come_from_the_environment():
    code = (
        "from django.conf import settings as s; "
        "print(s.CACHES['default']['BACKEND'], s.CACHES['default']['LOCATION'], s.STORAGES['default'], "
        "s.UPLOAD_MAX_MB, s.EVIDENCE_MAX_BYTES)"
    )
    env = {
        "CACHE_URL": "redis://10.1.2.7:6379/1",
        "MEDIA_STORAGE_BACKEND": "storages.backends.s3.S3Storage",
        "MEDIA_STORAGE_OPTIONS": '{"bucket_name": "keji"}',
        "UPLOAD_MAX_MB": "50",
    }
    run = _manage("shell", "-v", "0", "-c", code, **env)
    assert run.stdout.split(" ", 2)[:2] == [
        "django.core.cache.backends.redis.RedisCache",
        "redis://10.1.2.7:6379/1",
    ]
    assert "'BACKEND': 'storages.backends.s3.S3Storage', 'OPTIONS': {'bucket_name': 'keji'}" in run.stdout
    assert run.stdout.strip().endswith(f"50 {50 * 1024 * 1024}"), run.stderr


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"CACHE_URL": "memcached://10.1.2.7"}, "CACHE_URL must be"),
        ({"MEDIA_STORAGE_OPTIONS": "bucket=keji"}, "MEDIA_STORAGE_OPTIONS must be a JSON object"),
        ({"UPLOAD_MAX_MB": "0"}, "UPLOAD_MAX_MB must be at least 1"),
        (
            {"UPLOAD_MAX_MB": "5", "EVIDENCE_MAX_BYTES": str(6 * 1024 * 1024)},
            "EVIDENCE_MAX_BYTES cannot exceed",
        ),
    ],
)
def test_a_malformed_shared_setting_refuses_to_start(env, message):
    run = _manage("check", **env)
    assert run.returncode != 0
    assert message in run.stderr
