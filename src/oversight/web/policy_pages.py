"""The consequences page of a quarter: every consequence in force, why and since when."""

from __future__ import annotations

from oversight.api.consequences_records import ConsequenceRow
from oversight.api.consequences_records import consequences as in_force
from oversight.service.site import Site, quarter_slug
from oversight.web.pages import Page


def consequences_path(quarter: str) -> str:
    return f"{quarter_slug(quarter)}/consequences.html"


def consequences(site: Site, quarter: str) -> Page:
    view = in_force(site, quarter)
    return Page(
        consequences_path(view.quarter),
        "consequences.html",
        f"Modelled consequences, {view.quarter}",
        view,
        view.rows,
        ConsequenceRow,
        {"all_quarters": site.quarters},
    )
