"""The framework definition: what is measured, how each metric is scored, how scores become
segments and ranks.

Everything here is plain, validated data (pydantic). Nothing imports a database or an engine, so
a framework file can be checked on a machine with no store at all, and a region can copy the
national file, change a weight, a pool or a cut-point, and run its own variant.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from oversight.frameworks.data_quality import DataQuality

Polarity = Literal["higher_is_better", "lower_is_better"]
# "unknown": the direction is not established (no published specification says it); such a
# metric may only sit in an ``external`` pool, so its scores are always the publication's.
MetricPolarity = Polarity | Literal["unknown"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- scoring rules -----------------------------------------------------------------------------


class RankScale(_Strict):
    """Continuous score linear in rank: ``lo + (hi - lo) * (R - 1) / (N - 1)``.

    R is the competition ("min") rank of the value in the comparison pool, 1 = best by the
    metric's polarity; N is the number of organisations in the pool with a value.
    """

    rule: Literal["rank_scale"] = "rank_scale"
    best: float = 1.0
    worst: float = 4.0


class ThresholdThenRank(_Strict):
    """A standard first, then rank: values failing the standard score ``fail_score``; the rest
    are rank-scaled among themselves from ``best`` to ``worst`` (urgent community response)."""

    rule: Literal["threshold_then_rank"] = "threshold_then_rank"
    standard: float
    fail_score: float = 4.0
    best: float = 1.0
    worst: float = 3.0


class Band(_Strict):
    """A value with ``min <= value <= max`` (either bound may be absent) scores ``score``."""

    min: float | None = None
    max: float | None = None
    score: float


class Thresholds(_Strict):
    """Discrete bands on the raw value, tried in order; the first that holds gives the score."""

    rule: Literal["thresholds"] = "thresholds"
    bands: list[Band] = Field(min_length=2)

    @model_validator(mode="after")
    def _last_band_catches_all(self) -> Thresholds:
        last = self.bands[-1]
        if last.min is not None or last.max is not None:
            raise ValueError("the last band must have no bounds, so every value gets a score")
        return self


class Matrix(_Strict):
    """Score looked up from two other metrics' scores: ``table[row_score - 1][col_score - 1]``."""

    rule: Literal["matrix"] = "matrix"
    rows: str
    columns: str
    table: list[list[float]]

    @model_validator(mode="after")
    def _square(self) -> Matrix:
        if len(self.table) != 4 or any(len(r) != 4 for r in self.table):
            raise ValueError("a scoring matrix is 4 x 4 (scores 1..4 by 1..4)")
        return self


class PublishedOnly(_Strict):
    """No raw value is published (a CQC band, say): the published score is the input."""

    rule: Literal["published"] = "published"


ScoringRule = Annotated[
    RankScale | ThresholdThenRank | Thresholds | Matrix | PublishedOnly,
    Field(discriminator="rule"),
]


# --- pools, domains, metrics -------------------------------------------------------------------


class Pool(_Strict):
    """Which organisations a metric is ranked against.

    ``trust_types`` pools are made of whole trust types of this framework; the engine can rank
    them itself once every listed type's data for the quarter is in the store. ``external`` pools
    include providers the framework does not publish (acute trusts delivering community
    services, say); their scores can only be taken from the publication.
    """

    id: str
    kind: Literal["own_trust_type", "trust_types", "external"]
    trust_types: list[str] = []
    exclude_subtypes: list[str] = Field(
        default=[],
        description="subtype ids whose organisations are not ranked in this pool (cancer "
        "metrics leave out specialist trusts, say); their published scores, if any, are used",
    )
    status: Literal["verified", "unverified"] = "verified"
    description: str = ""

    @model_validator(mode="after")
    def _types_given(self) -> Pool:
        if self.kind == "trust_types" and not self.trust_types:
            raise ValueError(f"pool {self.id!r}: a 'trust_types' pool must list its trust types")
        if self.kind == "external" and self.exclude_subtypes:
            raise ValueError(f"pool {self.id!r}: an 'external' pool cannot exclude subtypes")
        return self


class Domain(_Strict):
    id: str
    name: str
    score_id: str
    segment_id: str | None = None


class Subtype(_Strict):
    """A trust subtype as the publisher's ``Trust_subtype`` column spells it."""

    id: str
    name: str
    aliases: list[str] = []


class TrustType(_Strict):
    id: str
    name: str
    aliases: list[str] = []
    subtypes: list[Subtype] = Field(
        default=[],
        description="the subtypes a published file may give for this type; none declared: "
        "any subtype is accepted",
    )

    def subtype_by_name(self, name: str) -> Subtype | None:
        folded = name.strip().casefold()
        for s in self.subtypes:
            if folded in {s.id.casefold(), s.name.casefold(), *(a.casefold() for a in s.aliases)}:
                return s
        return None


