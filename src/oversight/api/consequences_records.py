"""Consequences in force in a quarter under the national policy (docs/policy.md), for the API
and the dashboard, from ``service.policy`` (the policy on the site's cached engine results, as
the CLI's `oversight consequences` gets it).

Every record says it is modelled: the view's ``note``, each row's ``modelled`` and ``status``.
Rows carry the organisation's region, ICB (where the store has the ODS/ONS reference files) and
segment, so the page can group and filter them; ``groups`` counts organisations per consequence.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from oversight.frameworks.policy_loader import BUNDLED_POLICIES, load_policy
from oversight.policy.consequences import PolicyOutcome
from oversight.service import policy as policy_service
from oversight.service.icbs import IcbMap, has_icb_data, icb_map
from oversight.service.site import Site

MODELLED = (
    "Modelled: what would follow under Oversight's national policy model, applied to the "
    "published results. Not a decision NHS England or anyone else has taken."
)
STATUS = "would follow under the Oversight national policy model"


class ConsequenceRow(BaseModel):
    modelled: bool = True
    status: str = STATUS
    trust_code: str
    trust_name: str
    trust_type: str
    region: str = ""
    icb_code: str | None = None
    icb_name: str | None = None
    segment: int | None = None
    consequence: str
    kind: str
    rule: str
    since: str
    why: str
    what_happens: str


class ConsequenceGroup(BaseModel):
    """One consequence: how many organisations it would follow for (after any filter)."""

    modelled: bool = True
    consequence: str
    kind: str
    organisations: int


class ConsequenceFilters(BaseModel):
    consequence: str = ""
    region: str = ""
    icb: str = ""
    segment: int | None = None

    @property
    def active(self) -> bool:
        return bool(self.consequence or self.region or self.icb or self.segment is not None)


class Choice(BaseModel):
    value: str
    label: str


class Consequences(BaseModel):
    modelled: bool = True
    note: str = MODELLED
    quarter: str
    policy: str
    policy_name: str
    policy_file: str
    policy_digest: str
    quarters: list[str]
    organisations: int
    by_kind: dict[str, int]
    groups: list[ConsequenceGroup]
    filters: ConsequenceFilters = ConsequenceFilters()
    all_rows: int  # before the filters
    choices: dict[str, list[Choice]]  # what each filter can be set to
    rows: list[ConsequenceRow]


@dataclass(frozen=True)
class _Where:
    region: str
    icb_code: str | None
    icb_name: str | None
    segment: int | None


def outcome(site: Site) -> PolicyOutcome:
    return policy_service.outcome(site, load_policy(None, site.framework))


def _icbs(site: Site) -> IcbMap | None:
    """The trusts' ICBs, where the store has the reference files (memoised on the site)."""

    def build() -> IcbMap | None:
        return site.read(lambda con: icb_map(con) if has_icb_data(con) else None)

    return site.memo(("consequences-icb-map",), build)


def _where(site: Site, quarter: str) -> dict[str, _Where]:
    imap = _icbs(site)
    out = {}
    for o in site.result(quarter).orgs:
        icb = imap.icbs.get(imap.icb_of(o.trust_code) or "") if imap else None
        segment = o.segment_final if o.segment_final is not None else o.segment
        out[o.trust_code] = _Where(
            o.region, icb.code if icb else None, icb.name if icb else None, segment
        )
    return out


def _keep(r: ConsequenceRow, f: ConsequenceFilters) -> bool:
    return (
        (not f.consequence or r.consequence == f.consequence)
        and (not f.region or r.region == f.region)
        and (not f.icb or r.icb_code == f.icb)
        and (f.segment is None or r.segment == f.segment)
    )


def _choices(rows: list[ConsequenceRow]) -> dict[str, list[Choice]]:
    def of(pairs: set[tuple[str, str]]) -> list[Choice]:
        return [Choice(value=v, label=label) for v, label in sorted(pairs, key=lambda p: p[1])]

    return {
        "consequence": of({(r.consequence, r.consequence) for r in rows}),
        "region": of({(r.region, r.region) for r in rows if r.region}),
        "icb": of({(r.icb_code, r.icb_name or r.icb_code) for r in rows if r.icb_code}),
        "segment": [
            Choice(value=str(s), label=f"Segment {s}")
            for s in sorted({r.segment for r in rows if r.segment is not None})
        ],
    }


def consequences(
    site: Site, quarter: str | None, filters: ConsequenceFilters | None = None
) -> Consequences:
    q = site.quarter(quarter)
    f = filters or ConsequenceFilters()
    out = outcome(site)
    policy = load_policy(None, site.framework)
    where = _where(site, q)
    unknown = _Where("", None, None, None)
    every = [
        ConsequenceRow(
            trust_code=a.code,
            trust_name=a.name,
            trust_type=a.trust_type,
            region=where.get(a.code, unknown).region,
            icb_code=where.get(a.code, unknown).icb_code,
            icb_name=where.get(a.code, unknown).icb_name,
            segment=where.get(a.code, unknown).segment,
            consequence=a.title,
            kind=a.kind,
            rule=a.rule,
            since=a.since,
            why=a.reason,
            what_happens="; ".join(a.consequences),
        )
        for a in sorted(out.in_force(q), key=lambda a: (a.kind, a.title, a.name))
    ]
    rows = [r for r in every if _keep(r, f)]
    kinds: dict[str, int] = {}
    members: dict[tuple[str, str], set[str]] = {}
    for r in rows:
        kinds[r.kind] = kinds.get(r.kind, 0) + 1
        members.setdefault((r.consequence, r.kind), set()).add(r.trust_code)
    groups = [
        ConsequenceGroup(consequence=title, kind=kind, organisations=len(codes))
        for (title, kind), codes in members.items()
    ]
    return Consequences(
        quarter=q,
        policy=f"{policy.name} ({policy.id} {policy.version})",
        policy_name=policy.name,
        policy_file=BUNDLED_POLICIES.get(policy.id, policy.id),
        policy_digest=out.policy_digest,
        quarters=out.quarters,
        organisations=len({r.trust_code for r in rows}),
        by_kind=kinds,
        groups=sorted(groups, key=lambda g: (-g.organisations, g.consequence)),
        filters=f,
        all_rows=len(every),
        choices=_choices(every),
        rows=rows,
    )
