"""NHS Staff Survey 2024 organisational results (xlsx): the real file, and malformed copies."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow.compute as pc
import pytest

from tests.unit.readers._files import DATA, read, refused, write_xlsx, xlsx_rows

BOOK = DATA / "staff-survey" / "NSS24 detailed spreadsheets organisational results.xlsx"
SHEETS = ("THEMES", "PEOPLE PROMISE ELEMENTS")


@pytest.fixture(scope="module")
def release():  # type: ignore[no-untyped-def]
    return read("staff_survey_2024", BOOK)


@pytest.fixture(scope="module")
def sheets() -> dict[str, list[list[object]]]:
    return {s: xlsx_rows(BOOK, s, 300) for s in SHEETS}


def _score(release, code: str, measure: str) -> float:  # type: ignore[no-untyped-def]
    v = release.values
    got = v.filter(pc.and_(pc.equal(v["org_code"], code), pc.equal(v["measure"], measure)))
    assert got.num_rows == 1
    return float(got["value"][0].as_py())


def test_counts(release) -> None:  # type: ignore[no-untyped-def]
    assert release.periods == (date(2024, 1, 1),)
    assert len(set(release.values["org_code"].to_pylist())) == 263
    assert release.values.num_rows == 15_780  # 263 organisations x 30 scores x (score, base)
    acute = release.values.filter(
        pc.equal(release.values["breakdown"], "acute_and_acute_community_trusts")
    )
    assert len(set(acute["org_code"].to_pylist())) == 122


def test_scores_match_cells_read_with_openpyxl(release, sheets) -> None:  # type: ignore[no-untyped-def]
    for sheet, column, measure in (
        ("THEMES", "Staff Engagement - score", "staff_engagement"),
        ("PEOPLE PROMISE ELEMENTS", "PP3_2 - score", "pp3_2"),
    ):
        rows = sheets[sheet]
        at = rows[4].index(column)
        for code in ("RJ1", "RAJ", "RX6"):
            row = next(r for r in rows if r[0] == code)
            assert _score(release, code, measure) == row[at]
            assert _score(release, code, f"{measure}_responses") == row[at + 1]
    assert round(_score(release, "RJ1", "staff_engagement"), 2) == 7.15
    assert round(_score(release, "RJ1", "pp3_2"), 2) == 6.74


def _copy(tmp_path: Path, sheets, edit, rename: str | None = None) -> Path:  # type: ignore[no-untyped-def]
    small = {s: [list(r) for r in rows[:20]] for s, rows in sheets.items()}
    edited = edit(small)
    if rename:
        edited = {rename if s == "THEMES" else s: rows for s, rows in edited.items()}
    return write_xlsx(tmp_path / "nss.xlsx", edited)


def test_a_faithful_small_copy_reads(tmp_path: Path, sheets) -> None:  # type: ignore[no-untyped-def]
    r = read("staff_survey_2024", _copy(tmp_path, sheets, lambda s: s))
    assert len(set(r.values["org_code"].to_pylist())) == 15


def test_refuses_missing_score_column(tmp_path: Path, sheets) -> None:  # type: ignore[no-untyped-def]
    def edit(s):  # type: ignore[no-untyped-def]
        s["PEOPLE PROMISE ELEMENTS"] = [r[:22] + r[24:] for r in s["PEOPLE PROMISE ELEMENTS"]]
        return s

    message = refused("staff_survey_2024", _copy(tmp_path, sheets, edit))
    assert "sheet 'PEOPLE PROMISE ELEMENTS', row 5, field 'PP3_2 - score'" in message


def test_refuses_text_and_out_of_range_scores(tmp_path: Path, sheets) -> None:  # type: ignore[no-untyped-def]
    def edit(s):  # type: ignore[no-untyped-def]
        s["THEMES"][7][6] = "good"
        s["THEMES"][8][8] = 11.2
        return s

    message = refused("staff_survey_2024", _copy(tmp_path, sheets, edit))
    assert "sheet 'THEMES', row 8, field 'Staff Engagement - score': 'good' is not a number" in (
        message
    )
    assert "sheet 'THEMES', row 9, field 'E_1 - score': 11.2 is above 10" in message


def test_refuses_unknown_sheet_and_other_year(tmp_path: Path, sheets) -> None:  # type: ignore[no-untyped-def]
    message = refused("staff_survey_2024", _copy(tmp_path, sheets, lambda s: s, rename="THEME"))
    assert "has no sheet 'THEMES'" in message

    def edit(s):  # type: ignore[no-untyped-def]
        s["THEMES"][0][0] = "NHS Staff Survey 2023 - WEIGHTED Results"
        return s

    assert "does not name 'NHS Staff Survey 2024'" in refused(
        "staff_survey_2024", _copy(tmp_path, sheets, edit)
    )
