"""ICBs (modelled, providers-in-the-ICB): the mapping of every ODS trust to one of the 42 ICBs,
the league table of all 42, ICB values equal to sums over their trusts computed here, the
segments by the declared thresholds, the CLI."""

from __future__ import annotations

import csv
import json
import shutil
from collections import defaultdict
from pathlib import Path

import duckdb
import pytest

from oversight.engine.sources.nof_metrics import compute
from oversight.frameworks.loader import load_framework
from oversight.frameworks.source_metrics import source_metrics
from oversight.periods import Quarter
from oversight.service.icb_values import icb_quarter
from oversight.service.icbs import icb_map
from tests.functional.inprocess import oversight
from tests.icb_store import ODS, icb_store_path  # noqa: F401 - the session fixture

Q1 = "Q1 2025/26"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "icbs.md"


@pytest.fixture(scope="module")
def con(icb_store_path: Path) -> duckdb.DuckDBPyConnection:  # noqa: F811
    c = duckdb.connect(str(icb_store_path), read_only=True)
    yield c
    c.close()


def _ons_codes() -> dict[str, str]:
    with (ODS / "icb_names_codes_dec_2024.csv").open(encoding="utf-8-sig") as f:
        return {r["ICB24CDH"]: r["ICB24NM"] for r in csv.DictReader(f)}


def _etr() -> list[list[str]]:
    return list(csv.reader((ODS / "etr.csv").open()))


def test_every_open_trust_maps_to_exactly_one_of_the_42(con: duckdb.DuckDBPyConnection) -> None:
    icbs = _ons_codes()
    assert len(icbs) == 42
    m = icb_map(con)
    assert set(m.icbs) == set(icbs)
    open_trusts = [r for r in _etr() if not r[11]]
    assert len(open_trusts) == 205
    documented = DOCS.read_text()
    for r in open_trusts:
        code = r[0]
        assert (code in m.trusts) != (code in m.excluded), code  # mapped, or listed: not both
        if code in m.trusts:
            assert m.icb_of(code) == r[3] and r[3] in icbs  # the ICB ODS gives, one of the 42
            assert [q for q in icbs if q == m.icb_of(code)] == [r[3]]
        else:
            assert code in documented, f"{code} has no ICB and is not listed in docs/icbs.md"
    # the exceptions are the three NHS Wales trusts ODS lists with no region or ICB
    assert sorted(m.excluded) == ["RQF", "RT4", "RYT"]
    assert all(not r[2] and not r[3] for r in open_trusts if r[0] in m.excluded)
    # every ICB has at least one open trust
    assert all(m.members(q) for q in icbs)


def test_closed_trusts_follow_their_successors(con: duckdb.DuckDBPyConnection) -> None:
    m = icb_map(con)
    succ: dict[str, set[str]] = defaultdict(set)
    for r in csv.reader((ODS / "succ.csv").open()):
        succ[r[0]].add(r[1])
    etr = {r[0]: r for r in _etr()}
    checked = 0
    for code, r in etr.items():
        heirs = {s for s in succ.get(code, ()) if s in etr and not etr[s][11]}
        if r[11] and heirs and len({etr[h][3] for h in heirs}) == 1:
            assert m.icb_of(code) == etr[next(iter(heirs))][3], code
            checked += 1
    assert checked > 20


def test_the_icb_table_lists_all_42(con: duckdb.DuckDBPyConnection) -> None:
    q = icb_quarter(con, Q1)
    assert {o.trust_code for o in q.result.orgs} == set(_ons_codes())
    for o in q.result.orgs:  # rank = 1 + ICBs strictly ahead on (segment, average)
        ahead = [
            p for p in q.result.orgs if (p.segment, p.average_score) < (o.segment, o.average_score)
        ]
        assert o.rank == 1 + len(ahead)
    assert all(o.average_score is not None and len(o.scores) == 6 for o in q.result.orgs)
    ranks = [o.rank for o in q.ranked()]
    assert ranks[0] == 1 and len(ranks) == 42


def test_segments_follow_the_declared_thresholds(con: duckdb.DuckDBPyConnection) -> None:
    fw = load_framework("icb-2026-27")
    cuts = fw.segmentation.cut_points[Q1]
    q = icb_quarter(con, Q1)
    assert list(q.result.cut_points.values) == cuts
    for o in q.result.orgs:
        assert o.average_score is not None
        expected = 1 + sum(o.average_score >= c for c in cuts)  # boundary: lower
        assert o.segment == expected == o.segment_final  # no ICB is flagged for segment 5


def _independent_mapping() -> dict[str, str]:
    """Open trusts to their ODS ICB; closed ones to their open successors' ICB (one level)."""
    etr = {r[0]: r for r in _etr()}
    out = {c: r[3] for c, r in etr.items() if not r[11] and r[3]}
    for r in csv.reader((ODS / "succ.csv").open()):
        old, new = r[0], r[1]
        if old in etr and etr[old][11] and new in out:
            out.setdefault(old, out[new])
    return out


