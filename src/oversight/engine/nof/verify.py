"""Field-by-field agreement between the engine and NHS England's published files.

Exact fields must agree to the published precision; the likely ranges are Monte-Carlo
estimates (the publisher's seed is unknown), so they are compared within a stated tolerance:
0.04 for scores (the spread of a 10,000-replicate bootstrap's 2.5/97.5 % points about the exact
bootstrap, measured) and 1 place for ranks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dc_field
from pathlib import Path

from oversight.engine.nof.quarter import RangeOptions, run_quarter
from oversight.engine.nof.results import OrgResult, QuarterResult
from oversight.frameworks.model import Framework
from oversight.ingest.nof import ParsedFile, parse_nof_file
from oversight.store.schema import Connection

SCORE_RANGE_TOLERANCE = 0.04
RANK_RANGE_TOLERANCE = 1.0


@dataclass
class FieldAgreement:
    field: str
    tolerance: float
    compared: int = 0
    agreed: int = 0
    max_abs_diff: float = 0.0
    examples: list[str] = dc_field(default_factory=list)

    def add(self, where: str, published: float | None, ours: float | None) -> None:
        if published is None:
            return
        self.compared += 1
        if ours is None:
            self.examples.append(f"{where}: published {published:g}, engine has none")
            return
        diff = abs(published - ours)
        self.max_abs_diff = max(self.max_abs_diff, diff)
        if diff <= self.tolerance + 1e-9:
            self.agreed += 1
        elif len(self.examples) < 10:
            self.examples.append(f"{where}: published {published:g}, engine {ours:g}")

    @property
    def rate(self) -> float:
        return self.agreed / self.compared if self.compared else 1.0


@dataclass
class Verification:
    file_name: str
    kind: str
    quarters: list[str]
    fields: list[FieldAgreement]
    score_sources: dict[str, int] = dc_field(default_factory=dict)

    @property
    def full_agreement(self) -> bool:
        return all(f.agreed == f.compared for f in self.fields)


def verify_file(
    con: Connection,
    framework: Framework,
    path: Path,
    options: RangeOptions | None = None,
) -> Verification:
    parsed = parse_nof_file(path, framework)
    results = {q: run_quarter(con, framework, q, options) for q in parsed.quarters}
    if parsed.kind == "nof_league_table":
        fields = _league(parsed, results)
    else:
        fields = _data(parsed, results, framework)
    sources: dict[str, int] = {}
    for r in results.values():
        for o in r.orgs:
            if o.trust_type == parsed.trust_type:
                for s in o.scores:
                    sources[s.source] = sources.get(s.source, 0) + 1
    return Verification(path.name, parsed.kind, parsed.quarters, fields, sources)


def _league(parsed: ParsedFile, results: dict[str, QuarterResult]) -> list[FieldAgreement]:
    specs: list[tuple[str, str, float, Callable[[OrgResult], float | None]]] = [
        ("Average_score", "average_score", 0.0, lambda o: o.average_score),
        (
            "Likely_range_of_average_score (low)",
            "average_low",
            SCORE_RANGE_TOLERANCE,
            lambda o: o.average_score_low,
        ),
        (
            "Likely_range_of_average_score (high)",
            "average_high",
            SCORE_RANGE_TOLERANCE,
            lambda o: o.average_score_high,
        ),
        ("Segment", "segment", 0.0, lambda o: o.segment),
        (
            "Trust_in_financial_deficit",
            "in_financial_deficit",
            0.0,
            lambda o: float(o.in_financial_deficit),
        ),
        ("Rank", "rank", 0.0, lambda o: o.rank),
        ("Likely_range_of_rank (low)", "rank_low", RANK_RANGE_TOLERANCE, lambda o: o.rank_low),
        ("Likely_range_of_rank (high)", "rank_high", RANK_RANGE_TOLERANCE, lambda o: o.rank_high),
    ]
    fields = [FieldAgreement(name, tol) for name, _, tol, _ in specs]
    cols = parsed.columns
    for i in range(len(parsed)):
        quarter, code = str(cols["quarter"][i]), str(cols["trust_code"][i])
        org = results[quarter].org(code)
        for fa, (_, col, _, get) in zip(fields, specs, strict=True):
            published = cols[col][i]
            value = None if org is None else get(org)
            fa.add(
                f"{quarter} {code}",
                None if published is None else float(published),  # type: ignore[arg-type]
                value,
            )
    return fields


def _data(
    parsed: ParsedFile, results: dict[str, QuarterResult], framework: Framework
) -> list[FieldAgreement]:
    ids = framework.published_ids
    domain_score = {d.score_id: d.id for d in framework.domains}
    domain_segment = {d.segment_id: d.id for d in framework.domains if d.segment_id}
    groups = {
        "metric scores (OF1xxx)": FieldAgreement("metric scores (OF1xxx)", 0.0),
        "domain scores (OF40xx)": FieldAgreement("domain scores (OF40xx)", 0.0),
        "domain segments (OF41xx)": FieldAgreement("domain segments (OF41xx)", 0.0),
        ids.average: FieldAgreement(f"average score ({ids.average})", 0.0),
        ids.unadjusted_segment: FieldAgreement(
            f"unadjusted segment ({ids.unadjusted_segment})", 0.0
        ),
        ids.adjusted_segment: FieldAgreement(f"segment ({ids.adjusted_segment})", 0.0),
        "rank": FieldAgreement(f"league rank ({ids.adjusted_segment} Rank)", 0.0),
        ids.final_segment: FieldAgreement(f"final segment ({ids.final_segment})", 0.0),
    }
    cols = parsed.columns
    for i in range(len(parsed)):
        quarter, code, mid = (
            str(cols["quarter"][i]),
            str(cols["trust_code"][i]),
            str(cols["metric_id"][i]),
        )
        published = cols["value"][i]
        org = results[quarter].org(code)
        if org is None or published is None:
            continue
        value = float(published)  # type: ignore[arg-type]
        where = f"{quarter} {code} {mid}"
        if mid.startswith("OF1"):
            s = next((s for s in org.scores if s.metric_id == mid), None)
            groups["metric scores (OF1xxx)"].add(
                where, value, None if s is None else round(s.score + 1e-9, 2)
            )
        elif mid in domain_score:
            groups["domain scores (OF40xx)"].add(
                where, value, org.domain_scores.get(domain_score[mid])
            )
        elif mid in domain_segment:
            groups["domain segments (OF41xx)"].add(
                where, value, org.domain_segments.get(domain_segment[mid])
            )
        elif mid == ids.average:
            groups[mid].add(where, value, org.average_score)
        elif mid == ids.unadjusted_segment:
            groups[mid].add(where, value, org.segment_unadjusted)
        elif mid == ids.adjusted_segment:
            groups[mid].add(where, value, org.segment)
            rank = cols["rank"][i]
            if rank is not None:
                groups["rank"].add(where, float(rank), org.rank)  # type: ignore[arg-type]
        elif mid == ids.final_segment:
            groups[mid].add(where, value, org.segment_final)
    return [g for g in groups.values() if g.compared]
