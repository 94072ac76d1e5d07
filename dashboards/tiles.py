"""The cockpit's charts: the overview drawn with the page, and the heavy tiles loaded after it
(hx-trigger="load"), each a context for its partial.

One function per tile takes the board and the query parameters and returns what its template
shows: the rendered chart, or nothing to say. `tile_context` keeps each tile's context in the
cache, per board (plans, month, filters) and language, until the kept status changes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping

from django.core.cache import cache
from django.db.models import Exists, OuterRef
from django.utils import translation
from django.utils.translation import gettext as _

from plans.models import Indicator
from tracking import snapshot
from tracking.models import TargetStatus
from tracking.progress import ShareRow, judge
from tracking.status import Lamp

from . import charts
from .cockpit import (
    Board,
    headline,
    in_gap_order,
    key_targets,
    lagging,
    lagging_items,
    ranking,
    region_groups,
    section_groups,
    with_figures,
)
from .reporting import heatmap_months, reporting_grid

MAX_DECOMPOSED = 6
MORE_DECOMPOSED = 30
TRAJECTORY_CHOICES = 100
RANKED = 30
CACHE_SECONDS = 15 * 60


def overview(board: Board) -> dict:
    """What the page shows with itself: the headline, the lamps by section (or by region below)
    and the 落后清单."""
    groups = section_groups(board, _("Plan goals")) if board.one_region else region_groups(board)
    title = _("Targets by section") if board.one_region else _("Targets by region")
    rows, behind = lagging(board)
    return {
        "headline": headline(board),
        "groups_chart": charts.render(charts.lamp_counts_figure(groups, title)) if groups else "",
        "lagging": lagging_items(board, rows),
        "lagging_total": behind,
        "tiles": [(name, board.tile_url(name)) for name in TILES],
    }


def bullets(board: Board, params: Mapping[str, str]) -> dict:
    rows = key_targets(board)
    return {"chart": charts.render(charts.bullets_figure(rows, board.indicator_url)) if rows else ""}


def trajectory(board: Board, params: Mapping[str, str]) -> dict:
    """One target's months: the one asked for, else the furthest behind with a figure, else the
    first with one; judged afresh with its history (one target: a few queries)."""
    choices = with_figures(board, TRAJECTORY_CHOICES)
    try:
        asked = int(params.get("indicator", ""))
    except ValueError:
        asked = None
    candidates = board.statuses().exclude(value=None)
    behind = candidates.filter(lamp__in=[Lamp.YELLOW, Lamp.RED])
    chosen = (
        (candidates.filter(indicator_id=asked).first() if asked is not None else None)
        or in_gap_order(behind).first()
        or (choices[0] if choices else None)
    )
    if chosen is None:
        return {"row": None, "choices": [], "row_url": "", "chart": ""}
    if chosen.pk not in {c.pk for c in choices}:
        choices = [chosen, *choices]
    indicator = Indicator.objects.select_related("plan", "task__section").get(pk=chosen.indicator_id)
    row = judge([indicator], [board.period])[board.period][0]
    return {
        "row": row,
        "choices": choices,
        "row_url": board.indicator_url(indicator.pk),
        "chart": charts.render(charts.trajectory_figure(row, board.indicator_url)),
    }


def departments(board: Board, params: Mapping[str, str]) -> dict:
    groups = ranking(board)
    chart = (
        charts.departments_figure(groups, limit=RANKED, by_region=not board.one_region) if groups else None
    )
    return {"chart": charts.render(chart) if chart else "", "by_region": not board.one_region}


def reporting(board: Board, params: Mapping[str, str]) -> dict:
    first = min((plan.first_period for plan in board.plans), default=board.period)
    months = heatmap_months(board.period, first)
    if board.one_region:
        grid = reporting_grid(board.obligations(), months)
        url = board.department_url
    else:
        grid = reporting_grid(
            board.obligations(), months, below=board.regions.below, label=board.regions.label
        )
        url = board.region_url
    chart = (
        charts.render(charts.reporting_heatmap(grid, url, by_region=not board.one_region))
        if grid.departments
        else ""
    )
    return {"chart": chart, "by_region": not board.one_region}


def regions(board: Board, params: Mapping[str, str]) -> dict:
    """The targets decomposed to regions below, the furthest behind first: a few charted, more
    listed."""
    shares = TargetStatus.objects.filter(share__region__isnull=False, period=board.period)
    decomposed = board.statuses().filter(Exists(shares.filter(indicator=OuterRef("indicator"))))
    rows = list(
        in_gap_order(decomposed.select_related("indicator", "plan"))[: MAX_DECOMPOSED + MORE_DECOMPOSED]
    )
    shown = rows[:MAX_DECOMPOSED]
    shares = (
        shares.filter(indicator__in=[row.indicator_id for row in shown])
        .select_related("share__region")
        .order_by("share__region__name")
    )
    for row in shown:
        row.shares = []
    by_indicator = {row.indicator_id: row for row in shown}
    for kept in shares:
        by_indicator[kept.indicator_id].shares.append(
            ShareRow(share=kept.share, value=kept.value, completion=kept.completion, lamp=kept.lamp)
        )
    return {
        "chart": charts.render(charts.regions_figure(shown, board.indicator_url)) if shown else "",
        "more": [(row, board.indicator_url(row.indicator_id)) for row in rows[MAX_DECOMPOSED:]],
    }


TILES: dict[str, Callable[[Board, Mapping[str, str]], dict]] = {
    "bullets": bullets,
    "trajectory": trajectory,
    "departments": departments,
    "reporting": reporting,
    "regions": regions,
}


def overview_context(board: Board) -> dict:
    """The page's own figures, from the cache while nothing they count has changed."""
    return cached(board, "overview", lambda: overview(board))


def tile_context(board: Board, name: str, params: Mapping[str, str]) -> dict:
    """The tile's context, from the cache while the kept status has not changed."""
    asked = params.get("indicator", "") if name == "trajectory" else ""
    return cached(board, f"{name}|{asked}", lambda: TILES[name](board, params))


def cached(board: Board, part: str, build: Callable[[], dict]) -> dict:
    """A part of the cockpit as the board asks for it (plans, month, filters, language), kept
    until what it counts changes: every refresh of the kept status, and every report on a
    narrative task submitted, returned, reopened or waived, moves `snapshot.version()`
    (`snapshot.mark_changed`), so the change is seen at once and a leader's second look costs
    nothing."""
    key = f"{board.cache_key}|{part}|{translation.get_language()}"
    digest = hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()
    return cache.get_or_set(f"cockpit:{snapshot.version()}:{digest}", build, CACHE_SECONDS)
