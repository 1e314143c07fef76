"""Data quality on the bundled quarters: the default rules, a variant's rule, API twins, CLI."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from oversight.api.app import create_api
from oversight.frameworks import load_framework
from oversight.frameworks.data_quality import DataQuality, QualityRule, ValidRange
from oversight.frameworks.loader import bundled_path
from oversight.service.data_quality import data_quality
from oversight.service.site import Site
from oversight.web.app import create_app
from oversight.web.data_quality_pages import data_quality_path
from tests.functional.inprocess import oversight

MHC = "mental_health_community"


@pytest.fixture(scope="module")
def site(national_store: Path) -> Iterator[Site]:
    s = Site(national_store)
    yield s
    s.close()


@pytest.fixture(scope="module")
def strict_site(national_store: Path) -> Iterator[Site]:
    """A variant whose staff-survey sub-score must be at least 6.2 out of 10."""
    fw = load_framework()
    rule = QualityRule(metric="OF0061", valid_range=ValidRange(min=6.2))
    variant = fw.model_copy(update={"data_quality": DataQuality(rules=[rule])})
    s = Site(national_store, variant)
    yield s
    s.close()


def test_default_rules_on_the_published_data(site: Site) -> None:
    for q in site.quarters:
        report = data_quality(site, q, MHC, with_recompute=True)
        # every published score has its raw value, inside the publication's range
        print(f"{q}: {len(report.flags)} flagged, {len(report.changes or [])} change segment")
        assert report.flags == [] and report.changes == []


def test_a_variant_rule_moves_only_flagged_organisations(strict_site: Site) -> None:
    report = data_quality(strict_site, None, MHC, with_recompute=True)
    data = strict_site.data(None)
    low = {o for o in data.orgs_of_type(MHC) if (v := data.value("OF0061", o)) and v < 6.2}
    assert {f.trust_code for f in report.flags} == low and low
    assert report.changes is not None and report.recomputed is not None
    official = strict_site.result(None)
    for o in official.orgs:
        if o.trust_type == MHC and o.trust_code not in low:
            after = report.recomputed.org(o.trust_code)
            assert after is not None and after.average_score == o.average_score
    assert {c.trust_code for c in report.changes} <= low
    print(f"{len(low)} flagged, {len(report.changes)} change segment")


def test_api_twins_and_cli(strict_site: Site, site: Site, national_store: Path) -> None:
    http = TestClient(create_api(strict_site))
    params = {"trust_type": MHC, "recompute": "true"}
    body = http.get("/api/v1/data-quality", params=params).json()
    rows = list(
        csv.DictReader(
            io.StringIO(http.get("/api/v1/data-quality", params={**params, "format": "csv"}).text)
        )
    )
    assert body["flagged"] == len(rows) == len(body["flags"]) > 0
    assert [r["trust_code"] for r in rows] == [f["trust_code"] for f in body["flags"]]
    assert all(r["flagged"] == "true" for r in rows)
    assert isinstance(body["segment_changes"], list)
    plain = http.get("/api/v1/data-quality", params={"trust_type": MHC}).json()
    assert plain["segment_changes"] is None
    assert http.get("/api/v1/data-quality", params={"trust_type": "nonsense"}).status_code == 404
    shown = oversight(
        "data-quality", "-t", MHC, "--recompute", "--format", "json", db=national_store
    )
    assert shown.returncode == 0
    payload = json.loads(shown.stdout)
    assert payload["flagged"] == 0 and payload["segment_changes"] == []
    table = oversight("data-quality", "-t", MHC, "--recompute", db=national_store, wide=True)
    assert "Flagged values" in table.stdout and "segment changes" in table.stdout


def test_source_denominator_absent_from_the_store_is_not_applied(national_store: Path) -> None:
    fw = load_framework()
    rule = QualityRule(metric="OF0061", min_denominator=30)
    s = Site(national_store, fw.model_copy(update={"data_quality": DataQuality(rules=[rule])}))
    try:
        report = data_quality(s, None, MHC)
    finally:
        s.close()
    # the bundled store has no source-statistics collections: nothing flagged, and said so
    assert report.flags == [] and report.not_applied and "OF0061" in report.not_applied[0]


def test_cli_on_a_variant_file_flags_and_lists_the_moves(
    national_store: Path, tmp_path: Path
) -> None:
    text = bundled_path().read_text(encoding="utf-8")
    rule = "  rules:\n    - metric: OF0061\n      valid_range: {min: 6.2}\n"
    variant = tmp_path / "variant.yaml"
    variant.write_text(text.replace("  rules: []\n", rule), encoding="utf-8")
    args = ("--framework", str(variant), "data-quality", "-t", MHC, "--recompute")
    shown = oversight(*args, "--format", "csv", db=national_store)
    assert shown.returncode == 0, shown.stderr
    rows = list(csv.DictReader(io.StringIO(shown.stdout)))
    assert rows and all(r["metric_id"] == "OF0061" and float(r["value"]) < 6.2 for r in rows)
    payload = json.loads(oversight(*args, "--format", "json", db=national_store).stdout)
    moved = {c["trust_code"] for c in payload["segment_changes"]}
    assert moved <= {r["trust_code"] for r in rows}
    assert {r["trust_code"] for r in rows if r["segment_after"]} == moved
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace("  rules: []\n", "  rules:\n    - metric: OF0999\n"), "utf-8")
    refused = oversight("--framework", str(bad), "data-quality", "-t", MHC, db=national_store)
    assert refused.returncode == 1 and "OF0999" in refused.stderr and "line" in refused.stderr


def test_data_quality_page_and_twins(strict_site: Site) -> None:
    pages = TestClient(create_app(strict_site))
    path = "/" + data_quality_path(strict_site.latest, MHC)
    html = pages.get(path)
    assert html.status_code == 200
    twin = pages.get(path.replace(".html", ".json")).json()
    rows = list(csv.DictReader(io.StringIO(pages.get(path.replace(".html", ".csv")).text)))
    assert [r["trust_code"] for r in rows] == [f["trust_code"] for f in twin["flags"]]
    flagged = html.text[html.text.index('id="data-quality-flags"') :]
    assert flagged.count('data-code="') >= len(rows) > 0
    moved = twin["segment_changes"]
    assert ('id="data-quality-changes"' in html.text) == bool(moved)
    assert pages.get("/" + data_quality_path(strict_site.latest, "nonsense")).status_code == 404
