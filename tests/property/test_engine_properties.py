"""Invariants of the engine and of its pure statistics, on random inputs (hypothesis).

The engine runs on a small framework built from the bundled one: three own-trust-type metrics
(rank-scaled higher-is-better, rank-scaled lower-is-better, and a standard-then-rank metric) and
cut-points typed into the framework, so everything is computed from the synthetic raw values and
nothing comes from a publication.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

from oversight.engine.nof.inputs import Organisation, Published, QuarterData
from oversight.engine.nof.likely_ranges import RangeInputs, exact, monte_carlo, seed_for
from oversight.engine.nof.quarter import RangeOptions, compute_quarter
from oversight.engine.nof.results import QuarterResult
from oversight.engine.nof.segments import (
    apply_override,
    derive,
    infer,
    segment_of,
    segments_of,
)
from oversight.frameworks import Framework, load_framework
from oversight.stats.bootstrap import padded, resampled_means
from oversight.stats.exact_bootstrap import mean_distribution, quantile, rank_distributions
from oversight.stats.ranks import min_rank, min_rank_rows, rank_scale
from oversight.stats.rounding import half_up

Q = "Q4 2025/26"
TYPES = ("mental_health_community", "acute")
# metric id -> (raw id, polarity); OF1003 is "standard then rank" with standard 50
METRICS = {
    "OF1001": ("OF0001", "higher_is_better"),
    "OF1002": ("OF0002", "lower_is_better"),
    "OF1003": ("OF0003", "higher_is_better"),
}
STANDARD = 50.0
FLAG = "OF5004"

FAST = settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


# --- a framework computed entirely from raw values --------------------------------------------


def _small_framework() -> Framework:
    data = load_framework().model_dump()
    both = list(TYPES)
    data.update(
        pools=[{"id": "own_trust_type", "kind": "own_trust_type"}],
        domains=[
            {"id": "d1", "name": "Domain one", "score_id": "OF4000"},
            {"id": "d2", "name": "Domain two", "score_id": "OF4001"},
        ],
        metrics=[
            {
                "id": "OF1001",
                "raw_id": "OF0001",
                "name": "higher is better",
                "domain": "d1",
                "trust_types": both,
                "polarity": "higher_is_better",
                "scoring": {"rule": "rank_scale"},
            },
            {
                "id": "OF1002",
                "raw_id": "OF0002",
                "name": "lower is better",
                "domain": "d1",
                "trust_types": both,
                "polarity": "lower_is_better",
                "scoring": {"rule": "rank_scale"},
            },
            {
                "id": "OF1003",
                "raw_id": "OF0003",
                "name": "a standard, then rank",
                "domain": "d2",
                "trust_types": both,
                "polarity": "higher_is_better",
                "scoring": {"rule": "threshold_then_rank", "standard": STANDARD},
            },
        ],
        undeclared_metric_ids=None,
    )
    data["segmentation"]["cut_points"] = {Q: [1.75, 2.5, 3.25]}
    return Framework.model_validate(data)


SMALL = _small_framework()


def with_cuts(cuts: tuple[float, ...]) -> Framework:
    rule = SMALL.segmentation.model_copy(update={"cut_points": {Q: list(cuts)}})
    return SMALL.model_copy(update={"segmentation": rule})


@dataclass(frozen=True)
class Org:
    code: str
    trust_type: str
    flagged: bool
    raw: dict[str, float | None]  # raw metric id -> value


def _published(value: float | None, line: int) -> Published:
    return Published(value, None, None, None, None, "synthetic.csv", line)


def quarter_data(orgs: list[Org], rng: random.Random | None = None) -> QuarterData:
    """QuarterData for ``orgs``; with ``rng``, organisations and rows go in in a shuffled order."""
    data = QuarterData(Q, {t: 1 for t in TYPES})
    order = list(orgs)
    if rng is not None:
        rng.shuffle(order)
    rows: list[tuple[tuple[str, str], Published]] = []
    for o in order:
        data.orgs[o.code] = Organisation(o.code, f"Trust {o.code}", "London", o.trust_type, "")
        rows.append(((FLAG, o.code), _published(1.0 if o.flagged else 0.0, 2)))
        for raw_id, value in o.raw.items():
            if value is not None:
                rows.append(((raw_id, o.code), _published(value, 2)))
    if rng is not None:
        rng.shuffle(rows)
    data.rows.update(rows)
    return data


raw_values = st.one_of(
    st.none(),
    st.integers(0, 40).map(lambda i: i * 2.5),  # coarse: plenty of ties
    st.floats(0, 100, allow_nan=False).map(lambda x: round(x, 2)),
)


@st.composite
def organisations(draw: st.DrawFn, min_size: int = 1, max_size: int = 14) -> list[Org]:
    n = draw(st.integers(min_size, max_size))
    out = []
    for i in range(n):
        out.append(
            Org(
                code=f"R{i:02d}",
                trust_type=draw(st.sampled_from(TYPES)),
                flagged=draw(st.booleans()),
                raw={raw: draw(raw_values) for raw, _ in METRICS.values()},
            )
        )
    return out


cut_points: st.SearchStrategy[tuple[float, ...]] = st.lists(
    st.integers(100, 400).map(lambda i: i / 100), min_size=3, max_size=3
).map(lambda c: tuple(sorted(c)))


def run(orgs: list[Org], cuts: tuple[float, ...] = (1.75, 2.5, 3.25)) -> QuarterResult:
    return compute_quarter(with_cuts(cuts), quarter_data(orgs), RangeOptions(skip=True))


def _better(a: float, b: float, polarity: str) -> bool:
    return a > b if polarity == "higher_is_better" else a < b


# --- engine invariants -------------------------------------------------------------------------


@FAST
@given(organisations(), cut_points)
def test_every_score_is_between_1_and_4(orgs: list[Org], cuts: tuple[float, ...]) -> None:
    result = run(orgs, cuts)
    for o in result.orgs:
        for s in o.scores:
            assert 1.0 <= s.score <= 4.0 and 1.0 <= s.used <= 4.0, s
        for d in o.domain_scores.values():
            assert d is None or 1.0 <= d <= 4.0
        if o.average_score is not None:
            assert 1.0 <= o.average_score <= 4.0
            assert o.segment in (1, 2, 3, 4)


@FAST
@given(organisations(), cut_points)
def test_ranks_are_a_competition_ranking_within_each_trust_type(
    orgs: list[Org], cuts: tuple[float, ...]
) -> None:
    result = run(orgs, cuts)
    for t in TYPES:
        scored = [o for o in result.orgs if o.trust_type == t and o.average_score is not None]
        assert all(o.rank is not None for o in scored)
        if not scored:
            continue
        key = {o.trust_code: (o.segment, round((o.average_score or 0) * 100)) for o in scored}
        ranks = sorted(o.rank or 0 for o in scored)
        assert ranks[0] == 1
        for o in scored:
            strictly_better = sum(k < key[o.trust_code] for k in key.values())
            assert o.rank == 1 + strictly_better, (o.trust_code, key)


@FAST
@given(organisations(min_size=2))
def test_a_better_raw_value_never_gets_a_worse_metric_score(orgs: list[Org]) -> None:
    result = run(orgs)
    for metric_id, (raw_id, polarity) in METRICS.items():
        for t in TYPES:
            scored = [
                (s.value, s.score)
                for o in result.orgs
                if o.trust_type == t
                for s in o.scores
                if s.metric_id == metric_id
            ]
            # every organisation with a raw value is scored
            assert len(scored) == sum(o.trust_type == t and o.raw[raw_id] is not None for o in orgs)
            for va, sa in scored:
                for vb, sb in scored:
                    assert va is not None and vb is not None
                    if va == vb:
                        assert sa == sb
                    elif _better(va, vb, polarity):
                        assert sa <= sb, (metric_id, va, sa, vb, sb)
                        if metric_id != "OF1003":  # pure rank scale: strictly better
                            assert sa < sb


@FAST
@given(organisations())
def test_standard_then_rank_failures_score_the_fail_score(orgs: list[Org]) -> None:
    result = run(orgs)
    for o in result.orgs:
        for s in o.scores:
            if s.metric_id == "OF1003" and s.value is not None:
                assert (s.score == 4.0) == (s.value < STANDARD)
                if s.value >= STANDARD:
                    assert 1.0 <= s.score <= 3.0


@FAST
@given(organisations(), cut_points)
def test_financial_override_never_improves_a_segment(
    orgs: list[Org], cuts: tuple[float, ...]
) -> None:
    result = run(orgs, cuts)
    floor = SMALL.financial_override.floor_segment
    for o in result.orgs:
        if o.segment is None:
            continue
        assert o.segment_unadjusted is not None
        assert o.segment >= o.segment_unadjusted
        expected = (
            max(o.segment_unadjusted, floor) if o.in_financial_deficit else (o.segment_unadjusted)
        )
        assert o.segment == expected
        assert o.segment_unadjusted == segment_of(
            o.average_score or 0, cuts, SMALL.segmentation.boundary
        )


def _summary(result: QuarterResult) -> list[tuple[Any, ...]]:
    return [
        (
            o.trust_code,
            o.average_score,
            o.segment_unadjusted,
            o.segment,
            o.rank,
            o.average_score_low,
            o.average_score_high,
            o.rank_low,
            o.rank_high,
            tuple(sorted(o.domain_scores.items())),
            tuple(sorted((s.metric_id, s.score, s.pool_rank, s.pool_size) for s in o.scores)),
        )
        for o in sorted(result.orgs, key=lambda o: o.trust_code)
    ]


@settings(FAST, max_examples=20)
@given(organisations(max_size=8), cut_points, st.randoms(use_true_random=False))
def test_results_do_not_depend_on_input_order(
    orgs: list[Org], cuts: tuple[float, ...], rng: random.Random
) -> None:
    fw = with_cuts(cuts)
    for options in (
        RangeOptions(method="exact"),
        RangeOptions(method="monte_carlo", replicates=300, seed=7),
    ):
        plain = compute_quarter(fw, quarter_data(orgs), options)
        shuffled = compute_quarter(fw, quarter_data(orgs, rng), options)
        assert _summary(shuffled) == _summary(plain)


@settings(FAST, max_examples=10)
@given(organisations(min_size=2, max_size=8), st.integers(0, 2**32 - 1))
def test_same_seed_same_monte_carlo_ranges(orgs: list[Org], seed: int) -> None:
    options = RangeOptions(method="monte_carlo", replicates=400, seed=seed)
    first = compute_quarter(SMALL, quarter_data(orgs), options)
    second = compute_quarter(SMALL, quarter_data(orgs), options)
    assert _summary(first) == _summary(second)


# --- likely ranges: Monte-Carlo against the exact bootstrap -----------------------------------


@st.composite
def range_inputs(draw: st.DrawFn) -> RangeInputs:
    """Organisations with 10 to 16 metric scores each, continuous in [1, 4].

    Generic real-valued scores, as metric scores are: with a handful of coarse values the
    bootstrap mean is lumpy, and the 2.5 % point of any finite sample can jump a whole gap
    between atoms of the distribution, which no replicate count makes small.
    """
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    n = draw(st.integers(2, 8))
    scores = [rng.uniform(1, 4, int(rng.integers(10, 17))) for _ in range(n)]
    return RangeInputs(
        scores=scores,
        weights=[np.ones(len(s)) for s in scores],
        flagged=rng.random(n) < 0.3,
        cut_points=draw(cut_points),
        boundary="upper",
        floor_segment=3,
        dp=2,
    )


@settings(FAST, max_examples=25)
@given(range_inputs(), st.integers(0, 2**32 - 1))
def test_monte_carlo_agrees_with_exact(inputs: RangeInputs, seed: int) -> None:
    mc = monte_carlo(inputs, 20_000, 2.5, 97.5, seed_for(seed, Q, "t"))
    ex = exact(inputs, 2.5, 97.5)
    tol = 0.02 + 1e-9
    assert np.all(np.abs(mc.score_low - ex.score_low) <= tol), (mc.score_low, ex.score_low)
    assert np.all(np.abs(mc.score_high - ex.score_high) <= tol), (mc.score_high, ex.score_high)
    assert np.all(np.abs(mc.rank_low - ex.rank_low) <= 1), (mc.rank_low, ex.rank_low)
    assert np.all(np.abs(mc.rank_high - ex.rank_high) <= 1), (mc.rank_high, ex.rank_high)
    n = len(inputs.scores)
    for r in (ex, mc):
        assert np.all(r.score_low <= r.score_high) and np.all(r.rank_low <= r.rank_high)
        assert np.all((r.rank_low >= 1) & (r.rank_high <= n))


@settings(FAST, max_examples=15)
@given(range_inputs(), st.integers(0, 2**32 - 1))
def test_monte_carlo_same_seed_is_identical(inputs: RangeInputs, seed: int) -> None:
    a = monte_carlo(inputs, 1_000, 2.5, 97.5, seed_for(seed, Q, "t"))
    b = monte_carlo(inputs, 1_000, 2.5, 97.5, seed_for(seed, Q, "t"))
    for field in ("score_low", "score_high", "rank_low", "rank_high"):
        np.testing.assert_array_equal(getattr(a, field), getattr(b, field))


# --- pure functions: rounding and ranks --------------------------------------------------------


def _decimal_half_up(units: int, scale: int, dp: int) -> float:
    exact_value = Decimal(units) / Decimal(scale)
    return float(exact_value.quantize(Decimal(1).scaleb(-dp), rounding=ROUND_HALF_UP))


@settings(FAST, max_examples=300)
@given(st.integers(-100_000, 100_000))
def test_half_up_matches_decimal_on_2dp_halves(k: int) -> None:
    units = 10 * k + 5  # thousandths: exactly half-way between two 2-dp numbers
    assert half_up(units / 1000, 2) == _decimal_half_up(units, 1000, 2)


@settings(FAST, max_examples=300)
@given(st.integers(-1_000_000, 1_000_000))
def test_half_up_matches_decimal_on_3dp_values(units: int) -> None:
    assert half_up(units / 1000, 2) == _decimal_half_up(units, 1000, 2)
    array = half_up(np.array([units / 1000]), 2)
    assert array[0] == _decimal_half_up(units, 1000, 2)


@settings(FAST, max_examples=100)
@given(st.integers(-10_000, 10_000))
def test_half_up_to_whole_numbers_on_halves(k: int) -> None:
    units = 2 * k + 1
    assert half_up(units / 2, 0) == _decimal_half_up(units, 2, 0)


keys_1d = st.lists(st.integers(0, 50), max_size=30)


@FAST
@given(keys_1d)
def test_min_rank_is_a_competition_ranking(keys: list[int]) -> None:
    ranks = min_rank(keys)
    assert len(ranks) == len(keys)
    for k, r in zip(keys, ranks, strict=True):
        assert r == 1 + sum(other < k for other in keys)
    if keys:
        assert sorted(ranks)[0] == 1


@FAST
@given(
    st.integers(1, 12).flatmap(
        lambda cols: st.lists(
            st.lists(
                st.one_of(st.integers(0, 20), st.integers(0, 2**40 - 1)),
                min_size=cols,
                max_size=cols,
            ),
            min_size=1,
            max_size=15,
        )
    )
)
def test_min_rank_rows_is_min_rank_row_by_row(rows: list[list[int]]) -> None:
    keys = np.array(rows, dtype=np.int64)
    expected = np.array([min_rank(row) for row in keys])
    np.testing.assert_array_equal(min_rank_rows(keys), expected)


@FAST
@given(keys_1d.filter(bool), st.floats(0, 2), st.floats(2.5, 5))
def test_rank_scale_is_monotone_between_best_and_worst(
    keys: list[int], best: float, worst: float
) -> None:
    ranks = min_rank(keys)
    n = len(keys)
    scores = rank_scale(ranks, n, best, worst)
    assert np.all(scores >= best - 1e-12) and np.all(scores <= worst + 1e-12)
    order = np.argsort(ranks, kind="stable")
    assert np.all(np.diff(scores[order]) >= 0)
    assert np.all(scores[ranks == 1] == best)
    if n > 1:
        assert rank_scale([n], n, best, worst)[0] == pytest.approx(worst)


# --- pure functions: segments ------------------------------------------------------------------

scores_2dp = st.integers(100, 400).map(lambda i: i / 100)


@FAST
@given(
    st.lists(scores_2dp, min_size=1, max_size=40), cut_points, st.sampled_from(["upper", "lower"])
)
def test_segment_of_is_monotone_and_matches_the_vectorised_form(
    scores: list[float], cuts: tuple[float, ...], boundary: str
) -> None:
    segs = [segment_of(s, cuts, boundary) for s in scores]
    assert all(1 <= g <= 4 for g in segs)
    for s, g in zip(scores, segs, strict=True):
        for t, h in zip(scores, segs, strict=True):
            if s < t:
                assert g <= h
    for c in cuts:  # cut-points and scores are on a 0.01 grid, so nothing lies within 0.001
        if boundary == "upper":  # a score equal to a cut-point stays on the better side
            assert segment_of(c, cuts, boundary) == segment_of(c - 0.001, cuts, boundary)
            assert segment_of(c, cuts, boundary) < segment_of(c + 0.001, cuts, boundary)
        else:
            assert segment_of(c, cuts, boundary) == segment_of(c + 0.001, cuts, boundary)
            assert segment_of(c, cuts, boundary) > segment_of(c - 0.001, cuts, boundary)
    np.testing.assert_array_equal(segments_of(np.array(scores), cuts, boundary), segs)


@FAST
@given(st.integers(1, 5), st.booleans(), st.integers(1, 4))
def test_financial_override_function(segment: int, flagged: bool, floor: int) -> None:
    out = apply_override(segment, flagged, floor)
    assert out >= segment
    assert out == (max(segment, floor) if flagged else segment)
    assert apply_override(out, flagged, floor) == out


@FAST
@given(st.lists(scores_2dp, min_size=4, max_size=40), cut_points)
def test_inferred_cut_points_reproduce_the_segments_they_come_from(
    scores: list[float], cuts: tuple[float, ...]
) -> None:
    pairs = [(s, segment_of(s, cuts)) for s in scores]
    inferred = infer(pairs, "upper", "average")
    assert list(inferred.values) == sorted(inferred.values)
    assert [segment_of(s, inferred.values) for s, _ in pairs] == [g for _, g in pairs]


@FAST
@given(st.lists(scores_2dp, min_size=1, max_size=60))
def test_derived_cut_points_are_ordered_quantiles_within_the_scores(scores: list[float]) -> None:
    cuts = derive(scores, SMALL.segmentation, "average")
    assert len(cuts.values) == 3
    assert list(cuts.values) == sorted(cuts.values)
    assert all(min(scores) - 1e-6 <= c <= max(scores) + 1e-6 for c in cuts.values)
    segs = [segment_of(s, cuts.values) for s in scores]
    # a quarter of the population at most is worse than the third cut-point (up to ties)
    assert sum(g == 4 for g in segs) <= 0.25 * len(scores) + 1


# --- pure functions: the bootstrap -------------------------------------------------------------

samples = st.lists(st.floats(1, 4, allow_nan=False, allow_subnormal=False), min_size=1, max_size=16)


@FAST
@given(samples)
def test_exact_bootstrap_mean_distribution_is_a_distribution(x: list[float]) -> None:
    arr = np.array(x)
    support, probs = mean_distribution(arr)
    assert probs.sum() == pytest.approx(1.0, abs=1e-9)
    assert np.all(probs >= 0)
    assert np.all(np.diff(support) > 0)
    assert support.min() >= arr.min() - 1e-3 and support.max() <= arr.max() + 1e-3
    lo, hi = quantile(support, probs, 0.025), quantile(support, probs, 0.975)
    assert lo <= hi


@FAST
@example([1.0, 2.0])
@example([1.0, 2.0, 3.0, 4.0])
@given(samples)
def test_exact_bootstrap_mean_distribution_has_the_sample_mean_and_variance(
    x: list[float],
) -> None:
    arr = np.array(x)
    support, probs = mean_distribution(arr)
    # the mean of the bootstrap mean is the sample mean (up to the grid: spacing < 0.0005)
    assert float(support @ probs) == pytest.approx(arr.mean(), abs=5e-4)
    # and its variance is the sample's (population) variance over k
    var = float(((support - arr.mean()) ** 2) @ probs)
    assert var == pytest.approx(arr.var() / len(arr), abs=1e-3)
    # the top of the distribution is there (not wrapped round the FFT buffer), unless its
    # probability is below the 1e-14 the distribution keeps
    if (np.sum(arr == arr.max()) / len(arr)) ** len(arr) > 1e-12:
        assert support.max() == pytest.approx(arr.max(), abs=5e-4)


@st.composite
def key_distributions(
    draw: st.DrawFn,
) -> tuple[list[NDArray[np.int64]], list[NDArray[np.float64]]]:
    n = draw(st.integers(1, 7))
    keys, probs = [], []
    for _ in range(n):
        distinct = sorted(set(draw(st.lists(st.integers(0, 30), min_size=1, max_size=6))))
        weights = np.array(
            draw(st.lists(st.floats(0.01, 1), min_size=len(distinct), max_size=len(distinct)))
        )
        keys.append(np.array(distinct, dtype=np.int64))
        probs.append(weights / weights.sum())
    return keys, probs


@FAST
@given(key_distributions())
def test_exact_rank_distributions_rows_sum_to_one(
    dist: tuple[list[NDArray[np.int64]], list[NDArray[np.float64]]],
) -> None:
    keys, probs = dist
    pmf = rank_distributions(keys, probs)
    n = len(keys)
    assert pmf.shape == (n, n)
    assert np.all(pmf >= -1e-12)
    np.testing.assert_allclose(pmf.sum(axis=1), 1.0, atol=1e-9)


@FAST
@given(st.lists(st.integers(0, 30), min_size=1, max_size=10))
def test_exact_rank_distributions_of_fixed_keys_are_their_min_ranks(fixed: list[int]) -> None:
    pmf = rank_distributions(
        [np.array([k], dtype=np.int64) for k in fixed], [np.array([1.0]) for _ in fixed]
    )
    expected = np.zeros_like(pmf)
    expected[np.arange(len(fixed)), min_rank(fixed) - 1] = 1.0
    np.testing.assert_allclose(pmf, expected, atol=1e-12)


@FAST
@given(st.lists(samples, min_size=1, max_size=6), st.integers(0, 2**32 - 1))
def test_resampled_means_stay_within_each_sample(groups: list[list[float]], seed: int) -> None:
    values, sizes = padded([np.array(g) for g in groups])
    chunks = list(resampled_means(values, sizes, None, 700, np.random.default_rng(seed), 300))
    assert [c.shape for c in chunks] == [(300, len(groups)), (300, len(groups)), (100, len(groups))]
    means = np.concatenate(chunks)
    for i, g in enumerate(groups):
        assert np.all(means[:, i] >= min(g) - 1e-12) and np.all(means[:, i] <= max(g) + 1e-12)
    again = np.concatenate(
        list(resampled_means(values, sizes, None, 700, np.random.default_rng(seed), 300))
    )
    np.testing.assert_array_equal(means, again)
    # equal weights give the plain mean
    ones = np.concatenate(
        list(
            resampled_means(
                values, sizes, np.ones_like(values), 700, np.random.default_rng(seed), 300
            )
        )
    )
    np.testing.assert_allclose(ones, means)
