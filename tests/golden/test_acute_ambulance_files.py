"""Acute and ambulance files in NHS England's schema, with the real mental health file, Q3 2025/26.

The acute and ambulance files are built by :mod:`tests.nof_files` to reproduce NHS England's
published Q3 2025/26 averages, segments and ranks of 129 acute trusts and 1 ambulance trust (plus
14 made-up trusts filling the published tables' other places), with every published number
computed there by a small implementation of the method of its own. Here they are ingested with
the real mental health and community file into one store, and the engine must agree with every
number they publish.

Tolerances: exact (0.00) for metric, domain and average scores, segments and ranks; likely
ranges within 0.04 of a score point and 1 rank place (the files' ranges are a seeded
20,000-replicate Monte-Carlo bootstrap, the engine's the exact bootstrap), as for the real file.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from oversight.engine.nof.quarter import RangeOptions, run_quarter
from oversight.engine.nof.results import QuarterResult
from oversight.engine.nof.verify import Verification, verify_file
from oversight.errors import UserError
from oversight.frameworks import Framework
from oversight.ingest.nof import parse_nof_file
from oversight.store import connect
from oversight.store.releases import store_file
from tests.conftest import MH_DATA
from tests.nof_files import REFERENCE, NofFiles, write_files

pytestmark = pytest.mark.golden
Q3 = "Q3 2025/26"
EXACT = {"Average_score", "Segment", "Trust_in_financial_deficit", "Rank"}


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> NofFiles:
    return write_files(tmp_path_factory.mktemp("nof-acute"))


@pytest.fixture(scope="module")
def store(
    files: NofFiles, framework: Framework, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[duckdb.DuckDBPyConnection]:
    path = tmp_path_factory.mktemp("store") / "three-types.duckdb"
    con = connect(path)
    for f in (
        MH_DATA,
        files.acute_data,
        files.acute_league,
        files.ambulance_data,
        files.ambulance_league,
    ):
        store_file(con, parse_nof_file(f, framework))
    con.close()
    ro = duckdb.connect(str(path), read_only=True)
    yield ro
    ro.close()


@pytest.fixture(scope="module")
def q3(store: duckdb.DuckDBPyConnection, framework: Framework) -> QuarterResult:
    return run_quarter(store, framework, Q3, RangeOptions(skip=True))


def _all_agree(v: Verification) -> None:
    for f in v.fields:
        print(f"  {f.field:40s} {f.agreed}/{f.compared} max|diff| {f.max_abs_diff:.3f}")
        assert f.agreed == f.compared, (v.file_name, f.field, f.examples)


def test_every_published_number_of_the_three_data_files(
    store: duckdb.DuckDBPyConnection, framework: Framework, files: NofFiles
) -> None:
    for path, n in ((files.acute_data, 134), (files.ambulance_data, 10), (MH_DATA, None)):
        v = verify_file(store, framework, path)
        print(f"\n{v.file_name}: {v.score_sources}")
        _all_agree(v)
        by_name = {f.field: f for f in v.fields}
        if n is not None:
            assert v.quarters == [Q3]
            for name in ("average score (OF5002)", "segment (OF5000)", "league rank (OF5000 Rank)"):
                assert by_name[name].compared == n
        assert all(f.max_abs_diff == 0.0 for f in v.fields)


def test_league_tables_come_out_as_published(
    store: duckdb.DuckDBPyConnection, framework: Framework, files: NofFiles
) -> None:
    for path, n in ((files.acute_league, 134), (files.ambulance_league, 10)):
        v = verify_file(store, framework, path)
        _all_agree(v)
        assert all(f.compared == n for f in v.fields)
        assert all(f.max_abs_diff == 0 for f in v.fields if f.field in EXACT)


def test_the_files_carry_nhs_englands_published_q3_results(files: NofFiles) -> None:
    """The generated league tables hold the published average, segment and rank of every one
    of the 130 trusts in the reference extract."""
    with REFERENCE.open(encoding="utf-8", newline="") as f:
        published = {r["Trust_code"]: r for r in csv.DictReader(f)}
    ours = {}
    for path in (files.acute_league, files.ambulance_league):
        with path.open(encoding="utf-8-sig", newline="") as f:
            ours.update({r["Trust_code"]: r for r in csv.DictReader(f)})
    assert len(ours) == 144
    for code, p in published.items():
        o = ours[code]
        assert float(o["Average_score"]) == float(p["Average_score"]), code
        assert float(o["Segment"]) == float(p["Segment"]), code
        assert float(o["Rank"]) == float(p["Rank"]), code


def test_national_cut_points_derived_from_all_205_trusts(q3: QuarterResult) -> None:
    """With every trust type in the quarter the cut-points are derived (not inferred) from the
    whole population, and they place every trust in its published segment (verified above)."""
    assert q3.cut_points.source == "derived", q3.cut_points.detail
    assert "205 organisations" in q3.cut_points.detail
    assert q3.cut_points.values == pytest.approx((2.08, 2.36, 2.71))
    assert {o.trust_type for o in q3.orgs} == {"acute", "ambulance", "mental_health_community"}


def test_acute_and_cross_type_scores_are_computed_not_copied(q3: QuarterResult) -> None:
    pools = {(p.metric_id, p.group): p for p in q3.pools}
    # sickness absence ranked across all three types: N = 205, as NHS England's pool
    whole = pools[("OF1082", "acute+mental_health_community+ambulance")]
    assert whole.computed and whole.size_in_store == 205
    relative_cost = pools[("OF1086", "mental_health_community+ambulance")]
    assert relative_cost.computed and relative_cost.size_in_store == 71
    assert pools[("OF1023", "acute")].computed
    tied = []
    for metric in ("OF1023", "OF1061", "OF1084", "OF1082", "OF1080"):
        for o in q3.orgs:
            s = next((s for s in o.scores if s.metric_id == metric), None)
            if o.trust_type == "acute" and s is not None and s.source != "computed":
                # where the real file's mental health values leave too little room (two trusts
                # at 5.62 % with a place between them), a 2-dp value ties across types, which
                # nothing published can break
                assert "tied at published precision" in s.note, (metric, o.trust_code, s.note)
                tied.append(o.trust_code)
    assert len(tied) <= 3


def test_cancer_pool_leaves_out_specialist_trusts(q3: QuarterResult) -> None:
    pools = {(p.metric_id, p.group): p for p in q3.pools}
    acute = [o for o in q3.orgs if o.trust_type == "acute"]
    specialists = [o for o in acute if o.subtype == "Acute - Specialist"]
    assert len(specialists) == 15
    for metric in ("OF1010", "OF1011"):
        assert pools[(metric, "acute")].computed
        assert pools[(metric, "acute")].size_in_store == len(acute) - len(specialists)
        for o in acute:
            s = next((s for s in o.scores if s.metric_id == metric), None)
            if o in specialists:
                assert s is None  # a value is published, but no score
            else:
                assert s is not None and s.source == "computed"


def test_unverified_and_undeclared_metrics_use_the_published_scores(q3: QuarterResult) -> None:
    """OF1013/OF1048/OF1085 (pool, polarity or rule unverified) and the stand-in IDs that no
    public source names are scored from the publication, unrounded."""
    framework = q3.framework
    for metric in ("OF1013", "OF1048", "OF1085", "OF1190", "OF1191"):
        sources = {s.source for o in q3.orgs for s in o.scores if s.metric_id == metric}
        assert sources == {"published_unrounded"}, metric
    assert framework.metric("OF1190").status == "unverified"
    assert framework.metric("OF1013").polarity == "unknown"


# --- malformed acute files ---------------------------------------------------------------------


def _edited(src: Path, dst: Path, line: int, **cells: str) -> Path:
    with src.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    for name, value in cells.items():
        rows[line - 1][header.index(name)] = value
    with dst.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f, lineterminator="\r\n").writerows(rows[:40])
    return dst


def _refusal(path: Path, framework: Framework) -> list[tuple[str | None, int | None, str | None]]:
    with pytest.raises(UserError) as caught:
        parse_nof_file(path, framework)
    return [(p.file, p.line, p.field) for p in caught.value.problems]


def test_unknown_subtype_refused(files: NofFiles, framework: Framework, tmp_path: Path) -> None:
    bad = _edited(files.acute_data, tmp_path / "acute.csv", 5, Trust_subtype="Acute - Huge")
    assert _refusal(bad, framework) == [(str(bad), 5, "Trust_subtype")]


def test_mixed_trust_types_refused(files: NofFiles, framework: Framework, tmp_path: Path) -> None:
    # a metric both types are assessed on, so only the mixing is wrong
    bad = _edited(
        files.acute_data,
        tmp_path / "acute.csv",
        7,
        Trust_type="Ambulance trust",
        Trust_subtype="Ambulance",
        Metric_ID="OF0061",
    )
    with pytest.raises(UserError, match="mixes trust types") as caught:
        parse_nof_file(bad, framework)
    assert caught.value.problems[0].file == str(bad)


def test_metric_of_another_type_refused(
    files: NofFiles, framework: Framework, tmp_path: Path
) -> None:
    bad = _edited(files.acute_data, tmp_path / "acute.csv", 3, Metric_ID="OF0005")
    problems = _refusal(bad, framework)
    assert (str(bad), 3, "Metric_ID") in problems


def test_subtype_of_another_type_refused(
    files: NofFiles, framework: Framework, tmp_path: Path
) -> None:
    bad = _edited(files.ambulance_data, tmp_path / "amb.csv", 2, Trust_subtype="Acute - Small")
    assert _refusal(bad, framework) == [(str(bad), 2, "Trust_subtype")]
