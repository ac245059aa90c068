"""The HTML report: one self-contained file with the interactive boundary view.

It takes what the other stages computed and renders it; every script, style and licence is
inlined, and a Content-Security-Policy forbids the page any request, so it opens offline and
can be mailed or attached to a ticket as is.
"""

from __future__ import annotations

from typing import Any

from migrator.model.decomposition import Decomposition
from migrator.model.graph import DependencyGraph
from migrator.model.plan import MigrationPlan
from migrator.model.summary import AnalysisSummary
from migrator.reporting.html import sections
from migrator.reporting.html.runtime import runtime_section
from migrator.reporting.html.page import asset, environment, script_json, vendor_notices, vendor_scripts
from migrator.reporting.html.view import build_view

__all__ = ["render_report"]


def render_report(
    *,
    graph: DependencyGraph,
    decomposition: Decomposition | None,
    plan: MigrationPlan | None,
    evaluation: dict[str, Any] | None,
    baseline: dict[str, Any] | None,
    summary: AnalysisSummary | None,
) -> str:
    """The report as one HTML document that makes no network request.

    ``evaluation`` and ``baseline`` are ``Evaluation.to_dict()`` of the proposal and of the
    decomposition it is compared with; any argument but ``graph`` may be None and its
    sections are then left out. The same input gives the same bytes.
    """
    view = build_view(graph, decomposition, plan)
    return environment().get_template("report.html.j2").render(
        title=_title(graph, summary),
        overview=sections.overview(graph, view, summary),
        metrics=sections.metrics(evaluation, baseline),
        matrix=sections.coupling_matrix(view) if decomposition is not None else None,
        plan=sections.plan_tables(plan),
        skipped=sections.skipped_files(summary),
        runtime=runtime_section(graph, plan),
        unit=view["unit"],
        view_json=script_json(view),
        style=asset("report.css"),
        script=asset("report.js"),
        vendor=vendor_scripts(),
        notices=vendor_notices(),
    )


def _title(graph: DependencyGraph, summary: AnalysisSummary | None) -> str:
    root = (summary.root if summary is not None else graph.root) or "monolith"
    return root.rstrip("/").rsplit("/", 1)[-1] or root
