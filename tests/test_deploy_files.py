"""The files of deploy/ name what exists: commands, modules, scripts, paths and limits of the app."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
SYSTEMD = DEPLOY / "systemd"
NGINX = DEPLOY / "nginx"
APP = "/srv/keji"  # where the units and the nginx sites expect the checkout (README)


def unit(path: Path) -> dict[str, list[str]]:
    """`Section.Key` → every value given to it (systemd allows a key more than once)."""
    values: dict[str, list[str]] = {}
    section = ""
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            section = line.strip("[]")
            continue
        key, _, value = line.partition("=")
        values.setdefault(f"{section}.{key}", []).append(value)
    return values


SERVICES = sorted(SYSTEMD.glob("*.service"))
TIMERS = sorted(SYSTEMD.glob("*.timer"))


def test_the_app_the_worker_and_each_scheduled_job_have_a_unit():
    names = {path.name for path in SERVICES}
    assert {"keji.service", "keji-worker.service"} <= names
    scheduled = {path.stem for path in SERVICES if unit(path)["Service.Type"] == ["oneshot"]}
    assert (
        scheduled
        == {path.stem for path in TIMERS}
        == {
            "keji-refresh-status",
            "keji-reminders",
            "keji-backup",
            "keji-prune-exports",
        }
    )
    for timer in TIMERS:
        assert unit(timer)["Timer.OnCalendar"], timer.name


@pytest.mark.parametrize("path", SERVICES, ids=[path.name for path in SERVICES])
def test_each_unit_runs_from_the_checkout_with_the_production_environment(path):
    values = unit(path)
    assert values["Service.WorkingDirectory"] == [APP]
    assert values["Service.EnvironmentFile"] == ["/etc/keji/keji.env"]
    assert values["Service.User"] == ["keji"]
    for setting in values.get("Service.Environment", []):
        name, _, value = setting.partition("=")
        if name == "DJANGO_SETTINGS_MODULE":
            assert importlib.util.find_spec(value) is not None, value


def _commands() -> list[tuple[str, str]]:
    found = []
    for path in SERVICES:
        for command in unit(path)["Service.ExecStart"]:
            found.append((path.name, command))
    return found


@pytest.mark.parametrize(("name", "command"), _commands(), ids=[name for name, _ in _commands()])
def test_each_command_a_unit_starts_exists(name, command):
    program, *arguments = command.split()
    assert program.startswith(f"{APP}/"), command
    relative = program.removeprefix(f"{APP}/")
    executable = None
    if relative.startswith(".venv/bin/"):
        executable = relative.removeprefix(".venv/bin/")
        assert executable in {"python", "gunicorn"}, command
    else:
        script = ROOT / relative
        assert script.is_file() and os.access(script, os.X_OK), f"{relative} is not an executable script"
    if executable == "gunicorn":
        dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
        assert any(dependency.startswith("gunicorn==") for dependency in dependencies)
        module = arguments[0].split(":")[0]
        assert importlib.util.find_spec(module) is not None, module
    if executable == "python":
        assert arguments[0] == "manage.py" and (ROOT / "manage.py").is_file()
        if arguments[1] == "db_worker" and "db_worker" not in get_commands():
            pytest.skip("django-tasks' database backend is not installed yet; keji-worker.service awaits it")
        assert arguments[1] in get_commands(), f"manage.py {arguments[1]} does not exist"


def _nginx(name: str) -> str:
    return (NGINX / name).read_text()


SITES = ["keji-https.conf", "keji-intranet-http.conf"]


@pytest.mark.parametrize("site", SITES)
def test_each_nginx_site_proxies_to_the_units_gunicorn_and_includes_the_shared_locations(site):
    text = _nginx(site)
    bind = next(
        value.split("=", 1)[1]
        for value in unit(SYSTEMD / "keji.service")["Service.Environment"]
        if value.startswith("GUNICORN_BIND=")
    )
    assert re.search(rf"upstream keji_app \{{\s*server {re.escape(bind)}\b", text)
    assert "include /etc/nginx/snippets/keji-locations.conf;" in text
    assert "/etc/nginx/snippets/keji-locations.conf" in _nginx("keji-locations.conf")


def _env_example(name: str) -> dict[str, str]:
    lines = (DEPLOY / name).read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line.strip() and not line.startswith("#"))


def test_nginx_serves_static_from_static_root_and_asks_the_app_for_the_rest():
    text = _nginx("keji-locations.conf")
    static = re.search(r"location /static/ \{\s*root (\S+);", text)
    assert static is not None
    for example in ("https.env.example", "intranet-http.env.example"):
        assert _env_example(example)["STATIC_ROOT"] == f"{static.group(1)}/static"
    assert f"location = {reverse('healthz')} {{" in text
    for header in ("Host $host", "X-Forwarded-For $proxy_add_x_forwarded_for", "X-Forwarded-Proto $scheme"):
        assert f"proxy_set_header {header};" in text


def test_nginx_lets_a_file_just_over_the_upload_limit_reach_the_app_and_stops_larger_ones_in_chinese():
    text = _nginx("keji-locations.conf")
    body = int(re.search(r"client_max_body_size (\d+)m;", text).group(1))
    assert settings.UPLOAD_MAX_MB < body <= settings.UPLOAD_MAX_MB + 10
    assert "error_page 413 @too_large;" in text
    assert f"上传上限（{settings.UPLOAD_MAX_MB} MB）" in text
    for example in ("https.env.example", "intranet-http.env.example"):
        assert _env_example(example)["UPLOAD_MAX_MB"] == str(settings.UPLOAD_MAX_MB)


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed on this machine")
@pytest.mark.parametrize("site", SITES)
def test_nginx_accepts_each_site(site, tmp_path):
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=keji"]
        + ["-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")],
        check=True,
        capture_output=True,
    )
    text = (
        _nginx(site)
        .replace("/etc/nginx/snippets/keji-locations.conf", str(NGINX / "keji-locations.conf"))
        .replace("/etc/ssl/keji/fullchain.pem", str(tmp_path / "cert.pem"))
        .replace("/etc/ssl/keji/privkey.pem", str(tmp_path / "key.pem"))
    )
    (tmp_path / "site.conf").write_text(text)
    (tmp_path / "logs").mkdir()
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/logs/error.log;\nevents {{}}\n"
        f"http {{\n include /etc/nginx/mime.types;\n include {tmp_path}/site.conf;\n}}\n"
    )
    run = subprocess.run(
        ["nginx", "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr


def test_the_readme_names_every_file_of_deploy():
    readme = (ROOT / "README.md").read_text()
    for path in sorted(DEPLOY.rglob("*")):
        if path.is_file():
            assert str(path.relative_to(ROOT)) in readme, (
                f"the README does not mention {path.relative_to(ROOT)}"
            )
