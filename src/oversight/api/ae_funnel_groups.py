"""What red/amber/green on the A&E funnel and series pages may be judged against: England, a
region (one centre for every provider), the provider's own ICB, or its declared peer group (a
size band of type 1 attendances, ``comparators`` block of the A&E collection file).

The ICBs come from ``service.icbs`` (ODS trusts and successions, ONS ICB names), so the ICB
comparator needs those files in the store; the size bands from the A&E month itself. The
pooling and the test are ``engine.sources.ae_peer_funnel``'s.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from oversight.api.ae_models import ComparatorOut
from oversight.engine.sources.ae_series import ENGLAND
from oversight.engine.sources.ae_sources import month_units
from oversight.errors import Problem
from oversight.frameworks.ae import ae_metrics
from oversight.frameworks.ae_comparators import ae_comparators
from oversight.service.icbs import has_icb_data, icb_map
from oversight.service.site import NotFound, Site
from oversight.store.schema import Connection

ICB = "ICB"
SIZE = "SIZE"
GROUP_KINDS = {ICB: "icb", SIZE: "peer"}


@cache
def catalogue() -> tuple[ComparatorOut, ...]:
    """Every comparator offered, in the order the form lists them."""
    bands = ae_comparators().size_bands
    out = [
        ComparatorOut(
            code=ENGLAND,
            name="England",
            kind="england",
            description="every provider against England's pooled share",
        ),
        ComparatorOut(
            code=ICB,
            name="Its ICB",
            kind="icb",
            description="each provider against the pooled share of the providers in its own "
            "integrated care board (ODS trusts file)",
        ),
        ComparatorOut(
            code=SIZE,
            name="Its size band (type 1 attendances)",
            kind="peer",
            description=f"each provider against its peer group, by {bands.title.lower()}: "
            + "; ".join(b.name for b in bands.bands),
        ),
    ]
    for r in sorted(ae_metrics().regions, key=lambda r: r.name):
        out.append(
            ComparatorOut(
                code=r.code,
                name=r.name,
                kind="region",
                description=f"every provider against {r.name}'s pooled share",
            )
        )
    return tuple(out)


def find(comparator: str) -> ComparatorOut:
    """The comparator a query names (case-insensitive); unknown ones are 404s naming it."""
    wanted = comparator.strip().upper()
    for c in catalogue():
        if c.code == wanted:
            return c
    codes = ", ".join(c.code for c in catalogue())
    raise NotFound(
        f"No comparator {comparator!r}",
        [Problem(f"choose one of: {codes}", field="comparator")],
    )


def query_description() -> str:
    """The API's description of the ``comparator`` query parameter."""
    return "what red/amber/green is judged against: " + "; ".join(
        f"{c.code} ({c.name})" for c in catalogue()
    )


def _icb_groups(site: Site) -> dict[str, tuple[str, str]]:
    def read(con: Connection) -> dict[str, tuple[str, str]]:
        if not has_icb_data(con):
            raise NotFound(
                "The ICB comparator needs the ODS and ONS reference files",
                [
                    Problem(
                        "ingest ods_trusts, ods_successions and ons_icbs, or choose another "
                        "comparator",
                        field="comparator",
                    )
                ],
            )
        imap = icb_map(con)
        return {code: (t.icb, imap.icbs[t.icb].name) for code, t in imap.trusts.items()}

    return site.memo(("ae-icb-groups",), lambda: site.read(read))


def _size_groups(site: Site, month: str, codes: Iterable[str]) -> dict[str, tuple[str, str]]:
    bands = ae_comparators().size_bands
    sizes = site.memo(
        ("ae-sizes", bands.metric, month),
        lambda: {
            u.code: u.denominator
            for u in site.read(lambda con: month_units(con, bands.metric, month)) or []
        },
    )
    return {
        code: (band.id, band.name)
        for code in codes
        for band in [bands.band_of(sizes.get(code, 0.0))]
    }


def groups(
    site: Site, comparator: str, month: str, codes: Iterable[str]
) -> dict[str, tuple[str, str]]:
    """Each provider's group under a group comparator: code -> (group key, group name)."""
    if comparator == ICB:
        return _icb_groups(site)
    return _size_groups(site, month, codes)
