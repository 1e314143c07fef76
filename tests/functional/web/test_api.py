"""The HTTP API over real HTTP against `oversight serve`: numbers, filters, downloads, errors,
admin writes and attempts at SQL injection."""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import httpx
import pyarrow.parquet as pq
import pytest

from tests.conftest import MH_DATA, MH_LEAGUE
from tests.functional.web.conftest import Server, start_server, stop

# a first, uncached computation can take many seconds on a loaded machine: the timeout is
# far beyond any such wait, so these tests do not depend on load
FIRST_COMPUTATION = 600

Q4 = "Q4 2025/26"
MH = "mental_health_community"
TOKEN = "s3cret-token-for-tests"


@pytest.fixture(scope="module")
def http(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=600) as client:
        yield client


def stored(db: Path, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def assert_error(r: httpx.Response, status: int) -> dict[str, Any]:
    assert r.status_code == status, r.text
    body: dict[str, Any] = r.json()
    assert body["ok"] is False and body["status"] == status and body["error"]
    return body


def test_league_table_equals_the_published_one(http: httpx.Client, server: Server) -> None:
    r = http.get("/api/v1/league-tables", params={"quarter": Q4, "trust_type": MH, "limit": 1000})
    body = r.json()
    assert body["total"] == 61 and body["meta"]["quarter"] == Q4
    published = {
        code: (rank, avg, seg, deficit)
        for code, rank, avg, seg, deficit in stored(
            server.db,
            "SELECT trust_code, rank, average_score, segment, in_financial_deficit "
            "FROM nof_league_row WHERE quarter = ?",
            [Q4],
        )
    }
    for row in body["rows"]:
        assert published[row["trust_code"]] == (
            row["rank"],
            row["average_score"],
            row["segment"],
            row["in_financial_deficit"],
        )


def test_filter_sort_paginate(http: httpx.Client) -> None:
    everything = http.get("/api/v1/league-tables", params={"limit": 1000}).json()["rows"]
    london = http.get("/api/v1/league-tables", params={"region": "london"}).json()
    assert london["total"] == sum(r["region"] == "London" for r in everything) > 0
    assert {r["region"] for r in london["rows"]} == {"London"}
    by_name = http.get("/api/v1/league-tables", params={"sort": "-trust_name", "limit": 1000})
    names = [r["trust_name"] for r in by_name.json()["rows"]]
    assert names == sorted(names, reverse=True)
    by_score = http.get("/api/v1/league-tables", params={"sort": "average_score", "limit": 1000})
    scores = [r["average_score"] for r in by_score.json()["rows"]]
    assert scores == sorted(scores)
    pages = [
        http.get("/api/v1/league-tables", params={"limit": 25, "offset": o}).json()["rows"]
        for o in (0, 25, 50)
    ]
    assert [r["trust_code"] for p in pages for r in p] == [r["trust_code"] for r in everything]


def test_downloads_carry_the_same_rows(http: httpx.Client) -> None:
    params = {"quarter": "2025-26-q3", "limit": 1000}
    rows = http.get("/api/v1/league-tables", params=params).json()["rows"]
    as_csv = http.get("/api/v1/league-tables", params={**params, "format": "csv"})
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert "attachment" in as_csv.headers["content-disposition"]
    parsed = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert [r["trust_code"] for r in parsed] == [r["trust_code"] for r in rows]
    assert [float(r["average_score"]) for r in parsed] == [r["average_score"] for r in rows]
    as_parquet = http.get("/api/v1/league-tables", params={**params, "format": "parquet"})
    table = pq.read_table(io.BytesIO(as_parquet.content)).to_pylist()
    assert [(r["trust_code"], r["rank"], r["rank_low"]) for r in table] == [
        (r["trust_code"], r["rank"], r["rank_low"]) for r in rows
    ]


def test_organisation_record(http: httpx.Client, server: Server) -> None:
    record = http.get("/api/v1/organisations/ryy").json()  # codes in any case
    assert record["trust_code"] == "RYY" and record["meta"]["quarter"] == Q4
    values = dict(
        stored(
            server.db,
            "SELECT metric_id, value FROM nof_value WHERE quarter = ? AND trust_code = 'RYY'",
            [Q4],
        )
    )
    medians = dict(
        stored(
            server.db,
            "SELECT metric_id, median FROM nof_value WHERE quarter = ? AND trust_code = 'RYY'",
            [Q4],
        )
    )
    for m in record["metrics"]:
        if m["raw_id"] in values:
            assert m["value"] == values[m["raw_id"]]
            assert m["peer_median"] == medians[m["raw_id"]]
    path = record["segment_path"]
    assert path["segment"] == 1 and path["rank"] == 1 and path["rank_of"] == 61
    assert [s["quarter"] for s in record["history"]] == [
        "Q1 2025/26",
        "Q2 2025/26",
        "Q3 2025/26",
        Q4,
    ]
    history = http.get("/api/v1/organisations/RYY/history", params={"format": "csv"})
    assert len(list(csv.DictReader(io.StringIO(history.text)))) == 4


def test_metric_view_and_search(http: httpx.Client) -> None:
    view = http.get("/api/v1/metrics/OF0061", params={"trust_type": MH}).json()
    assert view["metric"]["id"] == "OF1061" and len(view["rows"]) == 61
    scores = [r["score"] for r in view["rows"]]
    assert scores == sorted(scores)
    about = view["metric"]
    assert about["definition"] and about["sub_domain"]  # the publisher's own words
    assert about["peer_pool"] == "Ranked among the organisations of the same trust type."
    assert about["source_files"] and all(f.endswith(".csv") for f in about["source_files"])
    page = http.get("/2025-26-q4/metric/OF1061.html").text
    for heading in ("Definition", "Better when", "Period", "Ranked against", "Source"):
        assert f">{heading}</dt>" in page
    assert page.count("<circle") >= 61  # the distribution: a dot per trust, and the strips
    assert 'aria-label="Distribution of 61 values' in page
    found = http.get("/api/v1/organisations", params={"q": "kent community"}).json()
    assert [r["trust_code"] for r in found["rows"]] == ["RYY"]
    by_code = http.get("/api/v1/organisations", params={"q": "rv3"}).json()
    assert by_code["rows"][0]["trust_code"] == "RV3"


@pytest.mark.parametrize(
    ("url", "params", "status"),
    [
        ("/api/v1/league-tables", {"quarter": "Q1 1999/00"}, 404),
        ("/api/v1/league-tables", {"trust_type": "Acute teaching hospital"}, 404),
        ("/api/v1/league-tables", {"sort": "bogus"}, 422),
        ("/api/v1/league-tables", {"limit": 0}, 422),
        ("/api/v1/organisations/ZZZ99", {}, 404),
        ("/api/v1/organisations/not-a-code", {}, 422),
        ("/api/v1/organisations/ZZZ99/history", {}, 404),
        ("/api/v1/metrics/OF9999", {}, 404),
        ("/api/v1/metrics/latest", {}, 422),
        ("/api/v1/trust-types", {"quarter": "Q5 2025/26"}, 404),
        ("/2025-26-q4/org/ZZZ99.json", {}, 404),
        ("/2031-32-q1/league/mental_health_community.json", {}, 404),
    ],
)
def test_unknown_things_are_clear_errors(
    http: httpx.Client, url: str, params: dict[str, Any], status: int
) -> None:
    assert_error(http.get(url, params=params), status)


def test_unknown_pages_are_html_404s(http: httpx.Client) -> None:
    r = http.get("/2025-26-q4/org/ZZZ99.html")
    assert r.status_code == 404 and "text/html" in r.headers["content-type"]
    assert "No organisation" in r.text


INJECTIONS = [
    "x' OR '1'='1",
    "'; DROP TABLE nof_value; --",
    'Q4 2025/26"; DELETE FROM release; --',
    "1; SELECT * FROM source_file",
]


@pytest.mark.parametrize("text", INJECTIONS)
def test_sql_injection_does_nothing(http: httpx.Client, server: Server, text: str) -> None:
    before = stored(server.db, "SELECT (SELECT count(*) FROM nof_value), count(*) FROM release")
    assert_error(http.get("/api/v1/league-tables", params={"region": text}), 404)
    assert_error(http.get("/api/v1/league-tables", params={"sort": text}), 422)
    assert_error(http.get("/api/v1/league-tables", params={"quarter": text}), 404)
    assert_error(http.get("/api/v1/league-tables", params={"trust_type": text}), 404)
    assert http.get("/api/v1/organisations", params={"q": text}).json()["total"] == 0
    after = stored(server.db, "SELECT (SELECT count(*) FROM nof_value), count(*) FROM release")
    assert before == after


def test_every_page_links_its_twins(http: httpx.Client) -> None:
    for path in (
        "/index",
        "/2025-26-q4/league/mental_health_community",
        "/2025-26-q2/org/RYY",
        "/2025-26-q4/metric/OF1061",
        "/search",
    ):
        html = http.get(path + ".html")
        assert html.status_code == 200 and 'rel="alternate"' in html.headers["link"]
        name = path.rsplit("/", 1)[-1]
        assert f'href="{name}.json"' in html.text and f'href="{name}.csv"' in html.text
        assert http.get(path + ".json").json()
        assert http.get(path + ".csv").text.count("\n") >= 2


# -- the admin endpoint ------------------------------------------------------------------


@pytest.fixture(scope="module")
def admin_server(
    national_store: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    db = tmp_path_factory.mktemp("admin") / "admin.duckdb"
    shutil.copy(national_store, db)
    s = start_server(db, {"OVERSIGHT_ADMIN_TOKEN": TOKEN})
    yield s
    stop(s.process)


def ingest(
    server: Server, content: bytes, name: str, token: str | None, **params: Any
) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return httpx.post(
        server.url + "/api/v1/admin/ingest",
        params={"filename": name, **params},
        content=content,
        headers=headers,
        timeout=600,
    )


def test_writes_need_the_token(admin_server: Server, server: Server) -> None:
    data = MH_LEAGUE.read_bytes()
    r = ingest(admin_server, data, MH_LEAGUE.name, None)
    assert_error(r, 401)
    assert r.headers["www-authenticate"] == "Bearer"
    assert_error(ingest(admin_server, data, MH_LEAGUE.name, "wrong"), 403)
    # a server started without a token has writes disabled, whatever is sent
    assert_error(ingest(server, data, MH_LEAGUE.name, TOKEN), 403)


def test_admin_ingest_and_new_revision(admin_server: Server) -> None:
    same = ingest(admin_server, MH_LEAGUE.read_bytes(), MH_LEAGUE.name, TOKEN)
    assert same.status_code == 200 and same.json()["already_ingested"] is True

    # change one published value in Q4: refused without new_revision, nothing stored
    text = MH_DATA.read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    i = next(
        n
        for n, line in enumerate(lines)
        if line.startswith("Q4 2025/26") and ",RYY," in line and ",OF0061," in line
    )
    lines[i] = lines[i].replace(",7.23,", ",7.31,", 1)
    changed = ("\n".join(lines) + "\n").encode()
    refused = assert_error(ingest(admin_server, changed, "revised.csv", TOKEN), 422)
    assert "would overwrite" in refused["error"]
    assert refused["errors"][0]["field"] == "Quarter"
    before = httpx.get(
        admin_server.url + "/api/v1/organisations/RYY", timeout=FIRST_COMPUTATION
    ).json()
    assert before["meta"]["revisions"] == {MH: 1}

    stored_now = ingest(admin_server, changed, "revised.csv", TOKEN, new_revision="true")
    assert stored_now.status_code == 200, stored_now.text
    assert stored_now.json()["stored"] == {Q4: 2}
    after = httpx.get(
        admin_server.url + "/api/v1/organisations/RYY", timeout=FIRST_COMPUTATION
    ).json()
    assert after["meta"]["revisions"] == {MH: 2}  # cached results were dropped
    raising = next(m for m in after["metrics"] if m["metric_id"] == "OF1061")
    assert raising["value"] == 7.31


def test_admin_rejects_bad_files_and_names(admin_server: Server) -> None:
    bad = assert_error(ingest(admin_server, b"not,a,nof\n1,2,3\n", "bad.csv", TOKEN), 422)
    assert bad["errors"][0]["file"].endswith("bad.csv") and bad["errors"][0]["line"] == 1
    assert_error(ingest(admin_server, b"x", "../../etc/passwd.csv", TOKEN), 422)
    assert_error(ingest(admin_server, b"x", "notes.txt", TOKEN), 422)
