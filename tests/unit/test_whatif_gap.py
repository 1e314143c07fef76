"""What-if and gap on the real Q4 2025/26 mental health and community data."""

from __future__ import annotations

import duckdb
import pytest

from oversight.engine.nof.gap import _candidates, gap
from oversight.engine.nof.inputs import load_quarter
from oversight.engine.nof.quarter import RangeOptions, compute_quarter
from oversight.engine.nof.whatif import Change, parse_changes, what_if
from oversight.errors import UserError
from oversight.frameworks import Framework

Q4 = "Q4 2025/26"
FAST = RangeOptions(skip=True)


def test_clearing_the_deficit_flag_lifts_the_override(
    store: duckdb.DuckDBPyConnection, framework: Framework
) -> None:
    data = load_quarter(store, Q4)
    base = compute_quarter(framework, data, FAST)
    held = [
        o
        for o in base.orgs
        if o.in_financial_deficit and o.segment_unadjusted and o.segment_unadjusted < 3
    ]
    assert held, "the publication has trusts held at segment 3 by the override"
    for org in held:
        result = what_if(framework, data, org.trust_code, [Change("deficit", 0)], FAST)
        assert result.after.segment == org.segment_unadjusted
        assert result.after.rank is not None and org.rank is not None
        assert result.after.rank < org.rank


def test_setting_a_value_to_what_it_is_changes_nothing(
    store: duckdb.DuckDBPyConnection, framework: Framework
) -> None:
    data = load_quarter(store, Q4)
    for code in ("RYY", "RAT", "RX2"):
        before = compute_quarter(framework, data, FAST).org(code)
        assert before is not None
        for raw in ("OF0061", "OF0084", "OF0079"):
            value = data.value(raw, code)
            assert value is not None
            after = what_if(framework, data, code, [Change(raw, value)], FAST).after
            assert (after.average_score, after.segment, after.rank) == (
                before.average_score,
                before.segment,
                before.rank,
            )


@pytest.mark.parametrize("code", ["RAT", "RX2", "RYY"])
@pytest.mark.parametrize("raw", ["OF0061", "OF0084", "OF0082", "OF0079"])
def test_improving_a_metric_never_worsens_average_segment_or_rank(
    store: duckdb.DuckDBPyConnection, framework: Framework, code: str, raw: str
) -> None:
    data = load_quarter(store, Q4)
    metric = next(m for m in framework.metrics if m.raw_id == raw)
    now = data.value(raw, code)
    assert now is not None
    step = 1.0 if metric.polarity == "higher_is_better" else -1.0
    prev = compute_quarter(framework, data, FAST).org(code)
    assert prev is not None
    for k in range(1, 6):  # ever better values of the one metric
        after = what_if(framework, data, code, [Change(raw, now + step * 0.4 * k)], FAST).after
        assert after.average_score is not None and prev.average_score is not None
        assert after.average_score <= prev.average_score
        assert after.segment is not None and prev.segment is not None
        assert after.segment <= prev.segment
        assert after.rank is not None and prev.rank is not None
        assert after.rank <= prev.rank
        prev = after


@pytest.mark.parametrize("code", ["RAT", "R1D"])
def test_gap_is_the_least_improvement_that_lifts_the_segment(
    store: duckdb.DuckDBPyConnection, framework: Framework, code: str
) -> None:
    data = load_quarter(store, Q4)
    report = gap(framework, data, code)
    assert report.target == (report.segment or 0) - 1
    reachable = [g for g in report.gaps if g.needed is not None]
    assert reachable
    for g in reachable:
        assert g.needed is not None
        after = what_if(framework, data, code, [Change(g.raw_id, g.needed)], FAST).after
        assert after.segment is not None and after.segment <= report.target
        # the next published value short of it is not enough
        metric = framework.metric(g.metric_id)
        shorter = [
            v
            for v in _candidates(framework, data, metric, g.value)
            if abs(v - g.value) < abs(g.needed - g.value)
        ]
        if shorter:
            after = what_if(framework, data, code, [Change(g.raw_id, shorter[-1])], FAST).after
            assert after.segment == report.segment


def test_gap_when_the_override_holds_the_segment(
    store: duckdb.DuckDBPyConnection, framework: Framework
) -> None:
    report = gap(framework, load_quarter(store, Q4), "RWR")
    assert report.gaps == [] and "deficit" in report.note


def test_bad_changes_are_reported_together(framework: Framework) -> None:
    with pytest.raises(UserError) as caught:
        parse_changes(["OF0061=high", "OF9999=1", "deficit=2", "OF1082=7"], framework)
    text = str(caught.value)
    for expected in ("OF0061=high", "OF9999", "deficit takes 0 or 1", "between 1 and 4"):
        assert expected in text
