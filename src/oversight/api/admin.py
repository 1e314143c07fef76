"""The only write endpoint: ingest a publisher file (optionally as a new revision).

It exists only behind a bearer token the operator sets in ``OVERSIGHT_ADMIN_TOKEN`` when
starting the server: no token sent is 401, a wrong token (or a server started without one) is
403. The upload goes through the same checks and transaction as ``oversight ingest``.
"""

from __future__ import annotations

import hmac
import tempfile
from pathlib import Path as FilePath
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from oversight.api.models import ErrorBody, IngestOut
from oversight.service.site import Site

MAX_BYTES = 50 * 1024 * 1024
bearer = HTTPBearer(auto_error=False, description="OVERSIGHT_ADMIN_TOKEN of the server")


def check_token(request: Request, credentials: HTTPAuthorizationCredentials | None) -> None:
    if credentials is None:
        raise HTTPException(
            401,
            "This endpoint needs the admin token: send 'Authorization: Bearer <token>'",
            headers={"WWW-Authenticate": "Bearer"},
        )
    expected: str | None = request.app.state.admin_token
    if not expected:
        raise HTTPException(403, "Writes are disabled: the server has no OVERSIGHT_ADMIN_TOKEN")
    if not hmac.compare_digest(credentials.credentials.encode(), expected.encode()):
        raise HTTPException(403, "The admin token is wrong")


def _too_large() -> HTTPException:
    return HTTPException(413, f"The file is larger than {MAX_BYTES // 2**20} MB")


def refuse_declared_size(request: Request) -> None:
    """413 before reading anything when the client declares a body over the limit."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BYTES:
        raise _too_large()


async def save_bounded(request: Request, path: FilePath) -> None:
    """Write the body to ``path`` chunk by chunk, stopping (413) as soon as it passes
    MAX_BYTES: whatever Content-Length says (or if it is absent, with a chunked upload), at
    most one chunk beyond the limit is ever read, and nothing is held in memory."""
    size = 0
    with path.open("wb") as out:
        async for chunk in request.stream():
            size += len(chunk)
            if size > MAX_BYTES:
                raise _too_large()
            out.write(chunk)


def router() -> APIRouter:
    admin = APIRouter(prefix="/api/v1/admin", tags=["admin"])

    @admin.post(
        "/ingest",
        response_model=IngestOut,
        summary="Ingest a NOF data file or league table (admin token required)",
        responses={
            401: {"model": ErrorBody, "description": "No token sent"},
            403: {"model": ErrorBody, "description": "Wrong token, or writes disabled"},
            413: {"model": ErrorBody, "description": "File larger than 50 MB"},
            422: {"model": ErrorBody, "description": "The file failed its checks; nothing stored"},
        },
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {"text/csv": {"schema": {"type": "string"}}},
            }
        },
    )
    async def ingest(
        request: Request,
        filename: Annotated[
            str,
            Query(
                pattern=r"^[A-Za-z0-9][A-Za-z0-9._ -]{0,150}\.csv$",
                description="the publisher's file name (kept as provenance)",
            ),
        ],
        new_revision: Annotated[
            bool, Query(description="store changed quarters as a new revision")
        ] = False,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)] = None,
    ) -> IngestOut:
        check_token(request, credentials)
        site: Site = request.app.state.site
        if not site.writable:
            raise HTTPException(403, "Writes are disabled: the server opened the store read-only")
        refuse_declared_size(request)
        with tempfile.TemporaryDirectory(prefix="oversight-upload-") as tmp:
            path = FilePath(tmp) / FilePath(filename).name
            await save_bounded(request, path)
            report = await run_in_threadpool(site.ingest, path, new_revision)
        return IngestOut(
            file_name=report.file_name,
            kind=report.kind,
            trust_type=report.trust_type,
            rows=report.rows,
            already_ingested=report.already_ingested,
            stored=report.stored,
            unchanged=report.unchanged,
            undeclared_metrics=report.undeclared_metrics,
        )

    return admin
