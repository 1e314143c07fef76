"""HTTP for `oversight fetch`, on the standard library: pages as text, files streamed to a
``.part`` file beside their final name, hashed as they arrive, resumed with a Range request,
and renamed into place only once the whole body (as announced) is on disk.

Every failure is a :class:`FetchError` whose message is one line naming the URL.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

CHUNK = 64 * 1024
TIMEOUT = 30.0  # seconds, per connection attempt and per read
USER_AGENT = "oversight-fetch/1 (+https://github.com/oversight; open data client)"
_CONTENT_RANGE = re.compile(r"^bytes\s+(\d+)-(\d+)/(\d+|\*)$")


class FetchError(Exception):
    """A page or file that could not be fetched; the message is one line naming the URL."""


class ProgressHook(Protocol):
    def started(self, name: str, total: int | None, already: int) -> None: ...

    def advanced(self, nbytes: int) -> None: ...


class _Silent:
    def started(self, name: str, total: int | None, already: int) -> None:
        pass

    def advanced(self, nbytes: int) -> None:
        pass


@dataclass(frozen=True)
class Validators:
    """What the server said identifies the version we hold (for conditional requests)."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class Downloaded:
    path: Path
    sha256: str
    size: int
    validators: Validators
    resumed_from: int = 0  # bytes already on disk when this download started (0: fresh)
    not_modified: bool = False  # the server answered 304: the cached copy is current


