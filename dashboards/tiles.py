"""The cockpit's heavy tiles, loaded after the page (hx-trigger="load"): each a context for its partial.

One function per tile takes the board (rows already narrowed by the filters) and the query
parameters and returns what its template shows: the rendered chart, or nothing to say.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from . import charts
from .cockpit import Board, key_rows, trajectory_row
from .reporting import heatmap_months, reporting_grid

MAX_DECOMPOSED = 6


def bullets(board: Board, params: Mapping[str, str]) -> dict:
    rows = key_rows(board.status.rows)
    return {"chart": charts.render(charts.bullets_figure(rows, board.indicator_url)) if rows else ""}


def trajectory(board: Board, params: Mapping[str, str]) -> dict:
    try:
        asked = int(params.get("indicator", ""))
    except ValueError:
        asked = None
    row = trajectory_row(board.status, asked)
    return {
        "row": row,
        "choices": [r for r in board.status.rows if r.history],
        "row_url": board.indicator_url(row.indicator.pk) if row else "",
        "chart": charts.render(charts.trajectory_figure(row, board.indicator_url)) if row else "",
    }


def departments(board: Board, params: Mapping[str, str]) -> dict:
    groups = board.status.reporting_departments
    return {"chart": charts.render(charts.departments_figure(groups, board.department_url)) if groups else ""}


def reporting(board: Board, params: Mapping[str, str]) -> dict:
    first = min((plan.first_period for plan in board.plans), default=board.period)
    grid = reporting_grid(board.obligations(), heatmap_months(board.period, first))
    chart = charts.render(charts.reporting_heatmap(grid, board.department_url)) if grid.departments else ""
    return {"chart": chart}


def regions(board: Board, params: Mapping[str, str]) -> dict:
    rows = charts.decomposed_rows(board.status.rows)
    shown, more = rows[:MAX_DECOMPOSED], rows[MAX_DECOMPOSED:]
    return {
        "chart": charts.render(charts.regions_figure(shown, board.indicator_url)) if shown else "",
        "more": [(row, board.indicator_url(row.indicator.pk)) for row in more],
    }


TILES: dict[str, Callable[[Board, Mapping[str, str]], dict]] = {
    "bullets": bullets,
    "trajectory": trajectory,
    "departments": departments,
    "reporting": reporting,
    "regions": regions,
}
