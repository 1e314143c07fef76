"""A sparkline of an organisation's average score over its last quarters: a small inline SVG
whose ``<title>`` says the same figures in words (its text alternative)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from markupsafe import Markup

GREY = "#4c6272"
LAST = 6  # quarters shown at most


def sparkline(
    points: Sequence[tuple[str, float | None]], width: int = 80, height: int = 20
) -> Markup:
    """``points``: (quarter, average score) oldest first; a score of None is a gap.

    Lower is better in the NOF, so lower scores are drawn higher up (as a rank would be)."""
    shown = list(points)[-LAST:]
    known = [v for _, v in shown if v is not None]
    if not known:
        return Markup("")
    words = "; ".join(f"{q}: {'–' if v is None else f'{v:.2f}'}" for q, v in shown)
    title = f"Average score by quarter (lower is better): {words}"
    lo, hi = min(known), max(known)
    pad = 3
    step = (width - 2 * pad) / max(len(shown) - 1, 1)

    def y(v: float) -> float:
        return pad + (height - 2 * pad) * ((v - lo) / (hi - lo) if hi > lo else 0.5)

    coords = [(pad + i * step, y(v)) for i, (_, v) in enumerate(shown) if v is not None]
    line = " ".join(f"{x:.1f},{yy:.1f}" for x, yy in coords)
    last_x, last_y = coords[-1]
    body = (
        f"<title>{escape(title)}</title>"
        f'<polyline points="{line}" fill="none" stroke="{GREY}" stroke-width="1.5"/>'
        f'<circle cx="{last_x:.1f}" cy="{last_y:.1f}" r="2.5" fill="{GREY}"/>'
    )
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="ov-chart ov-spark" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img">{body}</svg>'
    )
