"""Interactive API documentation at ``/api/docs``: Swagger UI from files vendored in
``docs_assets/`` (nothing is loaded from another host; FastAPI's default page loads it from a
CDN). The page is plain HTML with no inline script, so the server's Content-Security-Policy
(``script-src 'self'``) holds for it too; ``api-docs.js`` starts Swagger UI on the schema."""

from __future__ import annotations

from html import escape
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS = Path(__file__).parent / "docs_assets"
DOCS_PATH = "/api/docs"
ASSETS_PATH = "/api/docs-assets"


def docs_html(title: str) -> str:
    """The page: every URL in it is relative to ``/api/docs``, so no host is named."""
    name = escape(title)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{name}: interactive documentation</title>
<link rel="icon" href="../static/nhsuk/images/favicon.ico" sizes="48x48">
<link rel="stylesheet" href="docs-assets/swagger-ui.css">
</head>
<body>
<p style="font-family: Arial, sans-serif; margin: 1em 2em">
<a href="../index.html">Back to the dashboard</a> ·
<a href="openapi.json">OpenAPI schema (JSON)</a></p>
<noscript><p style="font-family: Arial, sans-serif; margin: 1em 2em">The interactive
documentation needs JavaScript; the <a href="openapi.json">OpenAPI schema</a> describes every
route without it.</p></noscript>
<div id="swagger-ui"></div>
<script src="docs-assets/swagger-ui-bundle.js"></script>
<script src="docs-assets/api-docs.js"></script>
</body>
</html>
"""


def install(app: FastAPI) -> None:
    """The page and its assets; before the catch-all for unknown ``/api/`` paths."""
    page = docs_html(app.title)

    @app.get(DOCS_PATH, include_in_schema=False)
    def api_docs() -> HTMLResponse:
        return HTMLResponse(page)

    app.mount(ASSETS_PATH, StaticFiles(directory=ASSETS), name="api-docs-assets")
