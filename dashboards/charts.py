"""The cockpit's charts: pure functions from the status rows to plotly Figures.

No request and no database here: each function takes rows or groups computed by
`tracking.progress.plan_status` (and plain callables that turn an id into a URL) and
returns a `plotly.graph_objects.Figure`, so the charts are tested by reading the figure's
data. Every clickable mark carries its destination URL in `customdata`; static/js/cockpit.js
follows it on `plotly_click`.

Printing: the bureau prints the cockpit in black and white as often as in colour, so every
lamp colour is paired with a fill pattern (red ×, yellow /, met dotted, on track solid) and
the bars carry their figures as text. Colours are those of static/css/app.css.
"""

from __future__ import annotations

import json
import math
import uuid
from collections.abc import Callable, Sequence
from decimal import Decimal

import plotly.graph_objects as go
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from plotly.subplots import make_subplots

from plans.periods import Period
from tracking import status as lamps
from tracking.progress import Row

from .cockpit import BUCKETS, LampGroup, Ranked, short
from .reporting import ReportingGrid

# The same family as --font in static/css/app.css: the fonts bureau PCs have, then Noto CJK.
FONT_FAMILY = (
    '"Microsoft YaHei", "微软雅黑", "PingFang SC", "Hiragino Sans GB", "Noto Sans CJK SC", '
    '"Source Han Sans SC", "WenQuanYi Micro Hei", "SimHei", sans-serif'
)
INK, MUTED, LINE, ACCENT = "#1f2933", "#6b7785", "#d8dee4", "#1d5fa8"
LAMP_COLOURS = {
    lamps.Lamp.DONE: "#1b5e20",
    lamps.Lamp.GREEN: "#2e7d32",
    lamps.Lamp.YELLOW: "#b7791f",
    lamps.Lamp.RED: "#c62828",
    lamps.NOT_DUE: "#b0bec5",
    lamps.Lamp.NONE: "#90a4ae",
}
# Told apart in greyscale print: red and green are of the same grey, so shapes differ too.
LAMP_PATTERNS = {
    lamps.Lamp.DONE: ".",
    lamps.Lamp.GREEN: "",
    lamps.Lamp.YELLOW: "/",
    lamps.Lamp.RED: "x",
    lamps.NOT_DUE: "",
    lamps.Lamp.NONE: "",
}
BAR_CAP = 1.5  # completion beyond 150% is drawn at 150% (the text still says the figure)
LOCALES = {"zh": "zh-CN"}
CONFIG = {"displaylogo": False, "responsive": True, "modeBarButtonsToRemove": ["select2d", "lasso2d"]}

JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}

IndicatorUrl = Callable[[int], str]


def lamp_label(lamp: str) -> str:
    """The lamp as the interface says it (已完成, 正常, 滞后, 严重滞后, 未到期)."""
    if lamp in lamps.Availability.values:
        return str(lamps.Availability(lamp).label)
    if lamp in lamps.SEVERITY:
        return str(lamps.Lamp(lamp).label)
    return str(_("No figure"))


def _marker(lamp: str) -> dict:
    """A lamp's fill colour with its print pattern drawn over it in white."""
    return {
        "color": LAMP_COLOURS.get(lamp, LAMP_COLOURS["none"]),
        "pattern": {
            "shape": LAMP_PATTERNS.get(lamp, ""),
            "fillmode": "overlay",
            "fgcolor": "#ffffff",
            "size": 7,
            "solidity": 0.35,
        },
        "line": {"color": INK, "width": 0.5},
    }


