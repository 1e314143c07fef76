"""What every response of the server carries, whatever produced it: security headers, HEAD
answered like GET without a body, and the one JSON error shape for any unknown ``/api/`` path.

Pure ASGI middleware (not Starlette's BaseHTTPMiddleware), so it adds nothing measurable to the
cached responses the load benchmark times.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from oversight.api.errors import body

# Nothing is loaded from another host (NHS.UK frontend is vendored); inline SVG charts carry
# style attributes, hence 'unsafe-inline' for styles only. The one inline script is NHS.UK
# frontend's page template marking the body "js-enabled", allowed by its hash alone
# (tests/functional/web/test_http_hardening.py checks every inline script of a page against it).
INLINE_SCRIPT_HASH = b"'sha256-tDOvXJi1PXbg0CWjLCCYSNHRXtps26K4JXkE3M6u/c0='"
SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self' "
        + INLINE_SCRIPT_HASH
        + b"; style-src 'self' 'unsafe-inline'; "
        b"img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
        b"base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]


class Hardened:
    """Security headers on every response; HEAD served as GET with the body dropped."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        head = scope["method"] == "HEAD"
        if head:
            scope = dict(scope, method="GET")

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in present]
                message = dict(message, headers=[*message.get("headers", []), *extra])
            elif head and message["type"] == "http.response.body":
                message = dict(message, body=b"", more_body=False)
            await send(message)

        await self.app(scope, receive, sending)


def api_not_found(app: FastAPI) -> None:
    """Any ``/api/...`` path no route answers: the JSON error shape, never the dashboard's page.
    Registered after every API router and before the dashboard's catch-all routes; a known API
    path asked with another method is 405 with its Allow header, as without this route."""
    api_routes = list(app.router.routes)  # everything registered so far is the API

    @app.api_route(
        "/api/{rest:path}",
        methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
        include_in_schema=False,
    )
    def _unknown(request: Request, rest: str) -> JSONResponse:
        allowed = sorted(
            method
            for method in ("GET", "POST", "PUT", "PATCH", "DELETE")
            if any(
                route.matches(dict(request.scope, method=method))[0] == Match.FULL
                for route in api_routes
            )
        )
        if allowed:
            response = body(405, f"{request.method} is not allowed on {request.url.path}")
            response.headers["allow"] = ", ".join(allowed)
            return response
        return body(404, f"No API route {request.url.path}")
