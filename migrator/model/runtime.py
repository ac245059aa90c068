"""A trace (``migrator.model.trace``) merged into the dependency graph: what ran, how often, in
which use cases, beside what static analysis found.

- every static ``calls`` edge gets ``attrs.runtime_calls`` (0: never seen at run time);
- a call seen at run time that static analysis missed becomes a ``calls`` edge with
  ``attrs.dynamic`` (dynamic dispatch, registries, signals wired at run time, framework callbacks);
- a call edge seen while serving requests gets ``attrs.per_request`` (the most calls per request
  of one route) and ``attrs.hottest_route``;
- nodes get the use cases that ran them as ``contexts`` (``test:<id>``, and the graph's own
  ``route:`` ids for the requests served), route nodes ``attrs.requests``;
- the tables each function read and wrote become ``reads``/``writes`` edges to ``table:`` nodes
  with ``attrs.runtime_statements``, and the transactions that wrote something become
  ``attrs.transactions`` of the project function that made their first write.

Run-time names (``module.qualname``) are matched to the graph's nodes: a nested function to its
enclosing function, a constructor (``Class.__init__``) to its class (unless the graph has the call
to the constructor itself)."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from migrator.model.facts import Edge, EdgeKind, Node, NodeKind
from migrator.model.graph import DependencyGraph
from migrator.model.trace import ROUTE, RUN, TEST, Trace

RUNTIME_EVIDENCE = "trace"
_PARAMETER = re.compile(r"<[^<>]*>|\{[^{}]*\}|\(\?P<\w+>[^)]*\)|\[[^\]]*\]")
_CODE_KINDS = (NodeKind.FUNCTION, NodeKind.CLASS, NodeKind.MODULE, NodeKind.PACKAGE, NodeKind.MODEL)


@dataclass(frozen=True)
class RuntimeMatch:
    """How the trace met the graph."""

    static_calls: int = 0
    """Static call edges between the project's own functions, classes and modules."""
    confirmed: int = 0
    """Of those, seen at run time."""
    static_function_calls: int = 0
    """Of the static call edges, those to a function or method: code the tracer sees run (a call
    to a class runs its constructor, which is often a library's: a Django model, a form)."""
    confirmed_function_calls: int = 0
    dynamic: int = 0
    """Call edges seen at run time that static analysis missed (both ends known to the graph, and
    no reference between them either)."""
    unmatched: int = 0
    """Run-time calls with an end the graph has no node for."""
    use_cases: int = 0
    routes_matched: int = 0
    routes_traced: int = 0
    data_edges: int = 0
    transactions: int = 0
    missed: tuple[tuple[str, str, int], ...] = field(default=(), compare=False)
    """The dynamic edges, most called first."""

    @property
    def confirmed_share(self) -> float:
        return self.confirmed / self.static_calls if self.static_calls else 0.0

    @property
    def confirmed_function_share(self) -> float:
        return self.confirmed_function_calls / self.static_function_calls if self.static_function_calls else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"static_calls": self.static_calls, "confirmed": self.confirmed, "confirmed_share": round(self.confirmed_share, 4),
                "static_function_calls": self.static_function_calls, "confirmed_function_calls": self.confirmed_function_calls,
                "confirmed_function_share": round(self.confirmed_function_share, 4),
                "dynamic": self.dynamic, "unmatched": self.unmatched, "use_cases": self.use_cases,
                "routes_matched": self.routes_matched, "routes_traced": self.routes_traced, "data_edges": self.data_edges,
                "transactions": self.transactions}


def route_key(route_id: str) -> tuple[str, str]:
    """``route:GET /api/x/<int:id>/`` -> ``("GET", "/api/x/{}")``: the same route however its
    framework writes parameters, slashes and anchors."""
    method, _, path = route_id.removeprefix("route:").partition(" ")
    path = _PARAMETER.sub("{}", path.strip().lstrip("^").rstrip("$"))
    return method.upper(), "/" + path.strip("/")


