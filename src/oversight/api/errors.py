"""One error shape for every failing request: ``{ok: false, error, errors[], status}``."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from oversight.api.models import ErrorBody, ProblemOut
from oversight.errors import UserError
from oversight.service.site import NotFound

# Responses every read endpoint documents besides its 200.
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "Unknown quarter, trust type, code or metric"},
    422: {"model": ErrorBody, "description": "A parameter is malformed or out of range"},
    503: {"model": ErrorBody, "description": "Busy with long computations: see Retry-After"},
}


def body(status: int, error: str, problems: list[ProblemOut] | None = None) -> JSONResponse:
    content = ErrorBody(error=error, errors=problems or [], status=status)
    return JSONResponse(content.model_dump(), status_code=status)


def from_user_error(exc: UserError, status: int) -> JSONResponse:
    return body(
        status,
        exc.summary,
        [
            ProblemOut(message=p.message, file=p.file, line=p.line, field=p.field)
            for p in exc.problems
        ],
    )


def install(app: FastAPI) -> None:
    """Register the handlers that turn every failure into the one shape."""

    @app.exception_handler(NotFound)
    async def _not_found(request: Request, exc: NotFound) -> JSONResponse:
        return from_user_error(exc, 404)

    @app.exception_handler(UserError)
    async def _user_error(request: Request, exc: UserError) -> JSONResponse:
        return from_user_error(exc, 422)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [
            ProblemOut(
                message=str(e.get("msg", "invalid")),
                field=".".join(str(p) for p in e.get("loc", ())[1:]) or None,
            )
            for e in exc.errors()
        ]
        return body(422, "The request has invalid parameters", problems)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> JSONResponse:
        response = body(exc.status_code, str(exc.detail))
        for k, v in (exc.headers or {}).items():
            response.headers[k] = v
        return response
