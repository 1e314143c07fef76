"""Static charts (PNG or SVG, by the file's suffix) a dashboard can embed: funnel plots, SPC
charts, rank probabilities and rank sensitivity. matplotlib without a display (Agg)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from oversight.engine.funnel import FunnelResult  # noqa: E402
from oversight.errors import UserError  # noqa: E402
from oversight.stats.spc import Chart  # noqa: E402

# Making Data Count colours: grey common cause, blue improvement, orange concern, purple neutral
POINT_COLOURS = {
    "common_cause": "#7B7D7D",
    "special_cause_improvement": "#289DE0",
    "special_cause_concern": "#FAB428",
    "special_cause_neutral_high": "#361475",
    "special_cause_neutral_low": "#361475",
}
SEGMENT_COLOURS = ["#007F3B", "#78BE20", "#FFB81C", "#D5281B"]


def save(fig: Figure, path: Path) -> Path:
    if path.suffix.lower() not in (".png", ".svg"):
        raise UserError(f"Charts are written as .png or .svg, not {path.suffix or 'no suffix'}")
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(
        path,
        dpi=150,
        bbox_inches="tight",
        metadata={"Date": None} if path.suffix.lower() == ".svg" else None,
    )
    plt.close(fig)
    return path


def funnel_chart(result: FunnelResult, title: str, path: Path) -> Path:
    fig, ax = plt.subplots(figsize=(8, 5.5))
    curve = result.curve()
    grid = curve["denominator"]
    adj = result.adjustment
    for level, style in (("95", "--"), ("99.8", "-")):
        ax.plot(grid, curve[f"lower_{level}_exact"], style, color="#AEB7BD", lw=1)
        ax.plot(
            grid,
            curve[f"upper_{level}_exact"],
            style,
            color="#AEB7BD",
            lw=1,
            label=f"{level}% (no overdispersion)",
        )
        if adj != "none":
            ax.plot(grid, curve[f"lower_{level}_{adj}"], style, color="#005EB8", lw=1.2)
            ax.plot(
                grid,
                curve[f"upper_{level}_{adj}"],
                style,
                color="#005EB8",
                lw=1.2,
                label=f"{level}% ({adj} overdispersion)",
            )
    ax.axhline(result.target * result.multiplier, color="black", lw=0.8, label="target")
    colours = {"above": "#D5281B", "below": "#330072", "within": "#425563"}
    for flag, colour in colours.items():
        rows = [r for r in result.rows if r["flag_99.8"] == flag]
        if rows:
            ax.scatter(
                [r["denominator"] for r in rows],
                [r["value"] for r in rows],
                s=18,
                color=colour,
                label=f"{flag} 99.8% limits ({len(rows)})",
                zorder=3,
            )
    for r in result.rows:
        if r["flag_99.8"] != "within":
            ax.annotate(
                r["code"],
                (r["denominator"], r["value"]),
                fontsize=6,
                xytext=(3, 2),
                textcoords="offset points",
            )
    ax.set_xscale("log")
    ax.set_xlabel("denominator")
    ax.set_ylabel("value")
    d = result.dispersion
    ax.set_title(
        f"{title}\nphi = {d.phi:.2f}, tau\u00b2 = {d.tau2:.3g} ({d.units} units)", fontsize=10
    )
    ax.legend(fontsize=7, loc="best")
    return save(fig, path)


def spc_chart(c: Chart, periods: list[str], title: str, path: Path) -> Path:
    fig, ax = plt.subplots(figsize=(max(6, len(periods) * 0.25 + 3), 4.5))
    x = np.arange(len(periods))
    ax.plot(x, c.y, color="#AEB7BD", lw=1, zorder=1)
    ax.scatter(x, c.y, c=[POINT_COLOURS[t] for t in c.point_types], s=22, zorder=2)
    for attr, style in (("mean", "-"), ("lower", "--"), ("upper", "--")):
        ax.step(
            x,
            c.point_limits(attr),
            style,
            where="mid",
            color="#231F20" if attr == "mean" else "#768692",
            lw=1,
        )
    if c.target is not None:
        ax.axhline(c.target, color="#D5281B", lw=1, ls=":", label="target")
    step = max(1, len(periods) // 12)
    ax.set_xticks(x[::step], [periods[i] for i in x[::step]], rotation=45, ha="right", fontsize=7)
    label = c.variation.replace("_", " ")
    assurance = f"; assurance: {c.assurance.replace('_', ' ')}" if c.assurance else ""
    ax.set_title(f"{title}\nvariation: {label}{assurance}", fontsize=10)
    return save(fig, path)


def rank_probability_chart(
    codes: list[str], probs: list[list[float]], title: str, path: Path
) -> Path:
    fig, ax = plt.subplots(figsize=(8, max(4, len(codes) * 0.16 + 1)))
    arr = np.array(probs)
    left = np.zeros(len(codes))
    for s in range(arr.shape[1]):
        ax.barh(codes, arr[:, s], left=left, color=SEGMENT_COLOURS[s % 4], label=f"segment {s + 1}")
        left += arr[:, s]
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.tick_params(axis="y", labelsize=6)
    ax.set_xlabel("probability (likely-range bootstrap)")
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=7, ncol=4, loc="lower center", bbox_to_anchor=(0.5, 1.02))
    return save(fig, path)


def sensitivity_chart(rows: list[dict[str, Any]], title: str, path: Path) -> Path:
    fig, ax = plt.subplots(figsize=(8, max(4, len(rows) * 0.16 + 1)))
    y = np.arange(len(rows))
    lo = [float(r["rank_p05"]) for r in rows]
    hi = [float(r["rank_p95"]) for r in rows]
    ax.hlines(y, lo, hi, color="#768692", lw=2, label="90% range over weightings")
    ax.scatter(
        [float(r["rank_median"]) for r in rows], y, color="#005EB8", s=12, label="median", zorder=3
    )
    ax.scatter(
        [float(r["rank"]) for r in rows],
        y,
        color="#D5281B",
        marker="|",
        s=60,
        label="published weights",
        zorder=4,
    )
    ax.set_yticks(y, [str(r["trust_code"]) for r in rows], fontsize=6)
    ax.invert_yaxis()
    ax.set_xlabel("rank")
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=7, loc="lower right")
    return save(fig, path)