class _Names:
    """Run-time names -> graph node ids: within the module of the file the trace places the
    function in (code in a file the graph left out, a test helper, matches nothing)."""

    def __init__(self, graph: DependencyGraph, places: dict[str, str]) -> None:
        self.graph = graph
        self.places = places
        self.modules = {n.file: n.id for n in graph.nodes(NodeKind.MODULE, NodeKind.PACKAGE) if n.file}
        self.known: dict[str, str | None] = {}

    def __call__(self, name: str | None) -> str | None:
        if name is None:
            return None
        if name not in self.known:
            self.known[name] = self._resolve(name)
        return self.known[name]

    def pair(self, source: str | None, target: str | None) -> tuple[str | None, str | None]:
        """A run-time call as the graph has it: a constructor running (``C.__init__``) is its class
        called, unless static analysis has the call to the constructor itself (``super().__init__``)."""
        a, b = self(source), self(target)
        if a is not None and b is not None and b.endswith(".__init__") and self.graph.edge(a, b, EdgeKind.CALLS) is None:
            owner = b.rsplit(".", 1)[0]
            if owner in self.graph and self.graph.node(owner).kind in (NodeKind.CLASS, NodeKind.MODEL):
                return a, owner
        return a, b

    def _resolve(self, name: str) -> str | None:
        place = self.places.get(name)
        module = self.modules.get(place.rsplit(":", 1)[0]) if place else None
        if place and (module is None or not (name == module or name.startswith(module + "."))):
            return None
        candidate = name
        while candidate:
            if candidate in self.graph and self.graph.node(candidate).kind in _CODE_KINDS:
                return candidate
            if "." not in candidate or candidate == module:
                return None
            candidate = candidate.rsplit(".", 1)[0]
        return None


def apply_trace(graph: DependencyGraph, trace: Trace) -> tuple[DependencyGraph, RuntimeMatch]:
    """The graph with the trace's evidence merged in, and how the two met."""
    names = _Names(graph, trace.functions)
    runtime_calls, unmatched = _calls(trace, names)
    per_request = _per_request(trace, names, _route_ids(graph))
    contexts, routes_matched, routes_traced = _contexts(graph, trace, names)
    data = _data(trace, names, graph)
    transactions = _transactions(trace, names)
    requests = {route: n for route, n in _route_requests(graph, trace).items()}

    static = {(e.source, e.target) for e in graph.edges(EdgeKind.CALLS)}
    tables = {n.id: f"table:{n.attrs['table']}" for n in graph.nodes(NodeKind.MODEL) if n.attrs.get("table")}
    edges: list[Edge] = []
    confirmed = static_calls = function_calls = confirmed_functions = 0
    for edge in graph.edges():
        if edge.kind is EdgeKind.CALLS:
            static_calls += 1
            count = runtime_calls.get((edge.source, edge.target), 0)
            confirmed += count > 0
            if graph.node(edge.target).kind is NodeKind.FUNCTION:
                function_calls += 1
                confirmed_functions += count > 0
            edge = _with_attrs(edge, runtime_calls=count, **per_request.get((edge.source, edge.target), {}))
        elif edge.kind in (EdgeKind.READS, EdgeKind.WRITES):
            # static analysis names the model, the trace the table it maps
            for target in (edge.target, tables.get(edge.target)):
                if (edge.source, edge.kind.value, target) in data:
                    edge = _with_attrs(edge, runtime_statements=data.pop((edge.source, edge.kind.value, target)))
                    break
        edges.append(edge)
    added = sorted(((s, t, n) for (s, t), n in runtime_calls.items() if (s, t) not in static), key=lambda m: (-m[2], m[0], m[1]))
    for source, target, count in added:
        edges.append(Edge(source, target, EdgeKind.CALLS, 1.0, (RUNTIME_EVIDENCE,),
                          {"dynamic": True, "runtime_calls": count, **per_request.get((source, target), {})}))
    # a decorator applied, a class named: static analysis has the pair as a reference, not a call it missed
    referenced = {(e.source, e.target) for e in graph.edges(EdgeKind.REFERENCES)}
    missed = [m for m in added if (m[0], m[1]) not in referenced]
    for (source, kind, table), count in sorted(data.items()):
        edges.append(Edge(source, table, EdgeKind(kind), 1.0, (RUNTIME_EVIDENCE,), {"dynamic": True, "runtime_statements": count}))
    nodes = [_node(node, contexts.get(node.id, ()), transactions.get(node.id), requests.get(node.id)) for node in graph.nodes()]
    merged = DependencyGraph.from_merged(graph.root, nodes, edges)
    match = RuntimeMatch(static_calls, confirmed, function_calls, confirmed_functions, len(missed), unmatched, sum(1 for _ in trace.of_kind(TEST, RUN)), routes_matched,
                         routes_traced, sum(1 for e in edges if e.kind in (EdgeKind.READS, EdgeKind.WRITES) and "runtime_statements" in e.attrs),
                         sum(len(t) for t in transactions.values()), tuple(missed))
    return merged, match


