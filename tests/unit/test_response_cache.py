"""The response cache in front of routing: a 200 for a GET is built once and answered from
bytes after that, with a strong ETag (304 on If-None-Match), gzip for clients that accept it,
HEAD without a body; never a non-200 or a no-store response; dropped when the site's
generation changes. Against a counting ASGI app, so every claim is about what reached it."""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from typing import cast

from fastapi.testclient import TestClient
from starlette.types import Receive, Scope, Send

from oversight.api.response_cache import ResponseCache
from oversight.service.expensive import requesting_client
from oversight.service.site import Site

BIG = b"x" * 5000


@dataclass
class FakeSite:
    generation: int = 0


class Counting:
    def __init__(self) -> None:
        self.calls: list[str] = []
        self.clients: list[str | None] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.calls.append(scope["path"])
        self.clients.append(requesting_client.get())
        status, headers, body = self.answer(scope["path"])
        await send({"type": "http.response.start", "status": status, "headers": headers})
        # in two parts: the cache must join them
        await send({"type": "http.response.body", "body": body[:10], "more_body": True})
        await send({"type": "http.response.body", "body": body[10:]})

    def answer(self, path: str) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        plain = [(b"content-type", b"application/json"), (b"x-frame-options", b"DENY")]
        if path == "/missing":
            return 404, plain, b'{"ok": false}'
        if path == "/pending":
            return 200, [*plain, (b"cache-control", b"no-store")], b"{}"
        body = BIG if path == "/big" else b'{"n": 1}'
        return 200, [*plain, (b"content-length", str(len(body)).encode())], body


def client(app: Counting, site: FakeSite) -> TestClient:
    return TestClient(ResponseCache(app, site=cast(Site, site)))


def test_a_response_is_built_once_and_then_answered_from_bytes() -> None:
    app, site = Counting(), FakeSite()
    http = client(app, site)
    first = http.get("/a?x=1", headers={"accept-encoding": "identity"})
    second = http.get("/a?x=1", headers={"accept-encoding": "identity"})
    assert first.content == second.content == b'{"n": 1}'
    assert first.headers["etag"] == second.headers["etag"]
    assert second.headers["x-frame-options"] == "DENY"  # the headers it was built with
    assert app.calls == ["/a"]
    http.get("/a?x=2")  # another query is another response
    assert app.calls == ["/a", "/a"]


def test_if_none_match_is_304_and_head_has_no_body() -> None:
    app, site = Counting(), FakeSite()
    http = client(app, site)
    etag = http.get("/a").headers["etag"]
    r = http.get("/a", headers={"if-none-match": f'"other", {etag}'})
    assert r.status_code == 304 and r.content == b"" and r.headers["etag"] == etag
    assert r.headers["x-frame-options"] == "DENY"
    head = http.head("/a")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == "8"
    assert app.calls == ["/a"]


def test_gzip_for_clients_that_accept_it_made_once() -> None:
    app, site = Counting(), FakeSite()
    http = client(app, site)
    plain = http.get("/big", headers={"accept-encoding": "identity"})
    assert "content-encoding" not in plain.headers and plain.content == BIG
    assert plain.headers["vary"] == "accept-encoding"
    raw = http.get("/big", headers={"accept-encoding": "br, gzip;q=0.8"})
    assert raw.headers["content-encoding"] == "gzip"
    assert raw.headers["etag"] != plain.headers["etag"]
    assert raw.content == BIG  # httpx decoded it
    assert int(raw.headers["content-length"]) == len(gzip.compress(BIG, 6, mtime=0))
    refused = http.get("/big", headers={"accept-encoding": "gzip;q=0"})
    assert "content-encoding" not in refused.headers
    assert app.calls == ["/big"]


def test_errors_and_no_store_responses_are_never_kept() -> None:
    app, site = Counting(), FakeSite()
    http = client(app, site)
    for _ in range(2):
        assert http.get("/missing").status_code == 404
        http.get("/pending")
    assert app.calls == ["/missing", "/pending", "/missing", "/pending"]


def test_a_new_generation_drops_every_kept_response() -> None:
    app, site = Counting(), FakeSite()
    http = client(app, site)
    http.get("/a")
    http.get("/a")
    site.generation += 1
    http.get("/a")
    assert app.calls == ["/a", "/a"]


def test_the_client_is_known_to_what_builds_the_response() -> None:
    app, site = Counting(), FakeSite()
    http = client(app, site)
    http.get("/a")
    http.post("/a")
    assert app.clients == ["testclient", "testclient"]


def test_disabled_it_passes_everything_through() -> None:
    app = Counting()
    http = TestClient(ResponseCache(app, site=cast(Site, FakeSite()), enabled=False))
    http.get("/a")
    http.get("/a")
    assert app.calls == ["/a", "/a"]
