"""Monthly A&E files: malformed files are refused precisely and leave the store unchanged;
releases and revisions behave as documented (docs/ae-monthly.md).

Each malformed file is a real NHS England file with one thing altered, so every test shows
that exactly that alteration is caught, on the right line and field.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pytest

from oversight.errors import UserError
from oversight.ingest.ae_monthly import parse_ae_file, parse_ae_files
from oversight.ingest.manifest import RevisionPlan
from oversight.store import connect
from oversight.store.ae import store_ae_files
from tests.ae_files import (
    APR_2019,
    AUG_2025,
    JUL_2025_FIRST,
    JUL_2025_REVISED,
    SEP_2024,
    provider_index,
    real_rows,
    write_csv,
)

JUL_2025_FIRST_SHA = hashlib.sha256(JUL_2025_FIRST.read_bytes()).hexdigest()
JUL_2025_REVISED_SHA = hashlib.sha256(JUL_2025_REVISED.read_bytes()).hexdigest()
TABLES = ("source_file", "ae_release", "ae_value", "ae_published_total")


def counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}  # type: ignore[index]


def refused(path: Path) -> UserError:
    with pytest.raises(UserError) as info:
        parse_ae_file(path)
    return info.value


def test_missing_column_is_named(tmp_path: Path) -> None:
    header, rows = real_rows()
    drop = header.index("Attendances over 4hrs Type 2")
    bad = write_csv(
        tmp_path / "missing.csv",
        [h for i, h in enumerate(header) if i != drop],
        [[c for i, c in enumerate(r) if i != drop] for r in rows],
    )
    err = refused(bad)
    assert [(p.line, p.field) for p in err.problems] == [(1, "Attendances over 4hrs Type 2")]
    assert "missing column" in err.problems[0].message


def test_unknown_layout_names_file_and_columns(tmp_path: Path) -> None:
    header, rows = real_rows()
    header[5] = "A&E attendances Type Two"
    header.append("Ambulance handovers")
    rows = [[*r, "7"] for r in rows]
    err = refused(write_csv(tmp_path / "new-layout.csv", header, rows))
    assert "new-layout.csv" in err.summary and "does not recognise" in err.summary
    assert {p.field for p in err.problems} == {"A&E attendances Type Two", "Ambulance handovers"}


def test_text_in_a_count_names_line_and_field(tmp_path: Path) -> None:
    header, rows = real_rows()
    i = provider_index(rows, "RAJ")
    col = header.index("Attendances over 4hrs Type 1")
    rows[i][col] = "12 (est.)"
    err = refused(write_csv(tmp_path / "text.csv", header, rows))
    assert [(p.line, p.field) for p in err.problems] == [(i + 2, "Attendances over 4hrs Type 1")]
    assert "'12 (est.)' is not a count" in err.problems[0].message


def test_negative_and_fractional_counts_are_refused(tmp_path: Path) -> None:
    header, rows = real_rows()
    rows[0][4], rows[1][6] = "-3", "2.5"
    err = refused(write_csv(tmp_path / "neg.csv", header, rows))
    assert [(p.line, p.field) for p in err.problems] == [(2, header[4]), (3, header[6])]


def test_duplicated_provider_row(tmp_path: Path) -> None:
    header, rows = real_rows()
    i = provider_index(rows, "RAJ")
    rows.append(list(rows[i]))
    err = refused(write_csv(tmp_path / "dup.csv", header, rows))
    assert [(p.line, p.field) for p in err.problems] == [(len(rows) + 1, "Org Code")]
    assert f"also on line {i + 2}" in err.problems[0].message


def test_period_not_matching_the_rest_of_the_file(tmp_path: Path) -> None:
    header, rows = real_rows()
    rows[10][0] = "MSitAE-JULY-2025"
    err = refused(write_csv(tmp_path / "period.csv", header, rows))
    assert [(p.line, p.field) for p in err.problems] == [(12, "Period")]
    assert "July 2025" in err.problems[0].message and "August 2025" in err.problems[0].message


def test_short_row_is_refused(tmp_path: Path) -> None:
    header, rows = real_rows()
    rows[3] = rows[3][:10]
    err = refused(write_csv(tmp_path / "short.csv", header, rows))
    assert [p.line for p in err.problems] == [5]


def test_refused_batch_leaves_store_unchanged(tmp_path: Path) -> None:
    con = connect(tmp_path / "s.duckdb")
    store_ae_files(con, parse_ae_files([SEP_2024]))
    before = counts(con)
    header, rows = real_rows()
    rows[0][7] = "n.a"
    bad = write_csv(tmp_path / "bad.csv", header, rows)
    with pytest.raises(UserError) as info:
        store_ae_files(con, parse_ae_files([AUG_2025, bad]))
    assert "1 of 2 files refused" in info.value.summary
    assert counts(con) == before


@pytest.mark.parametrize("code", ["TOTAL", "Total", "TOTAl", "TOTAL ", ""])
def test_total_row_spellings(tmp_path: Path, code: str) -> None:
    header, rows = real_rows()
    total = next(r for r in rows if r[1].strip().casefold() == "total")
    total[:4] = [code, code, code, "TOTAL" if not code else code]
    parsed = parse_ae_file(write_csv(tmp_path / "t.csv", header, rows))
    assert parsed.total is not None
    assert parsed.total.column("org_code").to_pylist()[0] == code
    assert parsed.provider_rows == len(rows) - 1


def test_blank_coded_total_row_and_trailing_empty_columns() -> None:
    april = parse_ae_file(APR_2019)
    assert april.total is not None and april.total.column("org_code")[0].as_py() == ""
    september = parse_ae_file(SEP_2024)
    assert september.ignored_columns == ["#23", "#24", "#25", "#26", "#27", "a"]
    assert september.total is not None


def test_unknown_column_with_values_is_not_ignored(tmp_path: Path) -> None:
    header, rows = real_rows(SEP_2024)
    rows[0][-1] = "5"
    err = refused(write_csv(tmp_path / "a.csv", header, rows))
    assert [(p.line, p.field) for p in err.problems] == [(1, "a")]


def test_same_file_again_and_same_content_in_other_bytes(tmp_path: Path) -> None:
    con = connect(tmp_path / "s.duckdb")
    [first] = store_ae_files(con, parse_ae_files([AUG_2025]))
    assert (first.status, first.revision, first.release) == ("stored", 1, "first")
    before = counts(con)
    [again] = store_ae_files(con, parse_ae_files([AUG_2025]))
    assert again.status == "already ingested" and counts(con) == before
    header, rows = real_rows()
    copy = write_csv(tmp_path / "copy.csv", header, rows[::-1], crlf=False, bom=False)
    [same] = store_ae_files(con, parse_ae_files([copy]))
    assert same.status == "unchanged"
    after = counts(con)
    assert after["ae_value"] == before["ae_value"] and after["ae_release"] == 1


def test_changed_month_needs_a_revision(tmp_path: Path) -> None:
    con = connect(tmp_path / "s.duckdb")
    store_ae_files(con, parse_ae_files([JUL_2025_FIRST]))
    before = counts(con)
    header, rows = real_rows(JUL_2025_REVISED)
    unnamed = write_csv(tmp_path / "July-2025-again.csv", header, rows)
    with pytest.raises(UserError) as info:
        store_ae_files(con, parse_ae_files([unnamed]))
    assert "July 2025 is already stored" in info.value.problems[0].message
    assert counts(con) == before
    [rev] = store_ae_files(con, parse_ae_files([unnamed]), new_revision=True)
    assert (rev.status, rev.revision, rev.release) == ("stored", 2, "revised")


def test_a_file_name_saying_revised_is_not_a_revision(tmp_path: Path) -> None:
    con = connect(tmp_path / "s.duckdb")
    store_ae_files(con, parse_ae_files([JUL_2025_FIRST]))
    before = counts(con)
    with pytest.raises(UserError) as info:
        store_ae_files(con, parse_ae_files([JUL_2025_REVISED]))
    [problem] = info.value.problems
    assert problem.file == str(JUL_2025_REVISED) and problem.field == "Period"
    assert "July 2025 is already stored" in problem.message
    assert "--new-revision" in problem.message
    assert counts(con) == before
    # two releases of a month in one batch with nothing saying which is later: refused, even
    # with new_revision (name order would make the first release current)
    con2 = connect(tmp_path / "t.duckdb")
    with pytest.raises(UserError) as both:
        store_ae_files(con2, parse_ae_files([JUL_2025_REVISED, JUL_2025_FIRST]), True)
    assert "is also in" in both.value.problems[0].message
    assert counts(con2)["ae_release"] == 0


def test_a_plan_supersedes_only_the_release_it_names(tmp_path: Path) -> None:
    plan = RevisionPlan({JUL_2025_REVISED_SHA: JUL_2025_FIRST_SHA})
    con = connect(tmp_path / "s.duckdb")
    header, rows = real_rows(JUL_2025_FIRST)
    total = next(r for r in rows if r[1].strip().casefold() == "total")
    for row in (rows[0], total):  # a provider's count and the England total alike
        row[4] = str(int(row[4]) + 1)
    other = write_csv(tmp_path / "July-2025-other.csv", header, rows)
    store_ae_files(con, parse_ae_files([other]))
    with pytest.raises(UserError):  # the stored release is not the one the plan names
        store_ae_files(con, parse_ae_files([JUL_2025_REVISED]), plan=plan)


def test_revised_release_supersedes_and_both_stay_queryable(tmp_path: Path) -> None:
    con = connect(tmp_path / "s.duckdb")
    # given in the 'wrong' order in one batch: the plan (the manifest) takes the revision second
    plan = RevisionPlan({JUL_2025_REVISED_SHA: JUL_2025_FIRST_SHA})
    store_ae_files(con, parse_ae_files([JUL_2025_REVISED, JUL_2025_FIRST]), plan=plan)
    rows = con.execute(
        "SELECT revision, f.file_name FROM ae_release JOIN source_file f USING (file_id) "
        "ORDER BY revision"
    ).fetchall()
    assert rows == [(1, JUL_2025_FIRST.name), (2, JUL_2025_REVISED.name)]
    per_rev = dict(
        con.execute("SELECT revision, count(*) FROM ae_value GROUP BY revision").fetchall()
    )
    current = con.execute("SELECT DISTINCT revision, release FROM ae_value_current").fetchall()
    assert current == [(2, "revised")]
    assert per_rev[1] > 0 and per_rev[2] > 0
    # never double counted: one value per provider, type and measure in the current view
    dupes = con.execute(
        "SELECT count(*) FROM (SELECT org_code, department_type, measure FROM ae_value_current "
        "GROUP BY ALL HAVING count(*) > 1)"
    ).fetchone()
    assert dupes == (0,)
    # a first release offered after its revision is refused (it would go backwards)
    con2 = connect(tmp_path / "t.duckdb")
    store_ae_files(con2, parse_ae_files([JUL_2025_REVISED]))
    with pytest.raises(UserError):
        store_ae_files(con2, parse_ae_files([JUL_2025_FIRST]))
