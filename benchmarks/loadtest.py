"""A bounded month-end rush on the province's data: logged-in users saving, listing, looking.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/keji_province \\
        python benchmarks/loadtest.py [--users 50] [--seconds 60] [--workers 4]

Runs on the province built by `bench_province.py` (run that first). Starts gunicorn on the
loopback with DEBUG off (as `deploy/systemd/keji.service` does, `--workers` processes), logs in
`--users` county reporters who have a report still open in June 2024 and ten leaders (a county's,
a city's, the province's), then for `--seconds` each user sends one request after another, no
pause between them, chosen at random:

- 70% autosave the open report (the entry form's htmx POST with the version it last saw; each
  save's answer carries the next version, as in the browser);
- 20% the reporter's due list (`/reports/due/`);
- 10% a leader's cockpit (`/cockpit/`), through one of the leaders' sessions.

Prints requests per second, p50 and p95 by kind and in all, and the errors (any answer other
than 200, a refused save, a connection error); the last line is
`load: N req/s, p50 A ms, p95 B ms, E errors (U users, S s, W workers)`. The client runs on the
same machine as the server and takes some of its CPU, as a real test on one box would.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "benchmarks"))

import province  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/keji_province"
LEADERS = ["p-leader", "c01-leader", "c05-leader", "c12-leader"] + [f"k{c:02d}01-leader" for c in range(1, 7)]
ITEM = re.compile(r'href="(/reports/item/[\w-]+/)\?period=([\d-]+)"')
SAVE = re.compile(r'hx-post="(/reports/item/[\w-]+/save/)\?period=([\d-]+)"')
VERSION = re.compile(r'name="version"[^>]*value="(\d+)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Session:
    """One logged-in browser: its own connection to the server and its cookies."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method: str, path: str, body: dict | None = None, headers: dict | None = None):
        head = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), **(headers or {})}
        data = None
        if body is not None:
            data = urlencode(body)
            head["Content-Type"] = "application/x-www-form-urlencoded"
            head["X-CSRFToken"] = self.cookies.get("csrftoken", "")
            head["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        for attempt in (1, 2):
            try:
                self.connection.request(method, path, body=data, headers=head)
                response = self.connection.getresponse()
                text = response.read().decode()
                break
            except (ConnectionError, http.client.HTTPException):
                self.connection.close()
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt == 2:
                    raise
        for value in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(value).items():
                self.cookies[name] = morsel.value
        return response.status, text

    def login(self, username: str) -> None:
        status, page = self.request("GET", "/login/")
        token = CSRF.search(page).group(1)
        status, _ = self.request(
            "POST",
            "/login/",
            {"username": username, "password": province.PASSWORD, "csrfmiddlewaretoken": token},
        )
        if status != 302:
            raise SystemExit(f"{username} could not log in ({status})")


class Reporter:
    """A reporter with an open report: the entry form's save URL, its period and version."""

    def __init__(self, session: Session, save: str, period: str, version: str):
        self.session, self.save, self.period, self.version = session, save, period, version
        self.lock = threading.Lock()

    @classmethod
    def find(cls, port: int, username: str) -> Reporter | None:
        session = Session(port)
        session.login(username)
        status, due = session.request("GET", "/reports/due/")
        for path, period in dict.fromkeys(ITEM.findall(due)):
            status, page = session.request("GET", f"{path}?period={period}")
            save, version = SAVE.search(page), VERSION.search(page)
            if status == 200 and save and version:
                return cls(session, f"{save.group(1)}?period={save.group(2)}", period, version.group(1))
        return None


def start_server(port: int, workers: int, url: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "0",
        "SECRET_KEY": "province-loadtest",
        "ALLOWED_HOSTS": "127.0.0.1",
        "INTRANET_PLAIN_HTTP": "1",
        "REPORTING_TODAY": province.TODAY,
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    bin_dir = Path(sys.executable).parent
    subprocess.run(
        [str(bin_dir / "python"), "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=REPO_ROOT,
        env=env,
        check=True,
    )
    server = subprocess.Popen(
        [
            str(bin_dir / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=REPO_ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def reporters(port: int, wanted: int) -> list[Reporter]:
    """Reporters with an open report in June, one per department, across the counties."""
    found: list[Reporter] = []
    for city, county in province.county_numbers():
        for department in range(1, len(province.DEPARTMENTS) + 1, 3):
            reporter = Reporter.find(port, f"k{city:02d}{county:02d}-d{department:02d}-reporter")
            if reporter:
                found.append(reporter)
            if len(found) == wanted:
                return found
    raise SystemExit(f"only {len(found)} reporters with an open report: build the province first")


def run(port: int, users: list[Reporter], leaders: list[Session], seconds: float) -> dict[str, list]:
    timings: dict[str, list[float]] = {"autosave": [], "due list": [], "cockpit": []}
    errors: list[str] = []
    stop = time.perf_counter() + seconds
    guard = threading.Lock()

    def user(index: int, reporter: Reporter) -> None:
        chooser = random.Random(index)
        leader = leaders[index % len(leaders)]
        while time.perf_counter() < stop:
            roll = chooser.random()
            started = time.perf_counter()
            try:
                if roll < 0.7:
                    kind = "autosave"
                    body = {
                        "value": str(chooser.randint(1, 30)),
                        "progress": f"截至本月完成{chooser.randint(1, 99)}%，正在推进。",
                        "problems": "",
                        "next_steps": "",
                        "version": reporter.version,
                    }
                    status, text = reporter.session.request(
                        "POST", reporter.save, body, {"HX-Request": "true"}
                    )
                    version = VERSION.search(text)
                    if status == 200 and version:
                        reporter.version = version.group(1)
                    else:
                        errors.append(f"autosave {status}: {text[:120]!r}")
                elif roll < 0.9:
                    kind = "due list"
                    status, text = reporter.session.request("GET", "/reports/due/")
                else:
                    kind = "cockpit"
                    with leader_locks[id(leader)]:
                        status, text = leader.request("GET", "/cockpit/")
                if status != 200:
                    errors.append(f"{kind} {status}")
            except Exception as error:  # a refused connection or a timeout is an error, not a crash
                kind = "error"
                errors.append(f"{type(error).__name__}: {error}")
            elapsed = time.perf_counter() - started
            if kind != "error":
                with guard:
                    timings[kind].append(elapsed)

    leader_locks = {id(leader): threading.Lock() for leader in leaders}
    threads = [threading.Thread(target=user, args=(i, r), daemon=True) for i, r in enumerate(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"timings": timings, "errors": errors}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--port", type=int, default=8077)
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    server = start_server(args.port, args.workers, url)
    try:
        started = time.perf_counter()
        users = reporters(args.port, args.users)
        leaders = []
        for username in LEADERS:
            session = Session(args.port)
            session.login(username)
            leaders.append(session)
        took = time.perf_counter() - started
        print(f"logged in {len(users)} reporters and {len(leaders)} leaders in {took:.0f} s")
        result = run(args.port, users, leaders, args.seconds)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    timings, errors = result["timings"], result["errors"]
    every = [t for values in timings.values() for t in values]
    print(f"{'':12}{'requests':>10}{'share':>8}{'p50 ms':>9}{'p95 ms':>9}")
    for kind, values in [*timings.items(), ("all", every)]:
        if values:
            p50, p95 = statistics.median(values) * 1000, statistics.quantiles(values, n=20)[-1] * 1000
            print(f"{kind:12}{len(values):10d}{len(values) / len(every):8.0%}{p50:9.0f}{p95:9.0f}")
    for line in sorted(set(errors))[:10]:
        print(f"error: {line} ({errors.count(line)}×)")
    rate = len(every) / args.seconds
    p50, p95 = statistics.median(every) * 1000, statistics.quantiles(every, n=20)[-1] * 1000
    print(
        f"load: {rate:.0f} req/s, p50 {p50:.0f} ms, p95 {p95:.0f} ms, {len(errors)} errors "
        f"({len(users)} users, {args.seconds:.0f} s, {args.workers} workers)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
