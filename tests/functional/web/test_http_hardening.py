"""Every response of the live server carries the security headers; HEAD is answered like GET
without a body; an unknown /api/ path answers with the JSON error shape, never the dashboard's
HTML page. Against the real `oversight serve` on loopback (the session's server)."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterator

import httpx
import pytest

from tests.functional.web.conftest import Server

PATHS = [
    "/",
    "/index.html",
    "/api/v1/quarters",
    "/api/v1/league-tables?trust_type=mental_health_community",
    "/api/openapi.json",
    "/static/site.css",
    "/no-such-page.html",
    "/api/v1/organisations/ZZZ99",
]
HEADERS = {
    "content-security-policy": "frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
}


@pytest.fixture(scope="module")
def http(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=300) as client:
        yield client


@pytest.mark.parametrize("path", PATHS)
def test_security_headers_on_every_response(http: httpx.Client, path: str) -> None:
    r = http.get(path)
    for name, fragment in HEADERS.items():
        assert fragment in r.headers.get(name, ""), (path, name, r.headers.get(name))
    assert "default-src 'self'" in r.headers["content-security-policy"]


@pytest.mark.parametrize("path", PATHS)
def test_head_is_answered_like_get_without_a_body(http: httpx.Client, path: str) -> None:
    get, head = http.get(path), http.head(path)
    assert head.status_code == get.status_code != 405
    assert head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]


@pytest.mark.parametrize(
    "method, path",
    [
        ("GET", "/api/v1/nope"),
        ("GET", "/api/v2/league"),
        ("POST", "/api/v1/nope"),
        ("GET", "/api/"),
    ],
)
def test_unknown_api_paths_answer_with_the_json_error_shape(
    http: httpx.Client, method: str, path: str
) -> None:
    r = http.request(method, path)
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/json")
    assert r.json() == {"ok": False, "error": f"No API route {path}", "errors": [], "status": 404}


@pytest.mark.parametrize("path", ["/api/v1/quarters", "/api/v1/league-tables"])
def test_a_known_api_path_with_another_method_is_405(http: httpx.Client, path: str) -> None:
    r = http.put(path)
    assert r.status_code == 405 and "GET" in r.headers["allow"]
    assert r.json()["status"] == 405


@pytest.mark.parametrize("path", ["/index.html", "/2025-26-q4/league/mental_health_community.html"])
def test_every_inline_script_is_allowed_by_its_hash_alone(http: httpx.Client, path: str) -> None:
    """The policy allows no inline script but by hash: each one on a page must be listed, or
    the browser blocks it (NHS.UK's "js-enabled" marker was blocked on every page)."""
    r = http.get(path)
    policy = r.headers["content-security-policy"]
    assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";", 1)[0]
    inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", r.text, flags=re.S)
    assert inline, "the page template's inline script is expected"
    for script in inline:
        digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
        assert f"'sha256-{digest}'" in policy, script[:60]
