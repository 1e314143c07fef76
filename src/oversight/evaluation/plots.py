"""Plots people would rather see than read: event studies and synthetic-control gaps."""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from oversight.evaluation.plot_data import PLACEBO_PRE_FIT_LIMIT  # noqa: E402
from oversight.evaluation.results import EffectResult  # noqa: E402

NHS_BLUE = "#005eb8"
GREY = "#aeb7bd"


def event_study_figure(result: EffectResult, title: str, period_word: str) -> Figure:
    es = result.tables["event_study"]
    fig, ax = plt.subplots(figsize=(7, 4), dpi=100)
    ax.axhline(0, color="black", linewidth=0.8)
    ax.axvline(-0.5, color=GREY, linestyle="--", linewidth=1)
    ax.errorbar(
        es["event_time"],
        es["estimate"],
        yerr=[es["estimate"] - es["ci_low"], es["ci_high"] - es["estimate"]],
        fmt="o",
        color=NHS_BLUE,
        ecolor=NHS_BLUE,
        capsize=3,
    )
    ax.set_xlabel(f"{period_word}s relative to the start (start = 0; -1 is the reference)")
    ax.set_ylabel("effect on the outcome")
    ax.set_title(title)
    fig.tight_layout()
    return fig


def gap_figure(result: EffectResult, title: str, start_label: str) -> Figure:
    gaps = result.tables["gaps"]
    fig, ax = plt.subplots(figsize=(7, 4), dpi=100)
    x = list(range(len(gaps)))
    placebo_gaps = result.tables.get("placebo_gaps")
    placebos = result.tables.get("placebos")
    if placebo_gaps is not None and placebos is not None:
        pre = dict(zip(placebos["unit"], placebos["pre_rmspe"], strict=True))
        own = float(placebos.loc[placebos["treated"], "pre_rmspe"].iloc[0])
        limit = PLACEBO_PRE_FIT_LIMIT * own**2
        for unit in placebo_gaps.columns.drop("period"):
            if pre[unit] ** 2 <= limit:
                ax.plot(x, placebo_gaps[unit], color=GREY, linewidth=0.8, alpha=0.8)
    ax.plot(x, gaps["gap"], color=NHS_BLUE, linewidth=2.2, label="treated minus synthetic")
    ax.axhline(0, color="black", linewidth=0.8)
    labels = gaps["label"].tolist()
    if start_label in labels:
        ax.axvline(labels.index(start_label) - 0.5, color="black", linestyle="--", linewidth=1)
    step = max(1, len(labels) // 8)
    ax.set_xticks(x[::step], labels[::step], rotation=45, ha="right")
    ax.set_ylabel("gap in the outcome")
    ax.set_title(title)
    ax.legend(loc="lower left", frameon=False)
    fig.tight_layout()
    return fig


def render(fig: Figure, fmt: str) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt)
    plt.close(fig)
    return buf.getvalue()


def save(fig: Figure, path: Path) -> Path:
    path.write_bytes(render(fig, path.suffix.lstrip(".") or "png"))
    return path
