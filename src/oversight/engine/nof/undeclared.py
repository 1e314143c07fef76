"""Metrics a publisher's file carries that the framework does not declare.

A framework may accept such IDs (``undeclared_metric_ids``) so that a trust type whose metric
catalogue is not yet verified can still be assessed: each undeclared score ID becomes a metric
scored from the publication (unrounded where its pool size can be recovered), in the domain the
file gives, marked ``unverified``. Nothing is guessed about its polarity or pool.
"""

from __future__ import annotations

from oversight.engine.nof.inputs import QuarterData
from oversight.frameworks.model import Framework, Metric, Pool, RankScale

UNDECLARED_POOL = "undeclared"


def with_undeclared_metrics(framework: Framework, data: QuarterData) -> Framework:
    declared = {m.id for m in framework.metrics}
    extra: list[Metric] = []
    for metric_id, label in sorted(data.labels.items()):
        if not metric_id.startswith("OF1") or metric_id in declared:
            continue
        if not framework.accepts_undeclared(metric_id):
            continue
        domain = framework.domain_by_name(label.domain)
        if domain is None:
            continue
        raw_id = "OF0" + metric_id[3:]
        types = sorted({data.orgs[o].trust_type for (m, o) in data.rows if m == metric_id})
        extra.append(
            Metric(
                id=metric_id,
                raw_id=raw_id if raw_id in data.labels else None,
                name=label.description or metric_id,
                domain=domain.id,
                sub_domain=label.sub_domain,
                trust_types=types,
                scoring=RankScale(),
                pool=UNDECLARED_POOL,
                status="unverified",
                notes="not declared by the framework: scored from the publication",
            )
        )
    if not extra:
        return framework
    pools = list(framework.pools)
    if not any(p.id == UNDECLARED_POOL for p in pools):
        pools.append(
            Pool(
                id=UNDECLARED_POOL,
                kind="external",
                description="undeclared metric: pool taken from the publication",
            )
        )
    return framework.model_copy(update={"metrics": [*framework.metrics, *extra], "pools": pools})