def _lamp_bars(fig: go.Figure, lamp_list: Sequence[str], legend: set[str] | None = None, **columns) -> None:
    """Horizontal bars, one trace per lamp (so each has one colour and pattern, and a legend entry).

    `columns` are per-bar lists (x, y, text, customdata, hovertext) and, for subplots, row/col.
    plotly.js draws a per-bar colour list wrongly under a pattern, hence a trace per lamp; the
    figure's barmode must be "overlay" so that the traces do not shift each other.
    """
    where = {key: columns.pop(key) for key in ("row", "col") if key in columns}
    columns.setdefault("width", [0.6] * len(lamp_list))
    for lamp in [*BUCKETS, lamps.PENDING, lamps.Lamp.NONE]:
        picked = [i for i, value in enumerate(lamp_list) if value == lamp]
        if not picked:
            continue
        fig.add_bar(
            orientation="h",
            name=lamp_label(lamp),
            legendgroup=lamp,
            showlegend=legend is not None and lamp not in legend,
            marker=_marker(lamp),
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{hovertext}<extra></extra>",
            **{key: [values[i] for i in picked] for key, values in columns.items()},
            **where,
        )
        if legend is not None:
            legend.add(lamp)


def _layout(fig: go.Figure, title: str, height: int, **extra) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 15}},
        font={"family": FONT_FAMILY, "size": 12, "color": INK},
        hoverlabel={"font": {"family": FONT_FAMILY}},
        height=height,
        margin={"l": 10, "r": 20, "t": 56, "b": 30},
        paper_bgcolor="#ffffff",
        plot_bgcolor="#ffffff",
        # beside the title, top right, clear of the subplots' titles
        legend={"orientation": "h", "yref": "container", "y": 0.995, "yanchor": "top", "x": 1},
        legend_xanchor="right",
        uniformtext={"minsize": 11, "mode": "show"},
        **extra,
    )
    fig.update_xaxes(gridcolor=LINE, zerolinecolor=LINE, automargin=True)
    fig.update_yaxes(gridcolor=LINE, zerolinecolor=LINE, zeroline=False, automargin=True)
    return fig


def _clip(text: str, limit: int = 16) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _percent(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.0f}%"


# --- sections ---------------------------------------------------------------------------------


def lamp_counts_figure(groups: list[LampGroup], title: str) -> go.Figure:
    """Sections (or regions below) side by side: one stacked bar of lamp counts each; a click
    opens the section's tasks (or the region's cockpit)."""
    fig = go.Figure()
    positions = list(range(len(groups)))
    urls = [g.url for g in groups]
    for bucket in BUCKETS:
        counts = [g.counts[bucket] for g in groups]
        if not any(counts):
            continue
        fig.add_bar(
            name=lamp_label(bucket),
            orientation="h",
            y=positions,
            x=counts,
            text=[str(n) if n else "" for n in counts],
            textposition="inside",
            insidetextanchor="middle",
            textfont={"color": "#ffffff"},
            marker=_marker(bucket),
            customdata=urls,
            hovertext=[
                f"{g.label}<br>{lamp_label(bucket)}：{n}" for g, n in zip(groups, counts, strict=True)
            ],
            hovertemplate="%{hovertext}<extra></extra>",
        )
    for position, group in zip(positions, groups, strict=True):
        if group.total == 0 and group.tasks:
            fig.add_annotation(
                x=0,
                y=position,
                xanchor="left",
                showarrow=False,
                text=_("%(tasks)s tasks without a number") % {"tasks": group.tasks},
                font={"color": MUTED},
            )
    _layout(fig, title, height=110 + 34 * max(len(groups), 1), barmode="stack")
    fig.update_yaxes(
        tickmode="array",
        tickvals=positions,
        ticktext=[_clip(g.label, 20) for g in groups],
        range=_rows_range(positions),
    )
    fig.update_xaxes(title_text=_("Targets"), dtick=_dtick(max((g.total for g in groups), default=0)))
    return fig


def _rows_range(positions: list[int]) -> list[float]:
    """The first row on top, each row one unit high (autorange pads unevenly under outside text)."""
    return [len(positions) - 0.5, -0.5]


def _dtick(largest: int) -> int:
    return max(1, math.ceil(largest / 8))


# --- key targets as bullets -------------------------------------------------------------------


def _figure(row: Row) -> str:
    """The value as the bar's text says it: 120家 / 310家 (the lamp is the bar's colour and pattern)."""
    if row.availability != lamps.DUE:
        return lamp_label(row.availability)
    if row.value is None:
        return _("No figure")
    return f"{short(row.value)}{row.indicator.unit} / {row.indicator.target_label}"


