"""Server-side SVG charts: small, self-contained, no script, no third-party host.

Each chart is decorative next to the same numbers in text or in a table (so screen readers read
the numbers, not the drawing): the SVG is ``aria-hidden`` unless it carries a ``title``.
Colours meet 3:1 contrast against white (WCAG 1.4.11); segments are also named in text.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from markupsafe import Markup

from oversight.api.models import Standing

SEGMENT_COLOUR = {1: "#007f3b", 2: "#4d7a00", 3: "#8a5a00", 4: "#d5281b", 5: "#6b1a6b"}
GREY = "#4c6272"
LIGHT = "#d8dde0"


def _colour(segment: int | None) -> str:
    return SEGMENT_COLOUR.get(segment or 0, GREY)


def _svg(width: int, height: int, body: str, label: str | None = None) -> Markup:
    if label:
        head = f'role="img" aria-label="{escape(label)}"'
    else:
        head = 'aria-hidden="true" focusable="false"'
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="ov-chart" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" {head}>{body}</svg>'
    )


def rank_bar(
    rank: int | None, low: int | None, high: int | None, of: int, segment: int | None
) -> Markup:
    """The likely range of rank as a bar across 1..of, the rank itself as a dot."""
    width, height, pad = 160, 18, 6
    if rank is None or of < 1:
        return Markup("")

    def x(r: float) -> float:
        return pad + (width - 2 * pad) * (r - 1) / max(of - 1, 1)

    body = f'<line x1="{pad}" y1="9" x2="{width - pad}" y2="9" stroke="{LIGHT}" stroke-width="2"/>'
    if low is not None and high is not None:
        body += (
            f'<rect x="{x(low):.1f}" y="5" width="{max(x(high) - x(low), 2):.1f}" height="8" '
            f'rx="3" fill="{_colour(segment)}" fill-opacity="0.35" stroke="{_colour(segment)}"/>'
        )
    likely = f", likely {low} to {high}" if low is not None and high is not None else ""
    body += (
        f'<circle cx="{x(rank):.1f}" cy="9" r="4" fill="{_colour(segment)}">'
        f"<title>Rank {rank} of {of}{likely}</title></circle>"
    )
    return _svg(width, height, body)


def score_scale(
    average: float | None,
    low: float | None,
    high: float | None,
    cuts: Sequence[float],
    best: float = 1.0,
    worst: float = 4.0,
) -> Markup:
    """Average scores from best to worst, shaded by segment, with the organisation marked."""
    width, height, pad = 640, 70, 20
    if average is None:
        return Markup("")
    # zoom in on the part of the scale where the segments are (the worst segment is open-ended)
    if cuts:
        span = cuts[-1] - cuts[0] if len(cuts) > 1 else 0.5
        seen = [v for v in (average, high) if v is not None]
        worst = min(worst, max(cuts[-1] + max(span, 0.25), *(v + 0.1 for v in seen)))

    def x(v: float) -> float:
        return pad + (width - 2 * pad) * (v - best) / (worst - best)

    edges = [best, *cuts, worst]
    body = ""
    for i in range(len(edges) - 1):
        seg = i + 1
        body += (
            f'<rect x="{x(edges[i]):.1f}" y="18" width="{x(edges[i + 1]) - x(edges[i]):.1f}" '
            f'height="16" fill="{_colour(seg)}" fill-opacity="0.25"/>'
            f'<text x="{(x(edges[i]) + x(edges[i + 1])) / 2:.1f}" y="13" font-size="11" '
            f'text-anchor="middle" fill="#212b32">{seg}</text>'
        )
    for c in cuts:
        body += (
            f'<line x1="{x(c):.1f}" y1="16" x2="{x(c):.1f}" y2="36" stroke="#212b32"/>'
            f'<text x="{x(c):.1f}" y="50" font-size="11" text-anchor="middle" '
            f'fill="#212b32">{c:g}</text>'
        )
    if low is not None and high is not None:
        body += (
            f'<line x1="{x(low):.1f}" y1="26" x2="{x(high):.1f}" y2="26" stroke="#212b32" '
            'stroke-width="3"/>'
        )
    body += (
        f'<circle cx="{x(average):.1f}" cy="26" r="6" fill="#005eb8" stroke="#fff">'
        f"<title>Average score {average:.2f}"
        + (f", likely {low:.2f} to {high:.2f}" if low is not None and high is not None else "")
        + " (1 is best)</title></circle>"
        f'<text x="{x(average):.1f}" y="66" font-size="12" font-weight="bold" '
        f'text-anchor="middle" fill="#005eb8">{average:.2f}</text>'
    )
    body += (
        f'<text x="{x(best):.1f}" y="50" font-size="11" text-anchor="middle" '
        f'fill="{GREY}">{best:g}</text>'
    )
    return _svg(width, height, body)


def trend(standings: Sequence[Standing], current: str) -> Markup:
    """Rank in each quarter (1 at the top) with its likely range; colour is the segment."""
    if not standings:
        return Markup("")
    width, height = 560, 220
    left, right, top, bottom = 48, 16, 16, 40
    worst = max(s.of for s in standings)
    n = len(standings)

    def x(i: int) -> float:
        return left + (width - left - right) * (i + 0.5) / n

    def y(r: float) -> float:
        return top + (height - top - bottom) * (r - 1) / max(worst - 1, 1)

    body = ""
    for r in sorted({1, max(worst // 2, 1), worst}):
        body += (
            f'<line x1="{left}" y1="{y(r):.1f}" x2="{width - right}" y2="{y(r):.1f}" '
            f'stroke="{LIGHT}"/><text x="{left - 6}" y="{y(r) + 4:.1f}" font-size="11" '
            f'text-anchor="end" fill="{GREY}">{r}</text>'
        )
    body += (
        f'<text x="12" y="{(height - bottom) / 2:.0f}" font-size="11" fill="{GREY}" '
        f'transform="rotate(-90 12 {(height - bottom) / 2:.0f})" text-anchor="middle">rank</text>'
    )
    points = []
    for i, s in enumerate(standings):
        colour = _colour(s.segment)
        if s.rank_low is not None and s.rank_high is not None:
            body += (
                f'<line x1="{x(i):.1f}" y1="{y(s.rank_low):.1f}" x2="{x(i):.1f}" '
                f'y2="{y(s.rank_high):.1f}" stroke="{colour}" stroke-width="6" '
                'stroke-opacity="0.35" stroke-linecap="round"/>'
            )
        if s.rank is not None:
            points.append(f"{x(i):.1f},{y(s.rank):.1f}")
            r = 7 if s.quarter == current else 5
            likely = (
                f", likely {s.rank_low} to {s.rank_high}"
                if s.rank_low is not None and s.rank_high is not None
                else ""
            )
            tip = f"{s.quarter}: rank {s.rank} of {s.of}{likely}, segment {s.segment or '–'}"
            body += (
                f'<circle cx="{x(i):.1f}" cy="{y(s.rank):.1f}" r="{r}" fill="{colour}">'
                f"<title>{escape(tip)}</title></circle>"
            )
        weight = ' font-weight="bold"' if s.quarter == current else ""
        body += (
            f'<text x="{x(i):.1f}" y="{height - 22}" font-size="11" text-anchor="middle" '
            f'fill="#212b32"{weight}>{escape(s.quarter)}</text>'
            f'<text x="{x(i):.1f}" y="{height - 8}" font-size="11" text-anchor="middle" '
            f'fill="{colour}">seg {s.segment if s.segment is not None else "-"}</text>'
        )
    if len(points) > 1:
        body = (
            f'<polyline points="{" ".join(points)}" fill="none" stroke="{GREY}" '
            'stroke-width="1.5"/>' + body
        )
    return _svg(width, height, body)


def value_strip(
    value: float | None,
    lq: float | None,
    median: float | None,
    uq: float | None,
    lowest: float,
    highest: float,
) -> Markup:
    """One organisation's value against the peers' interquartile range and median."""
    width, height, pad = 180, 18, 6
    if value is None or highest <= lowest:
        return Markup("")

    def x(v: float) -> float:
        return pad + (width - 2 * pad) * (v - lowest) / (highest - lowest)

    body = f'<line x1="{pad}" y1="9" x2="{width - pad}" y2="9" stroke="{LIGHT}" stroke-width="2"/>'
    if lq is not None and uq is not None:
        body += (
            f'<rect x="{x(min(lq, uq)):.1f}" y="3" width="{abs(x(uq) - x(lq)):.1f}" '
            f'height="12" fill="{LIGHT}" stroke="{GREY}"/>'
        )
    if median is not None:
        body += f'<line x1="{x(median):.1f}" y1="1" x2="{x(median):.1f}" y2="17" stroke="{GREY}"/>'
    tip = f"Value {value:g}" + (f"; peers' median {median:g}" if median is not None else "")
    if lq is not None and uq is not None:
        tip += f", middle half {lq:g} to {uq:g}"
    body += f'<circle cx="{x(value):.1f}" cy="9" r="4" fill="#005eb8"><title>{tip}</title></circle>'
    return _svg(width, height, body)


def distribution(
    points: Sequence[tuple[str, float, int | None]], units: str, better: str
) -> Markup:
    """Every organisation's value as a dot on one axis (a strip plot, stacked where values
    coincide), coloured by segment, each with its name and value as a tooltip: the spread of
    the metric at a glance. ``points`` are (name, value, segment)."""
    if not points:
        return Markup("")
    width, pad, step = 640, 24, 9
    values = [v for _, v, _ in points]
    low, high = min(values), max(values)
    span = high - low or 1.0

    def x(v: float) -> float:
        return pad + (width - 2 * pad) * (v - low) / span

    stacks: dict[int, int] = {}
    dots = []
    for name, v, segment in sorted(points, key=lambda p: p[1]):
        column = round(x(v) / step)
        level = stacks.get(column, 0)
        stacks[column] = level + 1
        dots.append((x(v), level, name, v, segment))
    height = 44 + step * max(stacks.values())
    base = height - 26
    body = f'<line x1="{pad}" y1="{base + 6}" x2="{width - pad}" y2="{base + 6}" stroke="{GREY}"/>'
    for cx, level, name, v, segment in dots:
        body += (
            f'<circle cx="{cx:.1f}" cy="{base - level * step:.1f}" r="4" '
            f'fill="{_colour(segment)}"><title>{escape(name)}: {v:g}'
            f"{' ' + escape(units) if units else ''}</title></circle>"
        )
    for v, anchor in ((low, "start"), (high, "end")):
        body += (
            f'<text x="{x(v):.1f}" y="{height - 4}" font-size="12" text-anchor="{anchor}" '
            f'fill="{GREY}">{v:g}</text>'
        )
    body += (
        f'<text x="{width / 2:.0f}" y="{height - 4}" font-size="12" text-anchor="middle" '
        f'fill="{GREY}">{escape(better)}</text>'
    )
    label = f"Distribution of {len(points)} values from {low:g} to {high:g}; {better}"
    return _svg(width, height, body, label)
