"""What a merged trace (``analyze --trace``) adds to the plan: the synchronous calls across
services with their real volumes, a call made several times per request flagged as hot (each is a
network round trip once the services are apart), and the transactions seen at run time, with the
services owning the tables each wrote (more than one: the atomicity the split loses)."""

from __future__ import annotations

from migrator.model.facts import EdgeKind
from migrator.model.plan import HOT_PER_REQUEST, REST, Crossing, ObservedTransaction, RuntimeCall, RuntimeEvidence
from migrator.planning.context import PlanContext


def runtime_evidence(context: PlanContext, crossings: list[Crossing]) -> RuntimeEvidence | None:
    """None when the graph carries no trace."""
    graph = context.graph
    if not any("runtime_calls" in e.attrs for e in graph.edges(EdgeKind.CALLS)):
        return None
    calls, unseen = [], 0
    for crossing in crossings:
        if crossing.treatment != REST or crossing.via != "call":
            continue
        edge = graph.edge(crossing.source, crossing.target, EdgeKind.CALLS)
        count = int(edge.attrs.get("runtime_calls", 0)) if edge is not None else 0
        if not count:
            unseen += 1
            continue
        per_request = float(edge.attrs.get("per_request", 0.0)) if edge is not None else 0.0
        route = str(edge.attrs.get("hottest_route", "")) if edge is not None else ""
        calls.append(RuntimeCall(crossing.source, crossing.target, crossing.source_service, crossing.target_service, count,
                                 per_request, route.removeprefix("route:"), per_request >= HOT_PER_REQUEST))
    calls.sort(key=lambda c: (-c.per_request, -c.calls, c.source, c.target))
    return RuntimeEvidence(tuple(calls), tuple(_transactions(context)), unseen)


def _transactions(context: PlanContext) -> list[ObservedTransaction]:
    found = []
    for node in context.graph.nodes():
        for seen in node.attrs.get("transactions", ()):
            tables = tuple(seen["writes"])
            services = tuple(sorted({s for t in tables if (s := context.owner.get(f"table:{t}")) is not None}))
            found.append(ObservedTransaction(node.id, context.service(node.id) or "", tables, services, int(seen["count"])))
    return sorted(found, key=lambda t: (-len(t.services), -t.count, t.function, t.tables))
