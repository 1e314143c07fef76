""" "Data last updated": the latest ingest time in the store, for every page's footer and the
JSON twins. Memoised on the site, whose memo is cleared whenever something is ingested."""

from __future__ import annotations

from datetime import datetime

from oversight.service.site import Site
from oversight.store.updated import last_ingested


def data_updated(site: Site) -> datetime | None:
    """When the latest published file was ingested (naive UTC), None for an empty store."""
    return site.memo(("data-updated",), lambda: site.read(last_ingested))


def updated_label(when: datetime | None) -> str:
    """'2 December 2026, 01:30 UTC' (no leading zero on the day), or 'not yet' for None."""
    if when is None:
        return "not yet"
    return f"{when.day} {when:%B %Y, %H:%M} UTC"
