"""`oversight evaluate register|run` end to end in process (tests/functional/inprocess.py)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import yaml

from oversight.frameworks.evaluation_plan import load_plan
from tests.functional.inprocess import oversight

ROOT = Path(__file__).resolve().parents[2]
PLANS = ROOT / "examples" / "evaluations"


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return oversight(*args, cwd=cwd)


def test_register_then_run_json_and_html(tmp_path: Path) -> None:
    db = str(tmp_path / "s.duckdb")
    plan = str(PLANS / "organ_donation.yaml")
    reg = _run("--db", db, "evaluate", "register", plan, cwd=tmp_path)
    assert reg.returncode == 0, reg.stderr
    assert reg.stdout.startswith("Registered organ-donation-did ")
    again = _run("--db", db, "evaluate", "register", plan, cwd=tmp_path)
    assert again.stdout.startswith("Already registered")

    out = _run(
        "--db",
        db,
        "evaluate",
        "run",
        plan,
        "--format",
        "json",
        "--plots",
        str(tmp_path / "plots"),
        "--plot-format",
        "svg",
        cwd=tmp_path,
    )
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    # the report names the whole hash of the plan that was registered, computed here
    # independently from the plan file
    expected = load_plan(plan).plan_hash
    assert len(expected) == 64 and reg.stdout.split()[2] == expected[:12]
    assert report["pre_registered"] and report["plan_hash"] == expected
    (twfe,) = report["results"]
    assert {"method", "estimate", "ci_low", "ci_high", "p_value"} <= set(twfe)
    assert twfe["method"] == "twfe" and twfe["ci_low"] < twfe["estimate"] < twfe["ci_high"]
    assert (tmp_path / "plots" / "twfe-event-study.svg").read_text().lstrip().startswith("<?xml")

    html = _run(
        "--db",
        db,
        "evaluate",
        "run",
        plan,
        "--format",
        "html",
        "-o",
        str(tmp_path / "r.html"),
        cwd=tmp_path,
    )
    assert html.returncode == 0, html.stderr
    page = (tmp_path / "r.html").read_text()
    assert "<svg" in page and "pre-registered" in page and "Caution" in page


def test_synthetic_control_json_has_weights(tmp_path: Path) -> None:
    # outcome-only synthetic control (no predictors): weights minimise the pre-period fit
    plan = yaml.safe_load((PLANS / "prop99.yaml").read_text())
    plan["data"]["path"] = str(ROOT / "data" / "reference" / "prop99" / "smoking_data.csv")
    plan["methods"] = [{"method": "synthetic_control"}]
    path = tmp_path / "sc.yaml"
    path.write_text(yaml.safe_dump(plan))
    out = _run(
        "--db",
        str(tmp_path / "s.duckdb"),
        "evaluate",
        "run",
        str(path),
        "--format",
        "json",
        "--plots",
        str(tmp_path),
        cwd=tmp_path,
    )
    assert out.returncode == 0, out.stderr
    (sc,) = json.loads(out.stdout)["results"]
    assert abs(sum(sc["weights"].values()) - 1) < 1e-6 and min(sc["weights"].values()) >= 0
    assert sc["p_value"] is not None and sc["estimate"] < 0
    assert (tmp_path / "synthetic_control-gap.png").read_bytes()[:4] == b"\x89PNG"
    assert not json.loads(out.stdout)["pre_registered"]


def test_bad_plan_is_refused_naming_the_field(tmp_path: Path) -> None:
    plan = yaml.safe_load((PLANS / "organ_donation.yaml").read_text())
    shutil.copy(ROOT / "data" / "reference" / "organ_donation" / "organ_donation.csv", tmp_path)
    plan["data"]["path"] = "organ_donation.csv"
    plan["treated"][0]["unit"] = "Narnia"
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(plan))
    out = _run("--db", str(tmp_path / "s.duckdb"), "evaluate", "register", str(path), cwd=tmp_path)
    assert out.returncode == 1
    assert "field 'treated.0.unit'" in out.stderr and "Narnia" in out.stderr
    assert "Traceback" not in out.stderr


def test_pilot_design_on_nof_store(tmp_path: Path, national_store: Path) -> None:
    # the NOF quarterly values in the store as the panel (61 MH & community trusts, 4 quarters)
    db = tmp_path / "nof.duckdb"
    shutil.copy(national_store, db)
    plan = {
        "name": "nof-pilot",
        "intervention": "hypothetical pilot",
        "frequency": "quarter",
        "data": {"source": "nof", "trust_type": "Mental health and community trust"},
        "outcome": {"primary": "OF0084", "smallest_effect": 5},
        "pre_period": {"start": "Q1 2025/26"},
        "methods": [
            {
                "method": "pilot_design",
                "organisations": [3, 10],
                "post_periods": [1, 2],
                "draws": 200,
            }
        ],
    }
    path = tmp_path / "nof.yaml"
    path.write_text(yaml.safe_dump(plan))
    out = _run("--db", str(db), "evaluate", "run", str(path), "--format", "json", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    (res,) = json.loads(out.stdout)["results"]
    designs = res["tables"]["designs"]
    assert {(d["organisations"], d["post_periods"]) for d in designs} == {
        (3, 1),
        (3, 2),
        (10, 1),
        (10, 2),
    }
    assert all(0 <= d["false_positive_rate"] <= 1 and d["mde"] > 0 for d in designs)
