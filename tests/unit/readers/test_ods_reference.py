"""ODS trusts, sub-ICB locations and successions, and ONS ICB codes (CSV reference files)."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pyarrow.compute as pc
import pytest

from tests.unit.readers._files import DATA, read, refused

ODS = DATA / "ods"


def _org(release, code: str) -> dict[str, object]:  # type: ignore[no-untyped-def]
    v = release.values
    got = v.filter(pc.equal(v["org_code"], code)).to_pylist()
    assert got, code
    out: dict[str, object] = {k: got[0][k] for k in ("org_name", "parent_org", "breakdown")}
    out.update({r["measure"]: r["value"] for r in got})
    return out


def test_trusts_with_region_icb_and_dates() -> None:
    r = read("ods_trusts", ODS / "etr.csv")
    records = list(csv.reader((ODS / "etr.csv").open()))
    assert len(set(r.values["org_code"].to_pylist())) == len(records) == 273
    assert r.periods == (date(2024, 12, 1),)  # the month of the latest date in the file
    open_now = {rec[0] for rec in records if not rec[11]}
    assert len(open_now) == 205
    closed = r.values.filter(pc.equal(r.values["measure"], "close_date"))
    assert closed.num_rows == 273 - 205
    raj = next(rec for rec in records if rec[0] == "RAJ")
    got = _org(r, "RAJ")
    assert got["parent_org"] == raj[3] and got["breakdown"] == raj[2]
    assert got["open_date"] == float(raj[10]) and "close_date" not in got


def test_sub_icbs_successions_and_icbs() -> None:
    sub = read("ods_sub_icb", ODS / "eccg.csv")
    assert len(set(sub.values["org_code"].to_pylist())) == 320
    succ = read("ods_successions", ODS / "succ.csv")
    assert succ.values.num_rows == 11_537 * 2
    assert succ.periods == (date(2026, 4, 1),)
    icbs = read("ons_icbs", ODS / "icb_names_codes_dec_2024.csv")
    assert icbs.values.num_rows == 42
    qyg = _org(icbs, "QYG")
    assert qyg["parent_org"] == "E54000008"
    assert qyg["org_name"] == "NHS Cheshire and Merseyside Integrated Care Board"


def _edit(tmp_path: Path, name: str, change) -> Path:  # type: ignore[no-untyped-def]
    records = list(csv.reader((ODS / name).open()))[:30]
    change(records)
    path = tmp_path / name
    with path.open("w", newline="") as handle:
        csv.writer(handle, quoting=csv.QUOTE_ALL).writerows(records)
    return path


def test_refuses_missing_field(tmp_path: Path) -> None:
    path = _edit(tmp_path, "etr.csv", lambda recs: recs.__setitem__(4, recs[4][:26]))
    message = refused("ods_trusts", path)
    assert "etr.csv, line 5, field 'field 26': 26 fields, expected 27" in message


def test_refuses_bad_date_and_unknown_region(tmp_path: Path) -> None:
    def change(recs):  # type: ignore[no-untyped-def]
        recs[2][10] = "2024-11-01"
        recs[3][2] = "Y99"

    message = refused("ods_trusts", _edit(tmp_path, "etr.csv", change))
    assert "line 3, field 'open_date': '2024-11-01' is not a date written yyyymmdd" in message
    assert "line 4, field 'breakdown': undeclared NHS region 'Y99'" in message


def test_refuses_text_and_out_of_range_numbers(tmp_path: Path) -> None:
    def change(recs):  # type: ignore[no-untyped-def]
        recs[1][4] = "yes"
        recs[2][4] = "7"

    message = refused("ods_successions", _edit(tmp_path, "succ.csv", change))
    assert "line 2, field 'field 5': 'yes' is not a number" in message
    assert "line 3, field 'field 5': 7 is above 1" in message


def test_refuses_a_changed_header(tmp_path: Path) -> None:
    path = _edit(
        tmp_path,
        "icb_names_codes_dec_2024.csv",
        lambda recs: recs.__setitem__(0, ["ICB23CD", "ICB24CDH", "ICB24NM", "ObjectId"]),
    )
    assert "line 1, field 'header'" in refused("ons_icbs", path)


@pytest.mark.parametrize("name", ["etr.csv", "eccg.csv", "succ.csv"])
def test_refuses_a_file_that_is_not_utf8(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes((ODS / name).read_bytes()[:400] + b"\xff\xfe broken")
    collection_id = {
        "etr.csv": "ods_trusts",
        "eccg.csv": "ods_sub_icb",
        "succ.csv": "ods_successions",
    }[name]
    assert "not UTF-8" in refused(collection_id, path)
