"""Built responses kept as bytes and answered before any routing: the server's hot path.

Every response the server gives to a GET is a function of its path and query string and of
what the site has computed (which changes only on an ingest or when a result computed ahead is
ready: ``Site.generation``). So the first 200 for a path and query is kept whole (headers,
security headers included, and body) with a strong ETag, and the next request for it is
answered here, in the event loop: no routing, no parameter validation, no thread pool.
``If-None-Match`` gets 304; a client that accepts gzip gets a compressed copy (made once).
A response that says ``Cache-Control: no-store`` (being computed, busy) or is not a 200 is never
kept. Kept responses are bounded in number and in bytes, least recently used dropped first.

Every request also records its client's address for the expensive-computation gate.
"""

from __future__ import annotations

import gzip
import hashlib
from collections import OrderedDict
from dataclasses import dataclass, field

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from oversight.service.expensive import requesting_client
from oversight.service.site import Site

COMPRESSIBLE = (b"text/", b"application/json", b"image/svg+xml")
MIN_GZIP = 1024  # smaller bodies gain nothing worth a header
VARY = (b"vary", b"accept-encoding")


@dataclass
class Kept:
    headers: list[tuple[bytes, bytes]]
    body: bytes
    etag: bytes
    compressible: bool
    gzipped: tuple[list[tuple[bytes, bytes]], bytes, bytes] | None = field(default=None)

    def gzip_variant(self) -> tuple[list[tuple[bytes, bytes]], bytes, bytes]:
        if self.gzipped is None:
            packed = gzip.compress(self.body, compresslevel=6, mtime=0)
            etag = self.etag[:-1] + b'-gz"'
            headers = [(k, v) for k, v in self.headers if k not in (b"content-length", b"etag")] + [
                (b"content-length", str(len(packed)).encode()),
                (b"content-encoding", b"gzip"),
                (b"etag", etag),
            ]
            self.gzipped = (headers, packed, etag)
        return self.gzipped


def _header(scope: Scope, name: bytes) -> bytes:
    for k, v in scope["headers"]:
        if k == name:
            return bytes(v)
    return b""


def _matches(if_none_match: bytes, etag: bytes) -> bool:
    if if_none_match.strip() == b"*":
        return True
    return any(t.strip().removeprefix(b"W/") == etag for t in if_none_match.split(b","))


def _accepts_gzip(accept_encoding: bytes) -> bool:
    for part in accept_encoding.lower().split(b","):
        name, _, params = part.strip().partition(b";")
        if name.strip() in (b"gzip", b"*"):
            q = params.strip()
            return not (q.startswith(b"q=") and float(q[2:] or b"1") == 0)
    return False


class ResponseCache:
    """ASGI middleware: kept responses answered at once, others built by ``app`` and kept."""

    def __init__(
        self,
        app: ASGIApp,
        site: Site,
        enabled: bool = True,
        max_entries: int = 8192,
        max_bytes: int = 256 << 20,
        max_body: int = 8 << 20,
    ) -> None:
        self.app = app
        self.site = site
        self.enabled = enabled
        self.max_entries, self.max_bytes, self.max_body = max_entries, max_bytes, max_body
        self._kept: OrderedDict[tuple[str, bytes], Kept] = OrderedDict()
        self._bytes = 0
        self._generation = site.generation

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.enabled and scope["method"] in ("GET", "HEAD"):
            if self._generation != self.site.generation:
                self._kept.clear()
                self._bytes = 0
                self._generation = self.site.generation
            key = (scope["path"], scope["query_string"])
            kept = self._kept.get(key)
            if kept is not None:
                self._kept.move_to_end(key)
                await self._answer(kept, scope, send)
                return
            client = scope.get("client")
            token = requesting_client.set(client[0] if client else None)
            try:
                if scope["method"] == "GET":
                    await self._build_and_keep(key, scope, receive, send)
                else:
                    await self.app(scope, receive, send)
            finally:
                requesting_client.reset(token)
            return
        client = scope.get("client")
        token = requesting_client.set(client[0] if client else None)
        try:
            await self.app(scope, receive, send)
        finally:
            requesting_client.reset(token)

    async def _answer(self, kept: Kept, scope: Scope, send: Send) -> None:
        headers, body, etag = kept.headers, kept.body, kept.etag
        if kept.compressible and _accepts_gzip(_header(scope, b"accept-encoding")):
            headers, body, etag = kept.gzip_variant()
        if_none_match = _header(scope, b"if-none-match")
        if if_none_match and _matches(if_none_match, etag):
            not_modified = [(k, v) for k, v in headers if k != b"content-length"]
            await send({"type": "http.response.start", "status": 304, "headers": not_modified})
            await send({"type": "http.response.body", "body": b""})
            return
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send(
            {"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body}
        )

    async def _build_and_keep(
        self, key: tuple[str, bytes], scope: Scope, receive: Receive, send: Send
    ) -> None:
        generation = self.site.generation
        start: Message | None = None
        chunks: list[bytes] = []
        size = 0
        passing = False  # not kept: messages go straight through

        async def capture(message: Message) -> None:
            nonlocal start, size, passing
            if passing:
                await send(message)
                return
            if message["type"] == "http.response.start":
                headers = message.get("headers", [])
                if message["status"] != 200 or any(
                    k.lower() == b"cache-control" and b"no-store" in v.lower() for k, v in headers
                ):
                    passing = True
                    await send(message)
                else:
                    start = message
                return
            if message["type"] != "http.response.body" or start is None:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > self.max_body:  # too big to keep: send what we have and stream the rest
                passing = True
                await send(start)
                await send(
                    {"type": "http.response.body", "body": b"".join(chunks), "more_body": True}
                )
                if not message.get("more_body", False):
                    await send({"type": "http.response.body", "body": b""})
                return
            if message.get("more_body", False):
                return
            kept = self._keep(start, b"".join(chunks))
            if self.site.generation == generation:
                self._store(key, kept)
            await self._answer(kept, scope, send)

        await self.app(scope, receive, capture)

    def _keep(self, start: Message, body: bytes) -> Kept:
        headers = [(bytes(k).lower(), bytes(v)) for k, v in start.get("headers", [])]
        names = {k for k, _ in headers}
        etag = next((v for k, v in headers if k == b"etag"), b"")
        if not etag:
            etag = b'"' + hashlib.blake2b(body, digest_size=12).hexdigest().encode() + b'"'
            headers.append((b"etag", etag))
        content_type = next((v for k, v in headers if k == b"content-type"), b"")
        compressible = (
            len(body) >= MIN_GZIP
            and content_type.startswith(COMPRESSIBLE)
            and b"content-encoding" not in names
        )
        if compressible:
            headers.append(VARY)
        return Kept(headers, body, etag, compressible)

    def _store(self, key: tuple[str, bytes], kept: Kept) -> None:
        old = self._kept.pop(key, None)
        if old is not None:
            self._bytes -= len(old.body)
        self._kept[key] = kept
        self._bytes += len(kept.body)
        while self._kept and (len(self._kept) > self.max_entries or self._bytes > self.max_bytes):
            _, dropped = self._kept.popitem(last=False)
            self._bytes -= len(dropped.body)
