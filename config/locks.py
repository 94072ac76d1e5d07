"""Run a scheduled command on one node at a time: a PostgreSQL advisory lock around its work.

Cron (or the systemd timers of deploy/) starts the scheduled commands on one app server only
(README "From one server to several"). The lock is the safety net for the day they are enabled
on two, or a long `refresh_status --all` is still running when the daily one starts: the second
run finds the lock taken and stops without doing anything.

The lock is a session-level advisory lock: it lives as long as the database connection that
took it, so it is released by the end of the block or, if the process dies, by PostgreSQL
itself. (Behind a pgbouncer in transaction mode session locks do not hold; point the cron
node's DATABASE_URL straight at PostgreSQL.) On SQLite, the demo's single-server database,
there is nothing to share and `run_once` does nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections


class AlreadyRunning(Exception):
    """Another process (on this server or another) holds the lock of this name."""


def lock_key(name: str) -> int:
    """The advisory lock's number for a name: a stable signed 64-bit integer."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)


@contextmanager
def run_once(name: str, using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Hold the lock `name` for the block; raise AlreadyRunning at once if it is taken."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    key = lock_key(name)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        if not cursor.fetchone()[0]:
            raise AlreadyRunning(name)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
