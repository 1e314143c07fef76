"""The stored data as published, for the whole-dataset download (see web/dataset.py)."""

from __future__ import annotations

from typing import Any

from oversight.service.site import Site
from oversight.store import downloads


def published_nof_values(site: Site) -> Any:
    return site.read(downloads.published_nof_values)


def source_statistics(site: Site) -> Any:
    return site.read(downloads.source_statistics)