def bullets_figure(rows: list[Row], indicator_url: IndicatorUrl) -> go.Figure:
    """Key targets as bullet charts on one scale, completion: the bar in its lamp colour, the grey
    band to 100% (the target), and a black tick at expected progress (序时进度).

    Units differ from one target to the next (家, 亿元, %), so each bar is its completion on
    the target's own terms; the text beside it gives the figure and the target as written.
    """
    completion_label, expected_label = _("Completion rate"), _("Expected progress")
    positions = list(range(len(rows)))
    urls = [indicator_url(row.indicator.pk) for row in rows]
    shown = [min(row.completion or 0.0, BAR_CAP) * 100 for row in rows]
    row_lamps = [row.lamp if row.availability == lamps.DUE else row.availability for row in rows]
    fig = go.Figure()
    fig.add_bar(
        orientation="h",
        y=positions,
        x=[100] * len(rows),
        width=0.8,
        marker={"color": "#eceff1", "line": {"width": 0}},
        hoverinfo="none",  # no label, but a click on the band still opens the target
        showlegend=False,
        customdata=urls,
    )
    _lamp_bars(
        fig,
        row_lamps,
        legend=set(),
        y=positions,
        x=shown,
        width=[0.4] * len(rows),
        text=[""] * len(rows),
        customdata=urls,
        hovertext=[
            f"{row.indicator.name}（{lamp_label(row.lamp)}）"
            f"<br>{completion_label}：{_percent(row.completion)}"
            f"<br>{expected_label}：{_percent(row.expected)}"
            for row in rows
        ],
    )
    fig.add_scatter(
        x=[max(x, 100) + 3 for x in shown],
        y=positions,
        mode="text",
        text=[_figure(row) for row in rows],
        textposition="middle right",
        customdata=urls,
        hoverinfo="skip",
        showlegend=False,
        cliponaxis=False,
    )
    expected = [(p, row.expected * 100) for p, row in zip(positions, rows, strict=True) if row.expected]
    if expected:
        fig.add_scatter(
            name=_("Expected progress"),
            x=[x for _p, x in expected],
            y=[p for p, _x in expected],
            mode="markers",
            marker={"symbol": "line-ns-open", "size": 26, "color": INK, "line": {"width": 3}},
            hovertemplate=_("Expected progress") + "：%{x:.0f}%<extra></extra>",
        )
    _layout(fig, _("Key targets"), height=110 + 46 * max(len(rows), 1), barmode="overlay", bargap=0.2)
    fig.update_yaxes(
        tickmode="array",
        tickvals=positions,
        ticktext=[_clip(row.indicator.name) for row in rows],
        range=_rows_range(positions),
        showgrid=False,
    )
    fig.update_xaxes(
        range=[0, BAR_CAP * 100 + 70],
        tickvals=[0, 50, 100, 150],
        ticktext=["0%", "50%", "100%", "150%"],
        title_text=_("Completion rate"),
    )
    fig.add_vline(x=100, line={"color": INK, "width": 1})
    return fig


# --- one target's trajectory ------------------------------------------------------------------


def _start(row: Row) -> Decimal:
    """Where the expected-progress line starts: the baseline of a stock level, else zero."""
    indicator = row.indicator
    if (
        indicator.measure == "stock"
        and indicator.baseline is not None
        and indicator.baseline != indicator.target
    ):
        return indicator.baseline
    return Decimal(0)


def expected_values(row: Row, months: list[Period]) -> list[float]:
    """The figure expected at the end of each month: 序时进度 × the target (from the baseline of a level)."""
    indicator, plan = row.indicator, row.plan
    start = _start(row)
    return [
        float(
            start
            + Decimal(
                str(
                    lamps.expected_progress(plan.first_year, plan.last_year, p.year, p.month, indicator.curve)
                )
            )
            * (indicator.target - start)
        )
        for p in months
    ]


