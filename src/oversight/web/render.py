"""Pages to HTML with Jinja2 and the NHS.UK frontend's templates (nhsuk-frontend-jinja)."""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import ChainableUndefined, ChoiceLoader, Environment, PackageLoader

from oversight.web import ae_charts, charts
from oversight.web.ae_pages import ae_funnel_path, ae_index_path, ae_series_path
from oversight.web.compare_pages import compare_path
from oversight.web.evaluation_pages import evaluation_path, evaluations_index_path
from oversight.web.icb_pages import icb_path, icbs_path
from oversight.web.improvement_pages import improvement_path
from oversight.web.league_params import aria_sort, sort_link
from oversight.web.moves_pages import moves_path
from oversight.web.pages import Page, league_path, metric_path, org_path, relative
from oversight.web.policy_pages import consequences_path
from oversight.web.services_pages import services_path
from oversight.web.sparklines import sparkline

SEGMENT_TAG = {1: "green", 2: "aqua-green", 3: "yellow", 4: "orange", 5: "red"}
SITE_NAME = "Oversight"


def number(value: float | None, dp: int = 2) -> str:
    return "–" if value is None else f"{value:.{dp}f}"


def plain(value: float | None) -> str:
    """A published value as published: no trailing zeros added or digits dropped."""
    return "–" if value is None else f"{value:g}"


def sig(value: float | None, digits: int = 4) -> str:
    """An estimate to a few significant figures (the JSON twin has every digit)."""
    return "–" if value is None else f"{value:.{digits}g}"


@cache
def environment() -> Environment:
    env = Environment(
        loader=ChoiceLoader(
            [PackageLoader("oversight.web", "templates"), PackageLoader("nhsuk_frontend_jinja")]
        ),
        undefined=ChainableUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["number"] = number
    env.filters["plain"] = plain
    env.filters["sig"] = sig
    env.globals.update(
        segment_tag=SEGMENT_TAG,
        rank_bar=charts.rank_bar,
        score_scale=charts.score_scale,
        trend=charts.trend,
        value_strip=charts.value_strip,
        distribution=charts.distribution,
        spc_chart=ae_charts.spc_chart,
        funnel_chart=ae_charts.funnel_chart,
        ae_value=ae_charts.fmt_value,
        month_name=ae_charts.month_name,
        ae_index_path=ae_index_path,
        ae_series_path=ae_series_path,
        ae_funnel_path=ae_funnel_path,
        consequences_path=consequences_path,
        moves_path=moves_path,
        improvement_path=improvement_path,
        evaluation_path=evaluation_path,
        evaluations_index_path=evaluations_index_path,
        league_path=league_path,
        compare_path=compare_path,
        sparkline=sparkline,
        sort_link=sort_link,
        aria_sort=aria_sort,
        icbs_path=icbs_path,
        icb_path=icb_path,
        org_path=org_path,
        services_path=services_path,
        metric_path=metric_path,
        site_name=SITE_NAME,
    )
    return env


def render(page: Page, live: bool, available: set[str] | None = None, **extra: Any) -> str:
    """HTML for a page; ``live`` adds what only a server has (the API's documentation).
    ``available``: the pages of a static export (links to others are left out); live, all."""

    def url(target: str) -> str:
        return relative(page.path, target)

    def has(target: str) -> bool:
        return live or available is None or target in available

    context = {
        "page": page,
        "data": page.model,
        "url": url,
        "assets": url("static/nhsuk"),
        "json_url": url(page.twin("json")),
        "csv_url": url(page.twin("csv")),
        "live": live,
        "has": has,
        **page.context,
        **extra,
    }
    return environment().get_template(page.template).render(context)


def render_error(status: int, message: str, problems: list[str], path: str) -> str:
    page_path = path.lstrip("/") or "index.html"

    def url(target: str) -> str:
        return relative(page_path, target)

    return (
        environment()
        .get_template("error.html")
        .render(
            status=status,
            message=message,
            problems=problems,
            url=url,
            assets=url("static/nhsuk"),
            live=True,
        )
    )
