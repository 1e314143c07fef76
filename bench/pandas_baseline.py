"""The benchmark's baseline: the same steps written in plain pandas, as an analyst would.

Read NHS England's NOF CSVs with pandas, take each trust's published metric scores, average and
round them half-up, segment with the quarter's cut-points, apply the financial override, rank
within trust type by (segment, average score) with shared lowest ranks for ties, and bootstrap
the likely ranges replicate by replicate with ``groupby(...).sample(replace=True)``.

Nothing here is vectorised across replicates: each replicate is one resample, one groupby mean
and one re-rank, which is how the calculation reads in a notebook. The cut-points are an input
(the benchmark passes the engine's, so the two sets of segments are comparable).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

KEYS = ["quarter", "trust_code"]
# The two finance parts enter the average only through the combined finance score OF1080.
NOT_IN_AVERAGE = ("OF1079", "OF1081")
FINANCIAL_FLAG = "OF5004"


def read_files(paths: Iterable[Path]) -> dict[str, pd.DataFrame]:
    """Every CSV as published (the files start with a byte-order mark)."""
    return {p.name: pd.read_csv(p, encoding="utf-8-sig") for p in paths}


def data_rows(files: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """The rows of the data files (league tables have no Metric_ID column), in one frame."""
    frames = [df for df in files.values() if "Metric_ID" in df.columns]
    return pd.concat(frames, ignore_index=True)


def metric_scores(rows: pd.DataFrame) -> pd.DataFrame:
    """Long frame of the published scores that enter the average: one row per trust and metric."""
    is_score = rows["Metric_ID"].str.startswith("OF1") & ~rows["Metric_ID"].isin(NOT_IN_AVERAGE)
    scores = rows.loc[
        is_score & rows["Value"].notna(),
        ["Quarter", "Trust_type", "Trust_code", "Metric_ID", "Value"],
    ]
    return scores.rename(
        columns={
            "Quarter": "quarter",
            "Trust_type": "trust_type",
            "Trust_code": "trust_code",
            "Metric_ID": "metric_id",
            "Value": "score",
        }
    ).reset_index(drop=True)


def financial_flags(rows: pd.DataFrame) -> pd.DataFrame:
    """Per trust and quarter: in financial deficit (the OF5004 flag is 1)."""
    flags = rows.loc[rows["Metric_ID"] == FINANCIAL_FLAG, ["Quarter", "Trust_code", "Value"]]
    out = flags.rename(columns={"Quarter": "quarter", "Trust_code": "trust_code"})
    out["flagged"] = out["Value"] == 1
    return out[[*KEYS, "flagged"]].reset_index(drop=True)


def half_up(values: pd.Series, dp: int) -> pd.Series:
    """Round half away from zero (pandas' round is half-to-even); the guard absorbs 2.31499..."""
    scale = 10**dp
    return np.sign(values) * np.floor(values.abs() * scale + 0.5 + 1e-9) / scale


def cut_table(cut_points: Mapping[str, tuple[float, ...]]) -> pd.DataFrame:
    """One row per quarter, one column per cut-point."""
    return pd.DataFrame(
        [(q, i, c) for q, values in cut_points.items() for i, c in enumerate(values)],
        columns=["quarter", "cut", "value"],
    ).pivot(index="quarter", columns="cut", values="value")


def segment(averages: pd.DataFrame, cuts: pd.DataFrame, boundary: str) -> pd.Series:
    """1 + the number of the quarter's cut-points (a :func:`cut_table`) the average is beyond."""
    beyond = pd.Series(1, index=averages.index)
    for col in cuts.columns:
        cut = averages["quarter"].map(cuts[col])
        over = averages["average"] > cut if boundary == "upper" else averages["average"] >= cut
        beyond = beyond + over.astype(int)
    return beyond


def override(segments: pd.Series, flagged: pd.Series, floor: int) -> pd.Series:
    """A trust in financial deficit is placed no better than ``floor``."""
    return segments.where(~flagged, segments.clip(lower=floor))


def rank(table: pd.DataFrame, dp: int) -> pd.Series:
    """Rank within quarter and trust type by segment, then average; ties share the lowest."""
    key = table["segment"] * 100 * 10**dp + (table["average"] * 10**dp).round().astype(int)
    ranks = key.groupby([table["quarter"], table["trust_type"]]).rank(method="min")
    return ranks.astype(int)


def league_table(
    scores: pd.DataFrame,
    flags: pd.DataFrame,
    cut_points: Mapping[str, tuple[float, ...]],
    boundary: str = "upper",
    floor: int = 3,
    dp: int = 2,
) -> pd.DataFrame:
    """Average score, segment (after the override) and rank of every trust in every quarter."""
    table = (
        scores.groupby([*KEYS, "trust_type"], as_index=False)["score"]
        .mean()
        .rename(columns={"score": "unrounded"})
        .merge(flags, on=KEYS, how="left")
    )
    table["flagged"] = table["flagged"].fillna(False).astype(bool)
    table["average"] = half_up(table["unrounded"], dp)
    cuts = cut_table(cut_points)
    table["segment"] = override(segment(table, cuts, boundary), table["flagged"], floor)
    table["rank"] = rank(table, dp)
    return table


def likely_ranges(
    scores: pd.DataFrame,
    table: pd.DataFrame,
    cut_points: Mapping[str, tuple[float, ...]],
    replicates: int,
    seed: int,
    boundary: str = "upper",
    floor: int = 3,
    dp: int = 2,
    lower: float = 2.5,
    upper: float = 97.5,
) -> pd.DataFrame:
    """Bootstrap: resample each trust's own scores, re-average, re-segment, re-rank; percentiles.

    ``table`` is the :func:`league_table` (it carries the trust types and override flags).
    """
    rng = np.random.default_rng(seed)
    cuts = cut_table(cut_points)
    trusts = table[[*KEYS, "trust_type", "flagged"]]
    by_trust = scores[[*KEYS, "score"]].groupby(KEYS)
    draws = []
    for _ in range(replicates):
        resampled = by_trust.sample(frac=1, replace=True, random_state=rng)
        replicate = (
            resampled.groupby(KEYS, as_index=False)["score"]
            .mean()
            .rename(columns={"score": "unrounded"})
            .merge(trusts, on=KEYS)
        )
        replicate["average"] = half_up(replicate["unrounded"], dp)
        replicate["segment"] = override(
            segment(replicate, cuts, boundary), replicate["flagged"], floor
        )
        replicate["rank"] = rank(replicate, dp)
        draws.append(replicate[[*KEYS, "unrounded", "rank"]])
    everything = pd.concat(draws, ignore_index=True)
    q = everything.groupby(KEYS)[["unrounded", "rank"]].quantile([lower / 100, upper / 100])
    low = q.xs(lower / 100, level=-1)
    high = q.xs(upper / 100, level=-1)
    return pd.DataFrame(
        {
            "score_low": half_up(low["unrounded"], dp),
            "score_high": half_up(high["unrounded"], dp),
            "rank_low": half_up(low["rank"], 0).astype(int),
            "rank_high": half_up(high["rank"], 0).astype(int),
        }
    ).reset_index()
