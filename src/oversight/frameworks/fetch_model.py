"""Where each publication is published, as data: the publisher's landing page and the pattern
its file links match. ``oversight fetch`` reads these declarations; it knows no URL itself.

Plain validated models, no network or database imports.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from oversight.frameworks.loader import load_validated


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FetchSource(_Strict):
    """One publication: a landing page listing its files, and which links on it to take.

    ``links`` is a regular expression searched (case-insensitive) in each ``<a href>`` link's
    file name (the last path segment, percent-decoded). ``latest``, when set, keeps only the
    first that many matching links in page order (publishers list the newest first); unset, every
    matching link is taken. ``extract`` names files to unpack when a link is a zip archive.
    """

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str
    publisher: str
    page: str  # landing page URL (http or https)
    links: str  # regex over link file names
    latest: int | None = Field(default=None, ge=1)
    extract: list[str] = Field(default_factory=list)
    collection: str | None = None  # the collection its files belong to, when one is declared

    @field_validator("page")
    @classmethod
    def _http_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"{value!r} is not an http(s) URL")
        return value

    @field_validator("links")
    @classmethod
    def _regex(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"{value!r} is not a regular expression: {exc}") from exc
        return value

    def link_pattern(self) -> re.Pattern[str]:
        return re.compile(self.links, re.IGNORECASE)


class FetchSources(_Strict):
    version: int = 1
    sources: list[FetchSource] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> FetchSources:
        ids = [s.id for s in self.sources]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"sources: duplicate id(s) {', '.join(dupes)}")
        return self

    def source(self, source_id: str) -> FetchSource | None:
        return next((s for s in self.sources if s.id == source_id), None)


def bundled_fetch_sources_path() -> Path:
    return Path(str(resources.files("oversight.frameworks") / "definitions" / "fetch-sources.yaml"))


def load_fetch_sources(path: Path | None = None) -> FetchSources:
    """The bundled declarations, or a file of the same shape (a mirror's own list)."""
    if path is None:
        return _bundled()
    return load_validated(path, FetchSources, "fetch sources file")


@cache
def _bundled() -> FetchSources:
    return load_validated(bundled_fetch_sources_path(), FetchSources, "fetch sources file")
