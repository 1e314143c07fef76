"""Malformed NOF files are refused with a precise error; the store never half-writes a file.

Every malformed file is built in ``tmp_path`` from NHS England's own data file (its header and
first rows, to keep the tests fast) or league table, with one thing altered, so each test shows
that exactly that alteration is caught, on the right line and field.
"""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import pytest

from oversight.engine.nof.inputs import load_quarter
from oversight.engine.nof.quarter import RangeOptions, run_quarter
from oversight.errors import UserError
from oversight.frameworks import Framework, load_framework
from oversight.ingest.nof import parse_nof_file
from oversight.store import connect
from oversight.store.releases import store_file, store_files
from oversight.store.schema import CORE_TABLES
from tests.conftest import MH_DATA, MH_LEAGUE

MH = "mental_health_community"
Q1, Q4 = "Q1 2025/26", "Q4 2025/26"
SUBSET = 200  # data rows kept from the real file for most tests
TABLES = ("source_file", "release", "nof_value", "nof_league_row")

Rows = list[list[str]]


# --- building files from the real ones ---------------------------------------------------------


@cache
def _real(path: Path) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = tuple(next(reader))
        return header, tuple(tuple(r) for r in reader)


def real_rows(path: Path = MH_DATA, limit: int | None = None) -> tuple[list[str], Rows]:
    """The real file's header and (the first ``limit``) data rows, as mutable lists."""
    header, rows = _real(path)
    return list(header), [list(r) for r in rows[:limit]]


def write_csv(path: Path, header: list[str], rows: Rows, encoding: str = "utf-8-sig") -> Path:
    """Write like the publisher does (CRLF, UTF-8 with a byte-order mark unless told)."""
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def line_of(row_index: int) -> int:
    """The 1-based line in the file of data row ``row_index`` (0-based; line 1 is the header)."""
    return row_index + 2


def col(header: list[str], name: str) -> int:
    return header.index(name)


def published(metric_id: str, quarter: str) -> dict[str, float]:
    """NHS England's published value of a metric for every trust in a quarter."""
    header, rows = real_rows()
    q, c, m, v = (col(header, n) for n in ("Quarter", "Trust_code", "Metric_ID", "Value"))
    return {r[c]: float(r[v]) for r in rows if r[q] == quarter and r[m] == metric_id}


@pytest.fixture(scope="module")
def fw() -> Framework:
    return load_framework()


def problem_line(error: UserError, line: int) -> str:
    """The one line of str(error) that reports a problem on ``line``."""
    hits = [t for t in str(error).splitlines() if re.search(rf"\bline {line}\b", t)]
    assert len(hits) == 1, str(error)
    return hits[0]


def assert_names(error: UserError, path: Path, line: int, field: str | None) -> None:
    text = problem_line(error, line)
    assert path.name in text
    if field is not None:
        assert f"field {field!r}" in text, text


# --- parse errors ------------------------------------------------------------------------------


def _missing_column(tmp: Path) -> tuple[Path, int, str]:
    header, rows = real_rows(limit=SUBSET)
    i = col(header, "Units")
    return (
        write_csv(
            tmp / "missing-column.csv",
            header[:i] + header[i + 1 :],
            [r[:i] + r[i + 1 :] for r in rows],
        ),
        1,
        "Units",
    )


def _non_numeric_value(tmp: Path) -> tuple[Path, int, str]:
    header, rows = real_rows(limit=SUBSET)
    rows[57][col(header, "Value")] = "twelve"
    return write_csv(tmp / "non-numeric.csv", header, rows), line_of(57), "Value"


def _duplicate_row(tmp: Path) -> tuple[Path, int, str]:
    header, rows = real_rows(limit=SUBSET)
    rows.insert(120, list(rows[10]))
    return write_csv(tmp / "duplicate.csv", header, rows), line_of(120), "Metric_ID"


def _unknown_metric(metric_id: str) -> Callable[[Path], tuple[Path, int, str]]:
    def build(tmp: Path) -> tuple[Path, int, str]:
        header, rows = real_rows(limit=SUBSET)
        rows[31][col(header, "Metric_ID")] = metric_id
        return write_csv(tmp / f"unknown-{metric_id}.csv", header, rows), line_of(31), "Metric_ID"

    return build


def _unknown_trust_type(tmp: Path) -> tuple[Path, int, str]:
    header, rows = real_rows(limit=SUBSET)
    rows[99][col(header, "Trust_type")] = "Dental trust"
    return write_csv(tmp / "trust-type.csv", header, rows), line_of(99), "Trust_type"


