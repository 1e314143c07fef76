"""Each A&E spec on each engine; both engines must give exactly the expected values."""

from __future__ import annotations

from typing import Any

import pytest

from tests.spec.conftest import ENGINES
from tests.spec.specs_ae import SPECS, Spec


@pytest.mark.parametrize("engine_name", ENGINES)
@pytest.mark.parametrize("spec", SPECS, ids=[s.id for s in SPECS])
def test_spec(spec: Spec, engine_name: str, spec_results: Any) -> None:
    counts, metrics = spec_results.get_results(engine_name, spec.month_from)[spec.id]
    assert set(counts) == set(spec.counts), "provider-month-type groups"
    for key, expected in spec.counts.items():
        got = {m: counts[key][m] for m in expected}
        assert got == expected, key
    for key, (num, den) in spec.metrics.items():
        assert (metrics[key].numerator, metrics[key].denominator) == (num, den), key
        if den:
            assert metrics[key].value == num / den
    for key in spec.absent:
        assert key not in metrics
