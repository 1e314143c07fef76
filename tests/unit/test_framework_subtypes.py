"""Trust subtypes, pools that exclude subtypes, and metrics of unknown polarity."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from oversight.frameworks import Framework


def _with(framework: Framework, **change: Any) -> dict[str, Any]:
    data = framework.model_dump()
    data.update(change)
    return data


def test_bundled_framework_declares_acute_and_ambulance_subtypes(framework: Framework) -> None:
    acute = framework.trust_type_by_name("Acute trust")
    assert acute is not None
    specialist = acute.subtype_by_name(" acute - specialist ")
    assert specialist is not None and specialist.id == "acute_specialist"
    assert acute.subtype_by_name("Ambulance") is None
    assert framework.pool("acute_excluding_specialist").exclude_subtypes == ["acute_specialist"]


def test_pool_excluding_an_unknown_subtype_is_refused(framework: Framework) -> None:
    pools = [p.model_dump() for p in framework.pools]
    pools[0]["exclude_subtypes"] = ["acute_huge"]
    with pytest.raises(ValidationError, match="unknown subtype 'acute_huge'"):
        Framework.model_validate(_with(framework, pools=pools))


def test_unknown_polarity_cannot_be_ranked(framework: Framework) -> None:
    metrics = [m.model_dump() for m in framework.metrics]
    rtt = next(m for m in metrics if m["id"] == "OF1023")
    rtt["polarity"] = "unknown"
    with pytest.raises(ValidationError, match="unknown polarity cannot be ranked"):
        Framework.model_validate(_with(framework, metrics=metrics))
    rtt["pool"] = "as_published"
    Framework.model_validate(_with(framework, metrics=metrics))
