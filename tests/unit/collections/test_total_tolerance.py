"""A national total row that disagrees with its organisations' sum, as the collection declares:
monthly A&E allows no difference (every bundled file agrees exactly), so a doctored total row is
refused naming the file, the total row's line and the measure, and nothing is stored; a
collection declaring a tolerance accepts a difference within it."""

from __future__ import annotations

from pathlib import Path

import pytest

from oversight.errors import UserError
from oversight.frameworks.collections import collection
from oversight.ingest.readers import reader_for
from oversight.ingest.release import ParsedRelease
from oversight.ingest.totals import total_differences
from oversight.store import connect, row_count
from oversight.store.collections import store_releases
from tests.ae_files import AE_FILES, AUG_2025, real_rows, write_csv

AE = collection("ae_monthly")


def read(path: Path) -> ParsedRelease:
    return reader_for(AE)(path, AE)


def doctored(tmp_path: Path, delta: int) -> tuple[Path, int]:
    """August 2025 with the England total of type 1 attendances moved by ``delta``; the path
    and the total row's line."""
    header, rows = real_rows(AUG_2025)
    i = next(n for n, r in enumerate(rows) if r[1].strip() == "TOTAL")
    rows[i][4] = str(int(rows[i][4]) + delta)
    return write_csv(tmp_path / "August-2025-doctored.csv", header, rows), i + 2


def test_the_declared_tolerance_covers_the_real_files() -> None:
    """The declaration is measured, not guessed: the largest disagreement in the bundled files."""
    worst = max(
        (
            abs(ours - float(str(row["value"])))
            for f in AE_FILES
            for row, ours in total_differences(read(f))
        ),
        default=0.0,
    )
    assert worst <= AE.total_tolerance == 0


def test_a_doctored_total_row_is_refused(tmp_path: Path) -> None:
    path, line = doctored(tmp_path, 7)
    con = connect(tmp_path / "s.duckdb")
    with pytest.raises(UserError) as info:
        store_releases(con, [read(AUG_2025), read(path)])
    [problem] = info.value.problems
    assert (problem.file, problem.line, problem.field) == (str(path), line, "attendances type1")
    assert "organisations sum to" in problem.message and "(-7;" in problem.message
    assert path.name in info.value.summary
    assert row_count(con, "collection_release") == 0 and row_count(con, "source_file") == 0


def test_a_difference_within_a_declared_tolerance_is_stored(tmp_path: Path) -> None:
    path, _ = doctored(tmp_path, 7)
    lenient = AE.model_copy(update={"total_tolerance": 10.0})
    con = connect(tmp_path / "s.duckdb")
    [report] = store_releases(con, [read(path)], definitions={AE.id: lenient})
    assert report.status == "stored"
    strict = AE.model_copy(update={"total_tolerance": 6.0})
    with pytest.raises(UserError):
        store_releases(connect(tmp_path / "t.duckdb"), [read(path)], definitions={AE.id: strict})
