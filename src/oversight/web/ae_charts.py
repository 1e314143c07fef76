"""Server-side SVG for monthly series: an SPC (XmR) chart and a funnel plot.

Like ``charts.py``: no script, no other host, ``aria-hidden`` beside the same numbers in a
table. Each point carries its month (or code) and value in ``data-`` attributes so a browser
test can compare the drawing with the store. Colours follow Making Data Count's meaning
(blue improvement, orange concern, purple neutral, grey common cause), darkened to 3:1.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from html import escape

from markupsafe import Markup

from oversight.api.ae_models import FunnelView, SeriesPointOut
from oversight.web.charts import GREY, LIGHT, _svg

POINT_COLOUR = {
    "common_cause": GREY,
    "special_cause_improvement": "#005eb8",
    "special_cause_concern": "#b84d00",
    "special_cause_neutral_high": "#6b1a6b",
    "special_cause_neutral_low": "#6b1a6b",
}
FLAG_COLOUR = {"above": "#005eb8", "below": "#b84d00", "within": GREY}
INK = "#212b32"


def _month_index(month: str) -> int:
    year, mon = month.split("-")
    return int(year) * 12 + int(mon) - 1


def _ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    if hi <= lo:
        return [lo]
    raw = (hi - lo) / n
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    first = math.ceil(lo / step) * step
    return [first + i * step for i in range(int((hi - first) / step + 1e-9) + 1)]


def _gridlines(
    lo: float,
    hi: float,
    y: Callable[[float], float],
    x_from: float,
    x_to: float,
    label: Callable[[float], str],
) -> str:
    """Horizontal gridlines at round values between lo and hi, labelled on the left."""
    out = ""
    for t in _ticks(lo, hi):
        out += (
            f'<line x1="{x_from}" y1="{y(t):.1f}" x2="{x_to}" y2="{y(t):.1f}" '
            f'stroke="{LIGHT}"/><text x="{x_from - 6}" y="{y(t) + 4:.1f}" font-size="11" '
            f'text-anchor="end" fill="{GREY}">{label(t)}</text>'
        )
    return out


def fmt_value(value: float | None, share: bool) -> str:
    if value is None:
        return "–"
    return f"{value * 100:.1f}%" if share else f"{value:,.0f}"


def spc_chart(rows: Sequence[SeriesPointOut], share: bool) -> Markup:
    """Values by month with the centre line and process limits; special-cause points coloured.
    Months with no value (not published) leave a gap in the line."""
    known = [r for r in rows if r.value is not None]
    if not known:
        return Markup("")
    width, height = 760, 300
    left, right, top, bottom = 64, 16, 16, 40
    lo_month, hi_month = _month_index(rows[0].month), _month_index(rows[-1].month)
    values = [v for r in known for v in (r.value, r.lower, r.upper) if v is not None]
    lo, hi = min(values), max(values)
    pad = (hi - lo) * 0.05 or 1.0
    lo, hi = lo - pad, hi + pad
    if share:  # a share's axis stays within 0-100%
        lo, hi = max(lo, 0.0), min(hi, 1.0)

    def x(month: str) -> float:
        span = max(hi_month - lo_month, 1)
        return left + (width - left - right) * (_month_index(month) - lo_month) / span

    def y(v: float) -> float:
        v = min(max(v, lo), hi)  # a limit beyond 0% or 100% is drawn at the edge
        return top + (height - top - bottom) * (hi - v) / (hi - lo)

    body = _gridlines(lo, hi, y, left, width - right, lambda t: escape(fmt_value(t, share)))
    for r in rows:
        if r.month.endswith("-01") or r is rows[0]:
            body += (
                f'<text x="{x(r.month):.1f}" y="{height - 20}" font-size="11" '
                f'text-anchor="middle" fill="{INK}">{r.month[:4]}</text>'
            )
    # centre line and limits, drawn per run of consecutive known months
    for attr, dash, colour in (("mean", "", INK), ("lower", "6 4", GREY), ("upper", "6 4", GREY)):
        segment: list[str] = []
        previous: int | None = None
        lines = []
        for r in known:
            v = getattr(r, attr)
            i = _month_index(r.month)
            if previous is not None and i != previous + 1 and segment:
                lines.append(segment)
                segment = []
            if v is not None:
                segment.append(f"{x(r.month):.1f},{y(v):.1f}")
            previous = i
        lines.append(segment)
        for seg in lines:
            if len(seg) > 1:
                body += (
                    f'<polyline class="ov-spc-{attr}" points="{" ".join(seg)}" fill="none" '
                    f'stroke="{colour}" stroke-width="1.5"'
                    + (f' stroke-dasharray="{dash}"' if dash else "")
                    + "/>"
                )
    # the series itself, broken where a month is missing
    path, previous = [], None
    for r in known:
        i = _month_index(r.month)
        assert r.value is not None
        cmd = "L" if previous is not None and i == previous + 1 else "M"
        path.append(f"{cmd}{x(r.month):.1f},{y(r.value):.1f}")
        previous = i
    body += f'<path d="{" ".join(path)}" fill="none" stroke="{GREY}" stroke-width="1"/>'
    for r in known:
        assert r.value is not None
        kind = r.point_type or "common_cause"
        radius = 2.5 if kind == "common_cause" else 3.5
        body += (
            f'<circle class="ov-point ov-{kind}" data-month="{r.month}" '
            f'data-value="{r.value!r}" cx="{x(r.month):.1f}" cy="{y(r.value):.1f}" '
            f'r="{radius}" fill="{POINT_COLOUR.get(kind, GREY)}"/>'
        )
    body += (
        f'<text x="{width - right}" y="{height - 4}" font-size="11" text-anchor="end" '
        f'fill="{GREY}">solid: mean · dashed: process limits · blue: improvement · '
        "orange: concern</text>"
    )
    return _svg(width, height, body)


def funnel_chart(view: FunnelView) -> Markup:
    """Each provider's share against its number of attendances (log scale), with the pooled
    value and the 95% and 99.8% limits allowing for overdispersion."""
    if not view.rows:
        return Markup("")
    width, height = 760, 340
    left, right, top, bottom = 64, 16, 16, 44
    curve = view.curve
    adj = view.meta.adjustment
    den = curve["denominator"]
    shown = [r.value for r in view.rows] + [
        v for k in (f"lower_99.8_{adj}", f"upper_99.8_{adj}") for v in curve.get(k, [])
    ]
    lo, hi = max(min(shown) - 0.02, 0.0), min(max(shown) + 0.02, 1.0)
    xlo, xhi = math.log10(den[0]), math.log10(den[-1])

    def x(d: float) -> float:
        return left + (width - left - right) * (math.log10(d) - xlo) / max(xhi - xlo, 1e-9)

    def y(v: float) -> float:
        v = min(max(v, lo), hi)
        return top + (height - top - bottom) * (hi - v) / (hi - lo)

    body = _gridlines(lo, hi, y, left, width - right, lambda t: f"{t * 100:g}%")
    for p in range(math.ceil(xlo), math.floor(xhi) + 1):
        body += (
            f'<text x="{x(10**p):.1f}" y="{height - 24}" font-size="11" text-anchor="middle" '
            f'fill="{INK}">{10**p:,}</text>'
        )
    body += (
        f'<text x="{(left + width) / 2:.0f}" y="{height - 6}" font-size="11" '
        f'text-anchor="middle" fill="{GREY}">attendances in the month (log scale)</text>'
    )
    for tag, dash in (("95", "6 4"), ("99.8", "")):
        for side in ("lower", "upper"):
            ys = curve.get(f"{side}_{tag}_{adj}", [])
            pts = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in zip(den, ys, strict=True))
            body += (
                f'<polyline points="{pts}" fill="none" stroke="{INK}" stroke-width="1.2"'
                + (f' stroke-dasharray="{dash}"' if dash else "")
                + "/>"
            )
    t = view.meta.target
    body += (
        f'<line x1="{left}" y1="{y(t):.1f}" x2="{width - right}" y2="{y(t):.1f}" '
        f'stroke="{GREY}" stroke-width="1.5"/>'
    )
    for r in view.rows:
        body += (
            f'<circle class="ov-point" data-code="{escape(r.code)}" data-value="{r.value!r}" '
            f'cx="{x(r.denominator):.1f}" cy="{y(r.value):.1f}" r="3.5" '
            f'fill="{FLAG_COLOUR[r.flag_99_8]}" fill-opacity="0.8"/>'
        )
    return _svg(width, height, body)
