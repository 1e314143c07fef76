"""The organisation-against-organisation comparison page, ``{quarter}/compare.html?org=A&org=B``
(with ``.json`` and ``.csv`` twins). Not the public ``compare`` page, which sets Oversight's
modelled acute table against NHS England's published one."""

from __future__ import annotations

from urllib.parse import urlencode

from oversight.api.compare_records import ComparedValue, comparison
from oversight.service.site import Site, quarter_slug
from oversight.web.pages import Page

Grid = list[tuple[ComparedValue, list[ComparedValue | None]]]


def compare_path(quarter: str) -> str:
    return f"{quarter_slug(quarter)}/compare.html"


def _grid(values: list[ComparedValue], codes: list[str]) -> Grid:
    """One row per metric (in the first organisation's order), one cell per organisation."""
    by_metric: dict[str, dict[str, ComparedValue]] = {}
    for v in values:
        by_metric.setdefault(v.metric_id, {})[v.trust_code] = v
    return [
        (next(iter(cells.values())), [cells.get(c) for c in codes]) for cells in by_metric.values()
    ]


def compare(site: Site, quarter: str, codes: tuple[str, ...]) -> Page:
    view = comparison(site, quarter, codes)
    names = " and ".join(o.trust_name for o in view.organisations)
    return Page(
        compare_path(view.quarter),
        "compare.html",
        f"Compare {names}, {view.quarter}",
        view,
        view.values,
        ComparedValue,
        {"grid": _grid(view.values, [o.trust_code for o in view.organisations])},
        query="?" + urlencode([("org", o.trust_code) for o in view.organisations]),
    )
