"""Server-side SVG for evaluation pages: the event study and the synthetic-control gap, drawn
like the dashboard's other charts (``charts.py``, ``ae_charts.py``): the same palette, fonts,
gridlines and axis labels, a tooltip (SVG ``title``) on every point, shares as percentage
points, and every figure labelled an estimate. No script, no other host; ``aria-hidden`` beside
the same numbers in the page's text and the JSON and CSV twins.

The numbers come from the evaluation's own result tables, unchanged; only the drawing is here.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING

from markupsafe import Markup

from oversight.evaluation import plot_data
from oversight.web.ae_charts import INK, _gridlines
from oversight.web.charts import GREY, _svg
from oversight.web.evaluation_names import outcome_name

if TYPE_CHECKING:
    from oversight.evaluation.run import Evaluation
    from oversight.frameworks.model import Framework

ESTIMATE = "#005eb8"  # NHS blue, as the dashboard's other estimates
PLACEBO = "#aeb7bd"  # lighter than GREY: context, not data to read off
WIDTH, HEIGHT = 760, 340
LEFT, RIGHT, TOP, BOTTOM = 72, 16, 16, 48


@dataclass(frozen=True, slots=True)
class EventPoint:
    event_time: int
    estimate: float
    ci_low: float
    ci_high: float


def effect_text(value: float, share: bool) -> str:
    """An effect, signed: a share's in percentage points ("+1.23 percentage points")."""
    return f"{value * 100:+.3g} percentage points" if share else f"{value:+.3g}"


def effect_tick(value: float, share: bool) -> str:
    """An axis label: a share's effect in percentage points ("+2 pp"), else the value."""
    if share:
        return f"{round(value * 100, 2):+g} pp" if value else "0"
    return f"{value:+g}" if value else "0"


def _scale(values: Sequence[float]) -> tuple[float, float]:
    lo, hi = min([*values, 0.0]), max([*values, 0.0])
    pad = (hi - lo) * 0.08 or 1.0
    return lo - pad, hi + pad


def _axes(
    lo: float, hi: float, share: bool, x_label: str, y_label: str
) -> tuple[Callable[[float], float], str]:
    """The y mapping and the common furniture: gridlines, zero line and axis titles."""

    def y(v: float) -> float:
        return TOP + (HEIGHT - TOP - BOTTOM) * (hi - v) / (hi - lo)

    body = _gridlines(lo, hi, y, LEFT, WIDTH - RIGHT, lambda t: effect_tick(t, share))
    body += (
        f'<line x1="{LEFT}" y1="{y(0):.1f}" x2="{WIDTH - RIGHT}" y2="{y(0):.1f}" '
        f'stroke="{INK}" stroke-width="1"/>'
        f'<text x="{(LEFT + WIDTH) / 2:.0f}" y="{HEIGHT - 6}" font-size="11" '
        f'text-anchor="middle" fill="{GREY}">{escape(x_label)}</text>'
        f'<text x="14" y="{(TOP + HEIGHT - BOTTOM) / 2:.0f}" font-size="11" text-anchor="middle" '
        f'fill="{GREY}" transform="rotate(-90 14 {(TOP + HEIGHT - BOTTOM) / 2:.0f})">'
        f"{escape(y_label)}</text>"
    )
    return y, body


def _x_ticks(count: int) -> int:
    """Label every n-th period so no more than about ten labels share the axis."""
    return max(1, math.ceil(count / 10))


def _when(t: int, period: str) -> str:
    """An event time in words: "2 months before the start (the reference)", "The start"."""
    if t == 0:
        return f"The first {period} treated"
    n = abs(t)
    words = f"{n} {period}{'' if n == 1 else 's'} {'before' if t < 0 else 'after'} the start"
    return f"{words[0].upper()}{words[1:]}" + (" (the reference)" if t == -1 else "")


def event_study_chart(
    rows: Sequence[tuple[int, float, float, float]], period: str, share: bool
) -> Markup:
    """Each period's estimated effect relative to the start, with its 95% interval (rows:
    event time, estimate, 95% low, 95% high)."""
    points = [EventPoint(*r) for r in rows]
    if not points:
        return Markup("")
    lo, hi = _scale([v for p in points for v in (p.ci_low, p.ci_high, p.estimate)])
    times = [p.event_time for p in points]
    first, last = min(times), max(times)
    unit = "percentage points" if share else "outcome units"
    y, body = _axes(
        lo,
        hi,
        share,
        f"{period.capitalize()}s relative to the start (0 = first {period} treated; "
        "-1 is the reference)",
        f"Estimated effect ({unit})",
    )

    def x(t: float) -> float:
        return LEFT + 12 + (WIDTH - LEFT - RIGHT - 24) * (t - first) / max(last - first, 1)

    body += (
        f'<line x1="{x(-0.5):.1f}" y1="{TOP}" x2="{x(-0.5):.1f}" y2="{HEIGHT - BOTTOM}" '
        f'stroke="{GREY}" stroke-dasharray="4 3"><title>The start</title></line>'
    )
    step = _x_ticks(last - first + 1)
    for t in range(first, last + 1):
        if (t - first) % step == 0 or t == 0:
            body += (
                f'<line x1="{x(t):.1f}" y1="{HEIGHT - BOTTOM}" x2="{x(t):.1f}" '
                f'y2="{HEIGHT - BOTTOM + 4}" stroke="{GREY}"/>'
                f'<text x="{x(t):.1f}" y="{HEIGHT - BOTTOM + 16}" font-size="11" '
                f'text-anchor="middle" fill="{INK}">{t}</text>'
            )
    for p in points:
        tip = (
            f"{_when(p.event_time, period)}: estimated effect {effect_text(p.estimate, share)} "
            f"(95% interval {effect_text(p.ci_low, share)} to {effect_text(p.ci_high, share)})"
        )
        body += (
            f'<line x1="{x(p.event_time):.1f}" y1="{y(p.ci_low):.1f}" x2="{x(p.event_time):.1f}" '
            f'y2="{y(p.ci_high):.1f}" stroke="{ESTIMATE}" stroke-width="1.5"/>'
            f'<circle class="ov-point" data-event-time="{p.event_time}" '
            f'data-value="{p.estimate!r}" cx="{x(p.event_time):.1f}" cy="{y(p.estimate):.1f}" '
            f'r="4" fill="{ESTIMATE}"><title>{escape(tip)}</title></circle>'
        )
    return _svg(WIDTH, HEIGHT, body)


