"""Evaluation plans: validation naming the field, pre-registration by hash, pilot-design maths."""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
import yaml

from oversight.errors import UserError
from oversight.evaluation.periods import parse_period
from oversight.evaluation.power import draw_placebos, naive_draws
from oversight.evaluation.registry import register
from oversight.evaluation.run import run_plan_file
from oversight.evaluation.vsearch import inner_weights
from oversight.frameworks.evaluation_plan import load_plan

ROOT = Path(__file__).resolve().parents[2]
ORGAN = ROOT / "data" / "reference" / "organ_donation" / "organ_donation.csv"


def _plan(tmp_path: Path, file: str = "plan.yaml", **changes: object) -> Path:
    plan: dict[str, object] = {
        "name": "organ",
        "intervention": "active choice",
        "frequency": "quarter",
        "data": {
            "source": "csv",
            "path": str(ORGAN),
            "unit_column": "State",
            "period_column": "Quarter",
        },
        "treated": [{"unit": "California", "start": "Q3 2011"}],
        "outcome": {"primary": "Rate", "smallest_effect": 0.01},
        "pre_period": {"start": "Q4 2010"},
        "methods": [{"method": "twfe", "leads": 3, "lags": 2}],
    }
    plan.update(changes)
    path = tmp_path / file
    path.write_text(yaml.safe_dump(plan))
    return path


def _refused(path: Path) -> list[tuple[str | None, str]]:
    with pytest.raises(UserError) as err:
        run_plan_file(path)
    return [(p.field, p.message) for p in err.value.problems]


def test_unknown_organisation(tmp_path: Path) -> None:
    fields = _refused(_plan(tmp_path, treated=[{"unit": "Atlantis", "start": "Q3 2011"}]))
    assert fields[0][0] == "treated.0.unit" and "Atlantis" in fields[0][1]


def test_start_outside_data(tmp_path: Path) -> None:
    fields = _refused(_plan(tmp_path, treated=[{"unit": "California", "start": "Q3 2015"}]))
    assert fields[0][0] == "treated.0.start" and "outside the data" in fields[0][1]


def test_treated_in_own_pool(tmp_path: Path) -> None:
    path = _plan(tmp_path, comparison={"pool": ["Arizona", "California", "Alaska"]})
    fields = _refused(path)
    assert (
        "comparison.pool.1",
        "treated organisation 'California' is in its own comparison pool",
    ) in fields


def test_too_few_pre_periods(tmp_path: Path) -> None:
    path = _plan(tmp_path, methods=[{"method": "synthetic_control"}])
    fields = _refused(path)
    assert any(f == "pre_period.start" and "needs at least 5" in m for f, m in fields)


def test_outcome_missing_for_treated(tmp_path: Path) -> None:
    frame = pd.read_csv(ORGAN)
    frame.loc[(frame["State"] == "California") & (frame["Quarter"] == "Q12011"), "Rate"] = None
    csv = tmp_path / "od.csv"
    frame.to_csv(csv, index=False)
    path = _plan(
        tmp_path,
        data={
            "source": "csv",
            "path": str(csv),
            "unit_column": "State",
            "period_column": "Quarter",
        },
    )
    fields = _refused(path)
    assert fields == [
        (
            "outcome.primary",
            "outcome 'Rate' is missing for treated organisation 'California' in Q12011",
        )
    ]


def test_schema_errors_name_the_field(tmp_path: Path) -> None:
    path = _plan(tmp_path, outcome={"primary": "Rate", "smallest_effect": -1})
    with pytest.raises(UserError) as err:
        load_plan(path)
    assert err.value.problems[0].field == "outcome.smallest_effect"
    path = _plan(tmp_path, methods=[{"method": "regression_discontinuity"}])
    with pytest.raises(UserError) as err:
        load_plan(path)
    assert err.value.problems[0].field is not None
    assert err.value.problems[0].field.startswith("methods.0")


def test_registration_by_hash(tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "s.duckdb"))
    path = _plan(tmp_path)
    first = register(con, load_plan(path), path.read_text())
    assert first.new
    # reformatting the file (comments, key order) is the same plan
    path.write_text("# a comment\n" + path.read_text())
    again = register(con, load_plan(path))
    assert not again.new and again.plan_hash == first.plan_hash
    assert again.registered_at == first.registered_at
    # any change of meaning is a new plan; the old one stays on record
    changed = _plan(tmp_path, "changed.yaml", outcome={"primary": "Rate", "smallest_effect": 0.02})
    new = register(con, load_plan(changed))
    assert new.new and new.plan_hash != first.plan_hash and new.previous_versions == 1
    # results name the plan hash they followed
    ev = run_plan_file(path, con)
    assert ev.registration is not None and ev.to_json()["plan_hash"] == first.plan_hash
    rows = con.execute("SELECT plan_hash, method FROM evaluation_result").fetchall()
    assert rows == [(first.plan_hash, "twfe")]


@pytest.mark.parametrize(
    ("label", "frequency", "ordinal"),
    [
        ("1989", "year", 1989),
        ("1970.0", "year", 1970),
        ("Q32011", "quarter", 2011 * 4 + 2),
        ("2011Q3", "quarter", 2011 * 4 + 2),
        ("Q1 2025/26", "quarter", 2025 * 4 + 1),
        ("Q4 2025/26", "quarter", 2026 * 4),
        ("2019-04", "month", 2019 * 12 + 3),
        ("Apr-19", "month", 2019 * 12 + 3),
    ],
)
def test_periods(label: str, frequency: str, ordinal: int) -> None:
    assert parse_period(label, frequency) == ordinal  # type: ignore[arg-type]


def test_inner_weights_on_simplex() -> None:
    rng = np.random.default_rng(3)
    x0, x1 = rng.normal(size=(4, 12)), rng.normal(size=4)
    w = inner_weights(np.full(4, 0.25), x0, x1)
    assert (w >= 0).all() and w.sum() == pytest.approx(1.0)


def test_vectorised_pilot_draws_match_linearmodels() -> None:
    df = pd.read_csv(ROOT / "data" / "reference" / "prop99" / "smoking_data.csv")
    y = df.pivot(index="state", columns="year", values="cigsale").to_numpy()
    d = draw_placebos(y, 4, 6, 4, 40, seed=7)
    slow = naive_draws(y, d, 6, 4, effect=3.0, limit=12)
    assert np.allclose(slow["estimate"], d.estimate[:12] + 3.0, atol=1e-10)
    assert np.allclose(slow["se"], d.se[:12], atol=1e-10)
    assert np.allclose(slow["ci_low"], d.estimate[:12] + 3.0 - d.critical[:12] * d.se[:12])
    # power grows with the effect; the MDE is where it reaches the target
    assert d.power(0.0) <= d.power(5.0) <= d.power(50.0)
    mde = d.mde(0.8)
    assert d.power(mde * 1.0001) >= 0.8 > d.power(mde * 0.98)
