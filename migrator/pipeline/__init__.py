"""The composition root: each command of the CLI is one function here, wiring the real
analyzers, boundaries, planning, reporting and the writer together."""

from migrator.pipeline.analysis import AnalyzeRequest, analyze, summarize
from migrator.pipeline.generation import generate
from migrator.pipeline.inputs import load_decomposition, load_graph, load_truth
from migrator.pipeline.migration import MigrateResult, migrate
from migrator.pipeline.planning import plan, write_contracts
from migrator.pipeline.proposing import ProposeRequest, evaluate, propose, propose_for
from migrator.pipeline.reports import report, report_html, write_pictures

__all__ = [
    "AnalyzeRequest", "MigrateResult", "ProposeRequest", "analyze", "evaluate", "generate", "load_decomposition", "load_graph",
    "load_truth", "migrate", "plan", "propose", "propose_for", "report", "report_html", "summarize", "write_contracts",
    "write_pictures",
]
