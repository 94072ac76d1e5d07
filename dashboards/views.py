"""The leader dashboard (领导驾驶舱): one page per plan or per region, its tiles loaded after it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from plans.models import Plan

from . import tiles
from .cockpit import Board, load_board


def _get_board_for_user(request: HttpRequest, pk: int | None) -> Board:
    """The board of a plan the user may see (else 404), or of every plan they may see."""
    plan = None
    if pk is not None:
        plan = get_object_or_404(
            Plan.objects.visible_to(request.user).select_related("region", "issuing_department"), pk=pk
        )
    return load_board(request.user, request.GET, plan=plan)


def _is_fragment(request: HttpRequest) -> bool:
    """htmx asked for a part of the page (a history restore wants the whole page)."""
    return bool(request.htmx) and not request.htmx.history_restore_request


@login_required
@require_GET
@vary_on_headers("HX-Request")
def cockpit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """The page, or (htmx, after a filter changed) its body: headline, sections, 落后清单."""
    board = _get_board_for_user(request, pk)
    context = {"board": board, **tiles.overview_context(board)}
    template = "dashboards/cockpit.html#body" if _is_fragment(request) else "dashboards/cockpit.html"
    return render(request, template, context)


@login_required
@require_GET
@vary_on_headers("HX-Request")
def tile(request: HttpRequest, tile: str, pk: int | None = None) -> HttpResponse:
    """One heavy chart: a fragment for htmx, else a page of its own (the link works without JS)."""
    if tile not in tiles.TILES:
        raise Http404
    board = _get_board_for_user(request, pk)
    context = {"board": board, "tile": tile, **tiles.tile_context(board, tile, request.GET)}
    template = f"dashboards/partials/{tile}.html" if _is_fragment(request) else "dashboards/tile.html"
    return render(request, template, context)
