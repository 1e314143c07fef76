"""A trust's A&E services (department types), each with its own peer rank and interval: every
face's, computed once per month for every provider (:mod:`engine.sources.ae_services`)."""

from __future__ import annotations

from oversight.engine.sources.ae_services import ServiceSplit, month_splits
from oversight.errors import Problem, UserError
from oversight.periods import Month
from oversight.service.site import NotFound, Site


def ae_services(site: Site, code: str, month: str | None = None) -> ServiceSplit:
    """``code``'s split in ``month`` (None: the latest stored); a code with no attendances that
    month is NotFound."""
    key = str(Month.parse(month)) if month else None

    def build() -> tuple[str, dict[str, ServiceSplit]]:
        return site.read(lambda con: month_splits(con, key))

    try:
        label, splits = site.memo(("ae-services", key), build)
    except NotFound:
        raise
    except UserError as exc:  # no A&E data, or not that month: nothing to find
        raise NotFound(exc.summary, exc.problems) from exc
    found = splits.get(code.strip().upper())
    if found is None:
        raise NotFound(
            f"No A&E attendances for {code.strip().upper()} in {label}",
            [Problem("see /api/v1/ae/organisations", field="code")],
        )
    return found


def ae_services_or_none(site: Site, code: str) -> ServiceSplit | None:
    """The latest month's split for a page, or None where there is none to show."""
    try:
        return ae_services(site, code)
    except UserError:
        return None
