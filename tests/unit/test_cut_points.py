"""Cut-points: derived from the whole population when it is in the store, inferred from the
publication (and said so) when it is not, and checked against the publication when both."""

from __future__ import annotations

from oversight.engine.nof.inputs import Organisation, Published, QuarterData
from oversight.engine.nof.quarter import RangeOptions, compute_quarter
from oversight.frameworks import Framework

Q = "Q4 2025/26"
TYPES = ["acute", "mental_health_community", "ambulance"]


def _row(value: float | None, rank: float | None = None) -> Published:
    return Published(value, rank, None, None, None, "synthetic.csv", 2)


def _quarter(
    averages: dict[str, list[float]],
    published_segments: dict[str, int] | None = None,
    types: list[str] = TYPES,
) -> QuarterData:
    """Organisations whose only averaged metric is the combined finance score OF1080."""
    data = QuarterData(Q, {t: 1 for t in types})
    for t in types:
        for i, avg in enumerate(averages[t]):
            code = f"{t[:2].upper()}{i:03d}"
            data.orgs[code] = Organisation(code, code, "London", t, "")
            data.rows[("OF1080", code)] = _row(avg)
            data.rows[("OF5004", code)] = _row(0.0)
            if published_segments is not None:
                data.rows[("OF5003", code)] = _row(float(published_segments[code]))
    return data


def test_derived_from_the_whole_population(framework: Framework) -> None:
    averages = {
        "acute": [1.0, 2.0, 3.0, 4.0],
        "mental_health_community": [1.0, 2.0],
        "ambulance": [3.0, 4.0],
    }
    result = compute_quarter(framework, _quarter(averages), RangeOptions(skip=True))
    assert result.cut_points.source == "derived"
    # linear quartiles of 1,1,1... : [1,1,2,2,3,3,4,4] -> 1.75, 2.5, 3.25
    assert result.cut_points.values == (1.75, 2.5, 3.25)
    segs = {o.trust_code: o.segment for o in result.orgs}
    assert segs["AC000"] == 1 and segs["AC001"] == 2 and segs["AC002"] == 3 and segs["AC003"] == 4
    # ranks are within each trust type
    assert sorted(o.rank for o in result.orgs if o.trust_type == "ambulance") == [1, 2]


def test_inferred_when_a_trust_type_is_missing(framework: Framework) -> None:
    averages = {"mental_health_community": [1.2, 1.9, 2.3, 3.1]}
    published = {"ME000": 1, "ME001": 2, "ME002": 3, "ME003": 4}
    data = _quarter(averages, published, types=["mental_health_community"])
    result = compute_quarter(framework, data, RangeOptions(skip=True))
    cuts = result.cut_points
    assert cuts.source == "inferred_from_published"
    assert "no acute, ambulance data" in cuts.detail
    assert cuts.intervals == ((1.2, 1.9), (1.9, 2.3), (2.3, 3.1))
    assert [o.segment for o in result.orgs] == [1, 2, 3, 4]


def test_derived_cut_points_that_contradict_the_publication_are_reported(
    framework: Framework,
) -> None:
    averages = {
        "acute": [1.0, 2.0, 3.0, 4.0],
        "mental_health_community": [1.0, 2.0],
        "ambulance": [3.0, 4.0],
    }
    codes = ["AC000", "AC001", "AC002", "AC003", "ME000", "ME001", "AM000", "AM001"]
    # the publication put the 2.0 trusts in segment 1: quartiles cannot say that
    published = dict(zip(codes, [1, 1, 3, 4, 1, 1, 3, 4], strict=True))
    result = compute_quarter(framework, _quarter(averages, published), RangeOptions(skip=True))
    assert result.cut_points.source == "inferred_from_published"
    assert "would place 2 of 8 organisations in a different segment" in result.cut_points.detail
    assert {o.trust_code: o.segment for o in result.orgs}["AC001"] == 1


def test_typed_cut_points_win(framework: Framework) -> None:
    rule = framework.segmentation.model_copy(update={"cut_points": {Q: [1.5, 2.5, 3.5]}})
    variant = framework.model_copy(update={"segmentation": rule})
    averages = {
        "acute": [1.0, 2.0, 3.0, 4.0],
        "mental_health_community": [1.0, 2.0],
        "ambulance": [3.0, 4.0],
    }
    result = compute_quarter(variant, _quarter(averages), RangeOptions(skip=True))
    assert result.cut_points.source == "framework"
    assert [o.segment for o in result.orgs if o.trust_type == "acute"] == [1, 2, 3, 4]
