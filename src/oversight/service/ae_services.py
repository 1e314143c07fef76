"""A trust's A&E services (department types), each with its own peer rank and interval: every
face's, computed once per code and month (:mod:`engine.sources.ae_services`)."""

from __future__ import annotations

from oversight.engine.sources.ae_services import ServiceSplit, service_split
from oversight.errors import Problem
from oversight.frameworks.ae import AE_COLLECTION
from oversight.periods import Month
from oversight.service.site import NotFound, Site
from oversight.store.collections_query import org_name


def ae_services(site: Site, code: str, month: str | None = None) -> ServiceSplit:
    """``code``'s split in ``month`` (None: the latest stored); an unknown code is NotFound."""
    key = (code.strip().upper(), str(Month.parse(month)) if month else None)

    def build() -> ServiceSplit:
        if site.read(lambda con: org_name(con, AE_COLLECTION, key[0])) is None:
            raise NotFound(
                f"No A&E provider {key[0]}", [Problem("see /api/v1/ae/organisations", field="code")]
            )
        return site.read(lambda con: service_split(con, *key))

    split: ServiceSplit = site.memo(("ae-services", *key), build)
    return split
