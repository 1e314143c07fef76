"""Behaviour of NOF scoring, one spec at a time: a tiny publication, what the engine must make
of it. Every spec runs on every scoring path (test_nof_scoring.py):

- ``computed``: the comparison pool is in the store, so scores are ranked from raw values;
- ``published_unrounded``: the pool is not in the store, so the published 2-dp scores are
  unrounded by recovering rank R and pool size N (engine/nof/reconstruct.py);
- ``published``: the metric publishes no raw value, so its published 2-dp score is used as is.

The ``orgs`` table is the publication: ``m1``/``m3`` (higher is better) and ``m2`` (lower is
better) are raw values, blank where not published; ``deficit`` is the financial-override flag,
``support`` the Recovery Support Programme flag; ``avg_pub``/``seg_pub`` are the published
average and unadjusted segment (only where a spec needs them). The published 2-dp scores and
within-type ranks that go with the raw values are made from them by the test (the rank formula
written out on its own, not the engine's), exactly as NHS England's file would carry them.

Expected-value keys are ``"ORG"`` or ``"ORG metric"``/``"ORG domain"``. ``per_path`` replaces
expectations on one path where the behaviour differs by design; ``skip`` names paths the
behaviour does not apply to, with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

COMPUTED = "computed"
UNROUNDED = "published_unrounded"
PUBLISHED = "published"
PATHS = (COMPUTED, UNROUNDED, PUBLISHED)

NO_RANKING = (
    "the published path takes NHS England's 2-dp score as it is: no ranking happens there, so "
    "a ranking behaviour cannot be observed on it"
)


@dataclass(frozen=True)
class NofSpec:
    id: str
    title: str
    orgs: str
    scores: dict[str, float] = field(default_factory=dict)
    pool_ranks: dict[str, tuple[int, int]] = field(default_factory=dict)  # (R, N); not on published
    averages: dict[str, float | None] = field(default_factory=dict)
    domains: dict[str, float | None] = field(default_factory=dict)
    segments: dict[str, int | None] = field(default_factory=dict)  # unadjusted
    adjusted: dict[str, int | None] = field(default_factory=dict)  # after the financial override
    final: dict[str, int | None] = field(default_factory=dict)  # with segment 5
    ranks: dict[str, int | None] = field(default_factory=dict)
    cut_points: tuple[float, ...] | None = None
    cut_source: str | None = None
    # framework settings for the spec
    typed_cuts: tuple[float, ...] | None = (1.5, 2.5, 3.5)
    population: tuple[str, ...] = ()
    weights: dict[str, float] = field(default_factory=dict)
    per_path: dict[str, dict[str, Any]] = field(default_factory=dict)
    skip: dict[str, str] = field(default_factory=dict)


SPECS = [
    NofSpec(
        "rank_scale_spacing",
        "Rank R of N scores 1 + 3(R - 1)/(N - 1): best 1, worst 4, evenly spaced",
        """
        | org | type  | m1 |
        | A   | acute | 90 |
        | B   | acute | 80 |
        | C   | acute | 70 |
        | D   | acute | 60 |
        """,
        scores={"A m1": 1.0, "B m1": 2.0, "C m1": 3.0, "D m1": 4.0},
        pool_ranks={"A m1": (1, 4), "B m1": (2, 4), "C m1": (3, 4), "D m1": (4, 4)},
        skip={PUBLISHED: NO_RANKING},
    ),
    NofSpec(
        "rank_ties_share_the_best_rank",
        "Tied values share the best (competition, 'min') rank; the next value skips the ranks "
        "they took",
        """
        | org | type  | m1 |
        | A   | acute | 90 |
        | B   | acute | 80 |
        | C   | acute | 80 |
        | D   | acute | 70 |
        | E   | acute | 60 |
        """,
        scores={"A m1": 1.0, "B m1": 1.75, "C m1": 1.75, "D m1": 3.25, "E m1": 4.0},
        pool_ranks={"B m1": (2, 5), "C m1": (2, 5), "D m1": (4, 5)},
        skip={PUBLISHED: NO_RANKING},
    ),
    NofSpec(
        "rank_all_tied",
        "When every value is the same, every organisation ranks first and scores 1",
        """
        | org | type  | m1 |
        | A   | acute | 50 |
        | B   | acute | 50 |
        | C   | acute | 50 |
        """,
        scores={"A m1": 1.0, "B m1": 1.0, "C m1": 1.0},
        pool_ranks={"A m1": (1, 3), "C m1": (1, 3)},
        skip={PUBLISHED: NO_RANKING},
    ),
    NofSpec(
        "polarity_higher_is_better",
        "For a higher-is-better metric the highest value ranks first",
        """
        | org | type  | m1 |
        | A   | acute | 5  |
        | B   | acute | 10 |
        | C   | acute | 15 |
        """,
        scores={"A m1": 4.0, "B m1": 2.5, "C m1": 1.0},
        pool_ranks={"A m1": (3, 3), "C m1": (1, 3)},
        skip={PUBLISHED: NO_RANKING},
    ),
    NofSpec(
        "polarity_lower_is_better",
        "For a lower-is-better metric the lowest value ranks first",
        """
        | org | type  | m2 |
        | A   | acute | 5  |
        | B   | acute | 10 |
        | C   | acute | 15 |
        """,
        scores={"A m2": 1.0, "B m2": 2.5, "C m2": 4.0},
        pool_ranks={"A m2": (1, 3), "C m2": (3, 3)},
        skip={PUBLISHED: NO_RANKING},
    ),
    NofSpec(
        "ranked_within_own_trust_type",
        "Each trust type is its own pool: the same value ranks differently in each",
        """
        | org | type      | m1 |
        | A   | acute     | 90 |
        | B   | acute     | 70 |
        | X   | ambulance | 95 |
        | Y   | ambulance | 90 |
        | Z   | ambulance | 50 |
        """,
        scores={"A m1": 1.0, "B m1": 4.0, "X m1": 1.0, "Y m1": 2.5, "Z m1": 4.0},
        pool_ranks={"A m1": (1, 2), "Y m1": (2, 3)},
        ranks={"A": 1, "B": 2, "X": 1, "Y": 2, "Z": 3},
        typed_cuts=(1.5, 2.5, 3.5),
        skip={PUBLISHED: NO_RANKING},
    ),
    NofSpec(
        "missing_value_not_in_pool",
        "An organisation with no value is left out of the pool: N counts only published values",
        """
        | org | type  | m1 |
        | A   | acute | 90 |
        | B   | acute |    |
        | C   | acute | 70 |
        | D   | acute | 60 |
        """,
        scores={"A m1": 1.0, "C m1": 2.5, "D m1": 4.0},
        pool_ranks={"C m1": (2, 3)},
        averages={"B": None},
        segments={"B": None},
        ranks={"A": 1, "B": None, "C": 2, "D": 3},
        skip={PUBLISHED: NO_RANKING},
    ),
    NofSpec(
        "missing_value_not_in_average",
        "A missing metric is left out of the average, not counted as a zero or a worst score",
        """
        | org | type  | m1 | m2 | m3 |
        | A   | acute | 90 | 10 | 90 |
        | B   | acute | 70 |    | 80 |
        | C   | acute | 80 | 20 | 70 |
        """,
        scores={"B m1": 4.0, "B m3": 2.5},
        averages={"A": 1.0, "B": 3.25, "C": 3.5},
    ),
    NofSpec(
        "average_rounded_half_up",
        "The average is rounded to 2 dp half up: 2.125 is 2.13 (half-to-even would give 2.12)",
        """
        | org | type  | m1 | m2 |
        | A   | acute | 80 | 30 |
        | B   | acute | 90 | 10 |
        | C   | acute | 70 | 20 |
        | D   | acute | 60 | 40 |
        | E   | acute | 50 | 50 |
        """,
        scores={"A m1": 1.75, "A m2": 2.5},
        averages={"A": 2.13, "B": 1.0, "C": 2.13},
        segments={"A": 2, "B": 1, "C": 2},
    ),
    NofSpec(
        "unrounded_scores_enter_the_average",
        "Scores enter the average unrounded (the publisher's method): 1 + 3/7 and 1 + 6/7 "
        "average 1.642857..., published 1.64, where their 2-dp roundings would give 1.65",
        """
        | org | type  | m1 | m2 |
        | A   | acute | 80 | 30 |
        | B   | acute | 90 | 10 |
        | C   | acute | 70 | 20 |
        | D   | acute | 60 | 40 |
        | E   | acute | 50 | 50 |
        | F   | acute | 40 | 60 |
        | G   | acute | 30 | 70 |
        | H   | acute | 20 | 80 |
        """,
        scores={"A m1": 1 + 3 / 7, "A m2": 1 + 6 / 7},
        pool_ranks={"A m1": (2, 8), "A m2": (3, 8)},
        averages={"A": 1.64},
        per_path={
            PUBLISHED: {"scores": {"A m1": 1.43, "A m2": 1.86}, "averages": {"A": 1.65}},
        },
    ),
    NofSpec(
        "metric_weights",
        "The average is the weighted mean of metric scores; a domain score is the weighted "
        "mean of its own metrics (m1, m3: access; m2: safety)",
        """
        | org | type  | m1 | m2 | m3 |
        | A   | acute | 90 | 30 | 70 |
        | B   | acute | 80 | 20 | 80 |
        | C   | acute | 70 | 10 | 90 |
        """,
        weights={"m1": 2.0, "m2": 1.0, "m3": 1.0},
        averages={"A": 2.5, "B": 2.5, "C": 2.5},
        domains={"A access": 2.0, "A safety": 4.0, "C access": 3.0, "C safety": 1.0},
    ),
    NofSpec(
        "zero_weight_metric",
        "A metric of weight 0 is scored but moves neither the average nor its domain",
        """
        | org | type  | m1 | m3 |
        | A   | acute | 90 | 10 |
        | B   | acute | 80 | 20 |
        | C   | acute | 70 | 30 |
        """,
        weights={"m1": 1.0, "m3": 0.0},
        scores={"A m3": 4.0},
        averages={"A": 1.0, "B": 2.5, "C": 4.0},
        domains={"A access": 1.0},
    ),
    NofSpec(
        "typed_cut_points_upper_boundary",
        "Typed cut-points win; an average equal to a cut-point stays in the better segment",
        """
        | org | type  | m1 |
        | A   | acute | 90 |
        | B   | acute | 80 |
        | C   | acute | 70 |
        | D   | acute | 60 |
        | E   | acute | 50 |
        """,
        typed_cuts=(1.75, 2.5, 3.0),
        averages={"A": 1.0, "B": 1.75, "C": 2.5, "D": 3.25, "E": 4.0},
        segments={"A": 1, "B": 1, "C": 2, "D": 4, "E": 4},
        cut_points=(1.75, 2.5, 3.0),
        cut_source="framework",
    ),
    NofSpec(
        "derived_cut_points_are_quartiles",
        "With no typed cut-points and the whole population in the store, the cut-points are "
        "the linear quartiles of the averages",
        """
        | org | type  | m1 |
        | A   | acute | 90 |
        | B   | acute | 80 |
        | C   | acute | 70 |
        | D   | acute | 60 |
        """,
        typed_cuts=None,
        population=("acute",),
        cut_points=(1.75, 2.5, 3.25),
        cut_source="derived",
        segments={"A": 1, "B": 2, "C": 3, "D": 4},
    ),
    NofSpec(
        "inferred_cut_points",
        "With part of the population missing, the cut-points are the midpoints between the "
        "published averages the published segments separate",
        """
        | org | type  | m1 | avg_pub | seg_pub |
        | A   | acute | 90 | 1.00    | 1       |
        | B   | acute | 80 | 2.00    | 2       |
        | C   | acute | 70 | 3.00    | 3       |
        | D   | acute | 60 | 4.00    | 4       |
        """,
        typed_cuts=None,
        population=("acute", "ambulance"),
        cut_points=(1.5, 2.5, 3.5),
        cut_source="inferred_from_published",
        segments={"A": 1, "B": 2, "C": 3, "D": 4},
    ),
    NofSpec(
        "financial_override_caps_the_segment",
        "A trust in financial deficit is placed no better than segment 3; a worse segment "
        "stays; the unadjusted segment is kept",
        """
        | org | type  | m1 | deficit |
        | A   | acute | 90 | 1       |
        | B   | acute | 80 | 0       |
        | C   | acute | 70 |         |
        | D   | acute | 60 | 1       |
        """,
        segments={"A": 1, "B": 1, "C": 2, "D": 4},
        adjusted={"A": 3, "B": 1, "C": 2, "D": 4},
        final={"A": 3, "B": 1, "C": 2, "D": 4},
        typed_cuts=(2.0, 3.0, 3.5),
    ),
    NofSpec(
        "segment_5_recovery_support",
        "A trust in the Recovery Support Programme is shown in segment 5; its league-table "
        "rank still uses its segment after the financial override",
        """
        | org | type  | m1 | support |
        | A   | acute | 90 | 1       |
        | B   | acute | 80 | 0       |
        | C   | acute | 70 |         |
        """,
        segments={"A": 1, "B": 2, "C": 4},
        adjusted={"A": 1, "B": 2, "C": 4},
        final={"A": 5, "B": 2, "C": 4},
        ranks={"A": 1, "B": 2, "C": 3},
    ),
    NofSpec(
        "league_rank_segment_first",
        "League-table rank orders by segment first, then average: a capped trust with a better "
        "average ranks below every trust in a better segment",
        """
        | org | type  | m1 | deficit |
        | A   | acute | 90 | 1       |
        | B   | acute | 80 | 0       |
        | C   | acute | 70 | 0       |
        | D   | acute | 60 | 0       |
        | E   | acute | 50 | 0       |
        """,
        typed_cuts=(1.5, 2.5, 3.5),
        averages={"A": 1.0, "B": 1.75, "C": 2.5, "D": 3.25},
        adjusted={"A": 3, "B": 2, "C": 2, "D": 3, "E": 4},
        ranks={"B": 1, "C": 2, "A": 3, "D": 4, "E": 5},
    ),
    NofSpec(
        "league_rank_ties_share",
        "Trusts with the same segment and the same average share a rank; the next skips",
        """
        | org | type  | m1 | m2 |
        | A   | acute | 90 | 10 |
        | B   | acute | 80 | 30 |
        | C   | acute | 70 | 20 |
        | D   | acute | 60 | 40 |
        | E   | acute | 50 | 50 |
        """,
        averages={"A": 1.0, "B": 2.13, "C": 2.13, "D": 3.25, "E": 4.0},
        ranks={"A": 1, "B": 2, "C": 2, "D": 4, "E": 5},
    ),
    NofSpec(
        "league_rank_within_trust_type",
        "League-table ranks restart in each trust type",
        """
        | org | type      | m1 |
        | A   | acute     | 90 |
        | B   | acute     | 80 |
        | X   | ambulance | 10 |
        | Y   | ambulance | 5  |
        """,
        ranks={"A": 1, "B": 2, "X": 1, "Y": 2},
    ),
]