def _request(url: str, headers: dict[str, str], timeout: float) -> http.client.HTTPResponse:
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, **headers})
    try:
        response: http.client.HTTPResponse = urllib.request.urlopen(req, timeout=timeout)  # noqa: S310 - http(s) checked by the caller
    except urllib.error.HTTPError as exc:
        exc.close()
        if exc.code == 304:
            raise _NotModified from None
        if exc.code == 416:
            raise _RangeRefused from None
        raise FetchError(f"{url}: HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, ConnectionRefusedError):
            raise FetchError(f"{url}: connection refused") from None
        if isinstance(reason, TimeoutError):
            raise FetchError(f"{url}: timed out after {timeout:g}s") from None
        raise FetchError(f"{url}: cannot connect ({reason})") from None
    except TimeoutError:
        raise FetchError(f"{url}: timed out after {timeout:g}s") from None
    except (OSError, http.client.HTTPException) as exc:
        raise FetchError(f"{url}: {type(exc).__name__} {exc}".rstrip()) from None
    return response


class _NotModified(Exception):
    pass


class _RangeRefused(Exception):
    pass


def get_page(url: str, timeout: float = TIMEOUT) -> str:
    """A landing page's HTML as text (decoded as the server says, else UTF-8)."""
    try:
        response = _request(url, {"Accept": "text/html"}, timeout)
    except (_NotModified, _RangeRefused):
        raise FetchError(f"{url}: unexpected answer to a plain request") from None
    with response:
        try:
            body = response.read()
        except (OSError, http.client.HTTPException) as exc:
            raise FetchError(f"{url}: page cut short ({type(exc).__name__})") from None
        charset = response.headers.get_content_charset() or "utf-8"
    return body.decode(charset, errors="replace")


def part_path(dest: Path) -> Path:
    return dest.with_name(dest.name + ".part")


def _meta_path(dest: Path) -> Path:
    return dest.with_name(dest.name + ".part.json")


def download(
    url: str,
    dest: Path,
    cached: Validators | None = None,
    hook: ProgressHook | None = None,
    timeout: float = TIMEOUT,
) -> Downloaded:
    """Fetch ``url`` to ``dest``. A ``.part`` left by an earlier attempt is resumed with a Range
    request (guarded by If-Range, so a file changed meanwhile is fetched whole); with ``cached``
    validators and ``dest`` present, a conditional request may answer "not modified"."""
    hook = hook or _Silent()
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = part_path(dest)
    try:
        return _attempt(url, dest, part, cached, hook, timeout)
    except _RangeRefused:
        # the partial copy no longer fits the file on the server: start again
        part.unlink(missing_ok=True)
    try:
        return _attempt(url, dest, part, cached, hook, timeout)
    except _RangeRefused:
        raise FetchError(f"{url}: HTTP 416 Range Not Satisfiable") from None


def _attempt(
    url: str,
    dest: Path,
    part: Path,
    cached: Validators | None,
    hook: ProgressHook,
    timeout: float,
) -> Downloaded:
    already = part.stat().st_size if part.exists() else 0
    headers: dict[str, str] = {}
    if already:
        headers["Range"] = f"bytes={already}-"
        partial = _read_meta(dest)
        if partial.etag or partial.last_modified:
            headers["If-Range"] = str(partial.etag or partial.last_modified)
    elif cached is not None and dest.exists():
        if cached.etag:
            headers["If-None-Match"] = cached.etag
        if cached.last_modified:
            headers["If-Modified-Since"] = cached.last_modified
    try:
        response = _request(url, headers, timeout)
    except _NotModified:
        return Downloaded(dest, "", dest.stat().st_size, cached or Validators(), not_modified=True)
    with response:
        validators = Validators(response.headers.get("ETag"), response.headers.get("Last-Modified"))
        expected, start = _expected_size(url, response, already)
        _write_meta(dest, url, validators)
        digest = hashlib.sha256()
        if start:
            with part.open("rb") as fh:
                while block := fh.read(CHUNK):
                    digest.update(block)
        hook.started(dest.name, expected, start)
        size, dropped = _stream(response, part, start, digest, hook)
    if dropped or (expected is not None and size != expected):
        of = f" of {expected}" if expected is not None else ""
        raise FetchError(
            f"{url}: download cut short at {size}{of} bytes; "
            f"the partial file is kept and the next run resumes it"
        )
    os.replace(part, dest)  # atomic: a file under its final name is always complete
    _meta_path(dest).unlink(missing_ok=True)
    return Downloaded(dest, digest.hexdigest(), size, validators, resumed_from=start)


def _expected_size(
    url: str, response: http.client.HTTPResponse, already: int
) -> tuple[int | None, int]:
    """The file's full size if announced, and the offset this response's body starts at."""
    if response.status == 206:
        match = _CONTENT_RANGE.match(response.headers.get("Content-Range", "").strip())
        if not match or int(match.group(1)) != already:
            raise FetchError(f"{url}: the server's partial answer does not continue the file")
        total = match.group(3)
        return (int(total) if total != "*" else int(match.group(2)) + 1), already
    length = response.headers.get("Content-Length")
    return (int(length) if length and length.isdigit() else None), 0


def _stream(
    response: http.client.HTTPResponse,
    part: Path,
    start: int,
    digest: hashlib._Hash,
    hook: ProgressHook,
) -> tuple[int, bool]:
    """Append the body to the part file; the size on disk, and whether the connection dropped
    (with chunked encoding there is no announced length to compare, only the broken read)."""
    size = start
    with part.open("ab" if start else "wb") as fh:

        def keep(chunk: bytes) -> None:
            nonlocal size
            fh.write(chunk)
            digest.update(chunk)
            size += len(chunk)
            hook.advanced(len(chunk))

        try:
            while chunk := response.read(CHUNK):
                keep(chunk)
        except http.client.IncompleteRead as exc:
            keep(exc.partial)  # the bytes of the read that failed are good too
            return size, True
        except (OSError, http.client.HTTPException):
            return size, True  # what arrived is kept for the next run to resume
    return size, False


def _write_meta(dest: Path, url: str, validators: Validators) -> None:
    meta = {"url": url, "etag": validators.etag, "last_modified": validators.last_modified}
    _meta_path(dest).write_text(json.dumps(meta), encoding="utf-8")


def _read_meta(dest: Path) -> Validators:
    try:
        meta = json.loads(_meta_path(dest).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Validators()
    return Validators(meta.get("etag"), meta.get("last_modified"))
