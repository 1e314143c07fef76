"""Downloads: whole, cut short (kept and resumed), changed meanwhile (fetched whole again),
not modified, and the one-line errors. Against a tiny server on loopback."""

from __future__ import annotations

import hashlib
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from oversight.fetch.http import FetchError, Validators, download, get_page, part_path

BODY = bytes(range(256)) * 1000  # 256 kB, several chunks


@dataclass
class Server:
    base: str = ""
    body: bytes = BODY
    etag: str = '"v1"'
    cut_at: int | None = None  # send this many bytes of a whole-file answer, then close
    honour_range: bool = True
    seen: list[dict[str, str]] = field(default_factory=list)


def _handler(srv: Server) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
            pass

        def do_GET(self) -> None:  # noqa: N802 - stdlib name
            srv.seen.append(dict(self.headers.items()))
            if self.path == "/page":
                return self._answer(200, b"<a href='f.bin'>f</a>", {})
            if self.path == "/chunked.bin":  # no length announced; the connection drops
                self.send_response(200)
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                self.wfile.write(b"5\r\nhello\r\n")
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_RDWR)
                return None
            if self.path != "/f.bin":
                return self._answer(404, b"", {})
            if self.headers.get("If-None-Match") == srv.etag:
                return self._answer(304, b"", {})
            start = self.headers.get("Range", "bytes=-")[6:].rstrip("-")
            if start and srv.honour_range and self.headers.get("If-Range") in (None, srv.etag):
                n = int(start)
                rng = f"bytes {n}-{len(srv.body) - 1}/{len(srv.body)}"
                return self._answer(206, srv.body[n:], {"Content-Range": rng})
            if srv.cut_at is not None:
                cut, srv.cut_at = srv.cut_at, None
                self.send_response(200)
                self.send_header("Content-Length", str(len(srv.body)))
                self.send_header("ETag", srv.etag)
                self.end_headers()
                self.wfile.write(srv.body[:cut])
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_RDWR)
                return None
            return self._answer(200, srv.body, {})

        def _answer(self, status: int, body: bytes, headers: dict[str, str]) -> None:
            self.send_response(status)
            self.send_header("ETag", srv.etag)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


@pytest.fixture
def server() -> Iterator[Server]:
    srv = Server()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(srv))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    srv.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        yield srv
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def test_whole_file_then_not_modified(server: Server, tmp_path: Path) -> None:
    dest = tmp_path / "f.bin"
    got = download(f"{server.base}/f.bin", dest)
    assert dest.read_bytes() == BODY and got.sha256 == hashlib.sha256(BODY).hexdigest()
    assert got.size == len(BODY) and got.validators.etag == '"v1"' and got.resumed_from == 0
    again = download(f"{server.base}/f.bin", dest, Validators(etag='"v1"'))
    assert again.not_modified and server.seen[-1]["If-None-Match"] == '"v1"'


def test_cut_short_is_kept_then_resumed(server: Server, tmp_path: Path) -> None:
    dest, url = tmp_path / "f.bin", f"{server.base}/f.bin"
    server.cut_at = 100_000
    with pytest.raises(FetchError, match=r"cut short at 100000 of 256000 bytes") as caught:
        download(url, dest)
    assert url in str(caught.value) and "\n" not in str(caught.value)
    assert part_path(dest).stat().st_size == 100_000 and not dest.exists()
    got = download(url, dest)
    assert server.seen[-1]["Range"] == "bytes=100000-" and server.seen[-1]["If-Range"] == '"v1"'
    assert got.resumed_from == 100_000 and dest.read_bytes() == BODY
    assert got.sha256 == hashlib.sha256(BODY).hexdigest() and not part_path(dest).exists()


def test_file_changed_since_the_partial_copy_is_fetched_whole(
    server: Server, tmp_path: Path
) -> None:
    dest, url = tmp_path / "f.bin", f"{server.base}/f.bin"
    server.cut_at = 1000
    with pytest.raises(FetchError):
        download(url, dest)
    server.body, server.etag = b"new content" * 50, '"v2"'  # If-Range no longer matches
    got = download(url, dest)
    assert got.resumed_from == 0 and dest.read_bytes() == server.body
    assert got.sha256 == hashlib.sha256(server.body).hexdigest()


def test_server_ignoring_range_restarts_cleanly(server: Server, tmp_path: Path) -> None:
    dest, url = tmp_path / "f.bin", f"{server.base}/f.bin"
    server.cut_at, server.honour_range = 5000, False
    with pytest.raises(FetchError):
        download(url, dest)
    assert download(url, dest).resumed_from == 0 and dest.read_bytes() == BODY


def test_one_line_errors(server: Server, tmp_path: Path) -> None:
    with pytest.raises(FetchError, match=r"/missing.bin: HTTP 404 Not Found$"):
        download(f"{server.base}/missing.bin", tmp_path / "m.bin")
    assert not part_path(tmp_path / "m.bin").exists()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(FetchError, match="connection refused"):
        get_page(f"http://127.0.0.1:{port}/page")
    assert "href='f.bin'" in get_page(f"{server.base}/page")


def test_chunked_body_cut_short_is_an_error(server: Server, tmp_path: Path) -> None:
    dest = tmp_path / "chunked.bin"
    with pytest.raises(FetchError, match=r"cut short at 5 bytes; the partial file is kept"):
        download(f"{server.base}/chunked.bin", dest)
    assert part_path(dest).read_bytes() == b"hello" and not dest.exists()
