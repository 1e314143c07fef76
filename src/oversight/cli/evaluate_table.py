"""`oversight evaluate run` as terminal tables: the results, then each result's own tables
(synthetic-control donor weights, Callaway-Sant'Anna aggregations, the pilot design table), so
a verdict that says "see the design table" has the table right below it."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
from pandas.api.types import is_numeric_dtype as is_numeric
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from oversight.cli.tables import wrapping_table
from oversight.evaluation.report import as_rows, header
from oversight.evaluation.run import Evaluation

# each result's tables worth reading in a terminal, as the HTML report shows them
SHOWN = {"weights": "Donor weights", "designs": "Design table", "aggregations": "Aggregations"}
# the "t-test" columns: the usual cluster-robust t-test, beside the placebo-calibrated test
# design-table columns that are probabilities: shown as percentages
PERCENT_COLUMNS = {
    "power_at_smallest_effect",
    "power_cluster_se",
    "false_positive_rate",
    "coverage",
}
CONSTANT_IN_TITLE = ("pre_periods", "draws")
HEADINGS = {
    "organisations": "organisations",
    "post_periods": "periods after",
    "pre_periods": "periods before",
    "mde": "minimum detectable effect",
    "power_at_smallest_effect": "power at the smallest effect",
    "mde_cluster_se": "minimum detectable effect, t-test",
    "power_cluster_se": "power, t-test",
    "false_positive_rate": "false positives, t-test (nominal 5%)",
    "coverage": "interval coverage, t-test",
    "draws": "placebo pilots",
}


def cell(value: Any, percent: bool = False) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if isinstance(value, float):
        if percent:
            return f"{value:.1%}"
        return f"{value:.4g}"
    return str(value)


def frame_table(title: str, frame: pd.DataFrame) -> Table:
    headings = [HEADINGS.get(str(c), str(c).replace("_", " ")) for c in frame.columns]
    numeric = [h for h, c in zip(headings, frame.columns, strict=True) if is_numeric(frame[c])]
    rows = [
        [cell(record[c], str(c) in PERCENT_COLUMNS) for c in frame.columns]
        for record in frame.to_dict("records")
    ]
    return wrapping_table(headings, rows, numeric, title=title, title_justify="left")


def results_table(ev: Evaluation) -> Table:
    rows = as_rows(ev)
    return wrapping_table(list(rows[0]), [list(r.values()) for r in rows], show_lines=True)


def report(ev: Evaluation) -> RenderableType:
    parts: list[RenderableType] = [Text(header(ev)), results_table(ev)]
    for r in ev.results:
        for key, title in SHOWN.items():
            if key not in r.tables:
                continue
            frame = r.tables[key]
            if key == "weights":
                frame = frame[frame["weight"] > 0.0005]
            heading = f"{title} ({r.method.replace('_', ' ')}"
            # a column with one value throughout goes into the title: room for the others
            for col in CONSTANT_IN_TITLE:
                if col in frame.columns and frame[col].nunique() == 1:
                    heading += f"; {HEADINGS[col]} {frame[col].iloc[0]}"
                    frame = frame.drop(columns=col)
            parts.append(frame_table(heading + ")", frame))
        parts += [Text(f"- {n}") for n in r.notes]
    return Group(*parts)


def print_report(ev: Evaluation, console: Console) -> None:
    console.print(report(ev), highlight=False)
