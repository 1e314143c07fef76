"""`oversight ae ingest` and `oversight series` end to end, in process (see inprocess.py)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from pathlib import Path

import duckdb
import pytest
from scipy.stats import chi2

from tests.ae_files import AE_DIR, AUG_2025, real_rows, write_csv
from tests.functional.inprocess import oversight


def run(db: Path, *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    done = oversight(*args, db=db, cwd=db.parent)
    assert (done.returncode == 0) == ok, done.stderr + done.stdout
    return done


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("cli") / "o.duckdb"
    out = run(db, "ae", "ingest", str(AE_DIR)).stdout
    assert "98 files: 98 releases stored, 0 unchanged, 0 already ingested" in out
    assert "ignored empty columns #23, #24, #25, #26, #27, a" in out
    again = run(db, "ae", "ingest", str(AE_DIR)).stdout
    assert "98 already ingested" in again
    return db


def test_series_csv(ingested: Path) -> None:
    out = run(ingested, "series", "RAJ", "--metric", "ae_4hr_all_types", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert out.splitlines()[0] == "month,code,metric,value,numerator,denominator"
    assert len(rows) == 94 and rows[0]["month"] == "2018-04" and rows[-1]["month"] == "2026-05"
    for r in rows:
        value, num, den = float(r["value"]), int(r["numerator"]), int(r["denominator"])
        assert 0 <= value <= 1 and r["code"] == "RAJ"
        assert value == pytest.approx(num / den, abs=1e-6)
    # before April 2020 RAJ includes Basildon (RDD) and Mid Essex (RQ8)
    own = run(
        ingested, "series", "RAJ", "-m", "ae_4hr_all_types", "--format", "csv", "--as-published"
    ).stdout
    own_rows = {r["month"]: r for r in csv.DictReader(io.StringIO(own))}
    parts = [
        {
            r["month"]: r
            for r in csv.DictReader(
                io.StringIO(
                    run(
                        ingested,
                        "series",
                        code,
                        "-m",
                        "ae_4hr_all_types",
                        "--format",
                        "csv",
                        "--as-published",
                    ).stdout
                )
            )
        }
        for code in ("RDD", "RQ8")
    ]
    march = "2020-03"
    summed = int(own_rows[march]["denominator"]) + sum(int(p[march]["denominator"]) for p in parts)
    assert int(next(r for r in rows if r["month"] == march)["denominator"]) == summed
    april = next(r for r in rows if r["month"] == "2020-04")
    assert april == own_rows["2020-04"]


def test_series_json_table_and_plots(ingested: Path, tmp_path: Path) -> None:
    data = json.loads(
        run(ingested, "series", "ENGLAND", "-m", "ae_12hr_dta", "--format", "json").stdout
    )
    last = data[-1]
    ci = (last.pop("ci_low"), last.pop("ci_high"))
    assert last == {
        "month": "2026-05",
        "code": "ENGLAND",
        "metric": "ae_12hr_dta",
        "value": 50212,
        "numerator": 50212,
        "denominator": "",
    }
    # the count's 95% interval: Byar's approximation, within 0.5 of the exact (Garwood) limits
    exact = (chi2.ppf(0.025, 2 * 50212) / 2, chi2.ppf(0.975, 2 * 50213) / 2)
    assert abs(ci[0] - exact[0]) < 0.5 and abs(ci[1] - exact[1]) < 0.5
    png, svg = tmp_path / "s.png", tmp_path / "s.svg"
    run(ingested, "series", "R0A", "-m", "ae_4hr_type1", "--plot", str(png))
    run(ingested, "series", "Y56", "-m", "ae_attendances_all", "--plot", str(svg))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000
    assert "<svg" in svg.read_text()[:500]


def test_series_errors(ingested: Path) -> None:
    err = run(ingested, "series", "RAJ", "-m", "ae_6hr", ok=False).stderr
    assert "Unknown A&E metric 'ae_6hr'" in err and "ae_4hr_type1" in err
    err = run(ingested, "series", "RDD", "-m", "ae_4hr_type1", ok=False).stderr
    assert "became part of RAJ from 2020-04" in err


def test_refused_file_leaves_store_unchanged(ingested: Path, tmp_path: Path) -> None:
    db = tmp_path / "copy.duckdb"
    db.write_bytes(ingested.read_bytes())
    before = (
        duckdb.connect(str(db), read_only=True).execute("SELECT count(*) FROM ae_value").fetchone()
    )
    header, rows = real_rows(AUG_2025)
    rows[5][1] = rows[6][1]
    bad = write_csv(tmp_path / "dup.csv", header, rows)
    err = run(db, "ae", "ingest", str(bad), ok=False).stderr
    assert "line 8, field 'Org Code'" in err and "appears twice" in err
    after = (
        duckdb.connect(str(db), read_only=True).execute("SELECT count(*) FROM ae_value").fetchone()
    )
    assert before == after


def test_successor_candidates_all_mapped(ingested: Path) -> None:
    rows = json.loads(
        run(ingested, "ae", "successor-candidates", "--all", "--format", "json").stdout
    )
    assert len(rows) == 89  # 27 NHS trusts and 62 other providers
    assert [r["code"] for r in rows if r["in_mapping"] == "NOT MAPPED"] == []
    rdd = next(r for r in rows if r["code"] == "RDD")
    assert rdd["candidates"].startswith("RAJ")
