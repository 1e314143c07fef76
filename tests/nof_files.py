"""Acute and ambulance NOF files for Q3 2025/26, written in NHS England's published schema.

NHS England's acute and ambulance data files are not bundled; their published Q3 2025/26
results are (``data/nhs/nof/2025-26/reference``: average, segment, rank and deficit flag of 129
acute trusts and 1 ambulance trust). This module builds a data file and a league table for each
type that reproduce those published averages, segments and ranks, with metric scores and raw
values chosen to be consistent with the method. Everything published is computed here by a
small implementation of its own (rank scale, half-up mean, linear quartile cut-points over all
three trust types, override, min-rank, Monte-Carlo bootstrap), never by the engine.

Made up, and labelled so: 5 acute trusts (``ZZA..``) and 9 ambulance trusts (``ZZB..``) filling
the places the extract lacks (the acute table ranks 134 trusts, the ambulance table 10), so the
population is NHS England's 205; raw values; domain scores (the published ones are not
reproduced); metric IDs ``OF0190``-``OF0193`` standing for metrics no public source names,
which the framework accepts undeclared; the ambulance trust's deficit flag (blank in the extract).
The mental health and community trusts' Q3 values come from NHS England's real file: acute and
ambulance sickness-absence and relative-cost values are placed between theirs so the published
pool ranks (N = 205 and N = 71) hold.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np

from tests.conftest import MH_DATA, ROOT

REFERENCE = ROOT / "data/nhs/nof/2025-26/reference/acute-ambulance-q3-25-26-published-values.csv"
Q3 = "Q3 2025/26"
ACUTE, AMBULANCE = "Acute trust", "Ambulance trust"
SPECIALIST = "Acute - Specialist"
DATA_HEADER = [
    "Quarter",
    "Region",
    "Trust_type",
    "Trust_subtype",
    "Trust_code",
    "Trust_name",
    "Domain",
    "Sub-domain",
    "Metric_ID",
    "Metric_description",
    "Reporting_date",
    "Units",
    "Value",
    "Median_value",
    "Lower_quartile",
    "Upper_quartile",
    "Rank",
]
LEAGUE_HEADER = [
    "Quarter",
    "Region",
    "Trust_type",
    "Trust_subtype",
    "Trust_code",
    "Trust_name",
    "Average_score",
    "Likely_range_of_average_score",
    "Segment",
    "Trust_in_financial_deficit",
    "Rank",
    "Likely_range_of_rank",
]
DOMAINS = {  # name -> (score ID, segment ID)
    "Access to services": ("OF4000", "OF4100"),
    "Patient safety": ("OF4002", "OF4102"),
    "Finance and productivity": ("OF4003", "OF4103"),
    "People and workforce": ("OF4004", "OF4104"),
    "Effectiveness and experience": ("OF4005", "OF4105"),
}


@dataclass(frozen=True)
class Spec:
    """One rank-scaled metric as this generator publishes it."""

    suffix: str  # "023" -> OF0023 / OF1023
    domain: str
    sub_domain: str
    description: str
    units: str
    reporting: str
    higher_is_better: bool
    lo: float  # raw value of the worst-ranked trust
    hi: float  # raw value of the best
    pool: str = "type"  # "type", "non_specialist", "all_trusts", "mh_and_ambulance"
    covers: str = "all"  # "all", "no_rbv", "ae"


ACUTE_SPECS = [
    Spec(
        "023",
        "Access to services",
        "Elective care",
        "Percentage of cases where a patient is waiting 18 weeks or less for elective treatment",
        "%",
        "Dec-25",
        True,
        45.0,
        92.0,
        covers="no_rbv",
    ),
    Spec(
        "010",
        "Access to services",
        "Cancer",
        "Cancer 28-day Faster Diagnosis Standard",
        "%",
        "Dec-25",
        True,
        62.0,
        96.0,
        pool="non_specialist",
    ),
    Spec(
        "011",
        "Access to services",
        "Cancer",
        "Cancer 62-day performance",
        "%",
        "Dec-25",
        True,
        48.0,
        92.0,
        pool="non_specialist",
    ),
    Spec(
        "013",
        "Access to services",
        "Urgent and emergency care",
        "A&E performance",
        "%",
        "Dec-25",
        True,
        58.0,
        96.0,
        covers="ae",
    ),
    Spec(
        "048",
        "Patient safety",
        "Patient safety",
        "E. coli bacteraemia",
        "rate",
        "Jan 25 - Dec 25",
        False,
        48.0,
        8.0,
    ),
    Spec(
        "061",
        "Patient safety",
        "Patient safety",
        "NHS Staff survey - raising concerns sub-score",
        "out of 10",
        "2024",
        True,
        5.9,
        7.4,
    ),
    Spec(
        "085",
        "Finance and productivity",
        "Productivity",
        "Implied productivity",
        "%",
        "2025/26",
        True,
        -4.0,
        6.0,
    ),
    Spec(
        "082",
        "People and workforce",
        "Retention and culture",
        "Sickness absence rate",
        "%",
        "Q2 2025/26",
        False,
        7.0,
        3.0,
        pool="all_trusts",
    ),
    Spec(
        "084",
        "People and workforce",
        "Retention and culture",
        "NHS staff survey engagement theme sub-score",
        "out of 10",
        "2024",
        True,
        6.3,
        7.6,
    ),
    Spec(
        "190",
        "Effectiveness and experience",
        "Effective flow and discharge",
        "Effectiveness metric named by no public source (synthetic stand-in)",
        "%",
        "Q3 2025/26",
        True,
        10.0,
        90.0,
    ),
]
AMBULANCE_SPECS = [
    Spec(
        "191",
        "Access to services",
        "Urgent and emergency care",
        "Ambulance response metric named by no public source (synthetic stand-in)",
        "seconds",
        "Q3 2025/26",
        False,
        3000.0,
        1500.0,
    ),
    Spec(
        "192",
        "Patient safety",
        "Patient safety",
        "Ambulance safety metric named by no public source (synthetic stand-in)",
        "%",
        "Q3 2025/26",
        True,
        40.0,
        90.0,
    ),
    Spec(
        "061",
        "Patient safety",
        "Patient safety",
        "NHS Staff survey - raising concerns sub-score",
        "out of 10",
        "2024",
        True,
        5.5,
        6.9,
    ),
    Spec(
        "086",
        "Finance and productivity",
        "Productivity",
        "Relative difference in costs",
        "%",
        "2024/25",
        False,
        130.0,
        80.0,
        pool="mh_and_ambulance",
    ),
    Spec(
        "082",
        "People and workforce",
        "Retention and culture",
        "Sickness absence rate",
        "%",
        "Q2 2025/26",
        False,
        8.0,
        4.0,
        pool="all_trusts",
    ),
    Spec(
        "084",
        "People and workforce",
        "Retention and culture",
        "NHS staff survey engagement theme sub-score",
        "out of 10",
        "2024",
        True,
        5.8,
        7.0,
    ),
    Spec(
        "193",
        "Effectiveness and experience",
        "Effective out of hospital care",
        "Ambulance outcome metric named by no public source (synthetic stand-in)",
        "%",
        "Q3 2025/26",
        True,
        20.0,
        80.0,
    ),
]


def half_up(x: float, dp: int = 2) -> float:
    return float(Decimal(repr(x)).quantize(Decimal(10) ** -dp, rounding=ROUND_HALF_UP))


def mean_2dp(xs: list[float]) -> float:
    return half_up(sum(xs) / len(xs) + 1e-12)


@dataclass
class Trust:
    code: str
    name: str
    region: str
    type: str
    subtype: str
    average: float  # the published (target) average
    segment: int | None  # published adjusted segment (None: made up, derived here)
    rank: int | None
    deficit: bool
    scores: dict[str, float] = field(default_factory=dict)  # score ID -> unrounded score
    pool_rank: dict[str, int] = field(default_factory=dict)
    finance: tuple[int, int] = (1, 1)  # OF1079, OF1081 scores

    def used(self) -> list[float]:
        return [s for m, s in self.scores.items() if m not in ("OF1079", "OF1081")]


def _reference() -> list[Trust]:
    """The published trusts; the ambulance trust's blank deficit flag is filled with Yes (its
    segment, 4, is the same either way)."""
    with REFERENCE.open(encoding="utf-8", newline="") as f:
        return [
            Trust(
                r["Trust_code"],
                r["Trust_name"],
                r["Region"],
                r["Trust_type"],
                r["Trust_subtype"],
                float(r["Average_score"]),
                int(r["Segment"]),
                int(r["Rank"]),
                r["Trust_in_financial_deficit"] in ("Yes", ""),
            )
            for r in csv.DictReader(f)
        ]


def _made_up() -> list[Trust]:
    """The 5 acute trusts the extract lacks (published ranks 1, 2, 7 and 12, so averages
    between their neighbours', and one tied at 52nd: 2.27 in segment 3) and 9 ambulance trusts
    around the real one (ranked 9th)."""
    acute = [
        (1.30, SPECIALIST, False),
        (1.33, SPECIALIST, False),
        (1.60, SPECIALIST, False),
        (1.76, SPECIALIST, False),
        (2.27, "Acute - Medium", True),
    ]
    out = [
        Trust(
            f"ZZA0{i}",
            f"SYNTHETIC ACUTE TRUST {i} (TEST)",
            "London",
            ACUTE,
            subtype,
            avg,
            None,
            None,
            deficit,
        )
        for i, (avg, subtype, deficit) in enumerate(acute, 1)
    ]
    # placed so that the national quartiles of all 205 keep every published segment
    ambulance = [1.98, 2.20, 2.30, 2.50, 2.62, 2.72, 2.73, 2.74, 2.95]
    out += [
        Trust(
            f"ZZB0{i}",
            f"SYNTHETIC AMBULANCE SERVICE {i} (TEST)",
            "Midlands",
            AMBULANCE,
            "Ambulance",
            avg,
            None,
            None,
            i != 1,
        )
        for i, avg in enumerate(ambulance, 1)
    ]
    return out


@dataclass(frozen=True)
class MentalHealthQ3:
    """What the real mental health and community file publishes for Q3."""

    average: dict[str, float]
    segment: dict[str, int]  # adjusted
    deficit: dict[str, bool]
    domain_scores: dict[str, dict[str, float]]  # domain score ID -> trust -> score
    domain_segments: dict[str, dict[str, int]]
    pool_values: dict[str, dict[int, float]]  # raw ID -> pool rank -> value


def mental_health_q3() -> MentalHealthQ3:
    by: dict[str, dict[str, tuple[float, str]]] = {}
    with MH_DATA.open(encoding="utf-8-sig", newline="") as f:
        for r in csv.DictReader(f):
            if r["Quarter"] == Q3 and r["Value"]:
                by.setdefault(r["Metric_ID"], {})[r["Trust_code"]] = (float(r["Value"]), r["Rank"])
    pools: dict[str, dict[int, float]] = {}
    for raw, n in (("OF0082", 205), ("OF0086", 71)):
        scores = by["OF1" + raw[3:]]
        pools[raw] = {
            round((s - 1) * (n - 1) / 3) + 1: by[raw][o][0] for o, (s, _) in scores.items()
        }
    ids = [i for pair in DOMAINS.values() for i in pair]
    return MentalHealthQ3(
        {o: v for o, (v, _) in by["OF5002"].items()},
        {o: int(v) for o, (v, _) in by["OF5000"].items()},
        {o: v == 1.0 for o, (v, _) in by["OF5004"].items()},
        {i: {o: v for o, (v, _) in by[i].items()} for i in ids[0::2]},
        {i: {o: int(v) for o, (v, _) in by[i].items()} for i in ids[1::2]},
        pools,
    )


# --- metric scores ---------------------------------------------------------------------------


def _covered(spec: Spec, trusts: list[Trust]) -> list[Trust]:
    if spec.covers == "no_rbv":
        return [t for t in trusts if t.code != "RBV"]
    if spec.covers == "ae":
        return [t for t in trusts if t.subtype != SPECIALIST or t.code == "RP6"]
    if spec.pool == "non_specialist":
        return [t for t in trusts if t.subtype != SPECIALIST]
    return trusts


def _slots(spec: Spec, mh: MentalHealthQ3, n_ours: int) -> tuple[int, list[int]]:
    """Pool size and the pool ranks free for our trusts (the others are the MH trusts')."""
    if spec.pool == "all_trusts":
        taken = mh.pool_values["OF0082"]
        n = 205
    elif spec.pool == "mh_and_ambulance":
        taken = mh.pool_values["OF0086"]
        n = 71
    else:
        return n_ours, list(range(1, n_ours + 1))
    free = [r for r in range(1, n + 1) if r not in taken]
    return n, free


@dataclass
class Group:
    """Trusts ranked together on one metric: ``order`` best first takes ``slots`` in turn."""

    score_id: str
    n: int
    order: list[Trust]
    slots: list[int]
    specs: dict[str, Spec]  # trust type -> how it publishes the metric


def groups_for(
    trusts: list[Trust], specs: dict[str, list[Spec]], mh: MentalHealthQ3, rng: random.Random
) -> list[Group]:
    out: dict[str, Group] = {}
    for trust_type, type_specs in specs.items():
        of_type = [t for t in trusts if t.type == trust_type]
        for spec in type_specs:
            members = list(_covered(spec, of_type))
            key = f"OF1{spec.suffix}" + ("" if spec.pool == "all_trusts" else trust_type)
            if key in out:
                out[key].order += members
                out[key].specs[trust_type] = spec
            else:
                out[key] = Group(f"OF1{spec.suffix}", 0, members, [], {trust_type: spec})
    for g in out.values():
        spec = next(iter(g.specs.values()))
        g.n, g.slots = _slots(spec, mh, len(g.order))
        assert len(g.slots) == len(g.order), (g.score_id, len(g.slots), len(g.order))
        g.order.sort(key=lambda t: t.average + rng.gauss(0, 0.25))
    return list(out.values())


# a trust in deficit may be anywhere on the finance matrix; one that is not is on plan
_FINANCE_OPTIONS = [(1, 2), (2, 1), (3, 2), (2, 3)]  # combined finance 1, 2, 3, 4


def assign_scores(trusts: list[Trust], groups: list[Group], rng: random.Random) -> None:
    """Swap ranks within a metric, and move trusts in deficit on the finance matrix, until
    every trust's mean rounds to its published average."""
    for t in trusts:
        t.finance = (1, 1) if not t.deficit else rng.choice(_FINANCE_OPTIONS)
    _place(groups, trusts)
    bad: list[Trust] = []
    for it in range(300_000):
        if it % 100 == 0:
            bad = [t for t in trusts if mean_2dp(t.used()) != t.average]
            if not bad:
                return
        t = rng.choice(bad)
        low = sum(t.used()) / len(t.used()) < t.average
        if t.deficit and rng.random() < 0.3:
            before, old = _miss(t), t.finance
            t.finance = rng.choice(_FINANCE_OPTIONS)
            _place([], [t])
            if _miss(t) > before + 1e-12 and rng.random() > 0.02:
                t.finance = old
                _place([], [t])
            continue
        g = rng.choice(groups)
        if t not in g.order:
            continue
        i = g.order.index(t)
        step = rng.randint(1, 6) * (1 if low else -1)  # a higher score is a later place
        j = min(max(i + step, 0), len(g.order) - 1)
        other = g.order[j]
        before = _miss(t) + _miss(other)
        g.order[i], g.order[j] = other, t
        _place([g], [])
        if _miss(t) + _miss(other) > before + 1e-12 and rng.random() > 0.02:
            g.order[i], g.order[j] = t, other
            _place([g], [])
    raise AssertionError(f"could not fit metric scores to the published averages: {bad[:5]}")


def _miss(t: Trust) -> float:
    m = sum(t.used()) / len(t.used())
    return max(0.0, (t.average - 0.005) - m, m - (t.average + 0.00499))


def _place(groups: list[Group], trusts: list[Trust]) -> None:
    for t in trusts:
        a, b = t.finance
        t.scores["OF1079"], t.scores["OF1081"] = float(a), float(b)
        t.scores["OF1080"] = float(_FINANCE[a - 1][b - 1])
    for g in groups:
        for t, r in zip(g.order, g.slots, strict=True):
            t.pool_rank[g.score_id] = r
            t.scores[g.score_id] = 1 + 3 * (r - 1) / (g.n - 1)


_FINANCE = [[1, 1, 2, 3], [2, 3, 4, 4], [2, 3, 4, 4], [2, 3, 4, 4]]


# --- cut-points, segments, ranks -------------------------------------------------------------


def quartile_cuts(values: list[float]) -> tuple[float, float, float]:
    q = np.quantile(np.asarray(values), [0.25, 0.5, 0.75], method="linear")
    return (round(float(q[0]), 6), round(float(q[1]), 6), round(float(q[2]), 6))


def segment(score: float, cuts: tuple[float, ...]) -> int:
    return 1 + sum(score >= c - 1e-9 for c in cuts)  # an average on a cut-point is worse


def min_ranks(keys: list[tuple[float, ...]]) -> list[int]:
    return [1 + sum(k2 < k for k2 in keys) for k in keys]


# --- the files ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class NofFiles:
    acute_data: Path
    acute_league: Path
    ambulance_data: Path
    ambulance_league: Path


@dataclass
class Built:
    trusts: list[Trust]
    groups: list[Group]
    cuts: tuple[float, float, float]
    domain_cuts: dict[str, tuple[float, ...]]
    segment0: dict[str, int] = field(default_factory=dict)
    segment: dict[str, int] = field(default_factory=dict)
    rank: dict[str, int] = field(default_factory=dict)
    domain_scores: dict[str, dict[str, float]] = field(default_factory=dict)


def build(seed: int = 20251231) -> Built:
    """Every number the files will carry, checked against the published Q3 values."""
    rng = random.Random(seed)
    mh = mental_health_q3()
    trusts = _reference() + _made_up()
    population = list(mh.average.values()) + [t.average for t in trusts]
    assert len(population) == 205
    cuts = quartile_cuts(population)
    for code, avg in mh.average.items():  # the real file's segments follow from these cuts
        s0 = segment(avg, cuts)
        assert (max(s0, 3) if mh.deficit[code] else s0) == mh.segment[code], code
    groups = groups_for(trusts, {ACUTE: ACUTE_SPECS, AMBULANCE: AMBULANCE_SPECS}, mh, rng)
    assign_scores(trusts, groups, rng)
    built = Built(trusts, groups, cuts, {})
    for t in trusts:
        s0 = segment(t.average, cuts)
        built.segment0[t.code] = s0
        built.segment[t.code] = max(s0, 3) if t.deficit else s0
        if t.segment is not None:
            assert built.segment[t.code] == t.segment, t.code
    for trust_type in (ACUTE, AMBULANCE):
        of_type = [t for t in trusts if t.type == trust_type]
        keys = [(float(built.segment[t.code]), t.average) for t in of_type]
        for t, r in zip(of_type, min_ranks(keys), strict=True):
            built.rank[t.code] = r
            if t.rank is not None:
                assert r == t.rank, (t.code, r, t.rank)
    _domains(built, mh)
    return built


def _domain_of(score_id: str) -> str:
    if score_id in ("OF1079", "OF1080", "OF1081"):
        return "Finance and productivity"
    for spec in ACUTE_SPECS + AMBULANCE_SPECS:
        if f"OF1{spec.suffix}" == score_id:
            return spec.domain
    raise KeyError(score_id)


def _domains(built: Built, mh: MentalHealthQ3) -> None:
    """Domain scores, and cut-points: national quartiles unless the real file's published
    segments rule them out, then a point the real file's segments allow (as NHS England's
    domain cut-points are not known, the engine infers them from the publication then)."""
    for name, (score_id, segment_id) in DOMAINS.items():
        ours = {}
        for t in built.trusts:
            used = [s for m, s in t.scores.items() if m not in ("OF1079", "OF1081")]
            in_domain = [
                s
                for m, s in t.scores.items()
                if m in t.scores and m not in ("OF1079", "OF1081") and _domain_of(m) == name
            ]
            assert used
            if in_domain:
                ours[t.code] = mean_2dp(in_domain)
        built.domain_scores[score_id] = ours
        cuts = list(quartile_cuts(list(mh.domain_scores[score_id].values()) + list(ours.values())))
        pairs = [
            (v, mh.domain_segments[segment_id][o])
            for o, v in mh.domain_scores[score_id].items()
            if o in mh.domain_segments[segment_id]
        ]
        for k in (1, 2, 3):
            lo = max((v for v, s in pairs if s <= k), default=None)
            hi = min((v for v, s in pairs if s > k), default=None)
            if (lo is not None and cuts[k - 1] <= lo) or (hi is not None and cuts[k - 1] > hi):
                assert lo is not None and hi is not None
                cuts[k - 1] = round((lo + hi) / 2, 4)
        built.domain_cuts[segment_id] = tuple(cuts)


def _fmt(x: float | None) -> str:
    return "" if x is None else str(half_up(x))


def raw_values(g: Group, mh: MentalHealthQ3) -> dict[str, float]:
    """Raw values in pool order. In a pool shared with the mental health trusts, values lie
    between theirs; where a run of places between two of theirs has too little room for
    distinct 2-dp values, each run of one trust type gets its own value, so that no value ties
    another type's (nothing could break such a tie, and the engine leaves those to the
    publication)."""
    pooled = {"all_trusts": "OF0082", "mh_and_ambulance": "OF0086"}
    spec = next(iter(g.specs.values()))
    if spec.pool not in pooled:
        return {
            t.code: g.specs[t.type].hi
            + (g.specs[t.type].lo - g.specs[t.type].hi) * (t.pool_rank[g.score_id] - 1) / (g.n - 1)
            for t in g.order
        }
    taken = mh.pool_values[pooled[spec.pool]]
    sign = 1 if not spec.higher_is_better else -1
    out: dict[str, float] = {}
    by_slot = {t.pool_rank[g.score_id]: t for t in g.order}
    for r, t in by_slot.items():
        below = max((k for k in taken if k < r), default=None)
        above = min((k for k in taken if k > r), default=None)
        if below is None:
            assert above is not None
            out[t.code] = taken[above] - 0.05 * sign * (above - r)
            continue
        if above is None:
            out[t.code] = taken[below] + 0.05 * sign * (r - below)
            continue
        room = taken[above] - taken[below]
        if abs(room) >= 0.01 * (above - below):
            out[t.code] = taken[below] + 0.01 * (r - below) * (1 if room > 0 else -1)
            continue
        run = [by_slot[k] for k in range(below + 1, above)]
        blocks = [0]
        for a, b in zip(run, run[1:], strict=False):
            blocks.append(blocks[-1] + (a.type != b.type))
        interior = round(abs(room) * 100) - 1  # distinct values strictly between theirs
        block = blocks[r - below - 1]
        if blocks[-1] + 1 <= interior:
            out[t.code] = taken[below] + 0.01 * (block + 1) * (1 if room > 0 else -1)
        else:
            out[t.code] = taken[below] + room * (r - below) / (above - below)
    return out


def write_files(out: Path, built: Built | None = None) -> NofFiles:
    built = built or build()
    mh = mental_health_q3()
    rng = np.random.default_rng(7)
    files = NofFiles(
        out / "nhs-oversight-framework-acute-trust-data-q3-25-26.csv",
        out / "nhs-oversight-framework-acute-trust-league-table-q3-25-26.csv",
        out / "nhs-oversight-framework-ambulance-trust-data-q3-25-26.csv",
        out / "nhs-oversight-framework-ambulance-trust-league-table-q3-25-26.csv",
    )
    for trust_type, specs, data, league in (
        (ACUTE, ACUTE_SPECS, files.acute_data, files.acute_league),
        (AMBULANCE, AMBULANCE_SPECS, files.ambulance_data, files.ambulance_league),
    ):
        of_type = [t for t in built.trusts if t.type == trust_type]
        rows = _data_rows(built, of_type, specs, mh, rng)
        write_csv(data, DATA_HEADER, rows)
        write_csv(league, LEAGUE_HEADER, _league_rows(built, of_type))
    return files


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(header)
        w.writerows(rows)


def _quartiles(values: list[float]) -> list[str]:
    q = np.percentile(np.asarray(values), [50, 25, 75], method="linear")
    return [_fmt(float(v)) for v in q]


def _type_ranks(members: list[Trust], value: dict[str, float], higher: bool) -> dict[str, int]:
    keys = [(-value[t.code] if higher else value[t.code],) for t in members]
    return {t.code: r for t, r in zip(members, min_ranks(keys), strict=True)}


def _data_rows(
    built: Built,
    of_type: list[Trust],
    specs: list[Spec],
    mh: MentalHealthQ3,
    rng: np.random.Generator,
) -> list[list[str]]:
    rows: list[list[str]] = []

    def row(
        t: Trust,
        domain: str,
        sub: str,
        mid: str,
        desc: str,
        period: str,
        units: str,
        value: float | None,
        quart: list[str] | None = None,
        rank: int | None = None,
    ) -> None:
        rows.append(
            [
                Q3,
                t.region,
                t.type,
                t.subtype,
                t.code,
                t.name,
                domain,
                sub,
                mid,
                desc,
                period,
                units,
                _fmt(value),
                *(quart or ["", "", ""]),
                "" if rank is None else f"{float(rank)}",
            ]
        )

    for spec in specs:
        g = next(
            g
            for g in built.groups
            if g.score_id == f"OF1{spec.suffix}" and of_type[0].type in g.specs
        )
        members = [t for t in of_type if t in g.order]
        # the pool's best place first: the within-type rank follows the pool order
        members.sort(key=lambda t: t.pool_rank[g.score_id])
        values = {t.code: v for t, v in ((t, raw_values(g, mh)[t.code]) for t in members)}
        excluded = [t for t in of_type if t not in g.order and spec.pool == "non_specialist"]
        for t in excluded:  # a value, but no rank or score: outside the pool
            values[t.code] = float(rng.uniform(spec.lo, spec.hi))
        quart = _quartiles([half_up(v) for v in values.values()])
        type_rank = {t.code: i for i, t in enumerate(members, 1)}
        for t in sorted(members + excluded, key=lambda t: t.code):
            rank = type_rank.get(t.code)
            row(
                t,
                spec.domain,
                spec.sub_domain,
                f"OF0{spec.suffix}",
                spec.description,
                spec.reporting,
                spec.units,
                values[t.code],
                quart,
                rank,
            )
            if spec.units == "rate":
                row(
                    t,
                    spec.domain,
                    spec.sub_domain,
                    f"OF0{spec.suffix}",
                    spec.description,
                    spec.reporting,
                    "count",
                    float(round(values[t.code] * 3)),
                    None,
                    rank,
                )
        for t in sorted(members, key=lambda t: t.code):
            row(
                t,
                spec.domain,
                spec.sub_domain,
                f"OF1{spec.suffix}",
                spec.description,
                spec.reporting,
                "score",
                t.scores[g.score_id],
                None,
                type_rank[t.code],
            )
    _finance_rows(of_type, row, rng)
    _summary_rows(built, of_type, row)
    return rows


_PLAN = {1: (0.0, 2.0), 2: (-0.95, -0.05), 3: (-1.95, -1.05), 4: (-3.5, -2.05)}
_YTD = {1: (0.0, 1.5), 2: (-0.45, -0.05), 3: (-0.95, -0.55), 4: (-2.5, -1.05)}


def _finance_rows(of_type: list[Trust], row, rng: np.random.Generator) -> None:  # type: ignore[no-untyped-def]
    fin, sub = "Finance and productivity", "Finance"
    for mid, desc, period, bands, part in (
        ("079", "Planned surplus/deficit", "2025/26", _PLAN, 0),
        ("081", "Variance year-to-date to financial plan", "Month 9 2025", _YTD, 1),
    ):
        values = {t.code: half_up(float(rng.uniform(*bands[t.finance[part]]))) for t in of_type}
        quart = _quartiles(list(values.values()))
        ranks = _type_ranks(of_type, values, higher=True)
        for t in of_type:
            row(t, fin, sub, f"OF0{mid}", desc, period, "%", values[t.code], quart, ranks[t.code])
            row(
                t,
                fin,
                sub,
                f"OF1{mid}",
                desc,
                period,
                "score",
                float(t.finance[part]),
                None,
                ranks[t.code],
            )
    for t in of_type:
        row(t, fin, sub, "OF1080", "Combined finance", Q3, "score", t.scores["OF1080"])


def _summary_rows(built: Built, of_type: list[Trust], row) -> None:  # type: ignore[no-untyped-def]
    for name, (score_id, segment_id) in DOMAINS.items():
        scores = {
            t.code: built.domain_scores[score_id][t.code]
            for t in of_type
            if t.code in built.domain_scores[score_id]
        }
        scored = [t for t in of_type if t.code in scores]
        ranks = _type_ranks(scored, scores, higher=False)
        for t in scored:
            row(
                t,
                name,
                f"{name} domain score",
                score_id,
                f"{name} domain score",
                Q3,
                "score",
                scores[t.code],
                None,
                ranks[t.code],
            )
            seg = segment(scores[t.code], built.domain_cuts[segment_id])
            row(
                t,
                name,
                f"{name} domain segment",
                segment_id,
                f"{name} domain segment",
                Q3,
                "segment",
                float(seg),
            )
    avg_rank = _type_ranks(of_type, {t.code: t.average for t in of_type}, higher=False)
    for t in of_type:
        s = ("Summary", "Summary")
        row(
            t,
            *s,
            "OF5000",
            "Adjusted segment",
            Q3,
            "segment",
            float(built.segment[t.code]),
            None,
            built.rank[t.code],
        )
        row(t, *s, "OF5002", "Average metric score", Q3, "score", t.average, None, avg_rank[t.code])
        row(t, *s, "OF5003", "Unadjusted segment", Q3, "segment", float(built.segment0[t.code]))
        row(t, *s, "OF5004", "Financial override", Q3, "flag", float(t.deficit))


def _league_rows(built: Built, of_type: list[Trust]) -> list[list[str]]:
    low, high, rank_low, rank_high = bootstrap(built, of_type)
    rows = []
    for i, t in enumerate(of_type):
        rows.append(
            [
                Q3,
                t.region,
                t.type,
                t.subtype,
                t.code,
                t.name,
                _fmt(t.average),
                f"{_fmt(low[i])} to {_fmt(high[i])}",
                f"{float(built.segment[t.code])}",
                "Yes" if t.deficit else "No",
                f"{float(built.rank[t.code])}",
                f"{rank_low[i]} to {rank_high[i]}",
            ]
        )
    return sorted(rows, key=lambda r: (float(r[10]), r[5]))


def bootstrap(
    built: Built, of_type: list[Trust], replicates: int = 20_000, seed: int = 11
) -> tuple[list[float], list[float], list[int], list[int]]:
    """Monte-Carlo bootstrap of each trust's own used scores (the publisher's method)."""
    rng = np.random.default_rng(seed)
    means = np.empty((replicates, len(of_type)))
    for i, t in enumerate(of_type):
        x = np.asarray(t.used())
        means[:, i] = x[rng.integers(0, len(x), (replicates, len(x)))].mean(axis=1)
    rounded = np.floor(means * 100 + 0.5 + 1e-9) / 100
    seg = 1 + sum((rounded >= c - 1e-9).astype(int) for c in built.cuts)
    flagged = np.array([t.deficit for t in of_type])
    seg = np.where(flagged, np.maximum(seg, 3), seg)
    keys = seg * 100_000 + np.rint(rounded * 100).astype(int)
    ranks = np.empty_like(keys)
    for b in range(replicates):
        ordered = np.sort(keys[b])
        ranks[b] = np.searchsorted(ordered, keys[b], side="left") + 1
    lo_m, hi_m = np.percentile(means, [2.5, 97.5], axis=0)
    lo_r, hi_r = np.percentile(ranks.astype(float), [2.5, 97.5], axis=0)
    return (
        [half_up(float(v)) for v in lo_m],
        [half_up(float(v)) for v in hi_m],
        [int(half_up(float(v), 0)) for v in lo_r],
        [int(half_up(float(v), 0)) for v in hi_r],
    )