class Metric(_Strict):
    # NHS England's IDs are OF1xxx (score) and OF0xxx (raw value); where NHS England publishes
    # no ID for a measure, Oversight assigns one in its own OV range (OV1xxx / OV0xxx)
    id: str = Field(pattern=r"^O[FV]1\d{3}$", description="score ID, OF1xxx (or OV1xxx)")
    raw_id: str | None = Field(default=None, pattern=r"^O[FV]0\d{3}$")
    name: str
    domain: str
    sub_domain: str = ""
    trust_types: list[str]
    polarity: MetricPolarity = "higher_is_better"
    scoring: ScoringRule
    pool: str = "own_trust_type"
    weight: float = Field(default=1.0, ge=0)
    in_average: bool = True
    rounded_before_aggregation_in: list[str] = Field(
        default=[],
        description="quarters in which the publisher aggregated this score already rounded to "
        "2 dp (a reproduction quirk, kept so historic results match)",
    )
    status: Literal["verified", "unverified"] = "verified"
    notes: str = ""


# --- aggregation, segmentation, ranking --------------------------------------------------------


class Rounding(_Strict):
    dp: int = 2
    mode: Literal["half_up"] = "half_up"


class Aggregation(_Strict):
    method: Literal["weighted_mean"] = "weighted_mean"
    rounding: Rounding = Rounding()


class Segmentation(_Strict):
    """How an average score becomes a segment 1..4.

    ``population_quantiles``: the cut-points are quantiles (``quantiles``) of the rounded average
    scores of every organisation of ``population`` trust types in the quarter; segment =
    1 + number of cut-points the score is beyond: ``boundary: lower`` counts a score equal to a
    cut-point as beyond it (the worse segment, as NHS England's Q3 2025/26 segments show; see
    docs/method.md), ``upper`` keeps it in the better segment. ``cut_points`` typed in for a
    quarter win over derivation. When the population is not all in the store,
    ``when_population_incomplete`` says what to do: ``infer_from_published`` finds the
    cut-points that the published unadjusted segments imply (and says so), ``error`` refuses.
    """

    method: Literal["population_quantiles", "fixed_cut_points"] = "population_quantiles"
    population: list[str] = []
    quantiles: list[float] = [0.25, 0.5, 0.75]
    quantile_method: Literal["linear", "lower", "higher", "nearest", "midpoint", "weibull"] = (
        "linear"
    )
    boundary: Literal["upper", "lower"] = "upper"
    cut_points: dict[str, list[float]] = {}
    domain_cut_points: dict[str, dict[str, list[float]]] = {}
    when_population_incomplete: Literal["infer_from_published", "error"] = "infer_from_published"
    check_derived_against_published: bool = Field(
        default=True,
        description="when derived cut-points would put an organisation in a different segment "
        "from the one published, use the cut-points the publication implies (and say so)",
    )


class FinancialOverride(_Strict):
    """A flagged organisation is placed no better than ``floor_segment``."""

    flag_id: str = "OF5004"
    floor_segment: int = Field(default=3, ge=1, le=4)


class IntensiveSupport(_Strict):
    """Organisations in intensive recovery support are shown in ``segment``; ranks still use the
    segment after the financial override."""

    flag_id: str = "OF5007"
    segment: int = 5


class Ranking(_Strict):
    within: Literal["trust_type"] = "trust_type"
    keys: list[Literal["segment", "average_score"]] = ["segment", "average_score"]
    ties: Literal["min"] = "min"


class LikelyRanges(_Strict):
    """How sure each average and rank is: a bootstrap of each organisation's own metric scores.

    ``exact`` computes the bootstrap distribution itself (what ``monte_carlo`` approaches as
    its replicates grow); ``monte_carlo`` samples ``replicates`` replicates with ``seed``.
    Unequal metric weights always use ``monte_carlo``.
    """

    method: Literal["exact", "monte_carlo"] = "exact"
    replicates: int = Field(default=10_000, ge=100)
    lower_percentile: float = 2.5
    upper_percentile: float = 97.5
    seed: int = 20250401


class MoveTest(_Strict):
    """When a move of segment or rank between consecutive quarters is called real.

    Each quarter's bootstrap (the one the likely ranges come from, each quarter resampled
    independently) gives the probability that the move has the observed direction; a move is
    real when that probability is at least ``real_at``. The direction is the one observed,
    chosen after the fact, so ``real_at`` 0.975 is a two-sided 5% test (0.95 would call about 10%
    of moves real where nothing changed; see docs/method.md). Shown beside the official move,
    never instead of it.
    """

    real_at: float = Field(default=0.975, gt=0.5, lt=1.0)