def trajectory_figure(row: Row, indicator_url: IndicatorUrl) -> go.Figure:
    """The monthly figures of one target against expected progress and the target, with the
    projection to the plan's end at the pace so far (dotted)."""
    indicator, plan = row.indicator, row.plan
    months = plan.periods()
    one_year = plan.first_year == plan.last_year
    x = [str(p) for p in months]
    tick = 1 if one_year else 6
    unit = indicator.unit
    url = indicator_url(indicator.pk)
    colour = LAMP_COLOURS.get(row.lamp, ACCENT) if row.lamp != lamps.Lamp.NONE else ACCENT
    fig = go.Figure()
    target = float(indicator.target) if indicator.target is not None else None
    if target is not None:
        fig.add_scatter(
            name=_("Target value") + f" {indicator.target_label}",
            x=[x[0], x[-1]],
            y=[target, target],
            mode="lines",
            line={"color": INK, "width": 1.5},
            hoverinfo="skip",
        )
    if target is not None and row.target.is_prorated:
        fig.add_scatter(
            name=_("Expected progress"),
            x=x,
            y=expected_values(row, months),
            mode="lines",
            line={"color": MUTED, "width": 2, "dash": "dash"},
            hovertemplate="%{x}：%{y:.4~f}" + unit + "<extra>" + _("Expected progress") + "</extra>",
        )
    if row.pace is not None and row.value is not None and row.value_period is not None:
        fig.add_scatter(
            name=_("Projection at the current pace"),
            x=[str(row.value_period), x[-1]],
            y=[float(row.value), float(row.pace.projected)],
            mode="lines+markers",
            line={"color": colour, "width": 2, "dash": "dot"},
            marker={"symbol": ["circle", "diamond-open"], "size": [1, 10], "color": colour},
            text=["", f"{short(row.pace.projected)}{unit}"],
            textposition="top left",
            hovertemplate=_("Projected")
            + "：%{y:.4~f}"
            + unit
            + "<extra>"
            + _("Projection at the current pace")
            + "</extra>",
        )
    fig.add_scatter(
        name=_("Reported figures"),
        x=[str(p) for p, _v in row.history],
        y=[float(v) for _p, v in row.history],
        mode="lines+markers+text",
        line={"color": colour, "width": 3},
        marker={"size": 8, "color": colour},
        text=[f"{short(v)}" for _p, v in row.history],
        textposition="top center",
        customdata=[url] * len(row.history),
        hovertemplate="%{x}：%{y:.4~f}" + unit + "<extra>" + _("Reported figures") + "</extra>",
    )
    title = f"{indicator.name}（{indicator.target_label}）"
    _layout(fig, title, height=380)
    fig.update_layout(
        legend={"yref": "paper", "y": -0.12, "yanchor": "top", "x": 0, "xanchor": "left"}, margin={"b": 70}
    )
    fig.update_xaxes(
        type="category",
        categoryorder="array",
        categoryarray=x,
        tickmode="array",
        tickvals=x[::tick],
        ticktext=[f"{p.month}月" if one_year else str(p) for p in months[::tick]],
    )
    values = [y for trace in fig.data for y in (trace.y or ())]
    highest, lowest = max([*values, 0]) or 1, min([*values, 0])
    span = [lowest * 1.18, highest * 1.18]  # headroom above the target line for the "as of" note
    fig.update_yaxes(ticksuffix=unit, range=span[::-1] if indicator.kind == "rank" else span)  # rank 1 on top
    if str(row.period) in x and x.index(str(row.period)) < len(x) - 1:
        fig.add_vrect(
            x0=x.index(str(row.period)),
            x1=len(x) - 1,
            fillcolor="#eceff1",
            opacity=0.6,
            line_width=0,
            layer="below",
            annotation_text=_("As of %(month)s") % {"month": row.period.label},
            annotation_position="top left",
            annotation_font={"color": MUTED, "size": 11},
        )
    return fig


# --- departments -------------------------------------------------------------------------------


