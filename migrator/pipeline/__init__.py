"""The composition root: each command of the CLI is one function here, wiring the real
analyzers, boundaries, planning, reporting and the writer together.

The names are imported from their modules on first use: ``migrator analyze`` needs none of
what proposing or generating imports (libcst, networkx, the generators: 0.3 s of start-up)."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from migrator.pipeline.analysis import AnalyzeRequest, analyze, summarize
    from migrator.pipeline.generation import generate
    from migrator.pipeline.inputs import load_decomposition, load_graph, load_truth
    from migrator.pipeline.migration import MigrateResult, migrate
    from migrator.pipeline.planning import PlanResult, plan
    from migrator.pipeline.proposing import ProposeRequest, evaluate, propose, propose_for
    from migrator.pipeline.reports import ReportResult, report, report_html

_HOMES = {
    "analysis": ("AnalyzeRequest", "analyze", "summarize"),
    "generation": ("generate",),
    "inputs": ("load_decomposition", "load_graph", "load_truth"),
    "migration": ("MigrateResult", "migrate"),
    "planning": ("PlanResult", "plan"),
    "proposing": ("ProposeRequest", "evaluate", "propose", "propose_for"),
    "reports": ("ReportResult", "report", "report_html"),
}
_HOME_OF = {name: module for module, names in _HOMES.items() for name in names}

__all__ = sorted(_HOME_OF)


def __getattr__(name: str) -> Any:
    home = _HOME_OF.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value
