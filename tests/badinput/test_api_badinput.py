"""Bad requests to the JSON API, in process (no server): each answered with its 4xx status and
the one JSON error envelope (``{ok: false, error, errors[], status}``) naming the field, never a
traceback or a 500, and the store (writable, with the admin endpoint enabled) left exactly as it
was. Paths are tried with traversal and wrong types; the admin endpoint with no token, a wrong
one, bad names and bad bodies (beyond that, its streaming is tested with the server)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from oversight.api import admin
from oversight.api.app import create_api
from oversight.frameworks import load_framework
from oversight.ingest.nof import parse_nof_file
from oversight.service.site import Site
from oversight.store import connect
from oversight.store.releases import store_file
from tests.badinput.store_snapshot import store_digest
from tests.conftest import MH_DATA, MH_LEAGUE

TOKEN = "corpus-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
INGEST = "/api/v1/admin/ingest"
LEAGUE = "/api/v1/league-tables"
MH = "mental_health_community"


@dataclass(frozen=True)
class ApiCase:
    id: str
    path: str
    status: int
    expected: str  # fragment of the error envelope's text (case-insensitive)
    params: dict[str, str] = field(default_factory=dict)
    method: str = "GET"
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


def upload(
    id_: str, status: int, expected: str, body: bytes, name: str = "league.csv", **more: Any
) -> ApiCase:
    params = {"filename": name, **more.pop("params", {})}
    headers = more.pop("headers", AUTH)
    return ApiCase(id_, INGEST, status, expected, params, "POST", body, headers)


CASES = [
    # query parameters of the wrong type or out of their range
    ApiCase("api-quarter-q5", LEAGUE, 404, "quarter", {"quarter": "Q5 2025/26"}),
    ApiCase("api-quarter-word", LEAGUE, 404, "quarter", {"quarter": "last spring"}),
    ApiCase("api-quarter-too-long", LEAGUE, 422, "quarter", {"quarter": "Q4 2025/26" * 5}),
    ApiCase("api-unknown-trust-type", LEAGUE, 404, "hospice", {"trust_type": "hospice"}),
    ApiCase("api-limit-text", LEAGUE, 422, "limit", {"limit": "ten"}),
    ApiCase("api-limit-negative", LEAGUE, 422, "limit", {"limit": "-1"}),
    ApiCase("api-limit-huge", LEAGUE, 422, "limit", {"limit": "1" + "0" * 30}),
    ApiCase("api-offset-float", LEAGUE, 422, "offset", {"offset": "1.5"}),
    ApiCase("api-sort-unknown", LEAGUE, 422, "sort", {"sort": "salary"}),
    ApiCase("api-format-unknown", LEAGUE, 422, "format", {"format": "xml"}),
    ApiCase(
        "api-series-bool",
        "/api/v1/series/RAJ",
        422,
        "as_published",
        {"metric": "four_hour", "as_published": "perhaps"},
    ),
    ApiCase(
        "api-series-metric-sql",
        "/api/v1/series/RAJ",
        422,
        "metric",
        {"metric": "x'; DROP TABLE releases; --"},
    ),
    ApiCase(
        "api-funnel-month-13",
        "/api/v1/ae/funnel",
        422,
        "month",
        {"metric": "ae_4hr_all_types", "month": "2025-1"},
    ),
    # paths: traversal, punctuation, unknown names
    ApiCase("api-code-punctuation", "/api/v1/organisations/R;J", 422, "code"),
    ApiCase("api-code-traversal", "/api/v1/organisations/..%2F..%2Fetc%2Fpasswd", 404, "not found"),
    ApiCase("api-code-unknown", "/api/v1/organisations/ZZZ99", 404, "ZZZ99"),
    ApiCase("api-metric-malformed", "/api/v1/metrics/OF99", 422, "metric_id"),
    ApiCase("api-metric-unknown", "/api/v1/metrics/OF9999", 404, "OF9999"),
    ApiCase("api-plan-traversal", "/api/v1/evaluations/..%2F..%2Fsecrets", 404, "not found"),
    ApiCase("api-plan-upper", "/api/v1/evaluations/Prop99", 422, "plan_id"),
    ApiCase("api-plan-unknown", "/api/v1/evaluations/no_such_plan", 404, "no_such_plan"),
    ApiCase("api-icb-long", "/api/v1/icbs/QQQQ", 422, "code"),
    # the admin endpoint: authentication, then the name and the body
    upload("admin-no-token", 401, "token", MH_LEAGUE.read_bytes(), headers={}),
    upload(
        "admin-wrong-token",
        403,
        "wrong",
        MH_LEAGUE.read_bytes(),
        headers={"Authorization": "Bearer not-it"},
    ),
    upload(
        "admin-basic-auth",
        401,
        "token",
        MH_LEAGUE.read_bytes(),
        headers={"Authorization": "Basic YWRtaW46YWRtaW4="},
    ),
    upload("admin-name-traversal", 422, "filename", b"x", name="../../etc/passwd.csv"),
    upload("admin-name-not-csv", 422, "filename", b"x", name="notes.txt"),
    upload("admin-name-hidden", 422, "filename", b"x", name=".bashrc.csv"),
    upload("admin-revision-word", 422, "new_revision", b"x", params={"new_revision": "perhaps"}),
    upload("admin-not-nof", 422, "bad.csv", b"not,a,nof\n1,2,3\n", name="bad.csv"),
    upload("admin-empty-body", 422, "empty.csv", b"", name="empty.csv"),
    upload("admin-binary-body", 422, "blob.csv", bytes(range(256)) * 4, name="blob.csv"),
    upload(
        "admin-multipart",
        422,
        "form.csv",
        b'--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\n'
        + MH_LEAGUE.read_bytes()[:200],
        name="form.csv",
        headers={**AUTH, "Content-Type": "multipart/form-data; boundary=xyz"},
    ),
    upload("admin-too-large", 413, "larger", b"x" * 5000),
]


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory, seeded_store: Path) -> Iterator[TestClient]:
    db = tmp_path_factory.mktemp("api") / "store.duckdb"
    shutil.copy(seeded_store, db)
    con = connect(db)  # the data file too, so that quarters and organisations exist
    store_file(con, parse_nof_file(MH_DATA, load_framework()))
    con.close()
    site = Site(db, writable=True)
    with TestClient(create_api(site, admin_token=TOKEN), raise_server_exceptions=False) as c:
        c.db = db  # type: ignore[attr-defined]
        yield c


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_request_is_refused(
    case: ApiCase, api: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(admin, "MAX_BYTES", 4096)  # the limit, scaled down for the test
    db: Path = api.db  # type: ignore[attr-defined]
    before = store_digest(db)
    r = api.request(
        case.method, case.path, params=case.params, content=case.body, headers=case.headers
    )
    assert r.status_code == case.status, r.text
    body = r.json()
    assert body["ok"] is False and body["status"] == case.status and body["error"], body
    assert "Traceback" not in r.text
    assert case.expected.casefold() in r.text.casefold(), r.text
    assert store_digest(db) == before
