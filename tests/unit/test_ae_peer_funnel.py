"""Red/amber/green against a peer group or an ICB, on hand-built providers: each provider is
judged against its own group's pooled share with England's overdispersion, so a provider red
against England can be similar to its peers; a provider alone in its group is not compared."""

from __future__ import annotations

import pytest

from oversight.engine.funnel import funnel
from oversight.engine.shapes import Unit
from oversight.engine.sources.ae_peer_funnel import against_pools, pools
from oversight.frameworks.ae_comparators import SizeBands, ae_comparators
from oversight.service import spc_summary


def _providers() -> list[Unit]:
    """40 providers near 80% seen within 4 hours, and two (LOW1, LOW2) near 60%."""
    out = [Unit(f"P{i:02d}", f"Provider {i}", 8000 + 10 * (i % 5 - 2), 10_000) for i in range(38)]
    out += [Unit("LOW1", "Low one", 6000, 10_000), Unit("LOW2", "Low two", 6050, 10_000)]
    return out


def _rag(row: dict[str, object]) -> str:
    return spc_summary.rag(str(row["flag_95"]), str(row["flag_99.8"]), True, "x").code


def test_pools_sum_numerators_and_denominators_of_each_group() -> None:
    units = _providers()
    group_of = {u.code: ("low", "Low group") for u in units if u.code.startswith("LOW")}
    group_of["P00"] = ("solo", "A group of one")
    found = pools(units, group_of)
    assert set(found) == {"low", "solo"}
    assert found["low"].codes == ("LOW1", "LOW2")
    assert found["low"].value == pytest.approx(12_050 / 20_000)
    assert found["solo"].value == pytest.approx(0.798)  # 7,980 of 10,000


def test_red_against_england_similar_to_its_peers() -> None:
    units = _providers()
    national = funnel(units, "proportion", "additive")
    england = {r["code"]: _rag(r) for r in national.rows}
    assert england["LOW1"] == england["LOW2"] == "red"  # planted: far below England
    group_of = {u.code: ("low", "Low") if u.code.startswith("LOW") else ("main", "Main")
                for u in units}  # fmt: skip
    rows = {r["code"]: r for r in against_pools(national, pools(units, group_of))}
    assert _rag(rows["LOW1"]) == _rag(rows["LOW2"]) == "similar"
    assert rows["LOW1"]["group"] == "Low" and rows["LOW1"]["group_size"] == 2
    assert rows["LOW1"]["group_target"] == pytest.approx(0.6025)
    # the others, judged against their own group (higher than England's pooled share)
    assert all(_rag(rows[u.code]) == "similar" for u in units if u.code.startswith("P"))


def test_one_group_of_everyone_is_england() -> None:
    units = _providers()
    national = funnel(units, "proportion", "additive")
    rows = against_pools(national, pools(units, {u.code: ("all", "All") for u in units}))
    for mine, theirs in zip(rows, national.rows, strict=True):
        assert mine["flag_99.8"] == theirs["flag_99.8"] and mine["flag_95"] == theirs["flag_95"]
        assert mine["z_adjusted"] == pytest.approx(theirs["z_adjusted"])


def test_alone_or_ungrouped_is_not_compared() -> None:
    units = _providers()
    national = funnel(units, "proportion", "additive")
    rows = {r["code"]: r for r in against_pools(national, pools(units, {"LOW1": ("a", "A")}))}
    assert rows["LOW1"]["flag_99.8"] == "none" and rows["LOW1"]["group_size"] == 1
    assert rows["P01"]["flag_99.8"] == "none" and rows["P01"]["group"] == ""
    assert spc_summary.rag("none", "none", True, "its peers").code == "none"


def test_declared_size_bands() -> None:
    bands = ae_comparators().size_bands
    assert bands.metric == "ae_4hr_type1"
    assert [bands.band_of(x).id for x in (0, 1, 7999, 8000, 12_999, 13_000, 40_000)] == [
        "none", "smaller", "smaller", "middle", "middle", "larger", "larger",
    ]  # fmt: skip
    with pytest.raises(ValueError, match="rise strictly"):
        SizeBands.model_validate(
            {"metric": "m", "title": "t", "bands": [{"id": "a", "name": "A", "from": 0},
                                                    {"id": "b", "name": "B", "from": 0}]}
        )  # fmt: skip


def test_group_rule_states_the_test() -> None:
    rule = spc_summary.rag_rule("its ICB", "icb")
    assert "own ICB's pooled share" in rule and "99.8%" in rule and "95%" in rule
    assert "overdispersion seen between all providers in England" in rule
    assert "London" in spc_summary.rag_rule("London")
