"""Slope chart of rank from one quarter to the next, with each quarter's likely range, and
the scatter of improvement against position.

One line per organisation from its earlier rank (left) to its later rank (right); a move called
real is drawn dark and thick, one that could be noise light. The likely ranges are bars at both
ends. Decorative beside the table of the same numbers (see :mod:`oversight.web.charts`).
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from markupsafe import Markup

from oversight.api.improvement_models import ImprovementRow
from oversight.api.moves_models import MoveOut
from oversight.web.charts import GREY, LIGHT, _svg

REAL = "#005eb8"


def slope(moves: Sequence[MoveOut], before: str, after: str) -> Markup:
    """Ranks (1 at the top) in two columns joined by one line per organisation."""
    if not moves:
        return Markup("")
    width, top, bottom, left, right = 360, 24, 12, 90, 270
    of = max(
        max(m.rank_before, m.rank_after, m.rank_high_before or 0, m.rank_high_after or 0)
        for m in moves
    )
    height = top + bottom + max(4 * of, 120)

    def y(rank: float) -> float:
        return top + (height - top - bottom) * (rank - 1) / max(of - 1, 1)

    label = '<text x="{}" y="14" text-anchor="middle" font-size="11" fill="' + GREY + '">{}</text>'
    body = label.format(left, escape(before)) + label.format(right, escape(after))
    quiet = [m for m in moves if not m.rank_real]
    real = [m for m in moves if m.rank_real]
    for m in [*quiet, *real]:  # the real moves on top
        colour, stroke = (REAL, 2.0) if m.rank_real else (LIGHT, 1.0)
        for x, low, high in (
            (left - 6, m.rank_low_before, m.rank_high_before),
            (right + 6, m.rank_low_after, m.rank_high_after),
        ):
            if low is not None and high is not None and m.rank_real:
                body += (
                    f'<line x1="{x}" y1="{y(low):.1f}" x2="{x}" y2="{y(high):.1f}" '
                    f'stroke="{colour}" stroke-width="3" stroke-opacity="0.5"/>'
                )
        body += (
            f'<line x1="{left}" y1="{y(m.rank_before):.1f}" x2="{right}" '
            f'y2="{y(m.rank_after):.1f}" stroke="{colour}" stroke-width="{stroke}">'
            f"<title>{escape(m.trust_name)}: rank {m.rank_before} to {m.rank_after}</title></line>"
        )
    return _svg(width, height, body)


def improvement_scatter(rows: Sequence[ImprovementRow]) -> Markup:
    """Official rank (across) against improvement rank (down), 1 at the top left; organisations
    whose change is beyond common-cause variation are dark."""
    return rank_scatter(
        [
            (f"{r.trust_name}: rank {r.position_rank}", r.position_rank, r.improvement_rank,
             bool(r.beyond_noise))
            for r in rows
        ],
        "official rank",
    )  # fmt: skip


def rank_scatter(points: Sequence[tuple[str, int | None, int | None, bool]], across: str) -> Markup:
    """Position rank (across, labelled ``across``) against improvement rank (down), 1 at the
    top left, from (label, position rank, improvement rank, beyond noise); a point without
    both ranks is left out, and those beyond common-cause variation are dark and drawn last."""
    held = [p for p in points if p[1] is not None and p[2] is not None]
    if not held:
        return Markup("")
    size, pad = 320, 28
    of = max(max(p[1] or 0, p[2] or 0) for p in held)

    def at(rank: int | None) -> float:
        return pad + (size - 2 * pad) * ((rank or 1) - 1) / max(of - 1, 1)

    body = (
        f'<rect x="{pad}" y="{pad}" width="{size - 2 * pad}" height="{size - 2 * pad}" '
        f'fill="none" stroke="{LIGHT}"/>'
        f'<text x="{size / 2}" y="{size - 8}" text-anchor="middle" font-size="11" '
        f'fill="{GREY}">{escape(across)}</text>'
        f'<text x="10" y="{size / 2}" font-size="11" fill="{GREY}" '
        f'transform="rotate(-90 10 {size / 2})" text-anchor="middle">improvement rank</text>'
    )
    for label, position, improvement, beyond in sorted(held, key=lambda p: p[3]):
        colour = REAL if beyond else GREY
        body += (
            f'<circle cx="{at(position):.1f}" cy="{at(improvement):.1f}" r="3.5" '
            f'fill="{colour}" fill-opacity="0.7"><title>{escape(label)}, improvement rank '
            f"{improvement}</title></circle>"
        )
    return _svg(size, size, body)
