"""The caterpillar plot: every organisation of a league table, one row each in rank order, its
likely range of rank as a bar and its rank as a dot, coloured by segment.

Server-side SVG, no script. Each organisation is a link (to its page, or its row in the table
below the plot) whose ``aria-label`` and ``<title>`` name it with its rank and range; hovering
or focusing one shows the same words at the top of the plot. The table on the page holds every
number, so the plot is a view of it, not the only copy.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from markupsafe import Markup

from oversight.api.likely_ranks_models import LikelyRankRow, LikelyRanksOut
from oversight.web.charts import GREY, LIGHT, _colour

# the label of the point under the pointer or focus (inline: a published page has no script)
STYLE = (
    "<style>.ov-cat-label{display:none}"
    ".ov-cat-point:hover .ov-cat-label,.ov-cat-point:focus .ov-cat-label{display:inline}"
    # the pointer wins over the focus, so two labels never overlap
    "#caterpillar:has(.ov-cat-point:hover) .ov-cat-point:not(:hover) .ov-cat-label{display:none}"
    ".ov-cat-point:focus{outline:none}.ov-cat-point:focus circle{stroke:#212b32;"
    "stroke-width:3}</style>"
)


def point_label(row: LikelyRankRow, of: int) -> str:
    likely = (
        f", likely {row.rank_low} to {row.rank_high}"
        if row.rank_low is not None and row.rank_high is not None
        else ""
    )
    segment = f", segment {row.segment}" if row.segment is not None else ""
    return f"{row.trust_name} ({row.trust_code}): rank {row.rank} of {of}{likely}{segment}"


def caterpillar(view: LikelyRanksOut, href: Callable[[str], str]) -> Markup:
    """``href``: where a point links, from its ODS code."""
    rows = view.rows
    if not rows:
        return Markup("")
    of = max(max(r.rank, r.rank_high or 0) for r in rows)
    width, left, right, top, step = 640, 44, 16, 40, 7
    height = top + step * len(rows) + 28

    def x(rank: float) -> float:
        return left + (width - left - right) * (rank - 1) / max(of - 1, 1)

    body = [STYLE]
    for tick in sorted({1, max(of // 4, 1), max(of // 2, 1), max(3 * of // 4, 1), of}):
        body.append(
            f'<line x1="{x(tick):.1f}" y1="{top - 6}" x2="{x(tick):.1f}" '
            f'y2="{height - 24}" stroke="{LIGHT}"/><text x="{x(tick):.1f}" '
            f'y="{height - 10}" font-size="11" text-anchor="middle" fill="{GREY}">{tick}</text>'
        )
    body.append(
        f'<text x="4" y="{top + 4}" font-size="11" fill="{GREY}">best</text>'
        f'<text x="4" y="{height - 24}" font-size="11" fill="{GREY}">worst</text>'
    )
    for i, r in enumerate(rows):
        y = top + step * i + step / 2
        colour = _colour(r.segment)
        words = escape(point_label(r, of))
        bar = ""
        if r.rank_low is not None and r.rank_high is not None:
            bar = (
                f'<line x1="{x(r.rank_low):.1f}" y1="{y:.1f}" x2="{x(r.rank_high):.1f}" '
                f'y2="{y:.1f}" stroke="{colour}" stroke-width="4" stroke-opacity="0.4" '
                'stroke-linecap="round"/>'
            )
        body.append(
            f'<a class="ov-cat-point" href="{escape(href(r.trust_code))}" '
            f'data-code="{escape(r.trust_code)}" aria-label="{words}"><title>{words}</title>'
            f'<rect x="{left}" y="{y - step / 2:.1f}" width="{width - left - right}" '
            f'height="{step}" fill="transparent"/>{bar}'
            f'<circle cx="{x(r.rank):.1f}" cy="{y:.1f}" r="2.5" fill="{colour}"/>'
            f'<text class="ov-cat-label" x="{left}" y="16" font-size="12" '
            f'fill="#212b32">{words}</text></a>'
        )
    label = (
        f"Caterpillar plot of the likely rank of {len(rows)} organisations, best first: "
        f"each a bar for its likely range ({view.method_label}) and a dot for its rank"
    )
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="ov-chart" id="caterpillar" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="group" '
        f'aria-label="{escape(label)}">{"".join(body)}</svg>'
    )
