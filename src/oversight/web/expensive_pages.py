"""How the server answers when an expensive computation cannot be served now.

* ``Pending`` (computed ahead in the background, not done yet): 202. A page says "being
  computed" and refreshes itself; a JSON twin or API route carries the record with its status.
* ``Busy`` (too many computations at once, or this client asked for too many): 503 with
  Retry-After, the JSON error envelope for the API and twins, an error page otherwise.

Neither is ever cached (``Cache-Control: no-store``; the response cache keeps only 200s).
"""

from __future__ import annotations

from fastapi import FastAPI, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse

from oversight.api.errors import body
from oversight.service.expensive import Busy, Pending
from oversight.web.pages import relative
from oversight.web.render import environment, render_error


def wants_html(request: Request) -> bool:
    path = request.url.path
    if path.startswith("/api/"):
        return False
    last = path.rsplit("/", 1)[-1]
    return not last.endswith((".json", ".csv"))


def pending_html(message: str, path: str, refresh: int) -> str:
    page_path = path.lstrip("/") or "index.html"

    def url(target: str) -> str:
        return relative(page_path, target)

    return (
        environment()
        .get_template("pending.html")
        .render(
            heading="Being computed",
            message=message,
            problems=["The server computes this once, when it starts; it is kept after that."],
            refresh=refresh,
            page_path=page_path,
            url=url,
            assets=url("static/nhsuk"),
            live=True,
        )
    )


def _no_store(response: Response, retry_after: int) -> Response:
    response.headers["retry-after"] = str(retry_after)
    response.headers["cache-control"] = "no-store"
    return response


def install(app: FastAPI) -> None:
    @app.exception_handler(Pending)
    async def _pending(request: Request, exc: Pending) -> Response:
        if wants_html(request):
            html = pending_html(exc.message, request.url.path, exc.retry_after)
            return _no_store(HTMLResponse(html, status_code=202), exc.retry_after)
        model = exc.model.model_dump(mode="json") if exc.model is not None else {}
        return _no_store(JSONResponse(model, status_code=202), exc.retry_after)

    @app.exception_handler(Busy)
    async def _busy(request: Request, exc: Busy) -> Response:
        if wants_html(request):
            html = render_error(
                503,
                exc.message,
                [f"Pages already built still open at once; try this one in {exc.retry_after} s."],
                request.url.path,
            )
            return _no_store(HTMLResponse(html, status_code=503), exc.retry_after)
        return _no_store(body(503, exc.message), exc.retry_after)
