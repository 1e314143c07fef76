"""`oversight funnel`, `spc`, `sensitivity` and `rank-probabilities`: signal from noise."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from oversight import csv_out
from oversight.cli.context import context_of
from oversight.cli.feedback import wrote
from oversight.cli.league_cmd import wide_console
from oversight.cli.options import Format, FormatOpt, QuarterOpt, SeedOpt
from oversight.cli.tables import percent as as_percent
from oversight.cli.tables import print_table, wrapping_table
from oversight.engine.funnel import funnel as run_funnel
from oversight.engine.funnel import units_from_csv, units_from_store
from oversight.engine.nof.quarter import RangeOptions
from oversight.engine.nof.results import OrgResult
from oversight.engine.nof.sensitivity import COLUMNS as SENSITIVITY_COLUMNS
from oversight.engine.nof.sensitivity import DEFAULT_DRAWS, sensitivity
from oversight.engine.series import series as find_series
from oversight.errors import Problem, UserError
from oversight.frameworks.ae import AE_COLLECTION
from oversight.service import nof as service
from oversight.service import spc_summary
from oversight.service.series import with_spc

ChartOpt = Annotated[
    Path | None, typer.Option("--chart", help="Also draw a chart: a .png or .svg file.")
]


class Kind(StrEnum):
    proportion = "proportion"
    rate = "rate"


class Adjustment(StrEnum):
    additive = "additive"
    multiplicative = "multiplicative"
    none = "none"


class DirectionOpt(StrEnum):
    increase = "increase"
    decrease = "decrease"
    neutral = "neutral"


def emit_rows(
    rows: list[dict[str, Any]],
    columns: list[str],
    fmt: Format,
    title: str,
    meta: dict[str, Any] | None = None,
) -> None:
    if fmt is Format.csv:
        writer = csv_out.DictWriter(sys.stdout, columns, lineterminator="\n", extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    elif fmt is Format.json:
        json.dump({"meta": meta or {}, "rows": rows}, sys.stdout, indent=2, default=str)
        sys.stdout.write("\n")
    else:
        cells = [[_cell(r.get(c), c in PERCENT_COLUMNS) for c in columns] for r in rows]
        headings = [HEADINGS.get(c, c) for c in columns]
        numeric = [HEADINGS.get(c, c) for c in columns if c not in TEXT_COLUMNS]
        print_table(wide_console(), wrapping_table(headings, cells, numeric, title=title))


# shorter headings for the terminal (CSV and JSON keep the column names)
HEADINGS = {
    "trust_code": "code",
    "trust_name": "trust",
    "segment_certainty": "certainty",
    "p_segment_1": "P(seg 1)",
    "p_segment_2": "P(seg 2)",
    "p_segment_3": "P(seg 3)",
    "p_segment_4": "P(seg 4)",
    "p_top_decile": "P(top 10%)",
    "p_bottom_decile": "P(bottom 10%)",
}


# probabilities and shares: percentages in the terminal (CSV and JSON keep the fractions)
PERCENT_COLUMNS = {
    "segment_certainty",
    "p_segment_1",
    "p_segment_2",
    "p_segment_3",
    "p_segment_4",
    "p_top_decile",
    "p_bottom_decile",
    "segment_changed_share",
}
TEXT_COLUMNS = {
    "code", "name", "trust_code", "trust_name", "trust_type", "quarter", "period", "label",
    "point_type", "loo_most_influential", "flag_95", "flag_99.8",
}  # fmt: skip


def _cell(v: Any, percent: bool = False) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        if percent:
            return as_percent(v)
        return f"{v:.4g}" if abs(v) < 1000 else f"{v:,.0f}"
    return str(v)


FUNNEL_COLUMNS = [
    "code",
    "name",
    "numerator",
    "denominator",
    "value",
    "ci_low",
    "ci_high",
    "z",
    "z_adjusted",
    "flag_95",
    "flag_99.8",
]


def funnel(
    ctx: typer.Context,
    metric: Annotated[str, typer.Argument(help="Metric ID in the store, or a label with --csv.")],
    quarter: QuarterOpt = None,
    from_csv: Annotated[
        Path | None, typer.Option("--csv", help="CSV of counts, one row per organisation.")
    ] = None,
    code_col: Annotated[
        str, typer.Option("--code", help="--csv: organisation code column.")
    ] = "Org Code",
    name_col: Annotated[str | None, typer.Option("--name", help="--csv: name column.")] = None,
    numerator: Annotated[
        str | None, typer.Option("--numerator", help="--csv: count column.")
    ] = None,
    denominator: Annotated[
        str | None, typer.Option("--denominator", help="--csv: denominator column.")
    ] = None,
    exclude: Annotated[
        list[str], typer.Option("--exclude", help="--csv: codes to leave out (e.g. TOTAL).")
    ] = [],  # noqa: B006 (typer reads the default; it is never mutated)
    kind: Annotated[
        Kind, typer.Option("--kind", help="proportion (x of n) or rate (events per exposure).")
    ] = Kind.proportion,
    adjustment: Annotated[
        Adjustment,
        typer.Option(
            "--adjustment",
            help="Overdispersion: additive (random effects), multiplicative or none.",
        ),
    ] = Adjustment.additive,
    target: Annotated[
        float | None, typer.Option("--target", help="Target value (default: the pooled value).")
    ] = None,
    winsorise: Annotated[
        float,
        typer.Option("--winsorise", min=0.0, max=0.45, help="Fraction winsorised at each tail."),
    ] = 0.1,
    multiplier: Annotated[
        float, typer.Option("--multiplier", help="Show values times this (100 for %).")
    ] = 1.0,
    fmt: FormatOpt = Format.table,
    chart: ChartOpt = None,
) -> None:
    """Funnel plot: each organisation against 95% and 99.8% limits for its size, allowing for
    overdispersion (Spiegelhalter 2005)."""
    state = context_of(ctx)
    if from_csv is not None:
        if not numerator or not denominator:
            raise UserError("--csv needs --numerator COLUMN and --denominator COLUMN")
        units = units_from_csv(
            from_csv,
            code_col,
            numerator,
            denominator,
            name_col,
            frozenset(x.casefold() for x in exclude),
        )
    else:
        con = state.connect(must_exist=True)
        units = units_from_store(con, metric, quarter)
    result = run_funnel(
        units,
        kind.value,
        adjustment.value,
        target,
        fraction=winsorise,
        multiplier=multiplier,
    )
    d = result.dispersion
    meta = {
        "metric": metric,
        "kind": result.kind,
        "scale": result.scale,
        "adjustment": result.adjustment,
        "target": result.target * multiplier,
        "phi": d.phi,
        "tau2": d.tau2,
        "units": d.units,
        "overdispersion_p": d.p_value,
    }
    rows = sorted(result.rows, key=lambda r: -abs(r["z_adjusted"]))
    emit_rows(
        rows,
        FUNNEL_COLUMNS,
        fmt,
        f"{metric}: target {result.target * multiplier:.4g}, phi {d.phi:.2f}, "
        f"tau\u00b2 {d.tau2:.3g} ({result.adjustment})",
        meta,
    )
    if chart:
        from oversight.charts import funnel_chart  # matplotlib: only when drawing

        funnel_chart(result, metric, chart)
        wrote(chart, f"funnel chart of {metric}")


def spc_cmd(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="ODS code, e.g. RWR.")],
    metric: Annotated[str, typer.Argument(help="Metric ID, e.g. OF0082 (raw) or OF1082 (score).")],
    direction: Annotated[
        DirectionOpt | None,
        typer.Option("--direction", help="Improvement direction (default: from the framework)."),
    ] = None,
    target: Annotated[
        float | None, typer.Option("--target", help="Target, for the assurance icon.")
    ] = None,
    excel: Annotated[
        bool,
        typer.Option(
            "--no-screen", help="Do not screen large moving ranges (as the MDC spreadsheet)."
        ),
    ] = False,
    fix_after: Annotated[
        int | None, typer.Option("--fix-after", min=2, help="Base limits on the first N points.")
    ] = None,
    single: Annotated[
        bool,
        typer.Option(
            "--single-limits",
            help="One set of limits over the whole series (default for monthly A&E: limits "
            "recalculated at the collection's declared change points).",
        ),
    ] = False,
    fmt: FormatOpt = Format.table,
    chart: ChartOpt = None,
) -> None:
    """SPC (XmR) chart of one organisation's metric with the Making Data Count rules."""
    state = context_of(ctx)
    con = state.connect(must_exist=True)
    s = find_series(con, state.framework, code, metric)
    way = direction.value if direction else s.direction
    # monthly series come from the A&E collection, whose file declares where limits restart
    declared = (
        [] if single or s.frequency != "monthly" else spc_summary.change_points(AE_COLLECTION)
    )
    charted = with_spc(
        s.periods,
        s.values,
        way,
        target,
        screen=not excel,
        fix_after=fix_after,
        change_points=[c.month for c in declared],
    )
    c = charted.chart
    if c is None:  # one value has no moving range
        raise UserError(
            f"No SPC chart for {s.code} {s.metric}",
            [Problem(f"{len(s.values)} value(s) stored; an XmR chart needs 2 at least")],
        )
    rows = [asdict(p) for p in charted.points]
    meta = {
        "code": s.code,
        "name": s.name,
        "metric": s.metric,
        "description": s.description,
        "frequency": s.frequency,
        "direction": way,
        "variation": c.variation,
        "assurance": c.assurance,
        "notes": c.notes,
        "change_points": {c.month: c.title for c in declared},
    }
    emit_rows(
        rows,
        ["period", "value", "mean", "lower", "upper", "label", "point_type"],
        fmt,
        f"{s.code} {s.metric} ({s.frequency}): variation {c.variation}"
        + (f", assurance {c.assurance}" if c.assurance else ""),
        meta,
    )
    if fmt is Format.table:
        for note in c.notes:
            wide_console().print(f"[yellow]note:[/] {note}")
    if chart:
        from oversight.charts import spc_chart  # matplotlib: only when drawing

        spc_chart(c, s.periods, f"{s.code} {s.name}: {s.description}", chart)
        wrote(chart, f"SPC chart of {s.code} {s.metric}")


