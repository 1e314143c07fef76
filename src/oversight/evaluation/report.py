"""Reports of an evaluation: a terminal table, JSON, and a self-contained HTML page with plots."""

from __future__ import annotations

import html
import json
import math
from pathlib import Path
from typing import Any

from oversight.evaluation.plots import event_study_figure, gap_figure, render, save
from oversight.evaluation.run import Evaluation


def _n(x: Any, digits: int = 4) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "-"
    if isinstance(x, float) and math.isinf(x):
        return "-inf" if x < 0 else "inf"
    return f"{x:.{digits}g}" if isinstance(x, float) else str(x)


def figures(ev: Evaluation) -> dict[str, Any]:
    """Plot name -> matplotlib figure, for every result that has one."""
    out = {}
    word = ev.plan.frequency
    for r in ev.results:
        if "event_study" in r.tables:
            out[f"{r.method}-event-study"] = event_study_figure(
                r, f"{ev.plan.name}: event study ({r.method})", word
            )
        if "gaps" in r.tables:
            (start,) = ev.design.treated.values()
            out[f"{r.method}-gap"] = gap_figure(
                r, f"{ev.plan.name}: synthetic-control gap and placebos", ev.panel.label(start)
            )
    return out


def write_plots(ev: Evaluation, directory: Path, fmt: str = "png") -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    return [save(fig, directory / f"{name}.{fmt}") for name, fig in figures(ev).items()]


def as_json(ev: Evaluation) -> str:
    return json.dumps(ev.to_json(), indent=2, default=str)


def as_rows(ev: Evaluation) -> list[dict[str, str]]:
    rows = []
    for r in ev.results:
        checks = "; ".join(
            f"{c.name}: {_n(c.value, 3)}"
            + ("" if c.passed is None else (" ok" if c.passed else " FAIL"))
            for c in r.checks
        )
        rows.append(
            {
                "method": r.method,
                "estimate": _n(r.estimate),
                "95% interval"
                if ev.plan.alpha == 0.05
                else "interval": f"{_n(r.ci_low)} to {_n(r.ci_high)}",
                "p": _n(r.p_value, 3),
                "checks": checks,
                "verdict": ev.verdicts[r.method],
            }
        )
    return rows


def header(ev: Evaluation) -> str:
    reg = ev.registration
    when = (
        f"pre-registered {reg.registered_at:%Y-%m-%d %H:%M} UTC"
        if reg
        else "NOT pre-registered (run `oversight evaluate register` first)"
    )
    return (
        f"Plan {ev.plan.name} ({ev.plan_hash[:12]}), {when}; data {ev.panel.source} "
        f"({ev.panel.fingerprint[:12]})"
    )


def as_html(ev: Evaluation) -> str:
    e = html.escape
    treated = ", ".join(f"{u} from {ev.panel.label(p)}" for u, p in ev.design.treated.items())
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>Evaluation: {e(ev.plan.name)}</title>",
        "<style>body{font-family:Arial,sans-serif;max-width:60rem;margin:2rem auto;color:#212b32}"
        "table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #d8dde0;"
        "padding:.3rem .6rem;text-align:left}th{background:#f0f4f5}.verdict{background:#e8f1f8;"
        "border-left:6px solid #005eb8;padding:.6rem 1rem}</style></head><body><main>",
        f"<h1>{e(ev.plan.intervention)}</h1>",
        f"<p>{e(header(ev))}</p>",
        f"<p>Outcome <strong>{e(ev.plan.outcome.primary)}</strong>; smallest effect that "
        f"matters: {ev.plan.outcome.smallest_effect:g} ({e(ev.plan.outcome.better)} is "
        f"better). Treated: {e(treated) or 'none'}; "
        f"{len(ev.design.comparison)} comparison organisations.</p>",
    ]
    figs = figures(ev)
    for r in ev.results:
        s = r.summary()
        parts.append(f"<h2>{e(r.method.replace('_', ' '))}</h2><p>{e(r.label)}</p>")
        parts.append(f"<p class='verdict'>{e(ev.verdicts[r.method])}</p>")
        parts.append("<table><tr><th>estimate</th><th>interval</th><th>p-value</th></tr>")
        parts.append(
            f"<tr><td>{_n(s['estimate'])}</td><td>{_n(r.ci_low)} to {_n(r.ci_high)}</td>"
            f"<td>{_n(s['p_value'], 3)}</td></tr></table>"
        )
        if r.checks:
            parts.append("<h3>Assumption checks</h3><ul>")
            parts += [f"<li>{e(c.detail)}</li>" for c in r.checks]
            parts.append("</ul>")
        for name, fig in figs.items():
            if name.startswith(r.method):
                svg = render(fig, "svg").decode()
                svg = svg[svg.index("<svg") :]
                parts.append(f"<figure role='img' aria-label='{e(name)}'>{svg}</figure>")
        for key in ("weights", "designs", "aggregations"):
            if key in r.tables:
                t = r.tables[key]
                if key == "weights":
                    t = t[t["weight"] > 0.0005]
                table = t.to_html(index=False, float_format=lambda v: f"{v:.4g}", border=0)
                parts.append(f"<h3>{e(key)}</h3>{table}")
        if r.notes:
            parts.append("<ul>" + "".join(f"<li>{e(n)}</li>" for n in r.notes) + "</ul>")
    parts.append("</main></body></html>")
    return "\n".join(parts)
