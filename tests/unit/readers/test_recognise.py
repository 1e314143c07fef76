"""Files are recognised by content: every bundled source-statistics file by exactly its own
collection, and nothing else (A&E CSVs, NOF files, manifests) by any of these collections."""

from __future__ import annotations

from pathlib import Path

import pytest

from oversight.frameworks.collections import bundled_collections
from oversight.ingest.readers.recognise import recognise, recognise_all, sniff_format
from tests.unit.readers._files import DATA, write_xlsx

MINE = {
    "cancer": "cancer_waiting_times",
    "diagnostics": "diagnostics_dm01",
    "ambulance": "ambulance_ambsys",
    "staff-survey": "staff_survey_2024",
}
ODS = {
    "etr.csv": "ods_trusts",
    "eccg.csv": "ods_sub_icb",
    "succ.csv": "ods_successions",
    "icb_names_codes_dec_2024.csv": "ons_icbs",
}
OURS = set(MINE.values()) | set(ODS.values())


def _expected(path: Path) -> str | None:
    if path.parent.name == "ods":
        return ODS.get(path.name)
    if path.parent.name in MINE and path.suffix in (".xls", ".xlsx"):
        return MINE[path.parent.name]
    return None


FILES = sorted(p for p in DATA.rglob("*") if p.is_file())


def test_every_bundled_file_is_claimed_by_its_own_collection_only() -> None:
    pool = [c for c in bundled_collections() if c.id in OURS]
    assert {c.id for c in pool} == OURS
    wrong = {}
    for path in FILES:
        found = [c.id for c in recognise_all(path, pool)]
        want = _expected(path)
        if found != ([want] if want else []):
            wrong[str(path.relative_to(DATA))] = found
    assert not wrong
    assert sum(1 for p in FILES if p.parent.name == "monthly") > 90  # the A&E CSVs were looked at


def test_formats_are_sniffed_from_bytes(tmp_path: Path) -> None:
    assert sniff_format(DATA / "ods" / "etr.csv") == "csv"
    assert sniff_format(next((DATA / "diagnostics").glob("*.xls"))) == "xls"
    assert sniff_format(next((DATA / "cancer").glob("*.xlsx"))) == "xlsx"
    renamed = tmp_path / "really-an-xlsx.xls"
    renamed.write_bytes(next((DATA / "cancer").glob("*.xlsx")).read_bytes())
    assert sniff_format(renamed) == "xlsx"
    binary = tmp_path / "noise.csv"
    binary.write_bytes(b"\x00\x01\x02garbage")
    assert sniff_format(binary) is None and recognise(binary) is None


@pytest.mark.parametrize(
    "sheets",
    [
        {"CWT CRS Provider Extract": [["PERIOD", "ORG CODE", "CANCER TYPE"]]},  # columns missing
        {"Sheet1": [["PERIOD", "STANDARD", "ORG CODE", "STAGE/ROUTE", "CANCER TYPE"]]},
        {"THEMES": [["NHS Staff Survey 2024 - WEIGHTED Results"]]},  # one of two sheets
    ],
)
def test_near_misses_are_not_claimed(tmp_path: Path, sheets: dict[str, list[list[str]]]) -> None:
    path = write_xlsx(tmp_path / "near.xlsx", sheets)
    assert recognise(path) is None
