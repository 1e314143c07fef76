"""End to end: `consequences`, `capital`, `payments` and `whatif` with consequences, through the
installed command on a store built from the bundled files."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

# the `ingested` and `workdir` fixtures come from test_cli (module-scoped there, rebuilt here)
from tests.functional.test_cli import assert_user_error, cli, ingested, workdir  # noqa: F401


def test_consequences_as_json_name_policy_reasons_and_history(
    ingested: tuple[Path, str],  # noqa: F811
    workdir: Path,  # noqa: F811
) -> None:
    db, _ = ingested
    done = cli("consequences", "RX2", "--format", "json", cwd=workdir, db=db)
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert payload["policy"]["id"] == "national-2025-26" and payload["quarter"] == "Q4 2025/26"
    rules = {r["rule"]: r for r in payload["in_force"]}
    assert {"turnaround_team", "pay_uplift_withheld", "leadership_review"} <= set(rules)
    assert rules["turnaround_team"]["since"] == "Q3 2025/26"
    assert "Persistently failing" in rules["turnaround_team"]["reason"]
    assert [e["change"] for e in payload["events"] if e["rule"] == "turnaround_team"] == ["applied"]


def test_capital_csv_sums_to_the_envelope_to_the_penny(
    ingested: tuple[Path, str],  # noqa: F811
    workdir: Path,  # noqa: F811
) -> None:
    db, _ = ingested
    done = cli("capital", "--envelope", "£123,456,789.01", "--format", "csv", cwd=workdir, db=db)
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert len(rows) == 61
    assert sum(round(float(r["share_gbp"]) * 100) for r in rows) == 12_345_678_901
    assert all(r["change_gbp"] != "" for r in rows)  # every trust was also assessed in Q3


def test_payments_json_reports_what_the_money_bought(
    ingested: tuple[Path, str],  # noqa: F811
    workdir: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    db, _ = ingested
    contracts = tmp_path / "contracts.csv"
    contracts.write_text('code,contract_gbp\nRX2,250000000\nRYY,"180,000,000"\n')
    done = cli("payments", "--contracts", contracts, "--format", "json", cwd=workdir, db=db)
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert {p["code"] for p in payload["payments"]} == {"RX2", "RYY"}
    assert payload["summary"]["providers_compared"] == 2
    assert "association, not effect" in payload["summary"]["caution"]


def test_a_bad_contracts_file_names_line_and_field(
    ingested: tuple[Path, str],  # noqa: F811
    workdir: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    db, _ = ingested
    contracts = tmp_path / "contracts.csv"
    contracts.write_text("code,contract_gbp\nRX2,250000000\nRYY,lots\n")
    done = cli("payments", "--contracts", contracts, cwd=workdir, db=db)
    assert_user_error(done, "contracts.csv")
    assert "line 3, field 'contract_gbp': 'lots' is not a number" in done.stderr


def test_a_bad_policy_file_is_refused_naming_rule_and_field(
    ingested: tuple[Path, str],  # noqa: F811
    workdir: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    db, _ = ingested
    policy = tmp_path / "mine.yaml"
    policy.write_text(
        "id: mine\nversion: '1'\nextends: national-2025-26\n"
        "rules:\n  - id: earned_autonomy\n    kind: freedom\n    title: t\n"
        "    consequences: [c]\n    reason: r\n    when: {segment_in: [1], for_quarters: $nope}\n"
        "    effective_from: Q1 2025/26\n"
    )
    done = cli("consequences", "--policy", policy, cwd=workdir, db=db)
    assert_user_error(done, "mine.yaml")
    assert "rule 'earned_autonomy': missing parameter 'nope'" in done.stderr


def test_whatif_reports_the_consequences_that_would_follow(
    ingested: tuple[Path, str],  # noqa: F811
    workdir: Path,  # noqa: F811
) -> None:
    db, _ = ingested
    done = cli("whatif", "RY4", "--set", "deficit=1", "--format", "json", cwd=workdir, db=db)
    assert done.returncode == 0, done.stderr
    c = json.loads(done.stdout)["consequences"]
    assert "earned_autonomy" in c["before"] and "earned_autonomy" not in c["after"]