@pytest.mark.parametrize("metric_id", ["OF0010", "OF0011", "OF0013", "OV0003"])
def test_icb_share_is_the_sum_over_its_trusts(
    con: duckdb.DuckDBPyConnection, metric_id: str
) -> None:
    ms = source_metrics()
    metric = ms.metric(metric_id)
    assert metric is not None
    mapping = _independent_mapping()
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for v in compute(con, metric, Quarter.parse(Q1), ms):
        if v.trust_code in mapping and v.denominator:
            sums[mapping[v.trust_code]][0] += v.numerator or 0.0
            sums[mapping[v.trust_code]][1] += v.denominator
    ours = {r.trust_code: r for r in icb_quarter(con, Q1).values if r.metric_id == metric_id}
    assert set(ours) == set(sums) and len(ours) == 42
    for icb, (num, den) in sums.items():
        assert ours[icb].numerator == pytest.approx(num, rel=1e-12)
        assert ours[icb].denominator == pytest.approx(den, rel=1e-12)
        assert ours[icb].value == pytest.approx(num / den * 100, rel=1e-12)


def test_survey_scores_are_response_weighted(con: duckdb.DuckDBPyConnection) -> None:
    """Staff engagement: sum(score x responses) / sum(responses), read here straight from the
    stored survey rows."""
    rows = con.execute(
        """SELECT org_code, measure, value FROM collection_value_current
           WHERE collection = 'staff_survey_2024'
             AND measure IN ('staff_engagement', 'staff_engagement_responses')"""
    ).fetchall()
    by: dict[str, dict[str, float]] = defaultdict(dict)
    for code, measure, value in rows:
        by[code][measure] = value
    mapping = _independent_mapping()
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for code, got in by.items():
        if code in mapping and "staff_engagement" in got and got.get("staff_engagement_responses"):
            w = got["staff_engagement_responses"]
            sums[mapping[code]][0] += got["staff_engagement"] * w
            sums[mapping[code]][1] += w
    ours = {r.trust_code: r for r in icb_quarter(con, Q1).values if r.metric_id == "OF0084"}
    assert len(ours) == 42
    for icb, (num, den) in sums.items():
        assert ours[icb].value == pytest.approx(num / den, rel=1e-12)


def test_cli_icbs_and_icb(icb_store_path: Path, tmp_path: Path) -> None:  # noqa: F811
    # a copy: the CLI opens its store for writing, the module's connection holds this one
    db = tmp_path / "icb.duckdb"
    shutil.copyfile(icb_store_path, db)
    table = oversight("icbs", "-q", Q1, "--format", "json", db=db)
    assert table.returncode == 0, table.stderr
    got = json.loads(table.stdout)
    assert len(got["icbs"]) == 42 and "providers-in-the-ICB" in got["caveats"]
    assert "placeholders until NHS England's NOF 2026/27 technical annex" in got["caveats"]
    as_csv = oversight("icbs", "-q", Q1, "--format", "csv", db=db)
    assert len(as_csv.stdout.strip().splitlines()) == 43
    one = oversight("icb", "qyg", "-q", Q1, "--format", "json", db=db)
    record = json.loads(one.stdout)
    assert record["icb_code"] == "QYG" and len(record["metrics"]) == 6
    assert {"RBL", "RBN"} <= {t["trust_code"] for t in record["trusts"]}
    unknown = oversight("icb", "QZZ", "-q", Q1, db=db)
    assert unknown.returncode == 1 and "No ICB 'QZZ'" in unknown.stderr
    outside = oversight("icbs", "-q", "Q1 2024/25", db=db)
    assert outside.returncode == 1 and "does not cover Q1 2024/25" in outside.stderr


def test_without_reference_files_a_clear_error(tmp_path: Path) -> None:
    from oversight.store import connect

    db = tmp_path / "empty.duckdb"
    connect(db).close()
    run = oversight("icbs", "-q", Q1, db=db)
    assert run.returncode == 1 and "no ODS/ONS reference files" in run.stderr


def test_cli_icb_policy_commands(icb_store_path: Path, tmp_path: Path) -> None:  # noqa: F811
    db = tmp_path / "icb.duckdb"
    shutil.copyfile(icb_store_path, db)
    table = json.loads(oversight("icbs", "-q", Q1, "--format", "json", db=db).stdout)["icbs"]
    best = [r["icb_code"] for r in table if r["segment"] == 1]
    middle = [r["icb_code"] for r in table if r["segment"] in (2, 3)]
    run = oversight("icb-consequences", "-q", Q1, "--format", "json", db=db)
    assert run.returncode == 0, run.stderr
    in_force = json.loads(run.stdout)["in_force"]
    capital_first = {r["icb_code"] for r in in_force if r["rule"] == "icb_capital_priority"}
    assert capital_first == set(best) and best
    support = {r["icb_code"] for r in in_force if r["rule"] == "icb_improvement_support"}
    assert support == set(middle)
    cap = oversight("icb-capital", "-q", Q1, "--envelope", "1bn", "--format", "json", db=db)
    shares = {r["trust_code"]: r for r in json.loads(cap.stdout)["allocations"]}
    assert len(shares) == 42
    assert all(shares[c]["share_gbp"] > shares[c]["equal_share_gbp"] for c in best)
