"""Drawing a monthly series to PNG or SVG (matplotlib, no display needed)."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import numpy as np

matplotlib.use("Agg")  # files only: no window, no display server
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import PercentFormatter  # noqa: E402

from oversight.engine.sources.ae_series import SeriesPoint  # noqa: E402
from oversight.errors import Problem, UserError  # noqa: E402
from oversight.frameworks.ae import AeMetric  # noqa: E402


def plot_series(
    points: list[SeriesPoint], metric: AeMetric, title: str, path: Path, note: str | None = None
) -> None:
    if path.suffix.casefold() not in (".png", ".svg"):
        raise UserError(
            f"Cannot draw {path.name}", [Problem("the plot file must end in .png or .svg")]
        )
    fig, ax = plt.subplots(figsize=(10, 4.5), layout="constrained")
    # every calendar month from first to last, so months not published show as gaps
    months = np.arange(
        np.datetime64(points[0].month, "M"), np.datetime64(points[-1].month, "M") + 1
    )
    by_month = {np.datetime64(p.month, "M"): p.value for p in points}
    values = [v if (v := by_month.get(m)) is not None else float("nan") for m in months]
    ax.plot(
        months.astype("datetime64[D]"),
        values,
        marker="o",
        markersize=2.5,
        linewidth=1.4,
        color="#005eb8",
    )
    if metric.kind == "share_within":
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_title(f"{title}\n{metric.title}", loc="left", fontsize=11)
    ax.grid(axis="y", color="#d8dde0", linewidth=0.8)
    ax.spines[["top", "right"]].set_visible(False)
    caption = "Source: NHS England, A&E Attendances and Emergency Admissions (OGL v3)."
    if note:
        caption += " " + note
    fig.supxlabel(caption, fontsize=7.5, color="#4c6272", x=0.01, ha="left")
    fig.savefig(path)
    plt.close(fig)
