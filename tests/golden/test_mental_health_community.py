"""Golden tests: NHS England's published mental health and community trust files, 2025/26.

Tolerances: exact (0.00) for metric, domain and average scores, segments and ranks, because
the method is deterministic given the inputs. One caveat on segments: with only the mental health
and community file bundled, the population behind the national cut-points is incomplete, so
every cut-point here is *inferred* from this file's own published segments
(``test_cut_points_are_inferred_so_segments_agree_by_construction`` pins that), and the segment
matches hold by construction. The segment check that can fail is
``test_national_cut_points.py``, which derives the cut-points from 191 trusts. Likely ranges are
a bootstrap; the publisher's are Monte-Carlo estimates with an unknown seed, whose spread about
the exact bootstrap we measured at up to 0.04 of a score point and 1 rank place, so those are the
tolerances.
"""

from __future__ import annotations

import duckdb
import pytest

from oversight.engine.nof.verify import verify_file
from oversight.frameworks import Framework
from tests.conftest import MH_DATA, MH_LEAGUE

pytestmark = pytest.mark.golden


def _report(v) -> None:  # type: ignore[no-untyped-def]
    print(f"\n{v.file_name}")
    for f in v.fields:
        print(
            f"  {f.field:40s} {f.agreed:5d}/{f.compared:<5d} {100 * f.rate:6.2f}%  "
            f"max|diff| {f.max_abs_diff:.3f} (tolerance {f.tolerance:g})"
        )
    print(f"  metric scores by source: {v.score_sources}")


def test_data_file_every_published_number(
    store: duckdb.DuckDBPyConnection, framework: Framework
) -> None:
    v = verify_file(store, framework, MH_DATA)
    _report(v)
    assert v.quarters == ["Q1 2025/26", "Q2 2025/26", "Q3 2025/26", "Q4 2025/26"]
    by_name = {f.field: f for f in v.fields}
    # every kind of published result is compared, for all 61 trusts in all four quarters
    assert by_name["average score (OF5002)"].compared == 244
    assert by_name["segment (OF5000)"].compared == 244
    assert by_name["league rank (OF5000 Rank)"].compared == 244
    assert by_name["domain scores (OF40xx)"].compared == 1205
    assert by_name["final segment (OF5005)"].compared == 122
    for f in v.fields:
        assert f.agreed == f.compared, (f.field, f.examples)
        assert f.max_abs_diff == 0.0


def test_league_table(store: duckdb.DuckDBPyConnection, framework: Framework) -> None:
    v = verify_file(store, framework, MH_LEAGUE)
    _report(v)
    assert all(f.compared == 61 for f in v.fields)
    for f in v.fields:
        assert f.agreed == f.compared, (f.field, f.examples)
    exact = {"Average_score", "Segment", "Trust_in_financial_deficit", "Rank"}
    assert all(f.max_abs_diff == 0 for f in v.fields if f.field in exact)


def test_most_scores_are_recomputed_not_copied(
    store: duckdb.DuckDBPyConnection, framework: Framework
) -> None:
    """Staff-survey and finance scores are recomputed from raw values; wide-pool metrics come
    from the publication (their pools include providers outside these files), unrounded."""
    v = verify_file(store, framework, MH_DATA)
    assert v.score_sources["computed"] == 1220  # OF1061, OF1084, OF1079, OF1081, OF1080
    assert v.score_sources["published_unrounded"] == 1356


def test_cut_points_are_inferred_so_segments_agree_by_construction(
    store: duckdb.DuckDBPyConnection, framework: Framework
) -> None:
    from oversight.engine.nof.inputs import available_quarters
    from oversight.engine.nof.quarter import RangeOptions, run_quarter

    for quarter in available_quarters(store):
        result = run_quarter(store, framework, quarter, RangeOptions(skip=True))
        assert result.cut_points.source == "inferred_from_published", quarter
