"""`oversight ingest PATH...`: every kind of publication recognised by content, in one call and
one transaction (in process, see inprocess.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from oversight.store import connect, row_count
from oversight.store.collections_query import periods
from oversight.store.releases import stored_releases
from tests.conftest import MH_LEAGUE
from tests.functional.inprocess import oversight

DATA = Path(__file__).resolve().parents[2] / "data" / "nhs"
AE = DATA / "ae" / "monthly"
# a few files of each kind, by where they sit in data/nhs; the store's collection for each
MIXED = {
    "nof": [MH_LEAGUE],
    "ae": [AE / "Monthly-AE-March-2025.csv", AE / "Monthly-AE-May-2025.csv"],
    "cancer": [DATA / "cancer" / "CWT-CRS-Apr-2025-to-Jul-2025-Data-Extract-Provider.xlsx"],
    "diagnostics": sorted((DATA / "diagnostics").glob("*May-2025*.xls")),
    "ambulance": sorted((DATA / "ambulance").glob("*.xlsx")),
    "staff-survey": sorted((DATA / "staff-survey").glob("*.xlsx")),
    "ods": sorted((DATA / "ods").glob("*.csv")),
}
COLLECTIONS = (
    "ae_monthly",
    "cancer_waiting_times",
    "diagnostics_dm01",
    "ambulance_ambsys",
    "staff_survey_2024",
    "ods_trusts",
    "ods_sub_icb",
    "ods_successions",
    "ons_icbs",
)
TABLES = ("source_file", "release", "nof_league_row", "collection_release", "collection_value")


def flat(text: str) -> str:
    """Output with rich's line wrapping undone (the console may be 80 columns wide)."""
    return " ".join(text.split())