def sensitivity_cmd(
    ctx: typer.Context,
    quarter: QuarterOpt = None,
    draws: Annotated[
        int, typer.Option("--draws", min=0, help="Random Dirichlet weightings.")
    ] = DEFAULT_DRAWS,
    seed: SeedOpt = None,
    concentration: Annotated[
        float,
        typer.Option(
            "--concentration",
            help="Dirichlet concentration: 1 is uniform on the simplex, larger is nearer equal.",
        ),
    ] = 1.0,
    fmt: FormatOpt = Format.table,
    chart: ChartOpt = None,
) -> None:
    """How ranks move under other reasonable weightings: domain-equal, leave-one-out, random."""
    result = context_of(ctx).site().result(quarter, RangeOptions(skip=True))
    q = result.quarter
    s = sensitivity(result, draws, seed or 0, concentration)
    rows = s.rows()
    meta = {
        "quarter": q,
        "draws": draws,
        "seed": seed or 0,
        "concentration": concentration,
        "metrics": s.metric_ids,
        "weightings": len(s.weightings.labels),
    }
    emit_rows(
        rows,
        SENSITIVITY_COLUMNS,
        fmt,
        f"{q}: rank across {len(s.weightings.labels) - 1} alternative weightings",
        meta,
    )
    if chart:
        from oversight.charts import sensitivity_chart  # matplotlib: only when drawing

        sensitivity_chart(rows, f"{q}: rank under alternative weightings", chart)
        wrote(chart, f"rank sensitivity chart, {q}")


