"""`oversight synth` then `oversight metrics compute`, end to end in process (inprocess.py)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from pathlib import Path

from tests.ae_files import AE_DIR
from tests.functional.inprocess import oversight

NOV_2025 = AE_DIR / "November-2025-CSV-G9pr3.csv"


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return oversight(*args, cwd=cwd)


def test_synth_then_compute_gives_the_published_month(tmp_path: Path) -> None:
    db = str(tmp_path / "s.duckdb")
    assert _run("--db", db, "ae", "ingest", str(NOV_2025), cwd=tmp_path).returncode == 0
    out = tmp_path / "two.parquet"
    made = _run("--db", db, "synth", "--month", "2025-11", "--providers", "RJ1,RW1",
                "--out", str(out), "--seed", "4", cwd=tmp_path)  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert "SYNTHETIC 20,246 attendance records" in made.stderr
    got = _run("metrics", "compute", "--records", str(out), "--format", "csv", cwd=tmp_path)
    rows = {(r["code"], r["metric"]): r for r in csv.DictReader(io.StringIO(got.stdout))}
    # RJ1, November 2025, published: type 1 10,659 attendances, 3,310 over 4 hours; type 3
    # 6,868 and 178; 76 waits of 12+ hours from DTA; 2,111 emergency admissions via A&E
    assert rows[("RJ1", "ae_4hr_type1")]["numerator"] == str(10659 - 3310)
    assert rows[("RJ1", "ae_4hr_all_types")]["denominator"] == str(10659 + 6868)
    assert rows[("RJ1", "ae_12hr_dta")]["value"] == "76.0"
    assert rows[("RJ1", "ae_emergency_admissions_via_ae")]["numerator"] == "2111"
    assert ("RW1", "ae_4hr_type1") not in rows  # no type 1 department
    meta = json.loads(
        _run("metrics", "compute", "--records", str(out), "--format", "json", cwd=tmp_path).stdout
    )["meta"]
    assert meta["synthetic"].startswith("SYNTHETIC A&E attendances")


def test_bad_month_and_missing_file_are_one_line_errors(tmp_path: Path) -> None:
    bad = _run("synth", "--month", "Nov", "--out", "x.parquet", cwd=tmp_path)
    assert bad.returncode == 1 and "is not a month" in bad.stderr
    missing = _run("metrics", "compute", "--records", "nope.parquet", cwd=tmp_path)
    assert missing.returncode == 1 and "No records file at nope.parquet" in missing.stderr
