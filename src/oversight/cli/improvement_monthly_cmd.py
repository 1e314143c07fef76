"""`oversight improvement --monthly`: a trust type's providers ranked by the change of their
latest months against their own SPC, computed from the monthly source series."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from typing import Any

from rich.table import Table

from oversight import csv_out
from oversight.cli.league_cmd import wide_console
from oversight.cli.options import Format
from oversight.engine.sources.monthly_improvement import ProviderImprovement
from oversight.service.improvement_monthly import (
    MonthlyImprovementView,
    monthly_improvement_view,
    monthly_metrics,
)
from oversight.service.quarters import NotFound
from oversight.service.site import Site

ROW_COLUMNS = [
    "computed_from",
    "metric_id",
    "code",
    "name",
    "improvement_rank",
    "improvement_score",
    "improvement",
    "shift",
    "window_mean",
    "centre",
    "lower",
    "upper",
    "baseline_points",
    "position_rank",
    "beyond_noise",
    "signal",
    "rule",
]


def _num(value: float | None, fmt: str = "+.2f") -> str:
    return "" if value is None else format(value, fmt)


def views(
    site: Site, trust_type: str, metric: str | None, month: str | None, months: int
) -> tuple[list[MonthlyImprovementView], list[str]]:
    """The chosen metric's view, or every monthly metric of the type that has stored months
    (and the reasons the others have none)."""
    if metric is not None:
        return [monthly_improvement_view(site, trust_type, metric, month, months)], []
    found, missing = [], []
    for m in monthly_metrics(site.trust_type(trust_type).id):
        try:
            found.append(monthly_improvement_view(site, trust_type, m.metric_id, month, months))
        except NotFound as exc:
            missing.append(f"{m.metric_id}: {exc.summary}")
    if not found:
        raise NotFound(f"No monthly series is stored for {trust_type}", [])
    return found, missing


def _payload(view: MonthlyImprovementView) -> dict[str, Any]:
    t = view.table
    return {
        "computed_from": view.computed_from,
        "trust_type": view.trust_type,
        "collection": view.collection,
        "peers_from": view.peers_from,
        "change_points": view.change_points,
        **{k: v for k, v in asdict(t).items() if k != "rows"},
        "most_improved": [r.code for r in t.most_improved()],
        "most_deteriorated": [r.code for r in t.most_deteriorated()],
        "organisations": [asdict(r) for r in t.rows],
    }


def _flag(r: ProviderImprovement) -> str:
    if not r.beyond_noise:
        return ""
    way = "improvement" if r.signal == "special_cause_improvement" else "concern"
    return f"yes: {way} ({r.rule})"


def show(
    site: Site, trust_type: str, metric: str | None, month: str | None, months: int, fmt: Format
) -> None:
    chosen, missing = views(site, trust_type, metric, month, months)
    if fmt is Format.json:
        json.dump(
            {"metrics": [_payload(v) for v in chosen], "not_stored": missing}, sys.stdout, indent=2
        )
        sys.stdout.write("\n")
        return
    if fmt is Format.csv:
        writer = csv_out.DictWriter(sys.stdout, ROW_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for v in chosen:
            for r in v.table.rows:
                said = f"monthly series, {v.table.window[0]} to {v.table.window[-1]}"
                writer.writerow(
                    {"computed_from": said, "metric_id": v.table.metric_id, **asdict(r)}
                )
        return
    console = wide_console()
    for v in chosen:
        t = v.table
        table = Table(
            "improvement rank",
            "code",
            "provider",
            "improvement score",
            "improvement (sigma)",
            "window mean",
            "centre",
            "position rank",
            "beyond common cause",
            title=f"{t.metric_id} {t.title}: improvement, {t.window[0]} to {t.window[-1]}",
            caption=v.computed_from + f" Peers: {v.peers_from}.",
        )
        for r in t.rows:
            table.add_row(
                str(r.improvement_rank or ""),
                r.code,
                r.name,
                _num(r.improvement_score, ".2f"),
                _num(r.improvement),
                _num(r.window_mean, ".2f"),
                _num(r.centre, ".2f"),
                str(r.position_rank or ""),
                _flag(r),
            )
        console.print(table)
        for label, rows in (
            ("most improved", t.most_improved()),
            ("most deteriorated", t.most_deteriorated()),
        ):
            names = "; ".join(
                f"{r.name} ({r.code}) {_num(r.improvement)} sigma"
                + (" beyond common-cause variation" if r.beyond_noise else "")
                for r in rows
            )
            console.print(f"{label}: {names}", highlight=False)
    for line in missing:
        console.print(f"not stored: {line}", highlight=False)