def _bad_range(tmp: Path) -> tuple[Path, int, str]:
    header, rows = real_rows(MH_LEAGUE)
    rows[5][col(header, "Likely_range_of_average_score")] = "1.2 - 1.89"
    path = write_csv(tmp / "league-table-bad-range.csv", header, rows)
    return path, line_of(5), "Likely_range_of_average_score"


@pytest.mark.parametrize(
    "build",
    [
        _missing_column,
        _non_numeric_value,
        _duplicate_row,
        _unknown_metric("OF9999"),
        _unknown_metric("XX0001"),
        _unknown_trust_type,
        _bad_range,
    ],
    ids=[
        "missing-column",
        "non-numeric-value",
        "duplicate-row",
        "unknown-metric-OF9999",
        "unknown-metric-XX0001",
        "unknown-trust-type",
        "league-range-text",
    ],
)
def test_malformed_file_names_file_line_and_field(
    tmp_path: Path, fw: Framework, build: Callable[[Path], tuple[Path, int, str]]
) -> None:
    path, line, field = build(tmp_path)
    with pytest.raises(UserError) as caught:
        parse_nof_file(path, fw)
    error = caught.value
    assert len(error.problems) == 1, str(error)  # only the alteration is reported
    assert_names(error, path, line, field)


def test_every_problem_is_reported_not_just_the_first(tmp_path: Path, fw: Framework) -> None:
    header, rows = real_rows(limit=SUBSET)
    rows[3][col(header, "Value")] = "n/a?"
    rows[150][col(header, "Rank")] = "first"
    path = write_csv(tmp_path / "two-problems.csv", header, rows)
    with pytest.raises(UserError) as caught:
        parse_nof_file(path, fw)
    assert len(caught.value.problems) == 2
    assert_names(caught.value, path, line_of(3), "Value")
    assert_names(caught.value, path, line_of(150), "Rank")


def test_duplicate_row_points_at_the_first_occurrence(tmp_path: Path, fw: Framework) -> None:
    path, line, _ = _duplicate_row(tmp_path)
    with pytest.raises(UserError) as caught:
        parse_nof_file(path, fw)
    assert f"line {line_of(10)}" in problem_line(caught.value, line)


def test_utf16_file(tmp_path: Path, fw: Framework) -> None:
    """A whole-file encoding problem: the file and line 1 are named (no one field is at fault)."""
    header, rows = real_rows(limit=SUBSET)
    path = write_csv(tmp_path / "utf16.csv", header, rows, encoding="utf-16")
    with pytest.raises(UserError) as caught:
        parse_nof_file(path, fw)
    assert "UTF-16" in str(caught.value)
    assert_names(caught.value, path, 1, None)


def _cp1252_file(tmp: Path) -> tuple[Path, int]:
    header, rows = real_rows(limit=SUBSET)
    rows[140][col(header, "Trust_name")] = "West London NHS Trust @DASH@ Hammersmith"
    path = write_csv(tmp / "cp1252.csv", header, rows)
    path.write_bytes(path.read_bytes().replace(b"@DASH@", b"\x96"))  # en dash in Windows-1252
    return path, line_of(140)


def test_windows_1252_byte_names_file_and_line(tmp_path: Path, fw: Framework) -> None:
    path, line = _cp1252_file(tmp_path)
    with pytest.raises(UserError) as caught:
        parse_nof_file(path, fw)
    assert "0x96" in str(caught.value)
    assert_names(caught.value, path, line, None)


def test_windows_1252_byte_names_the_field(tmp_path: Path, fw: Framework) -> None:
    path, line = _cp1252_file(tmp_path)
    with pytest.raises(UserError) as caught:
        parse_nof_file(path, fw)
    assert_names(caught.value, path, line, "Trust_name")


# --- the store ---------------------------------------------------------------------------------


def counts(con: Any) -> dict[str, int]:
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


@pytest.fixture
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    c = connect(tmp_path / "store.duckdb")
    yield c
    c.close()


def subset_file(tmp: Path, name: str = "subset.csv", change_row: int | None = None) -> Path:
    """The first SUBSET rows (all Q1); optionally one published Value altered."""
    header, rows = real_rows(limit=SUBSET)
    if change_row is not None:
        v = col(header, "Value")
        rows[change_row][v] = str(float(rows[change_row][v]) + 1.25)
    return write_csv(tmp / name, header, rows)


def test_same_file_twice_is_a_no_op(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, fw: Framework
) -> None:
    path = subset_file(tmp_path)
    first = store_file(con, parse_nof_file(path, fw))
    assert first.stored == {Q1: 1} and not first.already_ingested
    before = counts(con)
    assert before["nof_value"] == SUBSET
    again = store_file(con, parse_nof_file(path, fw))
    assert again.already_ingested and again.stored == {}
    # the same bytes under another name are the same file
    copy = tmp_path / "renamed.csv"
    copy.write_bytes(path.read_bytes())
    assert store_file(con, parse_nof_file(copy, fw)).already_ingested
    assert counts(con) == before