def _with_attrs(edge: Edge, **attrs: Any) -> Edge:
    return Edge(edge.source, edge.target, edge.kind, edge.weight, edge.evidence, {**edge.attrs, **attrs})


def _node(node: Node, contexts: Iterable[str], transactions: list[dict[str, Any]] | None, requests: int | None) -> Node:
    attrs = dict(node.attrs)
    if transactions:
        attrs["transactions"] = transactions
    if requests:
        attrs["requests"] = requests
    return Node(node.id, node.kind, node.file, node.line, tuple(sorted({*node.contexts, *contexts})), attrs)


def _calls(trace: Trace, names: _Names) -> tuple[Counter[tuple[str, str]], int]:
    counts: Counter[tuple[str, str]] = Counter()
    unmatched = 0
    for (source, target), count in trace.call_counts().items():
        a, b = names.pair(source, target)
        if a is None or b is None:
            unmatched += 1
        elif a != b:
            counts[a, b] += count
    return counts, unmatched


def _per_request(trace: Trace, names: _Names, routes: dict[tuple[str, str], str]) -> dict[tuple[str, str], dict[str, Any]]:
    """Per call edge, the route that makes it most often per request (the graph's id for it when
    it has one), and how often."""
    hottest: dict[tuple[str, str], dict[str, Any]] = {}
    for route, (requests, counts) in trace.route_calls().items():
        if not requests:
            continue
        per_edge: Counter[tuple[str, str]] = Counter()
        for (source, target), count in counts.items():
            a, b = names.pair(source, target)
            if a is not None and b is not None and a != b:
                per_edge[a, b] += count
        for key, count in per_edge.items():
            rate = round(count / requests, 2)
            if rate > hottest.get(key, {}).get("per_request", 0):
                hottest[key] = {"per_request": rate, "hottest_route": _graph_route(routes, route)}
    return hottest


def _contexts(graph: DependencyGraph, trace: Trace, names: _Names) -> tuple[dict[str, set[str]], int, int]:
    routes = _route_ids(graph)
    found: dict[str, set[str]] = defaultdict(set)
    matched = traced = 0
    for use_case in trace.use_cases:
        if use_case.kind == RUN:
            continue
        context = use_case.id
        if use_case.kind == ROUTE:
            traced += 1
            context = _graph_route(routes, use_case.id)
            matched += context in graph
        for function in use_case.functions():
            node = names(function)
            if node is not None:
                found[node].add(context)
    return found, matched, traced


def _route_ids(graph: DependencyGraph) -> dict[tuple[str, str], str]:
    found: dict[tuple[str, str], str] = {}
    for node in graph.nodes(NodeKind.ROUTE):
        found.setdefault(route_key(node.id), node.id)  # a route of any method (Django's views) is keyed ANY
    return found


def _graph_route(routes: dict[tuple[str, str], str], route: str) -> str:
    """The graph's id of a traced route (any method when the graph gives it none), else its own."""
    method, path = route_key(route)
    return routes.get((method, path)) or routes.get(("ANY", path)) or route


def _route_requests(graph: DependencyGraph, trace: Trace) -> dict[str, int]:
    routes = _route_ids(graph)
    found: Counter[str] = Counter()
    for use_case in trace.of_kind(ROUTE):
        node = _graph_route(routes, use_case.id)
        if node in graph:
            found[node] += use_case.requests
    return dict(found)


def _data(trace: Trace, names: _Names, graph: DependencyGraph) -> dict[tuple[str, str, str], int]:
    found: Counter[tuple[str, str, str]] = Counter()
    for (function, kind, table), count in trace.data_access().items():
        node, target = names(function), f"table:{table}"
        if node is not None and target in graph:
            found[node, kind, target] += count
    return dict(found)


def _transactions(trace: Trace, names: _Names) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, Counter[tuple[str, ...]]] = defaultdict(Counter)
    for (function, writes), count in trace.transactions().items():
        node = names(function)
        if node is not None:
            found[node][writes] += count
    return {node: [{"writes": list(writes), "count": count} for writes, count in sorted(counts.items())] for node, counts in found.items()}