def gap_chart(
    labels: Sequence[str],
    gaps: Sequence[float],
    placebos: Mapping[str, Sequence[float]],
    start: str,
    share: bool,
    period: str = "period",
) -> Markup:
    """The treated unit minus its synthetic control in each period (blue), with each placebo
    donor's gap (grey) for how large a gap chance alone gives."""
    if not gaps:
        return Markup("")
    lo, hi = _scale([*gaps, *(v for g in placebos.values() for v in g)])
    unit = "percentage points" if share else "outcome units"
    y, body = _axes(
        lo, hi, share, period.capitalize(), f"Estimated gap: treated minus synthetic ({unit})"
    )

    def x(i: float) -> float:
        return LEFT + 8 + (WIDTH - LEFT - RIGHT - 16) * i / max(len(labels) - 1, 1)

    def line(values: Sequence[float]) -> str:
        return " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))

    for name, values in placebos.items():
        body += (
            f'<polyline points="{line(values)}" fill="none" stroke="{PLACEBO}" '
            f'stroke-width="1"><title>Placebo: {escape(name)} as if treated</title></polyline>'
        )
    if start in labels:
        at = x(labels.index(start) - 0.5)
        body += (
            f'<line x1="{at:.1f}" y1="{TOP}" x2="{at:.1f}" y2="{HEIGHT - BOTTOM}" stroke="{GREY}" '
            f'stroke-dasharray="4 3"><title>The start: {escape(start)}</title></line>'
            f'<text x="{at + 4:.1f}" y="{TOP + 12}" font-size="11" fill="{GREY}">start</text>'
        )
    step = _x_ticks(len(labels))
    for i, label in enumerate(labels):
        if i % step == 0:
            body += (
                f'<line x1="{x(i):.1f}" y1="{HEIGHT - BOTTOM}" x2="{x(i):.1f}" '
                f'y2="{HEIGHT - BOTTOM + 4}" stroke="{GREY}"/>'
                f'<text x="{x(i):.1f}" y="{HEIGHT - BOTTOM + 16}" font-size="11" '
                f'text-anchor="middle" fill="{INK}">{escape(label)}</text>'
            )
    body += f'<polyline points="{line(gaps)}" fill="none" stroke="{ESTIMATE}" stroke-width="2.2"/>'
    for i, (label, gap) in enumerate(zip(labels, gaps, strict=True)):
        tip = f"{label}: estimated gap (treated minus synthetic) {effect_text(gap, share)}"
        body += (
            f'<circle class="ov-point" data-period="{escape(label)}" data-value="{gap!r}" '
            f'cx="{x(i):.1f}" cy="{y(gap):.1f}" r="2.5" fill="{ESTIMATE}">'
            f"<title>{escape(tip)}</title></circle>"
        )
    key = WIDTH - RIGHT - 190  # the key, top right, inside the plot
    body += (
        f'<rect x="{key - 6}" y="{TOP + 2}" width="196" height="20" fill="#ffffff" '
        f'fill-opacity="0.85"/><line x1="{key}" y1="{TOP + 12}" x2="{key + 20}" '
        f'y2="{TOP + 12}" stroke="{ESTIMATE}" stroke-width="2.2"/><text x="{key + 24}" '
        f'y="{TOP + 16}" font-size="11" fill="{INK}">estimate</text>'
    )
    if placebos:
        body += (
            f'<line x1="{key + 90}" y1="{TOP + 12}" x2="{key + 110}" y2="{TOP + 12}" '
            f'stroke="{PLACEBO}" stroke-width="1.5"/><text x="{key + 114}" y="{TOP + 16}" '
            f'font-size="11" fill="{INK}">placebos</text>'
        )
    return _svg(WIDTH, HEIGHT, body)


def figures(ev: Evaluation, framework: Framework) -> dict[str, str]:
    """Plot name -> inline SVG, for every result that has an event study or a gap (the names
    ``evaluation.report.figures`` gives its matplotlib figures)."""
    share = outcome_name(ev.plan.data.source, ev.plan.outcome.primary, framework).share
    out: dict[str, str] = {}
    for r in ev.results:
        points = plot_data.event_study(r)
        if points:
            out[f"{r.method}-event-study"] = str(
                event_study_chart(points, ev.plan.frequency, share)
            )
        labels, gaps = plot_data.gaps(r)
        if gaps:
            (start,) = ev.design.treated.values()
            placebos = plot_data.placebo_gaps(r)
            at = ev.panel.label(start)
            drawn = gap_chart(labels, gaps, placebos, at, share, ev.plan.frequency)
            out[f"{r.method}-gap"] = str(drawn)
    return out
