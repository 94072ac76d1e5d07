"""Scheduled commands run on one node at a time: a second run while one is under way does nothing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from io import StringIO

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from config.locks import AlreadyRunning, lock_key, run_once
from plans.periods import Period
from tracking.models import TargetStatus

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="advisory locks are PostgreSQL's; on SQLite (the demo's single server) run_once does nothing",
)


@contextmanager
def another_node(name: str) -> Iterator[bool]:
    """Another server's process trying the lock on its own connection: whether it got it."""
    params = connection.settings_dict
    with psycopg.connect(
        dbname=params["NAME"],
        user=params["USER"] or None,
        password=params["PASSWORD"] or None,
        host=params["HOST"] or None,
        port=params["PORT"] or None,
        autocommit=True,
    ) as other:
        got = other.execute("SELECT pg_try_advisory_lock(%s)", [lock_key(name)]).fetchone()[0]
        try:
            yield got
        finally:
            if got:
                other.execute("SELECT pg_advisory_unlock(%s)", [lock_key(name)])


def test_lock_names_give_different_stable_keys():
    assert lock_key("refresh_status") == lock_key("refresh_status")
    assert lock_key("refresh_status") != lock_key("send_reminders")
    assert -(2**63) <= lock_key("refresh_status") < 2**63


@pytest.mark.skipif(connection.vendor == "postgresql", reason="what SQLite does; PostgreSQL locks below")
def test_on_sqlite_run_once_does_nothing_and_never_refuses():
    with run_once("refresh_status"), run_once("refresh_status"):
        pass


@on_postgresql
def test_a_lock_held_on_another_node_refuses_at_once_and_is_free_again_after():
    with another_node("refresh_status") as held, pytest.raises(AlreadyRunning):
        assert held
        with run_once("refresh_status"):
            pytest.fail("ran while another node held the lock")
    with run_once("refresh_status"), another_node("refresh_status") as held:
        assert not held  # while this process runs, another node cannot start
        with another_node("send_reminders") as other_command:
            assert other_command  # a lock of another name is another lock
    with another_node("refresh_status") as held:
        assert held  # the block is over: free again


@on_postgresql
def test_refresh_status_started_while_another_node_runs_it_judges_nothing(plan, settings):
    settings.REPORTING_TODAY = "2024-07-24"
    july = TargetStatus.objects.filter(period=Period(2024, 7))
    errors = StringIO()

    july.delete()  # the plan was judged up to today when it was made
    with another_node("refresh_status"):
        call_command("refresh_status", stdout=StringIO(), stderr=errors)
    assert "正在另一个进程或另一台服务器上运行" in errors.getvalue()
    assert not july.exists()

    call_command("refresh_status", stdout=StringIO())
    assert july.count() == 3
