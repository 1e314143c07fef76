"""The scatter of improvement against position from the monthly series, in the style of the
quarterly one (:func:`oversight.web.moves_charts.improvement_scatter`): position rank across,
improvement rank down, 1 at the top left; providers whose change is beyond common-cause
variation are dark. Decorative beside the table of the same numbers."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from markupsafe import Markup

from oversight.api.improvement_monthly_models import MonthlyImprovementRow
from oversight.web.charts import GREY, LIGHT, _svg
from oversight.web.moves_charts import REAL


def monthly_scatter(rows: Sequence[MonthlyImprovementRow]) -> Markup:
    held = [r for r in rows if r.position_rank is not None and r.improvement_rank is not None]
    if not held:
        return Markup("")
    size, pad = 320, 28
    of = max(max(r.position_rank or 0, r.improvement_rank or 0) for r in held)

    def at(rank: int | None) -> float:
        return pad + (size - 2 * pad) * ((rank or 1) - 1) / max(of - 1, 1)

    body = (
        f'<rect x="{pad}" y="{pad}" width="{size - 2 * pad}" height="{size - 2 * pad}" '
        f'fill="none" stroke="{LIGHT}"/>'
        f'<text x="{size / 2}" y="{size - 8}" text-anchor="middle" font-size="11" '
        f'fill="{GREY}">position rank (window mean)</text>'
        f'<text x="10" y="{size / 2}" font-size="11" fill="{GREY}" '
        f'transform="rotate(-90 10 {size / 2})" text-anchor="middle">improvement rank</text>'
    )
    for r in sorted(held, key=lambda r: r.beyond_noise):
        colour = REAL if r.beyond_noise else GREY
        body += (
            f'<circle cx="{at(r.position_rank):.1f}" cy="{at(r.improvement_rank):.1f}" r="3.5" '
            f'fill="{colour}" fill-opacity="0.7"><title>{escape(r.name)}: position rank '
            f"{r.position_rank}, improvement rank {r.improvement_rank}</title></circle>"
        )
    return _svg(size, size, body)
