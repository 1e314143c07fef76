"""`oversight evaluate`: pre-register an evaluation plan, then run it and report."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from oversight.cli.context import context_of
from oversight.cli.evaluate_table import print_report
from oversight.cli.feedback import progress_bar, progress_wanted, wrote
from oversight.evaluation.panel import load_panel
from oversight.evaluation.registry import register as register_plan
from oversight.evaluation.report import as_html, as_json, write_plots
from oversight.evaluation.run import run_plan_file
from oversight.evaluation.validate import resolve
from oversight.frameworks.evaluation_plan import load_plan

app = typer.Typer(
    help="Evaluate pilots and reorganisations against pre-registered plans.", no_args_is_help=True
)

PlanArg = Annotated[Path, typer.Argument(help="Evaluation plan (YAML).")]


class ReportFormat(StrEnum):
    table = "table"
    json = "json"
    html = "html"


class PlotFormat(StrEnum):
    png = "png"
    svg = "svg"


@app.command("register")
def register(ctx: typer.Context, plan_file: PlanArg) -> None:
    """Validate a plan against its data and record it (hash and time) before any results."""
    state = context_of(ctx)
    plan = load_plan(plan_file)
    con = state.connect()
    panel = load_panel(plan, plan_file.resolve().parent, con)
    resolve(plan, panel, str(plan_file))
    reg = register_plan(con, plan, plan_file.read_text(encoding="utf-8"), panel.fingerprint)
    verb = "Registered" if reg.new else "Already registered"
    extra = (
        f"; {reg.previous_versions} earlier version(s) of {plan.name!r} stay on record"
        if reg.previous_versions
        else ""
    )
    Console().print(
        f"{verb} {plan.name} {reg.plan_hash[:12]} at {reg.registered_at:%Y-%m-%d %H:%M:%S} UTC"
        f"{extra}"
    )


@app.command("run")
def run(
    ctx: typer.Context,
    plan_file: PlanArg,
    fmt: Annotated[ReportFormat, typer.Option("--format", help="table, json or html.")] = (
        ReportFormat.table
    ),
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write the report here.")] = None,
    plots: Annotated[
        Path | None, typer.Option("--plots", help="Directory for the plots (event study, gap).")
    ] = None,
    plot_format: Annotated[PlotFormat, typer.Option("--plot-format")] = PlotFormat.png,
    jobs: Annotated[int, typer.Option("--jobs", min=1, help="Processes for placebos.")] = 2,
) -> None:
    """Estimate the plan's effects, check their assumptions and give a verdict."""
    state = context_of(ctx)
    con = state.connect()
    methods = [m.method for m in load_plan(plan_file).methods]
    with progress_bar() as bar:
        task = bar.add_task("evaluating", total=len(methods))

        def started(method: str) -> None:
            done = methods.index(method) if method in methods else 0
            bar.update(task, completed=done, description=method.replace("_", " "))

        ev = run_plan_file(
            plan_file,
            con,
            record=True,
            progress=bar.console if progress_wanted() else False,
            jobs=jobs,
            on_method=started,
        )
    if plots is not None:
        for p in write_plots(ev, plots, plot_format.value):
            wrote(p, "plot")
    if fmt is ReportFormat.json:
        text = as_json(ev)
    elif fmt is ReportFormat.html:
        text = as_html(ev)
    else:
        console = Console(width=140, record=out is not None)
        print_report(ev, console)
        if out is not None:
            out.write_text(console.export_text(), encoding="utf-8")
            wrote(out, "evaluation report, text")
        return
    if out is None:
        sys.stdout.write(text + "\n")
    else:
        out.write_text(text, encoding="utf-8")
        wrote(out, f"evaluation report, {fmt.value}")
