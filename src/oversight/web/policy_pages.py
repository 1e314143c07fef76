"""The consequences page of a quarter: every modelled consequence, grouped by consequence with
a count of organisations and a bar chart of those counts, filterable by consequence, region, ICB
and segment with a plain GET form (no script needed)."""

from __future__ import annotations

from html import escape

from markupsafe import Markup

from oversight.api.consequences_records import (
    ConsequenceFilters,
    ConsequenceGroup,
    ConsequenceRow,
)
from oversight.api.consequences_records import consequences as in_force
from oversight.service.site import Site, quarter_slug
from oversight.web.charts import GREY
from oversight.web.pages import Page

BAR = "#005eb8"  # NHS blue: 5.9:1 against white


def consequences_path(quarter: str) -> str:
    return f"{quarter_slug(quarter)}/consequences.html"


def consequence_chart(groups: list[ConsequenceGroup]) -> Markup:
    """How many organisations each consequence would follow for: one labelled bar each (the
    numbers are in the text beside it too, so the drawing is labelled, not the only source)."""
    if not groups:
        return Markup("")
    # each label on its own line above its bar, so the chart stays legible scaled to a phone
    width, bar_w, row_h, pad, font = 560, 480, 52, 4, 18
    most = max(g.organisations for g in groups) or 1
    height = row_h * len(groups) + pad
    body = []
    for i, g in enumerate(groups):
        y = pad + i * row_h
        w = max(2.0, bar_w * g.organisations / most)
        body.append(
            f'<text x="0" y="{y + font}" font-size="{font}" fill="#212b32">'
            f"{escape(g.consequence)}</text>"
            f'<rect x="0" y="{y + font + 6}" width="{w:.1f}" height="18" fill="{BAR}"/>'
            f'<text x="{w + 8:.1f}" y="{y + font + 21}" font-size="{font}" fill="{GREY}">'
            f"{g.organisations}</text>"
        )
    summary = "; ".join(f"{g.consequence}: {g.organisations}" for g in groups)
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="ov-chart" id="consequences-chart" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="Organisations per modelled consequence: {escape(summary)}">'
        + "".join(body)
        + "</svg>"
    )


def consequences(
    site: Site,
    quarter: str,
    consequence: str = "",
    region: str = "",
    icb: str = "",
    segment: str = "",
) -> Page:
    filters = ConsequenceFilters(
        consequence=consequence,
        region=region,
        icb=icb.upper(),
        segment=int(segment) if segment.isdigit() else None,
    )
    view = in_force(site, quarter, filters)
    by_group: dict[str, list[ConsequenceRow]] = {}
    for r in view.rows:
        by_group.setdefault(r.consequence, []).append(r)
    return Page(
        consequences_path(view.quarter),
        "consequences.html",
        f"Modelled consequences, {view.quarter}",
        view,
        view.rows,
        ConsequenceRow,
        {
            "all_quarters": site.quarters,
            "chart": consequence_chart(view.groups),
            "by_group": by_group,
        },
    )