def counts(db: Path) -> dict[str, int]:
    con = connect(db)
    try:
        return {t: row_count(con, t) for t in TABLES}
    finally:
        con.close()


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder (with a sub-folder per kind) holding a few files of every kind, and a notes
    file nothing recognises."""
    folder = tmp_path_factory.mktemp("mixed") / "downloads"
    for sub, files in MIXED.items():
        assert files, sub
        (folder / sub).mkdir(parents=True)
        for f in files:
            shutil.copy(f, folder / sub / f.name)
    (folder / "notes.txt").write_text("where these files came from\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def ingested(mixed: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    db = tmp_path_factory.mktemp("store") / "all.duckdb"
    done = oversight("ingest", mixed, db=db, wide=True)
    assert done.returncode == 0, done.stderr
    return db, done.stdout


def test_one_call_stores_every_kind(ingested: tuple[Path, str], mixed: Path) -> None:
    db, out = ingested
    con = connect(db)
    try:
        nof = [(r.quarter, r.kind) for r in stored_releases(con)]
        stored = {c: periods(con, c) for c in COLLECTIONS}
    finally:
        con.close()
    assert nof == [("Q4 2025/26", "nof_league_table")]
    assert all(stored.values()), {c: p for c, p in stored.items() if not p}
    assert [f"{p:%Y-%m}" for p in stored["ae_monthly"]] == ["2025-03", "2025-05"]
    # the unrecognised file in the folder is skipped with a line saying so, not an error
    text = flat(out)
    assert f"{mixed / 'notes.txt'}: skipped, not a publication any collection recognises" in text
    # the NOF file keeps its line; the summary table has a row per kind
    assert MH_LEAGUE.name in out.replace("\n", "")
    assert "61 rows, nof_league_table" in text and "Q4 2025/26 revision 1" in text
    for kind in ("nof_league_table", *COLLECTIONS):
        assert kind in out, kind
    files = sum(len(f) for f in MIXED.values())
    assert f"{files} files: {files} with new releases, 0 unchanged, 0 already stored" in text
    assert "1 skipped" in text


def test_the_same_call_again_is_a_no_op(ingested: tuple[Path, str], mixed: Path) -> None:
    db, _ = ingested
    before = counts(db)
    again = oversight("ingest", mixed, db=db, wide=True)
    assert again.returncode == 0, again.stderr
    assert counts(db) == before
    assert "already ingested" in again.stdout and "revision 1" not in again.stdout
    files = sum(len(f) for f in MIXED.values())
    assert (
        f"{files} files: 0 with new releases, 0 unchanged, {files} already stored" in again.stdout
    )


def test_a_malformed_file_among_good_ones_stores_nothing(mixed: Path, tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    assert oversight("ingest", mixed / "ods", db=db).returncode == 0  # a store with something in
    before = counts(db)
    folder = tmp_path / "batch"
    shutil.copytree(mixed, folder)
    lines = (folder / "ae" / "Monthly-AE-May-2025.csv").read_text(encoding="utf-8-sig").splitlines()
    cells = lines[3].split(",")
    cells[4] = "lots"  # an attendance count that is not a number
    lines[3] = ",".join(cells)
    (folder / "ae" / "Monthly-AE-May-2025.csv").write_text("\n".join(lines) + "\n")
    done = oversight("ingest", folder, db=db)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "Monthly-AE-May-2025.csv" in done.stderr and "line 4" in flat(done.stderr)
    assert counts(db) == before


def test_a_changed_period_needs_new_revision(mixed: Path, tmp_path: Path) -> None:
    db = tmp_path / "r.duckdb"
    icbs = mixed / "ods" / "icb_names_codes_dec_2024.csv"
    assert oversight("ingest", icbs, db=db).returncode == 0
    changed = tmp_path / "icb_names_codes_dec_2024.csv"
    changed.write_text(icbs.read_text(encoding="utf-8-sig").replace("Integrated", "integrated"))
    before = counts(db)
    refused = oversight("ingest", changed, db=db)
    assert refused.returncode == 1 and "--new-revision" in flat(refused.stderr)
    assert counts(db) == before
    done = oversight("ingest", changed, "--new-revision", db=db, wide=True)
    assert done.returncode == 0, done.stderr
    assert counts(db)["collection_release"] == before["collection_release"] + 1


def test_an_unrecognised_file_named_explicitly_exits_1(mixed: Path, tmp_path: Path) -> None:
    db = tmp_path / "u.duckdb"
    done = oversight("ingest", mixed / "ods", mixed / "notes.txt", db=db)
    assert done.returncode == 1
    first, *rest = done.stderr.splitlines()
    assert first.startswith("error: ") and "Traceback" not in done.stderr
    assert any(
        str(mixed / "notes.txt") in line and "not a file oversight recognises" in line
        for line in rest
    )
    assert not db.exists()  # refused before the store is opened


def test_a_conflict_at_store_rolls_back_every_kind(mixed: Path, tmp_path: Path) -> None:
    """The NOF league table changed under a stored quarter, given with good files of other
    kinds: the conflict is found while writing, and nothing of the others stays."""
    db = tmp_path / "c.duckdb"
    assert oversight("ingest", MH_LEAGUE, db=db).returncode == 0
    before = counts(db)
    changed = tmp_path / MH_LEAGUE.name
    changed.write_text(
        MH_LEAGUE.read_text(encoding="utf-8-sig").replace("Kent Community", "Kent community"),
        encoding="utf-8-sig",
    )
    done = oversight("ingest", changed, mixed / "ods", mixed / "ae", db=db)
    assert done.returncode == 1
    assert "would overwrite published quarters" in flat(done.stderr)
    assert "--new-revision" in flat(done.stderr)
    assert counts(db) == before


JUL_FIRST, JUL_REVISED = AE / "July-2025-CSV-9jfy4.csv", AE / "July-2025-CSV-revised.csv"


def test_a_name_saying_revised_needs_new_revision(tmp_path: Path) -> None:
    db = tmp_path / "n.duckdb"
    assert oversight("ingest", JUL_FIRST, db=db).returncode == 0
    before = counts(db)
    refused = oversight("ingest", JUL_REVISED, db=db)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    [line] = [x for x in refused.stderr.splitlines() if JUL_REVISED.name in x]
    assert "July 2025 is already stored" in line and "--new-revision" in line
    assert "field 'Period'" in line
    assert counts(db) == before
    done = oversight("ingest", "--new-revision", JUL_REVISED, db=db, wide=True)
    assert done.returncode == 0, done.stderr
    assert counts(db)["collection_release"] == before["collection_release"] + 1
    again = oversight("ingest", JUL_FIRST, JUL_REVISED, db=db, wide=True)
    assert "0 with new releases, 0 unchanged, 2 already stored" in flat(again.stdout)


def test_both_releases_in_one_folder_need_a_manifest(tmp_path: Path) -> None:
    folder = tmp_path / "ae" / "monthly"
    folder.mkdir(parents=True)
    for f in (JUL_FIRST, JUL_REVISED):
        shutil.copy(f, folder / f.name)
    db = tmp_path / "m.duckdb"
    for extra in ((), ("--new-revision",)):  # name order would make the first release current
        refused = oversight("ingest", *extra, folder, db=db)
        assert refused.returncode == 1 and "is also in" in flat(refused.stderr)
    # the bundled manifest's rows for July 2025, the revised one first: order comes from it
    manifest = (AE.parent / "MANIFEST.csv").read_text(encoding="utf-8").splitlines()
    rows = [manifest[0], *(r for r in manifest if ",2025-07," in r)]
    assert len(rows) == 3 and rows[1].startswith(f"ae/monthly/{JUL_REVISED.name},")
    (folder.parent / "MANIFEST.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    done = oversight("ingest", folder, db=db, wide=True)
    assert done.returncode == 0, done.stderr
    con = connect(db)
    try:
        stored = con.execute(
            "SELECT revision, f.file_name FROM ae_release JOIN source_file f USING (file_id) "
            "ORDER BY revision"
        ).fetchall()
    finally:
        con.close()
    assert stored == [(1, JUL_FIRST.name), (2, JUL_REVISED.name)]
