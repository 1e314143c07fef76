"""A trust's A&E services: each department type's 4-hour share, its rank among the providers
with that type, and its Wilson interval, on the bundled monthly files."""

from __future__ import annotations

import duckdb
import pytest

from oversight.engine.sources.ae_series import series
from oversight.engine.sources.ae_services import service_split
from oversight.errors import UserError
from oversight.frameworks.ae import ae_metrics


def test_parts_agree_with_the_published_metrics(ae_store: duckdb.DuckDBPyConnection) -> None:
    split = service_split(ae_store, "rx1", "2025-12")
    assert split.code == "RX1" and split.month == "2025-12"
    by_type = {s.department_type: s for s in split.services}
    assert list(by_type)[0] == "all_types" and "type1" in by_type
    for key, metric in (("all_types", "ae_4hr_all_types"), ("type1", "ae_4hr_type1")):
        points = series(ae_store, ae_metrics(), metric, "RX1", as_published=True)
        value = next(p.value for p in points if f"{p.month:%Y-%m}" == "2025-12")
        assert by_type[key].share == pytest.approx(value)
    # the parts add up to the whole
    parts = [s for s in split.services if s.department_type != "all_types"]
    assert sum(s.attendances for s in parts) == by_type["all_types"].attendances
    assert sum(s.within_4hr for s in parts) == by_type["all_types"].within_4hr
    for s in split.services:
        assert s.ci_low < s.share < s.ci_high
        assert 1 <= s.rank <= s.of


def test_ranks_are_among_providers_with_that_type(ae_store: duckdb.DuckDBPyConnection) -> None:
    split = service_split(ae_store, "RX1", "2025-12")
    of = {s.department_type: s.of for s in split.services}
    # fewer providers run a type 1 department than report any attendances
    assert of["type1"] < of["all_types"]
    # every provider with a type 1 department gets a distinct place or a shared one, no gaps
    ranks = sorted(
        next(
            s.rank
            for s in service_split(ae_store, c, "2025-12").services
            if s.department_type == "type1"
        )
        for c in ("RX1", "RJ1", "RAL")
    )
    assert ranks == sorted(set(ranks))


def test_unknown_month_or_code_is_a_user_error(ae_store: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(UserError, match="No A&E month"):
        service_split(ae_store, "RX1", "2009-01")
    with pytest.raises(UserError, match="No A&E data for ZZZ"):
        service_split(ae_store, "ZZZ", "2025-12")
