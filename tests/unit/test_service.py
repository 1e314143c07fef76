"""The service layer: one quarter resolver for every face, series joined to SPC once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from oversight.cli.main import app as cli
from oversight.engine.nof.quarter import RangeOptions
from oversight.service import nof as service
from oversight.service import series as series_module
from oversight.service.quarters import NotFound, quarter_slug, resolve_quarter
from oversight.service.series import with_spc
from oversight.service.site import Site
from oversight.stats import spc
from oversight.web.app import create_app

STORED = ["Q1 2025/26", "Q2 2025/26", "Q3 2025/26", "Q4 2025/26"]
SPELLINGS = [
    "Q4 2025/26",
    "q4 2025-26",
    "2025-26-q4",
    "2025/26 Q4",
    "Q4 2025/2026",
    " Q4  2025/26 ",
]
MH = "Mental health and community trust"


@pytest.mark.parametrize("given", SPELLINGS)
def test_every_spelling_names_the_stored_quarter(given: str) -> None:
    assert resolve_quarter(STORED, given) == "Q4 2025/26"


def test_none_is_the_latest_and_unknown_quarters_name_the_stored_ones() -> None:
    assert resolve_quarter(STORED, None) == "Q4 2025/26"
    assert resolve_quarter(STORED, "  ") == "Q4 2025/26"
    with pytest.raises(NotFound) as missing:
        resolve_quarter(STORED, "Q1 2024/25")
    assert "quarters stored: Q1 2025/26" in str(missing.value)
    with pytest.raises(NotFound) as unreadable:
        resolve_quarter(STORED, "last spring")
    assert "Q4 2025/26" in str(unreadable.value)
    with pytest.raises(NotFound, match="no NOF data yet"):
        resolve_quarter([], None)


def test_slug() -> None:
    assert quarter_slug("Q4 2025/26") == "2025-26-q4"
    assert quarter_slug("Something else!") == "something-else"


@pytest.fixture(scope="module")
def site(national_store: Path) -> Site:
    return Site(national_store)


@pytest.mark.parametrize("given", SPELLINGS)
def test_cli_and_api_resolve_a_spelling_to_the_same_quarter(
    given: str, national_store: Path, site: Site
) -> None:
    done = CliRunner().invoke(
        cli,
        ["--db", str(national_store), "league-table", "-t", MH, "-q", given, "--format", "json"],
    )
    assert done.exit_code == 0, done.output
    from_cli = json.loads(done.output)
    with TestClient(create_app(site)) as http:
        response = http.get("/api/v1/league-tables", params={"quarter": given, "limit": 3})
    assert response.status_code == 200, response.text
    from_api = response.json()
    assert from_cli["meta"]["quarter"] == from_api["meta"]["quarter"] == "Q4 2025/26"
    # the same engine result behind both faces
    assert [r["trust_code"] for r in from_cli["rows"][:3]] == [
        r["trust_code"] for r in from_api["rows"]
    ]


def test_site_caches_one_result_per_quarter_and_options(site: Site) -> None:
    plain = site.result("2025-26-q4")
    assert site.result("Q4 2025/26") is plain
    skipped = site.result("q4 2025-26", RangeOptions(skip=True))
    assert skipped is not plain and skipped is site.result(None, RangeOptions(skip=True))
    assert [o.rank for o in skipped.orgs] == [o.rank for o in plain.orgs]


def test_service_league_by_name_or_id(site: Site) -> None:
    by_name = service.league(site, "2025-26-q3", MH)
    by_id = service.league(site, "Q3 2025/26", by_name.trust_type.id)
    assert by_name.quarter == by_id.quarter == "Q3 2025/26"
    assert by_name.rows() == by_id.rows()
    assert [r["rank"] for r in by_name.rows()] == sorted(r["rank"] for r in by_name.rows())


def test_series_is_charted_once_and_joined_with_gaps(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = spc.chart

    def counting(*args: object, **kwargs: object) -> spc.Chart:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(series_module.spc, "chart", counting)
    periods = [f"2025-{m:02d}" for m in range(1, 8)]
    values: list[float | None] = [0.71, 0.74, None, 0.69, 0.72, 0.75, 0.70]
    charted = with_spc(periods, values, "increase")
    assert len(calls) == 1
    known = [v for v in values if v is not None]
    direct = real(known, "increase")
    assert [p.period for p in charted.points] == periods
    gap = charted.points[2]
    assert gap.value is None and gap.mean is None and gap.label is None
    joined = [p for p in charted.points if p.value is not None]
    assert [p.label for p in joined] == direct.labels
    assert [p.point_type for p in joined] == direct.point_types
    assert all(p.mean == direct.limits[0].mean for p in joined)


def test_too_short_a_series_has_no_chart() -> None:
    one = with_spc(["2025-01"], [0.5], "neutral")
    assert one.chart is None and one.points[0].mean is None
    assert with_spc([], [], "neutral").points == []
    with pytest.raises(ValueError):
        with_spc(["2025-01"], [], "neutral")
