"""Issue 9, case 2: no save overwrites another silently.

(a) Two people on one report: A saves, B's autosave is refused (他人已保存) — and B's next
autosave (Tab, more typing: the same old version, which the refused answer did not move) is
refused too, A's text stays, and 对比两个版本 shows A's text beside B's latest.
(b) Twenty first saves at once on a report nobody had saved yet (version 0), on PostgreSQL:
exactly one is saved, the nineteen others are refused and kept as ReportConflict rows.
"""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.urls import reverse

from departments.models import Role
from plans.periods import Period
from tracking import services
from tracking.models import ProgressReport, ReportConflict

from ..conftest import make_report, make_user

HTMX = {"HTTP_HX_REQUEST": "true"}
JUNE = Period(2024, 6)


@pytest.fixture(autouse=True)
def june_22(settings):
    settings.REPORTING_TODAY = "2024-06-22"


@pytest.fixture
def firms(plan):
    """净增高新技术企业 310家, owed by the bureau in June."""
    indicator = plan.indicators.get(name="净增高新技术企业")
    return services.item_for(f"i{indicator.pk}", JUNE)


def _autosave(client, item, *, version, **data):
    """What the entry form posts when it autosaves: every field, and the version it holds."""
    payload = {"value": "", "progress": "", "problems": "", "next_steps": "", "version": str(version)}
    payload.update(data)
    url = reverse("tracking:save", args=[item.key]) + f"?period={item.period}"
    return client.post(url, payload, **HTMX)


def _report(item) -> ProgressReport:
    return ProgressReport.objects.get(obligation=item.obligation, period=item.period)


@pytest.mark.django_db
@pytest.mark.parametrize("opened_at", [0, 1], ids=["no-report-yet", "draft-v1"])
def test_a_refused_autosave_stays_refused_when_the_user_types_on(
    client, departments, reporter, firms, opened_at
):
    if opened_at:
        make_report(indicator=firms.indicator, period=JUNE, value=Decimal("50"), progress="初稿")
    colleague = make_user("colleague", departments["bureau"], Role.REPORTER)
    # both opened the form at `opened_at`; A (the colleague) saves first
    client.force_login(colleague)
    page = _autosave(client, firms, version=opened_at, value="120", progress="甲：新认定高企12家").content
    assert "草稿已保存" in page.decode()
    saved_version = _report(firms).version

    client.force_login(reporter)
    refused = _autosave(client, firms, version=opened_at, value="110", progress="乙：新认定").content.decode()
    assert "他人已保存" in refused and "对比两个版本" in refused
    assert 'name="version"' not in refused  # the form keeps its old version: typing on stays refused

    # B presses Tab: another autosave with what B typed since, from the same old version
    again = _autosave(
        client, firms, version=opened_at, value="115", progress="乙：新认定高企11家，另有2家在审"
    ).content.decode()
    assert "他人已保存" in again and 'name="version"' not in again

    report = _report(firms)
    assert (report.value, report.progress, report.version) == (
        Decimal("120"),
        "甲：新认定高企12家",
        saved_version,
    )
    conflict = ReportConflict.objects.get()  # one record, kept up to date with B's typing
    assert conflict.user == reporter and conflict.based_on_version == opened_at
    assert conflict.data["progress"] == "乙：新认定高企11家，另有2家在审"

    compare = client.get(reverse("tracking:conflict", args=[firms.key, conflict.pk])).content.decode()
    assert "当前版本（已保存）" in compare and "您的版本（未保存）" in compare
    row = compare[compare.index("进展情况") :]
    row = row[: row.index("</tr>")]
    assert row.index("甲：新认定高企12家") < row.index("乙：新认定高企11家，另有2家在审")
    assert "115" in compare and "120" in compare


@pytest.mark.django_db
def test_a_save_without_a_version_is_refused_with_a_message(client, reporter, firms):
    client.force_login(reporter)
    url = reverse("tracking:save", args=[firms.key]) + "?period=2024-06"
    page = client.post(url, {"value": "120", "progress": "没有版本号"}, **HTMX).content.decode()
    assert "此表单未注明所依据的月报版本，本次操作未执行。请刷新页面。" in page and "草稿已保存" not in page
    assert not ProgressReport.objects.exists()
    # without JavaScript: back to the entry page with the message, nothing saved
    page = client.post(url, {"value": "120", "progress": "没有版本号"}, follow=True).content.decode()
    assert "此表单未注明所依据的月报版本" in page and "没有版本号" not in page
    assert not ProgressReport.objects.exists()


