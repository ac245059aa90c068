"""The report's section on static analysis against run time, when a trace is merged into the
graph: how many static call edges ran, the calls only the trace saw, the busiest calls across
services (from the plan)."""

from __future__ import annotations

from typing import Any

from migrator.model.facts import EdgeKind
from migrator.model.graph import DependencyGraph
from migrator.model.plan import MigrationPlan

SHOWN = 15


def runtime_section(graph: DependencyGraph, plan: MigrationPlan | None) -> dict[str, Any] | None:
    """None when the graph carries no trace."""
    calls = graph.edges(EdgeKind.CALLS)
    if not any("runtime_calls" in e.attrs for e in calls):
        return None
    static = [e for e in calls if not e.attrs.get("dynamic")]
    dynamic = sorted((e for e in calls if e.attrs.get("dynamic")), key=lambda e: (-int(e.attrs.get("runtime_calls", 0)), e.source, e.target))
    seen = sum(1 for e in static if e.attrs.get("runtime_calls"))
    data = [e for e in graph.edges(EdgeKind.READS, EdgeKind.WRITES) if "runtime_statements" in e.attrs]
    return {
        "static": len(static), "seen": seen, "share": f"{seen / len(static):.0%}" if static else "n/a",
        "dynamic": len(dynamic), "data": len(data), "data_dynamic": sum(1 for e in data if e.attrs.get("dynamic")),
        "missed": [{"source": e.source, "target": e.target, "calls": int(e.attrs.get("runtime_calls", 0))} for e in dynamic[:SHOWN]],
        "hot": [{"source": c.source, "target": c.target, "services": f"{c.source_service} → {c.target_service}", "calls": c.calls,
                 "per_request": f"{c.per_request:g}", "route": c.route, "hot": c.hot}
                for c in (plan.runtime.calls[:SHOWN] if plan is not None and plan.runtime is not None else ())],
    }
