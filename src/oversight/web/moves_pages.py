"""The moves page of a quarter: every move of segment and rank into it, real or noise."""

from __future__ import annotations

from typing import Any

from oversight.api.moves_models import MoveOut
from oversight.api.moves_routes import quarter_moves_out
from oversight.service.site import Site, quarter_slug
from oversight.web.moves_charts import slope
from oversight.web.pages import Page


def moves_path(quarter: str) -> str:
    return f"{quarter_slug(quarter)}/moves.html"


def moves_page(site: Site, quarter: str) -> Page:
    view = quarter_moves_out(site, quarter)
    return Page(
        moves_path(view.after),
        "moves.html",
        f"Is the move real? {view.before} to {view.after}",
        view,
        view.moves,
        MoveOut,
        {
            "all_quarters": site.quarters[1:],
            "slope_chart": slope(view.moves, view.before, view.after),
        },
    )


def export_pages(site: Site) -> list[tuple[str, Any]]:
    """A moves page for every stored quarter after the first."""
    return [("moves", (q,)) for q in site.quarters[1:]]
