"""The 42 integrated care boards and which of them each NHS trust belongs to.

ICBs and their names come from ONS's ICB names and codes (collection ``ons_icbs``: the ODS Q
code, the E54 code, the name); each trust's ICB from the ODS trusts file (``ods_trusts``: field 4,
the high-level health geography, is the ICB's Q code; field 3 the NHS region). A closed trust's
activity belongs to its successor's ICB (ODS successions, ``ods_successions``, followed to an
open trust); a closed trust ODS gives no successor keeps the ICB its own record names. Trusts
with no English ICB are listed with the reason, never guessed: the open ones are the three NHS
Wales trusts that the ODS NHS-trust file also carries (docs/icbs.md).

This is a providers-in-the-ICB view: an ICB stands for the NHS trusts ODS places in it, not for
the population it commissions for (NHS England's ICB metrics are commissioner-based).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from oversight.errors import Problem
from oversight.frameworks.collections import collection
from oversight.service.quarters import NotFound
from oversight.store.collections_query import (
    has_collection_tables,
    has_values,
    org_breakdowns,
    organisations,
)
from oversight.store.org_links import org_links, org_measure
from oversight.store.schema import Connection

PROVIDERS_VIEW = (
    "A providers-in-the-ICB view: each ICB's figures are the sums of the NHS trusts ODS places "
    "in it, not NHS England's commissioner-based (population) ICB measures."
)
THRESHOLDS = (
    "Segment thresholds are Oversight's placeholders until NHS England's NOF 2026/27 technical "
    "annex can be read."
)
WALES = "NHS Wales trust: no English ICB (outside the NHS Oversight Framework)"
_COLLECTIONS = ("ods_trusts", "ods_successions", "ons_icbs")


@dataclass(frozen=True)
class Icb:
    code: str  # ODS Q code
    ons_code: str  # E54 code
    name: str
    region: str  # the NHS region of its open trusts


@dataclass(frozen=True)
class TrustIcb:
    code: str
    name: str
    icb: str
    open: bool
    via: str  # how the ICB was found: "ODS trusts file", "successor RXX (ODS successions)"
    successor: str | None = None  # the open trust a closed one's activity now belongs to


@dataclass
class IcbMap:
    icbs: dict[str, Icb]
    trusts: dict[str, TrustIcb]  # every ODS trust code (open and closed) with an English ICB
    excluded: dict[str, str] = field(default_factory=dict)  # code -> why it has no ICB
    names: dict[str, str] = field(default_factory=dict)  # every ODS trust's latest name

    def icb_of(self, code: str) -> str | None:
        t = self.trusts.get(code)
        return None if t is None else t.icb

    def members(self, icb: str, open_only: bool = True) -> list[TrustIcb]:
        return [
            t for c, t in sorted(self.trusts.items()) if t.icb == icb and (t.open or not open_only)
        ]


def _missing(con: Connection) -> list[str]:
    if not has_collection_tables(con):
        return list(_COLLECTIONS)
    return [c for c in _COLLECTIONS if not has_values(con, c)]


def has_icb_data(con: Connection) -> bool:
    """Whether the store holds the ODS and ONS files the ICB mapping needs."""
    return not _missing(con)


def _require(con: Connection) -> None:
    missing = _missing(con)
    if missing:
        raise NotFound(
            "The store has no ODS/ONS reference files for ICBs",
            [Problem(f"ingest {', '.join(missing)} (etr.csv, succ.csv, ICB names and codes)")],
        )


def _successors(con: Connection) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for link in org_links(con, "ods_successions", "effective_date"):
        out.setdefault(link.code, []).append(link.parent)
    return out


def _open_successors(
    code: str, succ: dict[str, list[str]], is_open: dict[str, bool], seen: frozenset[str]
) -> list[str]:
    """The open trusts a closed code's activity passed to, following chains of successions."""
    found: list[str] = []
    for nxt in succ.get(code, []):
        if nxt in seen:
            continue
        if is_open.get(nxt):
            found.append(nxt)
        else:
            found += _open_successors(nxt, succ, is_open, seen | {nxt})
    return sorted(set(found))


def icb_map(con: Connection) -> IcbMap:
    """Every ODS trust's ICB (through successions for closed trusts) and the 42 ICBs."""
    _require(con)
    regions = collection("ods_trusts").breakdown
    region_names = regions.values if regions is not None else {}
    trusts = {o.code: o for o in organisations(con, "ods_trusts")}
    region_of = {c: b for c, _, b in org_breakdowns(con, "ods_trusts")}
    closed = org_measure(con, "ods_trusts", "close_date")
    is_open = {c: c not in closed for c in trusts}
    ons = {o.code: o for o in organisations(con, "ons_icbs")}
    succ = _successors(con)
    out: dict[str, TrustIcb] = {}
    excluded: dict[str, str] = {}
    for code, org in sorted(trusts.items()):
        name = org.name or code
        if is_open[code]:
            if org.parent in ons:
                out[code] = TrustIcb(code, name, org.parent, True, "ODS trusts file")
            elif not org.parent and region_of.get(code) in (None, "none"):
                excluded[code] = WALES
            else:
                excluded[code] = f"ODS gives ICB {org.parent!r}, not one of the 42"
            continue
        heirs = _open_successors(code, succ, is_open, frozenset({code}))
        heir_icbs = sorted({p for h in heirs if (p := trusts[h].parent) is not None and p in ons})
        if len(heir_icbs) == 1:
            ordered = [h for h in heirs if trusts[h].parent == heir_icbs[0]]
            via = f"successor {', '.join(heirs)} (ODS successions)"
            out[code] = TrustIcb(code, name, heir_icbs[0], False, via, ordered[0])
        elif not heir_icbs and org.parent in ons:
            out[code] = TrustIcb(code, name, org.parent, False, "ODS trusts file (closed)")
        else:
            why = f"successors {', '.join(heirs)} lie in ICBs {', '.join(heir_icbs)}"
            excluded[code] = why if heir_icbs else f"closed; no ICB among the 42 ({org.parent})"
    icbs = {}
    for q, o in sorted(ons.items()):
        members = [region_of.get(t.code) for t in out.values() if t.icb == q and t.open]
        common = Counter(r for r in members if r).most_common(1)
        region = region_names.get(common[0][0], common[0][0]) if common else ""
        icbs[q] = Icb(q, o.parent or "", o.name or q, region)
    names = {c: o.name or c for c, o in trusts.items()}
    return IcbMap(icbs, out, excluded, names)
