"""What an evaluation's charts draw, as plain numbers read from its result tables (unchanged):
the event study's estimates and intervals, the synthetic-control gap and the placebo gaps kept
for the plot. Shared by the matplotlib figures (``plots.py``) and the dashboard's SVG."""

from __future__ import annotations

from oversight.evaluation.results import EffectResult

PLACEBO_PRE_FIT_LIMIT = 5.0  # ADH 2010 drop placebos fitting > 5x worse (MSPE) than the treated


def event_study(result: EffectResult) -> list[tuple[int, float, float, float]]:
    """(event time, estimate, 95% low, 95% high) for each period of the event study."""
    es = result.tables.get("event_study")
    if es is None:
        return []
    return [
        (int(t), float(e), float(lo), float(hi))
        for t, e, lo, hi in zip(
            es["event_time"], es["estimate"], es["ci_low"], es["ci_high"], strict=True
        )
    ]


def gaps(result: EffectResult) -> tuple[list[str], list[float]]:
    """Each period's label and the treated unit's gap from its synthetic control."""
    table = result.tables.get("gaps")
    if table is None:
        return [], []
    return [str(x) for x in table["label"]], [float(v) for v in table["gap"]]


def placebo_gaps(result: EffectResult) -> dict[str, list[float]]:
    """Each placebo donor's gap, for the donors whose pre-period fit is within
    ``PLACEBO_PRE_FIT_LIMIT`` times the treated unit's (MSPE), as ADH (2010) plot them."""
    table = result.tables.get("placebo_gaps")
    placebos = result.tables.get("placebos")
    if table is None or placebos is None:
        return {}
    pre = dict(zip(placebos["unit"], placebos["pre_rmspe"], strict=True))
    own = float(placebos.loc[placebos["treated"], "pre_rmspe"].iloc[0])
    limit = PLACEBO_PRE_FIT_LIMIT * own**2
    return {
        str(unit): [float(v) for v in table[unit]]
        for unit in table.columns.drop("period")
        if pre[unit] ** 2 <= limit
    }
