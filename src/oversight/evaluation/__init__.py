"""Evaluation of pilots, new care models and reorganisations against pre-registered plans."""

from oversight.evaluation import ae_panel as _ae_panel  # noqa: F401  (registers the A&E source)
from oversight.evaluation.panel import Panel, load_panel, register_panel_source
from oversight.evaluation.run import Evaluation, evaluate, run_plan_file

__all__ = [
    "Evaluation",
    "Panel",
    "evaluate",
    "load_panel",
    "register_panel_source",
    "run_plan_file",
]
