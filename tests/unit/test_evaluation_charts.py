"""The evaluation pages' charts in the dashboard's style: every point carries its number (a
``data-value`` equal to the result table's) and a tooltip in words, shares read as percentage
points, the axes are titled, and the figures say they are estimates."""

from __future__ import annotations

import re

import pandas as pd

from oversight.evaluation import plot_data
from oversight.evaluation.results import EffectResult
from oversight.web import evaluation_charts as charts
from oversight.web.charts import GREY


def _result(tables: dict[str, pd.DataFrame]) -> EffectResult:
    return EffectResult(method="m", estimate=0.0, se=None, ci_low=None, ci_high=None,
                        p_value=None, tables=tables)  # fmt: skip


def test_event_study_points_carry_their_numbers_and_words() -> None:
    table = pd.DataFrame({"event_time": [-2, -1, 0, 1], "estimate": [0.004, 0.0, -0.0123, 0.02],
                          "ci_low": [-0.01, 0.0, -0.03, 0.001],
                          "ci_high": [0.02, 0.0, 0.005, 0.04]})  # fmt: skip
    rows = plot_data.event_study(_result({"event_study": table}))
    svg = str(charts.event_study_chart(rows, "month", share=True))
    values = [float(v) for v in re.findall(r'data-value="([^"]+)"', svg)]
    assert values == table["estimate"].tolist()  # the numbers, unchanged
    assert "<title>The first month treated: estimated effect -1.23 percentage points " in svg
    assert "(95% interval -3 percentage points to +0.5 percentage points)" in svg
    assert "1 month before the start (the reference)" in svg
    assert "Estimated effect (percentage points)" in svg and "Months relative to the start" in svg
    assert "+2 pp" in svg  # a share's axis in percentage points
    assert f'fill="{GREY}"' in svg and 'font-size="11"' in svg  # the dashboard's axis style


def test_gap_keeps_placebos_that_fit_and_labels_the_start() -> None:
    labels = ["1968", "1969", "1970", "1971"]
    gaps = pd.DataFrame({"label": labels, "gap": [0.1, -0.1, -0.5, -0.9]})
    placebo_gaps = pd.DataFrame({"period": [0, 1, 2, 3], "A": [0.0, 0.1, 0.2, 0.1],
                                 "B": [2.0, -2.0, 1.0, 0.0]})  # fmt: skip
    placebos = pd.DataFrame({"unit": ["T", "A", "B"], "pre_rmspe": [0.1, 0.2, 0.5],
                             "treated": [True, False, False]})  # fmt: skip
    result = _result({"gaps": gaps, "placebo_gaps": placebo_gaps, "placebos": placebos})
    kept = plot_data.placebo_gaps(result)  # B fits 25 times worse than T (MSPE): left out
    assert list(kept) == ["A"]
    drawn_labels, drawn_gaps = plot_data.gaps(result)
    svg = str(charts.gap_chart(drawn_labels, drawn_gaps, kept, "1970", False, "year"))
    assert [float(v) for v in re.findall(r'data-value="([^"]+)"', svg)] == [0.1, -0.1, -0.5, -0.9]
    assert "<title>1971: estimated gap (treated minus synthetic) -0.9</title>" in svg
    assert "<title>Placebo: A as if treated</title>" in svg and "Placebo: B" not in svg
    assert "<title>The start: 1970</title>" in svg and ">Year</text>" in svg
    assert ">estimate</text>" in svg and ">placebos</text>" in svg