WRITERS = 20


@pytest.mark.django_db(transaction=True)
def test_twenty_first_saves_at_once_keep_one_and_refuse_the_rest(departments, firms):
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent writers: SQLite serialises them (run with DATABASE_URL=postgres://…)")
    writers = [make_user(f"writer{n}", departments["bureau"], Role.REPORTER) for n in range(WRITERS)]
    start = threading.Barrier(WRITERS)
    outcomes: dict[int, str] = {}

    def first_save(n: int, user) -> None:
        try:
            item = services.item_for(firms.key, JUNE)  # each opened the form before anyone saved
            start.wait()
            services.save_report(
                item=item, user=user, data={"value": Decimal(n + 1), "progress": f"写入者{n}"}, version=0
            )
            outcomes[n] = "saved"
        except services.StaleReport:
            outcomes[n] = "refused"
        except Exception as exc:  # noqa: BLE001 — anything else is a failure the test reports
            outcomes[n] = repr(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first_save, args=(n, u)) for n, u in enumerate(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes.values()).count("saved") == 1, outcomes
    assert sorted(outcomes.values()).count("refused") == WRITERS - 1, outcomes
    winner = next(n for n, outcome in outcomes.items() if outcome == "saved")
    report = ProgressReport.objects.get()
    assert (report.value, report.progress, report.version) == (Decimal(winner + 1), f"写入者{winner}", 1)
    conflicts = ReportConflict.objects.filter(report=report, based_on_version=0)
    assert conflicts.count() == WRITERS - 1
    kept = {c.data["progress"] for c in conflicts}
    assert kept == {f"写入者{n}" for n in range(WRITERS) if n != winner}


@pytest.mark.django_db(transaction=True)
def test_two_counties_submitting_on_one_target_at_once_are_both_judged(
    departments, regions, city_plan, monkeypatch
):
    """Each submission judges the city's target again; at once, the second waits for the first
    and sees its report, so the kept status is what the engine says of both (and neither fails)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent writers: SQLite serialises them (run with DATABASE_URL=postgres://…)")
    import time

    from tracking import snapshot
    from tracking.models import TargetStatus
    from tracking.progress import judge, targets_of

    store = snapshot.store

    def slow_store(judged):  # hold the transaction open after writing, as a slow disk would
        written = store(judged)
        time.sleep(0.5)
        return written

    monkeypatch.setattr(snapshot, "store", slow_store)

    indicator = city_plan.indicators.get()
    people = {
        county: make_user(f"reporter_{county}", departments[bureau], Role.REPORTER)
        for county, bureau in (("county", "bureau"), ("other", "neighbour"))
    }
    start, outcomes = threading.Barrier(2), {}

    def submit(county: str, share) -> None:
        try:
            item = services.item_for(f"s{share.pk}", JUNE)
            start.wait()
            services.submit_report(item=item, user=people[county], seen_version=item.report.version)
            outcomes[county] = "submitted"
        except Exception as exc:  # noqa: BLE001 — anything else is a failure the test reports
            outcomes[county] = repr(exc)
        finally:
            connections.close_all()

    shares = {share.region_id: share for share in indicator.shares.all()}
    for county, value in (("county", "90"), ("other", "60")):
        share = shares[regions[county].pk]
        make_report(share=share, period=JUNE, value=Decimal(value), status="draft", progress="进展")
    threads = [
        threading.Thread(target=submit, args=(county, shares[regions[county].pk])) for county in people
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert outcomes == {"county": "submitted", "other": "submitted"}
    [fresh] = judge(targets_of([city_plan.pk]), [JUNE])[JUNE]
    kept = {s.share_id: s for s in TargetStatus.objects.filter(indicator=indicator, period=JUNE)}
    assert kept[None].value == fresh.value and kept[None].lamp == fresh.lamp
    assert (
        {share_id: s.value for share_id, s in kept.items() if share_id}
        == {row.share.pk: row.value for row in fresh.shares}
        == {shares[regions["county"].pk].pk: Decimal("90"), shares[regions["other"].pk].pk: Decimal("60")}
    )
