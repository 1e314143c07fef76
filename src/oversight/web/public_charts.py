"""The scatter of MODELLED against published average scores (server-side SVG, no script).

Decorative beside the comparison table, which has every number: each trust a dot coloured by
whether its segments agree; the diagonal is where the two averages are equal.
"""

from __future__ import annotations

from html import escape

from markupsafe import Markup

from oversight.api.public_models import PublicComparison
from oversight.web.charts import GREY, LIGHT

SAME = "#007f3b"
DIFFERENT = "#d5281b"


def compare_scatter(view: PublicComparison, trust_type: str = "acute") -> Markup:
    points = [
        (r.published_average, r.modelled_average, bool(r.same_segment), r.trust_code)
        for r in view.rows
        if r.trust_type == trust_type
        and r.published_average is not None
        and r.modelled_average is not None
    ]
    if not points:
        return Markup("")
    size, pad = 360, 44
    lo, hi = 1.0, 4.0

    def at(v: float) -> float:
        return pad + (size - 2 * pad) * (v - lo) / (hi - lo)

    def y(v: float) -> float:
        return size - at(v)

    body = [
        f'<rect x="{pad}" y="{pad}" width="{size - 2 * pad}" height="{size - 2 * pad}" '
        f'fill="none" stroke="{LIGHT}"/>',
        f'<line x1="{at(lo):.1f}" y1="{y(lo):.1f}" x2="{at(hi):.1f}" y2="{y(hi):.1f}" '
        f'stroke="{GREY}" stroke-dasharray="4 3"/>',
    ]
    for tick in (1, 2, 3, 4):
        body.append(
            f'<text x="{at(tick):.1f}" y="{size - pad + 16}" font-size="11" '
            f'text-anchor="middle" fill="{GREY}">{tick}</text>'
            f'<text x="{pad - 8}" y="{y(tick) + 4:.1f}" font-size="11" text-anchor="end" '
            f'fill="{GREY}">{tick}</text>'
        )
    body.append(
        f'<text x="{size / 2}" y="{size - 8}" font-size="12" text-anchor="middle" '
        f'fill="{GREY}">Published average score (NHS England)</text>'
        f'<text x="14" y="{size / 2}" font-size="12" text-anchor="middle" fill="{GREY}" '
        f'transform="rotate(-90 14 {size / 2})">Modelled average score</text>'
    )
    for pub, mod, same, code in points:
        colour = SAME if same else DIFFERENT
        body.append(
            f'<circle cx="{at(pub):.1f}" cy="{y(mod):.1f}" r="3.5" fill="{colour}" '
            f'fill-opacity="0.75"><title>{escape(code)}: published {pub:.2f}, '
            f"modelled {mod:.2f}</title></circle>"
        )
    label = (
        f"Scatter of modelled against published average score for {len(points)} "
        f"{trust_type} trusts (modelled from public data)"
    )
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="ov-chart" id="compare-scatter" '
        f'width="{size}" height="{size}" viewBox="0 0 {size} {size}" role="img" '
        f'aria-label="{escape(label)}">{"".join(body)}</svg>'
    )