class Improvement(_Strict):
    """The improvement score beside the position score (see docs/method.md).

    Each organisation's change in a metric's score is its latest quarter against the mean of
    its ``previous`` earlier quarters, standardised by the spread of its peers' changes (same
    trust type). The standardised change is scored 1-4 by ``cut_points`` (1 = most improved);
    ``beyond_noise_at`` is the |z| beyond which the change is called more than common-cause
    variation.
    """

    previous: int = Field(default=3, ge=1)
    cut_points: tuple[float, float, float] = (-1.0, 0.0, 1.0)
    beyond_noise_at: float = Field(default=3.0, gt=0.0)


class PeerGrouping(_Strict):
    """A declared way to group organisations into comparable peers within their trust type.

    ``by`` names the organisation's attribute the groups follow (``subtype``, ``region``, or
    ``trust_type``: the official grouping itself). Rank-scored metrics ranked within the trust
    type are re-ranked within the peer group; shown beside the official table, never instead.
    """

    id: str
    name: str
    by: Literal["subtype", "region", "trust_type"]
    description: str = ""


class PublishedIds(_Strict):
    """Where the publisher's own results sit in its data file, for provenance and verify."""

    average: str = "OF5002"
    unadjusted_segment: str = "OF5003"
    adjusted_segment: str = "OF5000"
    final_segment: str = "OF5005"


