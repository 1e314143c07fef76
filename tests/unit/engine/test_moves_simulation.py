"""Issue 15's check of "is the move real?": a simulation of quarters with and without change.

Organisations have true average scores; each simulated quarter draws every organisation's metric
scores afresh around its true average (the sampling the bootstrap models), scores, segments and
ranks them as the engine does, and bootstraps each quarter independently. Where nothing changes
between the quarters, at most about 5% of the observed rank and segment moves may be called
real; where a change is planted, the call must find most planted moves. The figures are printed
(run with ``-s`` to see them) and asserted with a stated tolerance.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest
from numpy.typing import NDArray

from oversight.engine.nof.likely_ranges import RangeInputs, calibrated, distributions, seed_for
from oversight.engine.nof.segments import segments_of
from oversight.frameworks.model import MoveTest
from oversight.stats.moves import observed_direction_probability
from oversight.stats.ranks import min_rank
from oversight.stats.rounding import half_up

ORGS = 40
METRICS = 10
SPREAD = 0.8  # sd of an organisation's metric scores about its true average
CUTS = (2.0, 2.5, 3.0)
PAIRS = 20  # simulated (quarter, next quarter) pairs per scenario
PLANTED = 5  # organisations whose true average moves in the planted scenario
SHIFT = (
    1.0  # by this much (better: lower), about 2.8 standard errors of a quarter-on-quarter change
)
REPLICATES = 1_000
LOW, HIGH = 2.2, 3.4  # true averages (planted organisations stay inside 1-4)
REAL_AT = MoveTest().real_at  # the framework's declared threshold


@dataclass(frozen=True)
class Quarter:
    inputs: RangeInputs
    rank: NDArray[np.int64]
    segment: NDArray[np.int64]


def simulate(true: NDArray[np.float64], rng: np.random.Generator) -> Quarter:
    scores = np.clip(true[:, None] + SPREAD * rng.standard_normal((len(true), METRICS)), 1, 4)
    inputs = RangeInputs(
        scores=list(scores),
        weights=[np.ones(METRICS)] * len(true),
        flagged=np.zeros(len(true), dtype=bool),
        cut_points=CUTS,
        boundary="upper",
        floor_segment=3,
        dp=2,
    )
    averages = half_up(scores.mean(axis=1), 2)
    segment = segments_of(averages, CUTS)
    rank = min_rank(inputs.keys(averages, inputs.flagged))
    return Quarter(inputs, rank, segment)


@dataclass
class Calls:
    moves: int = 0
    real: int = 0

    @property
    def share(self) -> float:
        return self.real / self.moves if self.moves else 0.0


def run(planted: bool, seed: int, calibrate: bool = False) -> dict[str, Calls]:
    """Calls over PAIRS simulated quarter pairs; planted: only the planted organisations count."""
    rng = np.random.default_rng(seed)
    calls = {"rank": Calls(), "segment": Calls()}
    for pair in range(PAIRS):
        true = rng.uniform(LOW, HIGH, ORGS)
        later = true.copy()
        chosen = np.zeros(ORGS, dtype=bool)
        if planted:
            # organisations of the worse half improve, so the planted move has room in rank
            worse = np.flatnonzero(true > (LOW + HIGH) / 2)
            chosen[rng.choice(worse, PLANTED, replace=False)] = True
            later[chosen] -= SHIFT
        else:
            chosen[:] = True
        q1, q2 = simulate(true, rng), simulate(later, rng)
        d1, d2 = (
            distributions(
                calibrated(q.inputs) if calibrate else q.inputs,
                "monte_carlo",
                REPLICATES,
                seed_for(seed, str(pair), label),
            )
            for q, label in ((q1, "1"), (q2, "2"))
        )
        for kind, before, after, pmf1, pmf2 in (
            ("rank", q1.rank, q2.rank, d1.rank, d2.rank),
            ("segment", q1.segment, q2.segment, d1.segment, d2.segment),
        ):
            change = (after - before).astype(np.int64)
            p = observed_direction_probability(pmf1, pmf2, change)
            if planted:
                # a planted move is found when the call says real and better
                calls[kind].moves += int(chosen.sum())
                calls[kind].real += int((chosen & (change < 0) & (p >= REAL_AT)).sum())
            else:
                moved = chosen & (change != 0)
                calls[kind].moves += int(moved.sum())
                calls[kind].real += int((moved & (p >= REAL_AT)).sum())
    return calls


def report(label: str, calls: dict[str, Calls]) -> None:
    """The figures, in the test output (pytest -s) and in the terminal summary when captured."""
    for kind, c in calls.items():
        print(f"\n{label}: {c.real} of {c.moves} {kind} moves called real ({c.share:.1%})")


@pytest.mark.parametrize("calibrate", [False, True], ids=["publisher", "calibrated"])
def test_nothing_changes_few_moves_called_real(calibrate: bool) -> None:
    calls = run(planted=False, seed=15, calibrate=calibrate)
    report(f"no change, {'calibrated' if calibrate else 'publisher'} bootstrap", calls)
    assert calls["rank"].moves > 600 and calls["segment"].moves > 300
    # "at most about 5%". The publisher's bootstrap spreads each average by its k-divisor
    # variance, (k-1)/k of the sampling variance, so with k = 10 metrics about 6.3% is
    # expected; the tolerance is 2.5 points (the simulation's own noise is about 1 point).
    assert calls["rank"].share <= 0.075
    assert calls["segment"].share <= 0.075


@pytest.mark.parametrize("calibrate", [False, True], ids=["publisher", "calibrated"])
def test_planted_change_is_found(calibrate: bool) -> None:
    calls = run(planted=True, seed=16, calibrate=calibrate)
    report(f"planted improvement of {SHIFT}, {'calibrated' if calibrate else 'publisher'}", calls)
    assert calls["rank"].moves == PAIRS * PLANTED
    # "most of the time" for the publisher's bootstrap; the calibrated one shrinks towards the
    # mean and is more cautious, so it is held to finding some
    assert calls["rank"].share >= (0.6 if not calibrate else 0.3)
