"""Expensive first computations on the live app: an evaluation computed ahead answers 202
"being computed" (page that refreshes itself, JSON twin and API with the status) until it is
done, then 200; a computation the gate has no room for answers 503 with Retry-After and the
error envelope. Deterministic: the background work is run by the test itself, and the gate's
only slot is held by the test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from oversight.api import ahead
from oversight.api import evaluation_records as records
from oversight.service.expensive import ComputeGate
from oversight.service.site import Site
from oversight.web.app import create_app


@pytest.fixture
def site(national_store: Path) -> Iterator[Site]:
    s = Site(national_store)
    yield s
    s.close()


def test_an_evaluation_being_computed_ahead_says_so_until_it_is_done(site: Site) -> None:
    # every plan awaited, so the index computes none of them itself
    site.schedule_ahead([records.ahead_key(p) for p in records.plan_ids()])
    http = TestClient(create_app(site))
    page = http.get("/evaluations/organ_donation.html")
    assert page.status_code == 202
    assert '<meta http-equiv="refresh" content="3">' in page.text
    assert "being computed" in page.text
    assert page.headers["cache-control"] == "no-store" and page.headers["retry-after"] == "3"
    for path in ("/evaluations/organ_donation.json", "/api/v1/evaluations/organ_donation"):
        twin = http.get(path)
        assert twin.status_code == 202, path
        assert twin.json()["status"] == "being computed" and twin.json()["results"] == []
    index = http.get("/api/v1/evaluations").json()
    assert {p["plan_id"]: p["status"] for p in index["plans"]}["organ_donation"] == (
        "being computed"
    )

    # what the server's thread does, here
    ahead.compute_all(site, ["organ_donation"], quarters=False)

    done = http.get("/api/v1/evaluations/organ_donation")
    assert done.status_code == 200 and done.json()["status"] == "computed"
    assert http.get("/evaluations/organ_donation.html").status_code == 200
    index = http.get("/api/v1/evaluations").json()  # the kept index was dropped
    assert {p["plan_id"]: p["status"] for p in index["plans"]}["organ_donation"] == "computed"


def test_no_room_for_a_computation_is_503_with_retry_after(site: Site) -> None:
    site.gate = ComputeGate(concurrent=1, retry_after=9)
    http = TestClient(create_app(site))
    assert site.gate is not None
    with site.gate.slot():  # the only slot, held by someone else
        api = http.get("/api/v1/league-tables?quarter=2025-26-q3")
        assert api.status_code == 503 and api.headers["retry-after"] == "9"
        assert api.json()["ok"] is False and api.json()["status"] == 503
        page = http.get("/2025-26-q3/league/mental_health_community.html")
        assert page.status_code == 503 and "try this one in 9 s" in page.text
    assert http.get("/api/v1/league-tables?quarter=2025-26-q3").status_code == 200
    assert http.get("/2025-26-q3/league/mental_health_community.html").status_code == 200
