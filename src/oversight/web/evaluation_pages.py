"""Dashboard pages for the example evaluations: ``evaluations/index.html`` (every bundled plan
with its headline figures, checks and verdict) and ``evaluations/{plan_id}.html`` (one plan:
results, checks, donor weights and its plots as inline SVG). Built from
``api.evaluation_records``, which runs ``oversight.evaluation``.
"""

from __future__ import annotations

from oversight.api import evaluation_records as records
from oversight.api.evaluation_records import EvaluationRow, WeightOut
from oversight.service.site import Site
from oversight.web import evaluation_names as names
from oversight.web.pages import Page

# the templates' words for the plans' identifiers
NAMES = {
    "method_name": names.method_name,
    "headline": names.headline,
    "column_name": names.column_name,
}


def evaluations_index_path() -> str:
    return "evaluations/index.html"


def evaluation_path(plan_id: str) -> str:
    return f"evaluations/{plan_id}.html"


def evaluations_index(site: Site, computed: tuple[str, ...] = ()) -> Page:
    """``computed``: the on-request plans already run (part of the cache key only)."""
    del computed
    ix = records.index(site)
    return Page(
        evaluations_index_path(),
        "evaluations.html",
        "Evaluations of interventions",
        ix,
        ix.rows,
        EvaluationRow,
        {"on_request": records.ON_REQUEST, **NAMES},
    )


def evaluation(site: Site, plan_id: str) -> Page:
    v = records.view(site, plan_id)
    weights = [w for r in v.results for w in r.weights]
    return Page(
        evaluation_path(plan_id),
        "evaluation.html",
        f"Evaluation: {v.intervention}",
        v,
        weights,
        WeightOut,
        {
            "plots": records.plots(site, plan_id) if v.status == "computed" else {},
            "outcome": names.outcome_name(v.data_source, v.outcome, site.framework),
            "treated": {u: names.period_name(p, v.frequency) for u, p in v.treated.items()},
            **NAMES,
        },
    )


def export_pages(site: Site) -> list[tuple[str, tuple[object, ...]]]:
    """Every plan that has its data in the store, slow ones included (a static site has no
    "computed on request"), then the index, built after them so it shows their results."""
    out: list[tuple[str, tuple[object, ...]]] = [
        ("evaluation", (p,)) for p in records.plan_ids() if records.has_data(site, p)
    ]
    return [*out, ("evaluations_index", ())]
