"""The admin upload is bounded while streaming: a body over the limit is refused (413, the JSON
error envelope) after reading at most one chunk past the limit, whether Content-Length is
honest, lies, or is absent (a chunked upload). Driven in process through raw ASGI calls, so
what is counted is how many chunks the endpoint asked for, not memory."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from oversight.api import admin
from oversight.api.app import create_api
from oversight.service.site import Site
from oversight.store import connect

TOKEN = "s3cret-token"
CHUNK = 1024 * 1024
LINES = b"a,b,c\n" * (CHUNK // 6) + b"\n" * (CHUNK % 6)  # one CHUNK of short CSV lines


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    db = tmp_path / "s.duckdb"
    connect(db).close()
    s = Site(db, writable=True)
    yield s
    s.close()


def post(site: Site, chunks: int, content_length: int | None) -> tuple[int, dict[str, Any], int]:
    """POST ``chunks`` chunks of CHUNK bytes; (status, JSON body, chunks the app consumed)."""
    app = create_api(site, TOKEN)
    headers = [(b"authorization", f"Bearer {TOKEN}".encode()), (b"content-type", b"text/csv")]
    if content_length is not None:
        headers.append((b"content-length", str(content_length).encode()))
    else:
        headers.append((b"transfer-encoding", b"chunked"))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/api/v1/admin/ingest",
        "raw_path": b"/api/v1/admin/ingest",
        "query_string": b"filename=big.csv",
        "headers": headers,
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
        "root_path": "",
    }
    consumed = 0
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        nonlocal consumed
        if consumed >= chunks:
            return {"type": "http.disconnect"}
        consumed += 1
        return {"type": "http.request", "body": LINES, "more_body": consumed < chunks}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return status, json.loads(body), consumed


def limit_chunks() -> int:
    return admin.MAX_BYTES // CHUNK


@pytest.mark.parametrize("declared", [None, 100], ids=["chunked", "content-length-lies"])
def test_an_oversized_stream_is_cut_off_at_the_limit(site: Site, declared: int | None) -> None:
    offered = 3 * limit_chunks()  # 150 MB offered
    status, body, consumed = post(site, offered, declared)
    assert status == 413
    assert body["ok"] is False and body["status"] == 413 and "larger than 50 MB" in body["error"]
    # stopped at the first chunk past the limit: never read the remaining 100 MB
    assert consumed == limit_chunks() + 1 < offered


def test_an_honest_oversized_content_length_reads_nothing(site: Site) -> None:
    status, body, consumed = post(site, 3 * limit_chunks(), 3 * admin.MAX_BYTES)
    assert (status, consumed) == (413, 0) and body["status"] == 413


def test_a_body_within_the_limit_is_read_whole_and_checked(site: Site) -> None:
    status, body, consumed = post(site, 2, None)
    assert consumed == 2
    assert status == 422 and body["ok"] is False  # read whole, then refused by the checks
