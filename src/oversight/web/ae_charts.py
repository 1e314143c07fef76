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

from oversight.api.ae_models import FunnelView, SeriesMeta, SeriesPointOut, TargetLineOut
from oversight.periods import Month
from oversight.web.charts import GREY, LIGHT, _svg

POINT_COLOUR = {
    "common_cause": GREY,
    "special_cause_improvement": "#005eb8",
    "special_cause_concern": "#b84d00",
    "special_cause_neutral_high": "#6b1a6b",
    "special_cause_neutral_low": "#6b1a6b",
}
FLAG_COLOUR = {"above": "#005eb8", "below": "#b84d00", "within": GREY, "none": GREY}
# red/amber/green against England (the test is stated on the page); 3:1 on white except amber,
# which is outlined; the words are in each point's tooltip and in the table
RAG_COLOUR = {
    "green": "#007f3b",
    "amber": "#ffb81c",
    "red": "#d5281b",
    "similar": GREY,
    "none": GREY,
}
INK = "#212b32"
TARGET = "#007f3b"  # NHS green, 3:1 on white: standards and targets


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


def fmt_tick(value: float, share: bool) -> str:
    """An axis label: a share as a whole or one-decimal percentage ("85%", "72.5%")."""
    if share:
        return f"{round(value * 100, 1):g}%"
    return f"{value:,.0f}"


def month_name(month: str) -> str:
    """'2025-03' -> 'March 2025'."""
    return Month.parse(month).name


def _runs(rows: Sequence[SeriesPointOut]) -> list[list[SeriesPointOut]]:
    """Known values split where a month is missing or a new SPC phase begins (a line is
    never drawn across either)."""
    out: list[list[SeriesPointOut]] = []
    previous: SeriesPointOut | None = None
    for r in rows:
        if r.value is None:
            previous = None
            continue
        joined = (
            previous is not None
            and _month_index(r.month) == _month_index(previous.month) + 1
            and r.phase == previous.phase
        )
        if joined:
            out[-1].append(r)
        else:
            out.append([r])
        previous = r
    return out


def spc_chart(
    rows: Sequence[SeriesPointOut], share: bool, meta: SeriesMeta | None = None
) -> Markup:
    """Values by month with each phase's centre line and process limits, the standard and
    target lines (labelled), and a labelled divider where limits were recalculated. Every
    point has a tooltip (an SVG ``title``): the unit, the month, the value and its signal.
    Months with no value (not published) leave a gap in the line."""
    known = [r for r in rows if r.value is not None]
    if not known:
        return Markup("")
    lines = meta.lines if meta else []
    width, height = 760, 320
    left, right, top, bottom = 64, 16, 28, 40
    lo_month, hi_month = _month_index(rows[0].month), _month_index(rows[-1].month)
    values = [v for r in known for v in (r.value, r.lower, r.upper) if v is not None]
    values += [x.value for x in lines]
    lo, hi = min(values), max(values)
    pad = (hi - lo) * 0.05 or 1.0
    lo, hi = lo - pad, hi + pad
    if share:  # a share's axis stays within 0-100%
        lo, hi = max(lo, 0.0), min(hi, 1.0)
    else:
        lo = max(lo, 0.0) if min(values) >= 0 else lo

    def x(month: str) -> float:
        span = max(hi_month - lo_month, 1)
        return left + (width - left - right) * (_month_index(month) - lo_month) / span

    def y(v: float) -> float:
        v = min(max(v, lo), hi)  # a limit beyond 0% or 100% is drawn at the edge
        return top + (height - top - bottom) * (hi - v) / (hi - lo)

    body = _gridlines(lo, hi, y, left, width - right, lambda t: escape(fmt_tick(t, share)))
    for r in rows:
        if r.month.endswith("-01") or r is rows[0]:
            body += (
                f'<text x="{x(r.month):.1f}" y="{height - 20}" font-size="11" '
                f'text-anchor="middle" fill="{INK}">{r.month[:4]}</text>'
            )
    body += (
        f'<text x="{(left + width) / 2:.0f}" y="{height - 4}" font-size="11" '
        f'text-anchor="middle" fill="{GREY}">month</text>'
    )
    body += _phase_dividers(meta, x, top, height - bottom)
    body += _target_lines(lines, rows, x, y)
    runs = _runs(rows)
    # centre line and limits of each phase, and the series itself, per run of months
    for attr, dash, colour in (("mean", "", INK), ("lower", "6 4", GREY), ("upper", "6 4", GREY)):
        for run in runs:
            seg = [
                f"{x(r.month):.1f},{y(v):.1f}" for r in run if (v := getattr(r, attr)) is not None
            ]
            if len(seg) > 1:
                body += (
                    f'<polyline class="ov-spc-{attr}" points="{" ".join(seg)}" fill="none" '
                    f'stroke="{colour}" stroke-width="1.5"'
                    + (f' stroke-dasharray="{dash}"' if dash else "")
                    + "/>"
                )
    for run in runs:
        path = " ".join(
            f"{'L' if i else 'M'}{x(r.month):.1f},{y(r.value or 0):.1f}" for i, r in enumerate(run)
        )
        body += f'<path d="{path}" fill="none" stroke="{GREY}" stroke-width="1"/>'
    unit = f"{meta.name} ({meta.code})" if meta else ""
    for r in known:
        assert r.value is not None
        kind = r.point_type or "common_cause"
        radius = 2.5 if kind == "common_cause" else 3.5
        signal = "common cause" if kind == "common_cause" else (r.label or kind)
        tip = f"{month_name(r.month)}: {fmt_value(r.value, share)} ({signal})"
        tip = f"{unit}, {tip}" if unit else tip
        body += (
            f'<circle class="ov-point ov-{kind}" data-month="{r.month}" '
            f'data-value="{r.value!r}" cx="{x(r.month):.1f}" cy="{y(r.value):.1f}" '
            f'r="{radius}" fill="{POINT_COLOUR.get(kind, GREY)}">'
            f"<title>{escape(tip)}</title></circle>"
        )
    return _svg(width, height, body)