class Framework(_Strict):
    id: str
    version: str
    name: str
    sources: list[str] = []
    quarters: list[str]
    trust_types: list[TrustType]
    pools: list[Pool]
    domains: list[Domain]
    metrics: list[Metric]
    aggregation: Aggregation = Aggregation()
    segmentation: Segmentation = Segmentation()
    financial_override: FinancialOverride = FinancialOverride()
    intensive_support: IntensiveSupport = IntensiveSupport()
    ranking: Ranking = Ranking()
    likely_ranges: LikelyRanges = LikelyRanges()
    moves: MoveTest = MoveTest()
    improvement: Improvement = Improvement()
    peer_groups: list[PeerGrouping] = []
    published_ids: PublishedIds = PublishedIds()
    data_quality: DataQuality = DataQuality()
    undeclared_metric_ids: str | None = Field(
        default=None,
        description="a regular expression for metric IDs the publisher may add that this file "
        "does not declare; they are accepted and scored from the publication (marked "
        "unverified), with the domain the published file gives. None: refuse them.",
    )
    context_ids: list[str] = Field(
        default=[],
        description="published IDs that are inputs or outputs rather than metrics (flags, "
        "domain scores, segments)",
    )

    @model_validator(mode="after")
    def _references_resolve(self) -> Framework:
        """Cross-references between parts of the file. Each problem starts with ``@path:`` (the
        field path), so the loader can point at the YAML line it sits on."""
        problems: list[str] = []

        def bad(path: str, message: str) -> None:
            problems.append(f"@{path}: {message}")

        type_ids = {t.id for t in self.trust_types}
        pool_ids = {p.id for p in self.pools}
        domain_ids = {d.id for d in self.domains}
        metric_ids = [m.id for m in self.metrics]
        for i, p in enumerate(self.pools):
            for t in p.trust_types:
                if t not in type_ids:
                    bad(f"pools.{i}.trust_types", f"pool {p.id!r}: unknown trust type {t!r}")
            ranked = p.trust_types or sorted(type_ids)
            subtype_ids = {s.id for t in self.trust_types if t.id in ranked for s in t.subtypes}
            for s in p.exclude_subtypes:
                if s not in subtype_ids:
                    bad(f"pools.{i}.exclude_subtypes", f"pool {p.id!r}: unknown subtype {s!r}")
        for i, m in enumerate(self.metrics):
            where = f"metrics.{i}"
            if metric_ids.count(m.id) > 1:
                bad(f"{where}.id", f"metric {m.id} is declared more than once")
            if m.domain not in domain_ids:
                bad(
                    f"{where}.domain",
                    f"metric {m.id}: unknown domain {m.domain!r} "
                    f"(domains: {', '.join(sorted(domain_ids))})",
                )
            if m.pool not in pool_ids:
                bad(
                    f"{where}.pool",
                    f"metric {m.id}: unknown pool {m.pool!r} "
                    f"(pools: {', '.join(sorted(pool_ids))})",
                )
            elif m.polarity == "unknown" and self.pool(m.pool).kind != "external":
                bad(
                    f"{where}.polarity",
                    f"metric {m.id}: an unknown polarity cannot be ranked; use an external "
                    "pool so the published scores are used",
                )
            for t in m.trust_types:
                if t not in type_ids:
                    bad(f"{where}.trust_types", f"metric {m.id}: unknown trust type {t!r}")
            if isinstance(m.scoring, Matrix):
                for part, ref in (("rows", m.scoring.rows), ("columns", m.scoring.columns)):
                    if ref not in metric_ids:
                        bad(
                            f"{where}.scoring.{part}",
                            f"metric {m.id}: matrix refers to unknown metric {ref}",
                        )
            needs_raw = isinstance(m.scoring, RankScale | ThresholdThenRank | Thresholds)
            if needs_raw and m.raw_id is None:
                bad(where, f"metric {m.id}: a {m.scoring.rule} rule needs a raw_id")
        seg = self.segmentation
        for q, cuts in seg.cut_points.items():
            where = f"segmentation.cut_points.{q}"
            if q not in self.quarters:
                bad(where, f"unknown quarter {q!r} (quarters: {', '.join(self.quarters)})")
            if cuts != sorted(cuts) or len(cuts) != 3:
                bad(where, "give 3 cut-points, ascending")
        for q, by_domain in seg.domain_cut_points.items():
            if q not in self.quarters:
                bad(f"segmentation.domain_cut_points.{q}", f"unknown quarter {q!r}")
            for d, cuts in by_domain.items():
                where = f"segmentation.domain_cut_points.{q}.{d}"
                if d not in domain_ids:
                    bad(where, f"unknown domain {d!r} (domains: {', '.join(sorted(domain_ids))})")
                if cuts != sorted(cuts) or len(cuts) != 3:
                    bad(where, "give 3 cut-points, ascending")
        for t in seg.population:
            if t not in type_ids:
                bad("segmentation.population", f"unknown trust type {t!r}")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @model_validator(mode="after")
    def _data_quality_ids_resolve(self) -> Framework:
        """Every ID a data-quality rule names is one this file declares."""
        known = self.known_ids()
        problems = []
        for i, rule in enumerate(self.data_quality.rules):
            where = f"data_quality.rules.{i}"
            named = [("metric", rule.metric)]
            if rule.denominator_id is not None:
                named.append(("denominator_id", rule.denominator_id))
            named += [(f"parts.{j}", p) for j, p in enumerate(rule.parts)]
            for field, ref in named:
                if ref not in known:
                    problems.append(f"@{where}.{field}: unknown metric ID {ref!r}")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    # --- look-ups used everywhere ------------------------------------------------------------

    def metric(self, metric_id: str) -> Metric:
        for m in self.metrics:
            if m.id == metric_id:
                return m
        raise KeyError(metric_id)

    def peer_grouping(self, grouping_id: str) -> PeerGrouping | None:
        return next((g for g in self.peer_groups if g.id == grouping_id), None)

    def pool(self, pool_id: str) -> Pool:
        return next(p for p in self.pools if p.id == pool_id)

    def trust_type_by_name(self, name: str) -> TrustType | None:
        folded = name.strip().casefold()
        for t in self.trust_types:
            if folded in {t.id.casefold(), t.name.casefold(), *(a.casefold() for a in t.aliases)}:
                return t
        return None

    def metrics_for_id(self, published_id: str) -> list[Metric]:
        """The declared metrics a published score or raw ID belongs to."""
        return [m for m in self.metrics if published_id in (m.id, m.raw_id)]

    def accepts_undeclared(self, metric_id: str) -> bool:
        pattern = self.undeclared_metric_ids
        return pattern is not None and re.fullmatch(pattern, metric_id) is not None

    def domain_by_name(self, name: str) -> Domain | None:
        folded = name.strip().casefold()
        return next(
            (d for d in self.domains if folded in (d.id.casefold(), d.name.casefold())), None
        )

    def known_ids(self) -> set[str]:
        """Every metric ID a published data file of this framework may carry."""
        ids = set(self.context_ids)
        for m in self.metrics:
            ids.add(m.id)
            if m.raw_id:
                ids.add(m.raw_id)
        for d in self.domains:
            ids.add(d.score_id)
            if d.segment_id:
                ids.add(d.segment_id)
        p = self.published_ids
        ids |= {p.average, p.unadjusted_segment, p.adjusted_segment, p.final_segment}
        ids |= {self.financial_override.flag_id, self.intensive_support.flag_id}
        return ids
