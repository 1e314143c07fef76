"""`oversight funnel`, `spc`, `sensitivity` and `rank-probabilities` end to end."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from pathlib import Path

import pytest

from tests.functional.inprocess import oversight
from tests.unit.stats.ae_monthly import AE_DIR

MH = "Mental health and community trust"


def run(*args: str, db: Path, ok: bool = True) -> subprocess.CompletedProcess[str]:
    done = oversight(*args, db=db)
    if ok:
        assert done.returncode == 0, done.stderr
    return done


def test_funnel_from_csv_with_chart(tmp_path: Path) -> None:
    month = AE_DIR / "April-2025-CSV-revised.csv"
    chart = tmp_path / "funnel.svg"
    done = run(
        "funnel", "ae_4hr_type1", "--csv", str(month), "--name", "Org name",
        "--numerator", "Attendances over 4hrs Type 1", "--denominator", "A&E attendances Type 1",
        "--exclude", "TOTAL", "--multiplier", "100", "--format", "json", "--chart", str(chart),
        db=tmp_path / "none.duckdb",
    )  # fmt: skip
    out = json.loads(done.stdout)
    assert out["meta"]["phi"] > 50 and out["meta"]["adjustment"] == "additive"
    assert {r["flag_99.8"] for r in out["rows"]} <= {"above", "below", "within"}
    assert all(r["code"] != "TOTAL" for r in out["rows"])
    assert chart.read_text().lstrip().startswith("<?xml")


def test_funnel_errors_name_the_problem(tmp_path: Path, national_store: Path) -> None:
    done = run("funnel", "OF0082", db=national_store, ok=False)
    assert done.returncode == 1
    assert "no numerator or denominator" in done.stderr
    bad = tmp_path / "bad.csv"
    bad.write_text("code,x,n\nA,1,10\nB,two,10\nC,3,10\n")
    done = run(
        "funnel",
        "x",
        "--csv",
        str(bad),
        "--code",
        "code",
        "--numerator",
        "x",
        "--denominator",
        "n",
        db=national_store,
        ok=False,
    )
    assert "line 3, field 'x': not a number: 'two'" in done.stderr
    done = run(
        "funnel",
        "x",
        "--csv",
        str(bad),
        "--code",
        "code",
        "--numerator",
        "y",
        "--denominator",
        "n",
        db=national_store,
        ok=False,
    )
    assert "no column 'y'" in done.stderr


def test_spc_on_a_stored_series(tmp_path: Path, national_store: Path) -> None:
    png = tmp_path / "spc.png"
    done = run("spc", "RWR", "OF0082", "--format", "csv", "--chart", str(png), db=national_store)
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert [r["period"] for r in rows] == [f"Q{i} 2025/26" for i in range(1, 5)]
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    done = run("spc", "RWR", "OF0082", "--format", "json", db=national_store)
    meta = json.loads(done.stdout)["meta"]
    assert meta["direction"] == "decrease"  # sickness absence: lower is better
    assert "trial limits" in meta["notes"][0]
    done = run("spc", "XXX", "OF0082", db=national_store, ok=False)
    assert "unknown organisation" in done.stderr


def test_sensitivity_is_reproducible(tmp_path: Path, national_store: Path) -> None:
    args = ("sensitivity", "--draws", "200", "--seed", "5", "--format", "csv")
    first = run(*args, db=national_store).stdout
    assert first == run(*args, db=national_store).stdout
    assert (
        first
        != run(
            "sensitivity", "--draws", "200", "--seed", "6", "--format", "csv", db=national_store
        ).stdout
    )
    rows = list(csv.DictReader(io.StringIO(first)))
    assert len(rows) == 61


@pytest.mark.parametrize("calibrated", [False, True])
def test_rank_probabilities(tmp_path: Path, national_store: Path, calibrated: bool) -> None:
    extra = ["--calibrated"] if calibrated else []
    done = run(
        "rank-probabilities",
        "-t",
        MH,
        "--format",
        "json",
        *extra,
        "--chart",
        str(tmp_path / "p.png"),
        db=national_store,
    )
    out = json.loads(done.stdout)
    assert out["meta"]["calibrated"] is calibrated
    assert len(out["rows"]) == 61
    for r in out["rows"]:
        total = sum(r[f"p_segment_{s}"] for s in range(1, 5))
        assert total == pytest.approx(1.0, abs=1e-3)
        assert r["segment_certainty"] == pytest.approx(r[f"p_segment_{r['segment']}"], abs=1e-4)


def test_spc_and_funnel_on_monthly_ae_store(ae_store_path: Path) -> None:
    done = run("spc", "RWE", "ae_4hr_type1", "--format", "json", db=ae_store_path)
    out = json.loads(done.stdout)
    assert out["meta"]["frequency"] == "monthly"
    assert out["meta"]["direction"] == "increase"  # share seen within 4 hours
    assert len(out["rows"]) > 80 and out["rows"][0]["period"] == "2018-04"
    assert {r["point_type"] for r in out["rows"]} != {"common_cause"}
    # limits restart at the collection's declared change points (2020-03 among them)
    assert "2020-03" in out["meta"]["change_points"]
    means = {r["period"]: r["mean"] for r in out["rows"] if r["mean"] is not None}
    assert means["2019-12"] != means["2020-06"]
    assert len(set(means.values())) == len(out["meta"]["change_points"]) + 1
    done = run(
        "spc", "RWE", "ae_4hr_type1", "--single-limits", "--format", "json", db=ae_store_path
    )
    single = json.loads(done.stdout)
    assert single["meta"]["change_points"] == {}
    assert len({r["mean"] for r in single["rows"] if r["mean"] is not None}) == 1
    done = run("funnel", "ae_4hr_type1", "-q", "2025-04", "--format", "json", db=ae_store_path)
    out = json.loads(done.stdout)
    assert out["meta"]["units"] > 100 and out["meta"]["phi"] > 50
    done = run("funnel", "ae_attendances_all", db=ae_store_path, ok=False)
    assert "count with no denominator" in done.stderr
