"""The MODELLED public-data composite beside NHS England's published result, and how far the
two agree.

Agreement is measured on the trusts in both tables, per trust type:

- Spearman's rank correlation (scipy) between the modelled rank and the published rank;
- the share of trusts in the same segment (and within one segment);
- the mean absolute rank difference, after re-ranking both tables within the common trusts
  (the modelled table leaves out trusts with too few public metrics, so raw ranks would differ
  by the gaps alone).

Published segments include NHS England's financial override (no better than segment 3 in
deficit) and rest on the metrics public data do not give; the modelled ones do neither.
"""

from __future__ import annotations

from dataclasses import dataclass

from oversight.errors import Problem
from oversight.service.public_quarter import (
    PublicQuarter,
    covered_quarters,
    public_quarter,
    resolve_public_quarter,
)
from oversight.service.public_reference import REFERENCE_FILES, read_published, reference_file
from oversight.service.public_scoring import MODELLED
from oversight.service.public_tables import public_league
from oversight.service.quarters import NotFound
from oversight.store.schema import Connection


@dataclass(frozen=True)
class CompareRow:
    trust_code: str
    trust_name: str
    trust_type: str
    published_average: float | None
    published_segment: int | None
    published_rank: int | None
    modelled_average: float | None
    modelled_segment: int | None
    modelled_rank: int | None
    modelled_rank_low: int | None
    modelled_rank_high: int | None
    rank_difference: int | None  # published minus modelled, both re-ranked in the common set
    same_segment: bool | None
    basis: str = "modelled vs published"


@dataclass(frozen=True)
class Agreement:
    trust_type: str
    published: int
    modelled: int
    common: int
    spearman: float | None  # modelled rank vs published rank
    spearman_p: float | None
    same_segment_share: float | None
    within_one_segment_share: float | None
    mean_abs_rank_difference: float | None
    only_published: list[str]  # codes NHS England ranked that the modelled table does not


@dataclass(frozen=True)
class Comparison:
    quarter: str
    reference: str
    rows: list[CompareRow]
    agreement: list[Agreement]
    modelled: bool = True
    note: str = MODELLED


def _rerank(ranks: dict[str, int]) -> dict[str, int]:
    """1..n in the order of the given ranks (ties share the lower rank)."""
    ordered = sorted(ranks.items(), key=lambda kv: (kv[1], kv[0]))
    out: dict[str, int] = {}
    for i, (code, r) in enumerate(ordered, 1):
        prev = ordered[i - 2] if i > 1 else None
        out[code] = out[prev[0]] if prev is not None and prev[1] == r else i
    return out


def _agreement(trust_type: str, rows: list[CompareRow], published: int, modelled: int) -> Agreement:
    from scipy.stats import spearmanr  # on use: scipy is slow to import

    both = [r for r in rows if r.published_rank is not None and r.modelled_rank is not None]
    only = sorted(r.trust_code for r in rows if r.modelled_rank is None)
    rho = p = None
    if len(both) >= 3:
        res = spearmanr([r.modelled_rank for r in both], [r.published_rank for r in both])
        rho, p = float(res.statistic), float(res.pvalue)
    n = len(both)
    segs = [(r.modelled_segment or 0) - (r.published_segment or 0) for r in both]
    return Agreement(
        trust_type,
        published,
        modelled,
        n,
        rho,
        p,
        sum(d == 0 for d in segs) / n if n else None,
        sum(abs(d) <= 1 for d in segs) / n if n else None,
        sum(abs(r.rank_difference or 0) for r in both) / n if n else None,
        only,
    )


def published_comparison(
    con: Connection, quarter: str | None = "Q3 2025/26", computed: PublicQuarter | None = None
) -> Comparison:
    """The modelled composite beside NHS England's published one, for a quarter with a bundled
    reference file (Q3 2025/26)."""
    q = computed.quarter if computed else resolve_public_quarter(covered_quarters(con), quarter)
    path = reference_file(q)
    if path is None:
        raise NotFound(
            f"No published acute and ambulance values bundled for {q}",
            [Problem(f"bundled for: {', '.join(REFERENCE_FILES)}", field="quarter")],
        )
    pq = computed or public_quarter(con, q)
    published = read_published(path)
    rows: list[CompareRow] = []
    agreement = []
    for t in sorted({p.trust_type for p in published}):
        league = {r.trust_code: r for r in public_league(con, q, t, pq).rows}
        pub = {p.trust_code: p for p in published if p.trust_type == t}
        common = [c for c in pub if c in league and league[c].rank is not None]
        pub_rr = _rerank({c: pub[c].rank for c in common})
        mod_rr = _rerank({c: league[c].rank or 0 for c in common})
        typed = []
        for code in sorted(set(pub) | set(league)):
            p, m = pub.get(code), league.get(code)
            typed.append(
                CompareRow(
                    code,
                    (p.trust_name if p else m.trust_name if m else code),
                    t,
                    p.average_score if p else None,
                    p.segment if p else None,
                    p.rank if p else None,
                    m.average_score if m else None,
                    m.segment if m else None,
                    m.rank if m else None,
                    m.rank_low if m else None,
                    m.rank_high if m else None,
                    pub_rr[code] - mod_rr[code] if code in pub_rr else None,
                    (p.segment == m.segment) if p and m and m.segment is not None else None,
                )
            )
        rows += sorted(typed, key=lambda r: (r.published_rank is None, r.published_rank or 0))
        only_in_published = [r for r in typed if r.published_rank is not None]
        agreement.append(_agreement(t, only_in_published, len(pub), len(league)))
    return Comparison(q, path.name, rows, agreement)