PROB_COLUMNS = [
    "trust_code",
    "trust_name",
    "rank",
    "rank_low",
    "rank_high",
    "segment",
    "segment_certainty",
    "p_segment_1",
    "p_segment_2",
    "p_segment_3",
    "p_segment_4",
    "p_top_decile",
    "p_bottom_decile",
]


def _prob_row(o: OrgResult) -> dict[str, Any]:
    row: dict[str, Any] = {
        "trust_code": o.trust_code,
        "trust_name": o.trust_name,
        "rank": o.rank,
        "rank_low": o.rank_low,
        "rank_high": o.rank_high,
        "segment": o.segment,
        "segment_certainty": o.segment_certainty,
        "p_top_decile": o.top_decile_probability,
        "p_bottom_decile": o.bottom_decile_probability,
    }
    for s, p in enumerate(o.segment_probabilities or []):
        row[f"p_segment_{s + 1}"] = round(p, 4)
    return row


def rank_probabilities(
    ctx: typer.Context,
    trust_type: Annotated[
        str, typer.Option("--trust-type", "-t", help='e.g. "Mental health and community trust".')
    ],
    quarter: QuarterOpt = None,
    calibrate: Annotated[
        bool,
        typer.Option(
            "--calibrated", help="Empirical-Bayes calibrated bootstrap (see docs/statistics.md)."
        ),
    ] = False,
    fmt: FormatOpt = Format.table,
    chart: ChartOpt = None,
) -> None:
    """Probability of each segment and of the top / bottom decile (likely-range bootstrap)."""
    table = service.league(
        context_of(ctx).site(),
        quarter,
        trust_type,
        RangeOptions(method="exact", calibrate=calibrate),
    )
    result, orgs, q = table.result, table.orgs, table.quarter
    rows = [_prob_row(o) for o in orgs]
    meta = {
        "quarter": q,
        "trust_type": trust_type,
        "method": result.range_method,
        "calibrated": calibrate,
        "cut_points": list(result.cut_points.values),
    }
    emit_rows(
        rows,
        PROB_COLUMNS,
        fmt,
        f"{q}: segment probabilities" + (" (calibrated)" if calibrate else ""),
        meta,
    )
    if chart:
        from oversight.charts import rank_probability_chart  # matplotlib: only when drawing

        rank_probability_chart(
            [o.trust_code for o in orgs],
            [o.segment_probabilities or [] for o in orgs],
            f"{q}: probability of each segment",
            chart,
        )
        wrote(chart, f"segment probability chart, {q}")
