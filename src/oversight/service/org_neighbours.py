"""An organisation's integrated care board and the ICB's other open trusts (from ODS, through
successions), for the links on each organisation's page."""

from __future__ import annotations

from dataclasses import dataclass

from oversight.service.icbs import IcbMap, has_icb_data, icb_map
from oversight.service.site import Site


@dataclass(frozen=True)
class Neighbours:
    icb_code: str
    icb_name: str
    others: list[tuple[str, str]]  # (code, name) of the ICB's other open trusts, by name


def _mapping(site: Site) -> IcbMap | None:
    def read() -> IcbMap | None:
        return site.read(lambda con: icb_map(con) if has_icb_data(con) else None)

    return site.memo(("icb-map",), read)


def neighbours(site: Site, code: str) -> Neighbours | None:
    """None when the store has no ODS/ONS files or ODS places the trust in no English ICB."""
    mapping = _mapping(site)
    if mapping is None:
        return None
    icb = mapping.icb_of(code.upper())
    if icb is None or icb not in mapping.icbs:
        return None
    others = sorted(
        ((t.code, t.name) for t in mapping.members(icb) if t.code != code.upper()),
        key=lambda x: x[1].casefold(),
    )
    return Neighbours(icb, mapping.icbs[icb].name, others)
