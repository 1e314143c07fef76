"""Dashboard pages for monthly A&E: the index of organisations, a series with its SPC chart,
and a month's funnel plot. Built from ``api.ae_records`` (which calls the engine and stats).

Paths: ``ae/index.html``, ``ae/RAJ/ae_4hr_all_types.html`` (today's organisation, predecessors
summed), ``ae/RAJ/ae_4hr_all_types-as-published.html`` (its own rows), and
``ae/funnel/ae_4hr_type1/2025-12.html``; each with ``.json`` and ``.csv`` twins.
"""

from __future__ import annotations

from oversight.api import ae_records
from oversight.api.ae_models import AeOrg, FunnelRowOut, SeriesPointOut
from oversight.service.site import Site
from oversight.web.ae_services_section import services_context
from oversight.web.pages import Page

AS_PUBLISHED = "-as-published"
# how many recent months the static export writes funnel pages for (live: every month)
EXPORT_FUNNEL_MONTHS = 3


def ae_index_path() -> str:
    return "ae/index.html"


def ae_series_path(code: str, metric: str, as_published: bool = False) -> str:
    return f"ae/{code}/{metric}{AS_PUBLISHED if as_published else ''}.html"


def ae_funnel_path(metric: str, month: str) -> str:
    return f"ae/funnel/{metric}/{month}.html"


def ae_index(site: Site, query: str) -> Page:
    found = ae_records.find(site, query)
    months = ae_records.months(site)
    return Page(
        ae_index_path(),
        "ae_index.html",
        f"A&E series: {query}" if query else "A&E series: find an organisation",
        found,
        found.rows,
        AeOrg,
        {
            "query": query,
            "default_metric": ae_records.DEFAULT_METRIC,
            "funnel_metric": ae_records.FUNNEL_METRIC,
            "latest_month": months[-1] if months else None,
        },
    )


def ae_series(
    site: Site, code: str, metric: str, as_published: bool = False, comparator: str = "ENGLAND"
) -> Page:
    view = ae_records.series_view(site, code, metric, as_published, comparator=comparator)
    m = view.meta
    return Page(
        ae_series_path(m.code, m.metric.id, m.as_published),
        "ae_series.html",
        f"{m.metric.title}: {m.name} ({m.code})" + (", as published" if m.as_published else ""),
        view,
        view.rows,
        SeriesPointOut,
        {
            "metrics": ae_records.metrics(),
            "share": m.metric.kind == "share_within",
            "comparators": ae_records.comparators(),
            **services_context(site, m.code, m.level == "organisation"),
        },
    )


def ae_funnel(site: Site, metric: str, month: str, comparator: str = "ENGLAND") -> Page:
    view = ae_records.funnel_view(site, metric, month, comparator)
    m = view.meta
    return Page(
        ae_funnel_path(m.metric.id, m.month),
        "ae_funnel.html",
        f"{m.metric.title}: funnel plot, {m.month}"
        + ("" if m.comparator == "ENGLAND" else f", against {_against(m.comparator_name)}"),
        view,
        view.rows,
        FunnelRowOut,
        {"comparators": ae_records.comparators()},
    )


def _against(name: str) -> str:
    """ "Its ICB" reads "against its ICB" mid-sentence; region names keep their capitals."""
    return name[0].lower() + name[1:] if name.startswith("Its ") else name


def ae_live_pages(site: Site) -> list[tuple[str, tuple[object, ...]]]:
    """Pages built before serving (cheap): the index and the latest month's funnel."""
    months = ae_records.months(site)
    if not months:
        return []
    return [("ae_index", ("",)), ("ae_funnel", (ae_records.FUNNEL_METRIC, months[-1]))]


def ae_export_pages(site: Site) -> list[tuple[str, tuple[object, ...]]]:
    """What the static export writes: the index; England and every region on every metric;
    every organisation on the default metric (and as published where it has predecessors);
    the funnel for the latest months. The live server has every combination."""
    months = ae_records.months(site)
    if not months:
        return []
    out: list[tuple[str, tuple[object, ...]]] = [("ae_index", ("",))]
    metric_ids = [m.id for m in ae_records.metrics()]
    for org in ae_records.organisations(site):
        if org.level != "organisation":
            out += [("ae_series", (org.code, m, False)) for m in metric_ids]
            continue
        out.append(("ae_series", (org.code, ae_records.DEFAULT_METRIC, False)))
        if org.predecessors:
            out.append(("ae_series", (org.code, ae_records.DEFAULT_METRIC, True)))
    out += [("ae_funnel", (ae_records.FUNNEL_METRIC, m)) for m in months[-EXPORT_FUNNEL_MONTHS:]]
    return out