def test_changed_quarter_is_refused_and_nothing_written(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, fw: Framework
) -> None:
    store_file(con, parse_nof_file(subset_file(tmp_path), fw))
    before = counts(con)
    changed = subset_file(tmp_path, "changed.csv", change_row=3)
    with pytest.raises(UserError) as caught:
        store_file(con, parse_nof_file(changed, fw))
    text = str(caught.value)
    assert "changed.csv" in text and Q1 in text and "revision 1" in text
    assert counts(con) == before


def test_new_revision_keeps_both_queryable(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, fw: Framework
) -> None:
    header, rows = real_rows(limit=SUBSET)
    metric, org = rows[3][col(header, "Metric_ID")], rows[3][col(header, "Trust_code")]
    original = float(rows[3][col(header, "Value")])
    store_file(con, parse_nof_file(subset_file(tmp_path), fw))
    changed = subset_file(tmp_path, "changed.csv", change_row=3)
    report = store_file(con, parse_nof_file(changed, fw), new_revision=True)
    assert report.stored == {Q1: 2}
    revisions = con.execute(
        "SELECT revision FROM release WHERE quarter = ? AND kind = 'nof_data' ORDER BY revision",
        [Q1],
    ).fetchall()
    assert revisions == [(1,), (2,)]
    current = con.execute(
        "SELECT revision FROM current_release WHERE quarter = ? AND kind = 'nof_data'", [Q1]
    ).fetchall()
    assert current == [(2,)]
    assert load_quarter(con, Q1, {MH: 1}).value(metric, org) == original
    assert load_quarter(con, Q1, {MH: 2}).value(metric, org) == original + 1.25
    assert load_quarter(con, Q1).value(metric, org) == original + 1.25
    assert load_quarter(con, Q1).revisions == {MH: 2}
    assert len(load_quarter(con, Q1, {MH: 1}).rows) == len(load_quarter(con, Q1).rows) == SUBSET


def test_later_multi_quarter_file_stores_only_the_new_quarter(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, fw: Framework
) -> None:
    header, rows = real_rows()
    q = col(header, "Quarter")
    first_three = write_csv(tmp_path / "q1-q3.csv", header, [r for r in rows if r[q] != Q4])
    all_four = write_csv(tmp_path / "q1-q4.csv", header, rows)
    a = store_file(con, parse_nof_file(first_three, fw))
    assert a.stored == {"Q1 2025/26": 1, "Q2 2025/26": 1, "Q3 2025/26": 1}
    before = counts(con)
    b = store_file(con, parse_nof_file(all_four, fw))
    assert b.stored == {Q4: 1}
    assert sorted(b.unchanged) == ["Q1 2025/26", "Q2 2025/26", "Q3 2025/26"]
    after = counts(con)
    assert after["nof_value"] - before["nof_value"] == sum(r[q] == Q4 for r in rows)
    assert after["release"] - before["release"] == 1
    assert after["source_file"] - before["source_file"] == 1
    assert sorted(r for (r,) in con.execute("SELECT revision FROM current_release").fetchall()) == [
        1,
        1,
        1,
        1,
    ]


class FailingConnection:
    """Delegates to a DuckDB connection but fails on the first statement starting with ``at``."""

    def __init__(self, con: duckdb.DuckDBPyConnection, at: str) -> None:
        self._con, self._at = con, at

    def execute(self, sql: str, *args: Any) -> Any:
        if sql.lstrip().upper().startswith(self._at):
            raise RuntimeError(f"simulated failure at {self._at}")
        return self._con.execute(sql, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._con, name)


@pytest.mark.parametrize("at", ["INSERT INTO NOF_VALUE", "INSERT INTO RELEASE", "COMMIT"])
def test_failure_mid_write_leaves_nothing_half_written(
    tmp_path: Path, fw: Framework, at: str
) -> None:
    db = tmp_path / "store.duckdb"
    con = connect(db)
    store_file(con, parse_nof_file(subset_file(tmp_path), fw))
    before = counts(con)
    header, rows = real_rows()
    q = col(header, "Quarter")
    q2 = parse_nof_file(
        write_csv(tmp_path / "q2.csv", header, [r for r in rows if r[q] == "Q2 2025/26"]), fw
    )
    with pytest.raises(RuntimeError, match="simulated"):
        store_file(FailingConnection(con, at), q2)  # type: ignore[arg-type]
    assert counts(con) == before
    con.close()
    con = connect(db)  # and on disk
    assert counts(con) == before
    # nothing of the failed file lingers: it is not "already ingested", and stores cleanly
    report = store_file(con, q2)
    assert not report.already_ingested and report.stored == {"Q2 2025/26": 1}
    assert counts(con)["nof_value"] == before["nof_value"] + len(q2)
    con.close()