def _phase_dividers(
    meta: SeriesMeta | None, x: Callable[[str], float], y_top: float, y_bottom: float
) -> str:
    """A dotted vertical line where each phase after the first begins, with its number."""
    out = ""
    for ph in (meta.phases if meta else [])[1:]:
        at = x(ph.first_month) - 4
        out += (
            f'<line class="ov-spc-phase" x1="{at:.1f}" y1="{y_top - 10}" x2="{at:.1f}" '
            f'y2="{y_bottom}" stroke="{INK}" stroke-dasharray="2 3"/>'
            f'<text x="{at + 3:.1f}" y="{y_top - 2}" font-size="11" fill="{INK}">'
            f"phase {ph.number}<title>{escape(ph.title)} (from {month_name(ph.first_month)})"
            "</title></text>"
        )
    return out


def _target_lines(
    lines: Sequence[TargetLineOut],
    rows: Sequence[SeriesPointOut],
    x: Callable[[str], float],
    y: Callable[[float], float],
) -> str:
    """Each standard (solid) or target (long dash) across the months it applies, labelled."""
    out = ""
    for line in lines:
        months = [
            r.month
            for r in rows
            if (line.start is None or line.start <= r.month)
            and (line.end is None or r.month <= line.end)
        ]
        if not months:
            continue
        x1, x2, at = x(months[0]), x(months[-1]), y(line.value)
        dash = "" if line.kind == "standard" else ' stroke-dasharray="10 4"'
        out += (
            f'<line class="ov-spc-{line.kind}" x1="{x1:.1f}" y1="{at:.1f}" x2="{x2:.1f}" '
            f'y2="{at:.1f}" stroke="{TARGET}" stroke-width="2"{dash}>'
            f"<title>{escape(line.label)}</title></line>"
            f'<text x="{x2:.1f}" y="{at - 4:.1f}" font-size="11" text-anchor="end" '
            f'fill="{TARGET}">{escape(line.label)}</text>'
        )
    return out


def _log_ticks(lo: float, hi: float) -> list[int]:
    """Round numbers (1, 2 and 5 times a power of ten) between lo and hi, for a log axis."""
    out = []
    for p in range(math.floor(math.log10(max(lo, 1))), math.ceil(math.log10(max(hi, 1))) + 1):
        out += [m * 10**p for m in (1, 2, 5) if lo <= m * 10**p <= hi]
    return out


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

    body = _gridlines(lo, hi, y, left, width - right, lambda t: fmt_tick(t, True))
    for tick in _log_ticks(den[0], den[-1]):
        body += (
            f'<line x1="{x(tick):.1f}" y1="{height - bottom}" x2="{x(tick):.1f}" '
            f'y2="{height - bottom + 4}" stroke="{GREY}"/>'
            f'<text x="{x(tick):.1f}" y="{height - 24}" font-size="11" text-anchor="middle" '
            f'fill="{INK}">{tick:,}</text>'
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
        tip = (
            f"{r.name} ({r.code}), {month_name(view.meta.month)}: {fmt_value(r.value, True)} "
            f"of {r.denominator:,.0f} attendances. {r.rag_label or r.flag_99_8}"
        )
        body += (
            f'<circle class="ov-point ov-rag-{r.rag or "none"}" data-code="{escape(r.code)}" '
            f'data-value="{r.value!r}" cx="{x(r.denominator):.1f}" cy="{y(r.value):.1f}" '
            f'r="3.5" fill="{RAG_COLOUR.get(r.rag, FLAG_COLOUR[r.flag_99_8])}" '
            f'stroke="{INK if r.rag == "amber" else "none"}" stroke-width="0.8">'
            f"<title>{escape(tip)}</title></circle>"
        )
    return _svg(width, height, body)
