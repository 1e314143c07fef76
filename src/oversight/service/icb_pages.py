"""Plain records of the ICB league table and of one ICB, shared by the CLI, the API and the
dashboard (the faces render these; they compute nothing)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from oversight.engine.nof.inputs import available_quarters, load_quarter
from oversight.errors import Problem
from oversight.frameworks.loader import load_framework
from oversight.periods import Quarter
from oversight.service.icb_values import IcbQuarter, icb_framework, icb_quarter, icb_quarter_of
from oversight.service.icbs import PROVIDERS_VIEW, THRESHOLDS, has_icb_data
from oversight.service.public_scoring import MODELLED
from oversight.service.quarters import NotFound
from oversight.service.site import Site
from oversight.store.schema import Connection

CAVEATS = (MODELLED, PROVIDERS_VIEW, THRESHOLDS)
NOF_RESULT = "published NHS Oversight Framework result for the quarter, where the store has it"


def _nof_results(con: Connection, quarter: str) -> dict[str, dict[str, Any]]:
    """Each trust's published NOF result in the quarter (type, average, final segment), from
    the NOF files stored; empty where none are."""
    stored = {Quarter.parse(q): q for q in available_quarters(con)}
    q = Quarter.parse(quarter)
    if q not in stored:
        return {}
    data = load_quarter(con, stored[q])
    ids = load_framework().published_ids
    return {
        code: {
            "nof_trust_type": org.trust_type,
            "nof_average": data.value(ids.average, code),
            "nof_segment": _int(data.value(ids.final_segment, code)),
        }
        for code, org in data.orgs.items()
    }


def _int(value: float | None) -> int | None:
    return None if value is None else int(value)


def _league_rows(q: IcbQuarter) -> list[dict[str, Any]]:
    rows = []
    for o in q.ranked():
        icb = q.mapping.icbs[o.trust_code]
        rows.append(
            {
                "quarter": q.quarter,
                "rank": o.rank,
                "icb_code": icb.code,
                "icb_name": icb.name,
                "ons_code": icb.ons_code,
                "region": icb.region,
                "trusts": len(q.mapping.members(icb.code)),
                "metrics_scored": len(o.scores),
                "average_score": o.average_score,
                "segment": o.segment_final,
                "rank_low": o.rank_low,
                "rank_high": o.rank_high,
            }
        )
    return rows


def league_records(con: Connection, quarter: str) -> list[dict[str, Any]]:
    """The 42 ICBs in rank order, one flat record each."""
    return _league_rows(icb_quarter(con, quarter))


def league_page(con: Connection, quarter: str) -> dict[str, Any]:
    return league_page_of(icb_quarter(con, quarter))


def league_page_of(q: IcbQuarter) -> dict[str, Any]:
    return {
        "quarter": q.quarter,
        "framework": q.framework.id,
        "thresholds": list(q.result.cut_points.values),
        "caveats": list(CAVEATS),
        "icbs": _league_rows(q),
    }


def icb_record(con: Connection, quarter: str, code: str) -> dict[str, Any]:
    """One ICB: its result, its metric values with scores, its trusts and what each adds."""
    q = icb_quarter(con, quarter)
    return icb_record_of(q, code, lambda: _nof_results(con, q.quarter))


def icb_record_of(
    q: IcbQuarter, code: str, nof_results: Callable[[], dict[str, dict[str, Any]]]
) -> dict[str, Any]:
    """``icb_record`` of a quarter already scored; ``nof_results`` gives ``_nof_results``."""
    code = code.strip().upper()
    org = q.org(code)
    if org is None:
        raise NotFound(
            f"No ICB {code!r}", [Problem(f"ICB codes: {', '.join(sorted(q.mapping.icbs))}")]
        )
    icb = q.mapping.icbs[code]
    scores = {s.metric_id: s for s in org.scores}
    by_raw = {m.raw_id: m.id for m in q.framework.metrics}
    metrics = []
    for v in q.values:
        if v.trust_code != code:
            continue
        s = scores.get(by_raw.get(v.metric_id, ""))
        metrics.append(
            {
                "metric_id": v.metric_id,
                "name": q.framework.metric(by_raw[v.metric_id]).name,
                "value": v.value,
                "numerator": v.numerator,
                "denominator": v.denominator,
                "score": None if s is None else s.score,
                "source": v.source,
            }
        )
    parts = [c for c in q.contributions if c.icb == code]
    nof = nof_results()
    none = {"nof_trust_type": None, "nof_average": None, "nof_segment": None}
    trusts = []
    for t in q.mapping.members(code, open_only=False):
        values = {c.metric_id: c.value for c in parts if c.trust_code == t.code}
        if t.open or values:
            trusts.append(
                {
                    "trust_code": t.code,
                    "trust_name": t.name,
                    "open": t.open,
                    "via": t.via,
                    "values": values,
                    **nof.get(t.code, none),
                }
            )
    return {
        "quarter": q.quarter,
        "icb_code": code,
        "icb_name": icb.name,
        "ons_code": icb.ons_code,
        "region": icb.region,
        "rank": org.rank,
        "average_score": org.average_score,
        "segment": org.segment_final,
        "thresholds": list(q.result.cut_points.values),
        "caveats": list(CAVEATS),
        "metrics": metrics,
        "trusts": trusts,
        "contributions": [
            {
                "trust_code": c.trust_code,
                "trust_name": c.trust_name,
                "metric_id": c.metric_id,
                "value": c.value,
                "numerator": c.numerator,
                "denominator": c.denominator,
            }
            for c in parts
        ],
    }


# -- kept by a server: the ICBs of a quarter are scored once (a second or more), then every ICB
# page and the league table of that quarter are only records built from them


def kept_icb_quarter(site: Site, quarter: str) -> IcbQuarter:
    """``icb_quarter`` of any spelling of a quarter, computed once per site and kept."""
    fw = icb_framework()
    q = str(icb_quarter_of(quarter, fw))
    return site.memo(("icb-quarter", q), lambda: site.read(lambda con: icb_quarter(con, q, fw)))


def kept_league_page(site: Site, quarter: str) -> dict[str, Any]:
    return league_page_of(kept_icb_quarter(site, quarter))


def kept_nof_results(site: Site, quarter: str) -> dict[str, dict[str, Any]]:
    """``_nof_results`` of a quarter (the ICB framework's spelling), read once and kept."""
    key = ("icb-nof-results", quarter)
    return site.memo(key, lambda: site.read(lambda con: _nof_results(con, quarter)))


def kept_icb_record(site: Site, quarter: str, code: str) -> dict[str, Any]:
    q = kept_icb_quarter(site, quarter)
    return icb_record_of(q, code, lambda: kept_nof_results(site, q.quarter))


def icbs_ahead(site: Site) -> list[tuple[str, Callable[[], object]]]:
    """What a server's background thread computes for the ICB pages, one step a quarter of the
    ICB framework (latest first): its ICBs scored and its trusts' NOF results. None when the
    store has no ICB reference files."""
    if not site.read(has_icb_data):
        return []

    def step(quarter: str) -> Callable[[], object]:
        return lambda: kept_nof_results(site, kept_icb_quarter(site, quarter).quarter)

    return [(f"ICBs of {q}", step(q)) for q in reversed(icb_framework().quarters)]
