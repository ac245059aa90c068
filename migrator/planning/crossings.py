"""Runtime dependencies between services, each classified as a REST call or an event.

A call whose result is used somewhere becomes a synchronous REST call; a call whose result is
never used (fire-and-forget), an in-process event or signal, and a task sent to a queue become
events on the bus.
"""

from __future__ import annotations

from migrator.model.facts import EdgeKind, NodeKind
from migrator.model.plan import EVENT, REST, Crossing
from migrator.planning.context import PlanContext


QUERY_VERBS = frozenset({"get", "load", "fetch", "find", "lookup", "check", "ensure", "validate", "require", "assert", "verify", "read", "list"})
"""A call to ``get_order(...)`` whose result is dropped still checks something (it raises when
the order is missing): it stays synchronous."""


def find_crossings(context: PlanContext) -> list[Crossing]:
    crossings = [*_calls(context), *_events(context)]
    return sorted(crossings, key=lambda c: (c.source_service, c.target_service, c.via, c.source, c.target))


def _calls(context: PlanContext) -> list[Crossing]:
    found = []
    graph = context.graph
    for edge in graph.edges(EdgeKind.CALLS):
        a, b = context.service(edge.source), context.service(edge.target)
        if a is None or b is None or a == b:
            continue
        target = graph.node(edge.target)
        verb = edge.target.rsplit(".", 1)[-1].lstrip("_").split("_")[0]
        fire_and_forget = bool(edge.attrs.get("result_unused")) and verb not in QUERY_VERBS
        if target.kind in (NodeKind.CLASS, NodeKind.MODEL):
            detail = f"instantiates {edge.target.rsplit('.', 1)[-1]} of {b}"
        elif fire_and_forget:
            detail = "result unused: fire-and-forget"
        elif edge.attrs.get("result_unused"):
            detail = f"result unused, but {verb}_ checks and can fail the caller: stays synchronous"
        else:
            detail = "result used"
        treatment = EVENT if fire_and_forget else REST
        found.append(Crossing(treatment, "call", edge.source, edge.target, a, b, edge.evidence, detail))
    return found


def _events(context: PlanContext) -> list[Crossing]:
    found = []
    graph = context.graph
    for node in graph.nodes(NodeKind.EVENT, NodeKind.TASK):
        receivers = graph.find_successors(node.id, EdgeKind.SUBSCRIBES, EdgeKind.HANDLES)
        via = "task" if node.kind is NodeKind.TASK else _event_via(node.attrs.get("framework", ""))
        for publisher in graph.find_predecessors(node.id, EdgeKind.PUBLISHES):
            a = context.service(publisher)
            edge = graph.edge(publisher, node.id, EdgeKind.PUBLISHES)
            for receiver in receivers:
                b = context.service(receiver)
                if a is None or b is None or a == b:
                    continue
                name = node.id.split(":", 1)[1]
                found.append(Crossing(EVENT, via, publisher, receiver, a, b, edge.evidence if edge else (), f"{via} {name}"))
    return found


def _event_via(framework: str) -> str:
    return "signal" if "signal" in framework or framework == "blinker" else "event"