def departments_figure(groups: list[Ranked], limit: int | None = None, by_region: bool = False) -> go.Figure:
    """Lead departments (or regions below) ranked twice: by the completion of their targets and
    by on-time reporting. Beyond `limit` of them, each ranking shows its lowest `limit`."""

    def lowest(measure) -> list[Ranked]:
        ranked = sorted(groups, key=lambda g: (-(measure(g) or 0), g.label))
        return ranked[-limit:] if limit and len(ranked) > limit else ranked

    by_completion = lowest(lambda g: g.completion)
    by_on_time = lowest(lambda g: g.on_time)
    targets_label, completion_label, on_time_label = _("Targets"), _("Completion rate"), _("Reported on time")
    fig = make_subplots(
        rows=1,
        cols=2,
        subplot_titles=[_("By completion"), _("By on-time reporting")],
        horizontal_spacing=0.32,
    )
    legend: set[str] = set()
    for col, ranked, values in (
        (1, by_completion, [g.completion for g in by_completion]),
        (2, by_on_time, [g.on_time for g in by_on_time]),
    ):
        positions = list(range(len(ranked)))
        columns = {
            "y": positions,
            "x": [(v or 0) * 100 for v in values],
            "text": [_percent(v) for v in values],
            "customdata": [g.url for g in ranked],
            "hovertext": [
                f"{g.label}<br>{targets_label}：{g.targets}"
                f"<br>{completion_label}：{_percent(g.completion)}"
                f"<br>{on_time_label}：{_percent(g.on_time)}"
                for g in ranked
            ],
        }
        if col == 1:
            _lamp_bars(fig, [g.lamp for g in ranked], legend=legend, row=1, col=col, **columns)
        else:
            fig.add_bar(
                orientation="h",
                marker={"color": ACCENT},
                textposition="outside",
                cliponaxis=False,
                hovertemplate="%{hovertext}<extra></extra>",
                showlegend=False,
                row=1,
                col=col,
                **columns,
            )
        fig.update_yaxes(
            tickmode="array",
            tickvals=positions,
            ticktext=[_clip(g.label, 12) for g in ranked],
            range=_rows_range(positions),
            showgrid=False,
            row=1,
            col=col,
        )
        fig.update_xaxes(range=[0, 125], ticksuffix="%", row=1, col=col)
    title = _("Region ranking") if by_region else _("Department ranking")
    if len(by_completion) < len(groups):
        title += _(" (the lowest %(shown)s of %(total)s)") % {
            "shown": len(by_completion),
            "total": len(groups),
        }
    _layout(fig, title, height=130 + 28 * max(len(by_completion), 1), barmode="overlay")
    fig.update_annotations(font={"family": FONT_FAMILY, "size": 13})
    return fig


# --- reporting heatmap ------------------------------------------------------------------------


def reporting_heatmap(
    grid: ReportingGrid, cell_url: Callable[[int, Period], str], by_region: bool = False
) -> go.Figure:
    """Departments (or regions below) × months: the share of what each owed that month that came
    on time.

    The cell's text carries the figure (so it reads in greyscale); hovering tells on time,
    late and missing; a click opens the cockpit of that department as of that month.
    """
    positions = list(range(len(grid.departments)))
    z, text, hover, urls = [], [], [], []
    for pk, name in grid.departments:
        cells = [grid.cell(pk, month) for month in grid.months]
        z.append([cell.share for cell in cells])
        text.append([_percent(cell.share) for cell in cells])
        hover.append(
            [
                f"{name} · {month.label}<br>"
                + _("on time %(on_time)s, late %(late)s, missing %(missing)s")
                % {"on_time": cell.on_time, "late": cell.late, "missing": cell.missing}
                for cell, month in zip(cells, grid.months, strict=True)
            ]
        )
        urls.append([cell_url(pk, month) for month in grid.months])
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[f"{m.month}月" for m in grid.months],
            y=positions,
            text=text,
            texttemplate="%{text}",
            textfont={"color": "#ffffff", "size": 12},
            hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
            customdata=urls,
            colorscale=[[0, LAMP_COLOURS["red"]], [0.5, LAMP_COLOURS["yellow"]], [1, LAMP_COLOURS["green"]]],
            zmin=0,
            zmax=1,
            xgap=2,
            ygap=2,
            showscale=False,
        )
    )
    title = (
        _("Reporting on time, by region and month")
        if by_region
        else _("Reporting on time, by department and month")
    )
    _layout(fig, title, height=110 + 30 * max(len(positions), 1))
    fig.update_yaxes(
        tickmode="array",
        tickvals=positions,
        ticktext=[_clip(name, 12) for _pk, name in grid.departments],
        autorange="reversed",
        showgrid=False,
    )
    fig.update_xaxes(side="top", showgrid=False, type="category")
    fig.update_layout(margin={"t": 80})
    return fig


