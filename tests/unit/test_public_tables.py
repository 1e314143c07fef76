"""The MODELLED public-data tables on a small store: ambulance (AmbSYS), the 2024 staff survey,
one month of diagnostics and the 2025 cancer extract, so Q1 2025/26 has a full ambulance
composite and an acute one on five metrics, and Q3 2025/26 only the survey."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from scipy.stats import spearmanr

from oversight.frameworks.collections import collection
from oversight.ingest.readers import reader_for
from oversight.service.public_compare import (
    CompareRow,
    _agreement,
    _rerank,
    published_comparison,
)
from oversight.service.public_quarter import covered_quarters, public_quarter
from oversight.service.public_reference import read_published, reference_file
from oversight.service.public_tables import metric_table, public_league
from oversight.service.quarters import NotFound
from oversight.stats.intervals import wilson
from oversight.store import connect
from oversight.store.collections import store_releases

pytestmark = pytest.mark.slow
NHS = Path(__file__).resolve().parents[2] / "data" / "nhs"
FILES = [
    ("ambulance_ambsys", "ambulance/*.xlsx"),
    ("staff_survey_2024", "staff-survey/*.xlsx"),
    ("diagnostics_dm01", "diagnostics/*June-2025*.xls"),
    ("cancer_waiting_times", "cancer/*Apr-2025-to-Jul-2025*.xlsx"),
]


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    c = connect(tmp_path_factory.mktemp("public") / "p.duckdb")
    for cid, pattern in FILES:
        definition = collection(cid)
        read = reader_for(definition)
        store_releases(c, [read(p, definition) for p in sorted(NHS.glob(pattern))])
    yield c
    c.close()


def test_covered_quarters_follow_the_stored_periods(con: duckdb.DuckDBPyConnection) -> None:
    covered = covered_quarters(con)
    # AmbSYS runs to August 2025: whole quarters to Q1 2025/26; the survey covers Q1-Q3
    assert covered[-3:] == ["Q1 2025/26", "Q2 2025/26", "Q3 2025/26"]
    assert "Q4 2025/26" not in covered


def test_empty_store_has_no_modelled_tables(tmp_path: Path) -> None:
    c = connect(tmp_path / "empty.duckdb")
    assert covered_quarters(c) == []
    with pytest.raises(NotFound, match="no source statistics"):
        public_league(c, None, "acute")


def test_ambulance_league_is_modelled_and_labelled(con: duckdb.DuckDBPyConnection) -> None:
    league = public_league(con, "Q1 2025/26", "ambulance")
    assert league.modelled and "not NHS England's result" in league.note
    assert league.coverage.used == ["OV0001", "OV0002", "OF0084", "OF0061"]
    assert league.coverage.label.startswith("modelled on 4 of the national framework's")
    assert league.minimum_metrics == 2
    ranks = [r.rank for r in league.rows]
    assert ranks == sorted(ranks) and ranks[0] == 1
    for r in league.rows:
        assert r.basis == "modelled" and r.metrics_scored >= 2
        assert r.rank_low is not None and r.rank_high is not None
        assert r.rank_low <= (r.rank or 0) <= r.rank_high
    assert len(league.cut_points) == 3


def test_acute_trusts_with_too_few_metrics_are_left_out_with_why(
    con: duckdb.DuckDBPyConnection,
) -> None:
    q1 = public_league(con, "Q1 2025/26", "acute")
    assert q1.minimum_metrics == 4
    assert set(q1.coverage.unavailable) == {"OF0013", "OF0014"}  # no A&E stored
    assert "OF0013" in q1.coverage.missing
    assert all(r.metrics_scored >= 4 for r in q1.rows) and q1.rows
    assert all(o.metrics_with_values < 4 and "needs 4" in o.reason for o in q1.left_out)
    # Q3 has only the staff survey: two metrics, so no acute composite at all
    q3 = public_league(con, "Q3 2025/26", "acute")
    assert q3.rows == [] and q3.left_out


def test_metric_table_wilson_intervals_ranks_and_scores(con: duckdb.DuckDBPyConnection) -> None:
    pq = public_quarter(con, "Q1 2025/26")
    table = metric_table(con, None, "acute", "OF1010", pq)  # score ID or raw ID
    assert table.metric_id == "OF0010" and table.period == "Apr-Jun 2025"
    assert "Wilson" in table.interval and table.rows
    for r in table.rows:
        assert r.numerator is not None and r.denominator and r.value is not None
        lo, hi = wilson(r.numerator, r.denominator)
        assert r.ci_low == pytest.approx(100 * lo[0]) and r.ci_high == pytest.approx(100 * hi[0])
        assert r.ci_low <= r.value <= r.ci_high
    scored = [r for r in table.rows if r.peer_rank is not None]
    assert scored[0].score == 1.0 and scored[-1].score == 4.0
    values = [r.value or 0.0 for r in scored]
    assert values == sorted(values, reverse=True)  # higher is better: rank 1 the highest
    means = metric_table(con, None, "ambulance", "OV0001", pq)
    assert means.interval.startswith("none") and all(r.ci_low is None for r in means.rows)
    with pytest.raises(NotFound):
        metric_table(con, None, "ambulance", "OF0010", pq)


def test_reference_file_is_read() -> None:
    path = reference_file("Q3 2025/26")
    assert path is not None
    rows = read_published(path)
    assert sum(r.trust_type == "acute" for r in rows) == 129
    assert [r.trust_code for r in rows if r.trust_type == "ambulance"] == ["RYF"]


def test_rerank_and_agreement_statistics() -> None:
    assert _rerank({"a": 3, "b": 10, "c": 10, "d": 1}) == {"d": 1, "a": 2, "b": 3, "c": 3}
    published = [1, 2, 3, 4, 5]
    modelled = [2, 1, 3, 5, 4]
    segs = [(1, 1), (1, 2), (2, 2), (3, 4), (4, 2)]
    rows = [
        CompareRow(f"T{i}", "", "acute", 2.0, ps, p, 2.0, ms, m, m, m, p - m, ps == ms)
        for i, (p, m, (ps, ms)) in enumerate(zip(published, modelled, segs, strict=True))
    ]
    rows.append(CompareRow("X", "", "acute", 2.0, 1, 6, None, None, None, None, None, None, None))
    a = _agreement("acute", rows, 6, 5)
    assert a.common == 5 and a.only_published == ["X"]
    assert a.spearman == pytest.approx(spearmanr(modelled, published).statistic)
    assert a.same_segment_share == pytest.approx(2 / 5)
    assert a.within_one_segment_share == pytest.approx(4 / 5)
    assert a.mean_abs_rank_difference == pytest.approx(4 / 5)


def test_comparison_q3_matches_the_published_ambulance_trust(
    con: duckdb.DuckDBPyConnection,
) -> None:
    c = published_comparison(con, "Q3 2025/26")
    assert c.modelled and c.quarter == "Q3 2025/26"
    acute = next(a for a in c.agreement if a.trust_type == "acute")
    assert acute.published == 129 and acute.common == 0  # survey alone: no acute composite
    amb = next(a for a in c.agreement if a.trust_type == "ambulance")
    assert amb.published == 1 and amb.common == 1 and amb.spearman is None
    ryf = next(r for r in c.rows if r.trust_code == "RYF")
    assert ryf.published_rank == 9 and ryf.modelled_rank is not None
    with pytest.raises(NotFound, match="No published"):
        published_comparison(con, "Q1 2025/26")
