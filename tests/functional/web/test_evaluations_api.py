"""The evaluations section: API and pages show what ``run_plan_file`` computes, unchanged."""

from __future__ import annotations

import csv
import io
import math
import shutil
import time
from pathlib import Path

import httpx
import pytest

from oversight.api import evaluation_records as records
from oversight.evaluation import run_plan_file
from oversight.service.site import Site
from tests.functional.web.conftest import Server

# a first, uncached computation can take many seconds on a loaded machine: the timeout is
# far beyond any such wait, so these tests do not depend on load
FIRST_COMPUTATION = 600

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "evaluations"


def computed_ahead(server: Server) -> Server:
    """The server computes every evaluation in the background when it starts (a plan not done
    answers 202 "being computed"); wait for that, however long the machine takes."""
    deadline = time.monotonic() + 1800  # beyond any load; the wait ends as soon as it is done
    while time.monotonic() < deadline:
        plans = httpx.get(f"{server.url}/api/v1/evaluations", timeout=300).json()["plans"]
        if all(p["status"] != "being computed" for p in plans):
            return server
        time.sleep(0.5)
    raise AssertionError("evaluations still being computed after 30 minutes")


@pytest.fixture
def ready(server: Server) -> Server:
    return computed_ahead(server)


def same(a: float | None, b: float | None) -> bool:
    # both are the same float through JSON (repr round-trips exactly); NaN/inf become null
    if a is None or b is None:
        return a is None and (b is None or not math.isfinite(b))
    return a == b


@pytest.mark.parametrize("plan_id", ["organ_donation", "mpdta"])
def test_api_and_page_equal_run_plan_file(ready: Server, plan_id: str) -> None:
    server = ready
    ev = run_plan_file(EXAMPLES / f"{plan_id}.yaml", None, record=False)
    api = httpx.get(f"{server.url}/api/v1/evaluations/{plan_id}", timeout=FIRST_COMPUTATION).json()
    twin = httpx.get(f"{server.url}/evaluations/{plan_id}.json", timeout=FIRST_COMPUTATION).json()
    assert api == twin
    assert api["status"] == "computed"
    assert api["plan_hash"] == ev.plan_hash
    assert api["data_fingerprint"] == ev.panel.fingerprint
    assert [r["method"] for r in api["results"]] == [r.method for r in ev.results]
    for got, res in zip(api["results"], ev.results, strict=True):
        for key in ("estimate", "ci_low", "ci_high", "p_value", "se"):
            assert same(got[key], getattr(res, key)), (key, got[key], getattr(res, key))
        assert got["verdict"] == ev.verdicts[res.method]
        assert [c["name"] for c in got["checks"]] == [c.name for c in res.checks]
    html = httpx.get(f"{server.url}/evaluations/{plan_id}.html", timeout=FIRST_COMPUTATION).text
    first = ev.results[0]
    assert f'data-value="{first.estimate}">{first.estimate:.4g}<' in html
    if "event_study" in first.tables:
        assert "<svg" in html and "Event study" in html


def test_index_lists_every_plan_with_the_same_numbers(ready: Server) -> None:
    server = ready
    ix = httpx.get(f"{server.url}/api/v1/evaluations", timeout=FIRST_COMPUTATION).json()
    assert [p["plan_id"] for p in ix["plans"]] == sorted(p.stem for p in EXAMPLES.glob("*.yaml"))
    status = {p["plan_id"]: p["status"] for p in ix["plans"]}
    assert status["organ_donation"] == status["mpdta"] == status["basque"] == "computed"
    ev = run_plan_file(EXAMPLES / "organ_donation.yaml", None, record=False)
    (row,) = [r for r in ix["rows"] if r["plan_id"] == "organ_donation"]
    assert row["estimate"] == ev.results[0].estimate
    assert row["pre_trend_p"] == ev.results[0].checks[0].value
    page = httpx.get(f"{server.url}/evaluations/index.json", timeout=FIRST_COMPUTATION).json()
    assert page["rows"] == ix["rows"]
    text = httpx.get(f"{server.url}/evaluations/index.csv", timeout=FIRST_COMPUTATION).text
    assert len(list(csv.DictReader(io.StringIO(text)))) == len(ix["rows"])
    basque = httpx.get(f"{server.url}/api/v1/evaluations/basque", timeout=FIRST_COMPUTATION).json()
    (synth,) = basque["results"]
    assert synth["placebo_rank"] is not None and synth["pre_rmspe"] is not None
    assert math.isclose(sum(w["weight"] for w in synth["weights"]), 1.0, abs_tol=1e-6)
    weights = httpx.get(f"{server.url}/evaluations/basque.csv", timeout=FIRST_COMPUTATION).text
    assert len(list(csv.DictReader(io.StringIO(weights)))) == len(synth["weights"])


def test_unknown_plan_is_404(server: Server) -> None:
    r = httpx.get(f"{server.url}/api/v1/evaluations/no_such_plan", timeout=FIRST_COMPUTATION)
    assert r.status_code == 404 and "organ_donation" in r.text
    assert (
        httpx.get(
            f"{server.url}/evaluations/no_such_plan.html", timeout=FIRST_COMPUTATION
        ).status_code
        == 404
    )


def test_ae_plans_need_ae_data(national_store: Path, tmp_path: Path) -> None:
    db = tmp_path / "nof-only.duckdb"
    shutil.copy(national_store, db)
    site = Site(db)
    try:
        for plan_id in ("ae_mergers", "ae_merger_raj", "ae_pilot_design"):
            v = records.view(site, plan_id)
            assert v.status == "not available"
            assert "A&E data ingested" in v.status_detail
            assert v.results == []
        # slow plans with their data are left to be computed on request by the index
        assert records.view(site, "prop99", compute=False).status == "on request"
    finally:
        site.close()