def _q4_file(tmp: Path, name: str, flag_ryy: bool) -> Path:
    """The real file's Q4 rows; optionally RYY flagged as in financial deficit (OF5004)."""
    header, rows = real_rows()
    q, c, m, v = (col(header, n) for n in ("Quarter", "Trust_code", "Metric_ID", "Value"))
    keep = [r for r in rows if r[q] == Q4]
    if flag_ryy:
        (flag,) = [r for r in keep if r[c] == "RYY" and r[m] == "OF5004"]
        assert float(flag[v]) == 0.0
        flag[v] = "1.0"
    return write_csv(tmp / name, header, keep)


def test_run_quarter_on_revision_1_after_revision_2(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, fw: Framework
) -> None:
    original = _q4_file(tmp_path, "q4.csv", flag_ryy=False)
    revised = _q4_file(tmp_path, "q4-revised.csv", flag_ryy=True)
    store_file(con, parse_nof_file(original, fw))
    assert store_file(con, parse_nof_file(revised, fw), new_revision=True).stored == {Q4: 2}
    skip = RangeOptions(skip=True)

    old = run_quarter(con, fw, Q4, skip, revisions={MH: 1})
    assert old.revisions == {MH: 1}
    averages, segments = published("OF5002", Q4), published("OF5000", Q4)
    assert len(old.orgs) == len(averages) == 61
    for o in old.orgs:
        assert o.average_score == averages[o.trust_code], o.trust_code
        assert o.segment == segments[o.trust_code], o.trust_code

    new = run_quarter(con, fw, Q4, skip)
    assert new.revisions == {MH: 2}
    ryy_old, ryy_new = old.org("RYY"), new.org("RYY")
    assert ryy_old is not None and ryy_new is not None
    assert not ryy_old.in_financial_deficit and ryy_new.in_financial_deficit
    assert ryy_new.average_score == ryy_old.average_score
    assert ryy_new.segment == max(ryy_old.segment or 0, fw.financial_override.floor_segment)
    assert ryy_new.segment != ryy_old.segment


# --- batches, schema, locking ------------------------------------------------------------------


def test_a_batch_is_stored_all_or_nothing(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, fw: Framework
) -> None:
    store_file(con, parse_nof_file(subset_file(tmp_path), fw))
    before = counts(con)
    good = parse_nof_file(MH_LEAGUE, fw)
    conflicting = parse_nof_file(subset_file(tmp_path, "changed.csv", change_row=3), fw)
    with pytest.raises(UserError, match="would overwrite published quarters"):
        store_files(con, [good, conflicting])
    assert counts(con) == before  # the league table, valid on its own, was not kept either
    assert [r.stored for r in store_files(con, [good])] == [{Q4: 1}]


def test_an_empty_trailing_column_is_accepted(tmp_path: Path, fw: Framework) -> None:
    header, rows = real_rows(limit=SUBSET)
    path = write_csv(tmp_path / "trailing.csv", [*header, ""], [[*r, ""] for r in rows])
    assert len(parse_nof_file(path, fw)) == SUBSET


def test_an_incomplete_store_is_refused_read_only_and_completed_by_a_writer(
    tmp_path: Path,
) -> None:
    db = tmp_path / "half.duckdb"
    raw = duckdb.connect(str(db))  # as a process killed by an older version could leave it
    raw.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    raw.close()
    with pytest.raises(UserError, match=r"is incomplete \(missing tables: source_file"):
        connect(db, read_only=True)
    connect(db).close()
    reader = connect(db, read_only=True)  # a read-only opener reads while no writer holds it
    for table in CORE_TABLES:
        assert reader.execute(f"SELECT count(*) FROM {table}").fetchone() is not None
    reader.close()


def test_a_second_writer_is_told_which_process_holds_the_store(tmp_path: Path) -> None:
    db = tmp_path / "busy.duckdb"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from oversight.store import connect; c = connect(sys.argv[1]); "
            "print('ready', flush=True); sys.stdin.read()",
            str(db),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        for read_only in (False, True):
            with pytest.raises(UserError) as caught:
                connect(db, read_only=read_only)
            assert caught.value.summary == f"the store at {db} is in use by process {holder.pid}"
    finally:
        holder.communicate("")  # closes its stdin: it exits and releases the store
    connect(db).close()