# --- decomposed targets -----------------------------------------------------------------------


def regions_figure(rows: list, indicator_url: IndicatorUrl) -> go.Figure:
    """Each decomposed target as a small chart: every county's value against its own target."""
    cols = 1 if len(rows) == 1 else 2
    grid_rows = max(1, math.ceil(len(rows) / cols))
    fig = make_subplots(
        rows=grid_rows,
        cols=cols,
        subplot_titles=[_clip(f"{row.indicator.name}（{row.indicator.unit}）", 20) for row in rows],
        horizontal_spacing=0.22,
        vertical_spacing=min(0.5 / grid_rows, 0.16),
    )
    counties, legend = 0, set()
    for index, row in enumerate(rows):
        r, c = divmod(index, cols)
        shares = sorted((s for s in row.shares if s.share.region_id), key=lambda s: s.share.region.name)
        counties = max(counties, len(shares))
        positions = list(range(len(shares)))
        _lamp_bars(
            fig,
            [s.lamp for s in shares],
            legend=legend,
            row=r + 1,
            col=c + 1,
            y=positions,
            x=[min(s.completion or 0.0, BAR_CAP) * 100 for s in shares],
            text=[
                f"{short(s.value) if s.value is not None else '—'}/{short(s.share.target)}" for s in shares
            ],
            customdata=[indicator_url(row.indicator.pk)] * len(shares),
            hovertext=[
                f"{s.share.region.name}<br>{short(s.value) if s.value is not None else '—'}"
                f"{row.indicator.unit} / {short(s.share.target)}{row.indicator.unit}"
                f"<br>{lamp_label(s.lamp)} {_percent(s.completion)}"
                for s in shares
            ],
        )
        fig.update_yaxes(
            tickmode="array",
            tickvals=positions,
            ticktext=[s.share.region.name for s in shares],
            range=_rows_range(positions),
            showgrid=False,
            row=r + 1,
            col=c + 1,
        )
        fig.update_xaxes(range=[0, BAR_CAP * 100 + 30], ticksuffix="%", row=r + 1, col=c + 1)
        if row.expected:
            fig.add_vline(
                x=row.expected * 100, line={"color": INK, "dash": "dash", "width": 1}, row=r + 1, col=c + 1
            )
    _layout(
        fig,
        _("Decomposed targets by region"),
        height=110 + grid_rows * (46 + 22 * max(counties, 1)),
        barmode="overlay",
    )
    fig.update_annotations(font={"family": FONT_FAMILY, "size": 12})
    return fig


# --- rendering --------------------------------------------------------------------------------


def locale() -> str:
    """plotly.js locale of the active language (registered by static/js/cockpit.js)."""
    language = (translation.get_language() or "").split("-")[0]
    return LOCALES.get(language, "en")


def render(fig: go.Figure) -> str:
    """The figure as an HTML fragment: a div, and the figure's JSON in a data island beside it.

    No inline script (the Content-Security-Policy runs scripts from our static files only):
    static/js/cockpit.js draws every such div when the page loads and after htmx swaps a tile
    in, and follows the customdata URL of a clicked point.
    """
    chart_id = f"chart-{uuid.uuid4().hex[:12]}"
    config = json.dumps({**CONFIG, "locale": locale()})
    spec = f'{{"figure": {fig.to_json()}, "config": {config}, "height": {fig.layout.height or 400}}}'
    return format_html(
        '<div class="cockpit-chart" id="{}" data-figure="{}-figure"></div>'
        '<script type="application/json" id="{}-figure">{}</script>',
        chart_id,
        chart_id,
        chart_id,
        # as django.utils.html.json_script: no "</script>" or "<!--" can close the island early
        mark_safe(spec.translate(JSON_ESCAPES)),
    )
