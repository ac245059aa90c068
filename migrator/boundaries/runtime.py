"""What of a trace (``migrator trace``, merged by ``analyze --trace``) the weights take, kept to
what the application's own use cases did, not what its test suite and framework do around them.

- Use-case co-occurrence, Mono2Micro's signal (``tie_use_cases``): two units that run in the same
  tests serve the same use cases; the tie is the Jaccard index of their sets of tests, each test
  diluted by the units it runs. A unit's tests are those of its *functions*: a module's or a class's
  body runs once, in whichever test first imports it. A function that runs in nearly every test (the
  app factory, setUp's fixtures) or for nearly every route served (``before_app_request``, an
  ``after_request``) is the suite's or the framework's (``UBIQUITOUS_SHARE``), and two units seen
  together in one test only (a walk through the site) are an anecdote (``MIN_SHARED_TESTS``).
- Calls only the trace saw (``evidence_graph``, ``handed_over``): a registry, a dispatcher, a wrapper
  or a framework's render running a function it was handed (a decorated one, a subscriber, a route
  handler, a callback) does not depend on it; whoever handed it over has its static edge.
- Observed data access (``evidence_graph``, ``_own_access``): a ``reads``/``writes`` edge to a table
  that the trace alone has is the statement's, attributed to the project function running when it
  was sent, which for an ORM is where the session flushed: a view's ``commit`` flushes what a
  model's method or a request hook changed. It is ownership evidence only where the function's own
  code handles the table's model (names it, or is a method of it) and static analysis has not
  counted the same access to the model already.

Without a trace nothing here changes the graph or the ties."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from migrator.model.facts import Edge, EdgeKind, NodeKind
from migrator.model.graph import DependencyGraph
from migrator.model.weighted import WeightedGraph

USE_CASE_PREFIX = "test:"
"""The contexts a merged trace gives the nodes that ran in a test."""

UBIQUITOUS_SHARE = 0.8
"""A function that ran in more than this share of the tests, or of the routes served, says
nothing of which use cases belong together."""
MIN_SHARED_TESTS = 2
"""Tests two units must share to be tied: one test that runs both (a walk through the site) is an
anecdote, not a use case they serve together."""
MIN_ROUTES = 4
"""Routes served below which no function is taken for a hook of every request."""

_NAMING = (EdgeKind.READS, EdgeKind.WRITES, EdgeKind.REFERENCES, EdgeKind.CALLS)
"""Static edges by which a function's own code handles a model."""


def use_cases_of(graph: DependencyGraph, unit_of: Mapping[str, str]) -> dict[str, set[str]]:
    """Unit -> the tests that ran its functions, the ubiquitous ones left out (empty without a trace)."""
    ran = {node.id: {c for c in node.contexts if c.startswith(USE_CASE_PREFIX)}
           for node in graph.nodes(NodeKind.FUNCTION) if node.id in unit_of}
    ran = {node: cases for node, cases in ran.items() if cases}
    if not ran:
        return {}
    tests = len(set().union(*ran.values()))
    served = {n.id for n in graph.nodes(NodeKind.ROUTE) if n.attrs.get("requests")}
    found: dict[str, set[str]] = defaultdict(set)
    for node, cases in ran.items():
        if len(cases) > UBIQUITOUS_SHARE * tests:
            continue
        if len(served) >= MIN_ROUTES and len(served.intersection(graph.node(node).contexts)) > UBIQUITOUS_SHARE * len(served):
            continue
        found[unit_of[node]].update(cases)
    return dict(found)


def tie_use_cases(graph: DependencyGraph, view: WeightedGraph, unit_of: Mapping[str, str], weight: float) -> None:
    """Tie every two units that run in a common test, by ``weight`` times the Jaccard index of their tests."""
    if weight <= 0:
        return
    cases = use_cases_of(graph, unit_of)
    units_in: dict[str, list[str]] = defaultdict(list)
    for unit in sorted(cases):
        for case in cases[unit]:
            units_in[case].append(unit)
    strength: dict[tuple[str, str], float] = defaultdict(float)
    support: dict[tuple[str, str], int] = defaultdict(int)
    for units in units_in.values():
        share = 1.0 / (len(units) - 1) if len(units) > 1 else 0.0  # a test that runs everything says little of any two
        for i, a in enumerate(units):
            for b in units[i + 1:]:
                strength[a, b] += share
                support[a, b] += 1
    for (a, b), amount in sorted(strength.items()):
        if support[a, b] < MIN_SHARED_TESTS:
            continue
        view.add_tie(a, b, weight * amount / len(cases[a] | cases[b]), "use_cases")


def evidence_graph(graph: DependencyGraph) -> DependencyGraph:
    """The graph with what of the trace is no evidence of a dependency left out: a call only the
    trace saw into a function that other code handed over (a callback passed as an argument, a
    subscriber or route handler registered by name: ``handed_over``), and observed table access
    from a function that does not handle the table's model in its own code, or that static
    analysis already ties to the model the same way (``_own_access``). The graph itself when
    nothing is left out (always without a trace)."""
    dropped = {(e.source, e.kind, e.target) for e in graph.edges(EdgeKind.READS, EdgeKind.WRITES) if _observed(e) and not _own_access(graph, e)}
    dropped |= {(e.source, e.kind, e.target) for e in graph.edges(EdgeKind.CALLS) if e.attrs.get("dynamic") and handed_over(graph, e)}
    if not dropped:
        return graph
    return DependencyGraph.from_merged(graph.root, graph.nodes(), [e for e in graph.edges() if (e.source, e.kind, e.target) not in dropped])


def handed_over(graph: DependencyGraph, call: Edge) -> bool:
    """Whether the callee of a run-time call was handed to the caller rather than called by it: it
    is decorated by the project's code (a registry's ``@subscribe``, a blueprint's
    ``@app_context_processor``, a wrapper), subscribed to an event, routed to, or named without
    being called in another file (a callback, a ``key=``). The caller, a registry, dispatcher,
    wrapper or a framework's render, runs it without depending on it; the code that handed it over
    has its static edge already."""
    if any(edge.attrs.get("decorator") for edge in graph.edges_from(call.target, EdgeKind.REFERENCES)):
        return True  # registered or wrapped by a decorator of the project's: run through what it made
    home = graph.node(call.source).file
    for edge in _edges_to(graph, call.target, EdgeKind.REFERENCES, EdgeKind.SUBSCRIBES, EdgeKind.HANDLES):
        if edge.attrs.get("dynamic"):
            continue
        giver = graph.node(edge.source)
        if edge.kind is not EdgeKind.REFERENCES or (giver.file and giver.file != home):
            return True
    return False


def _observed(edge: Edge) -> bool:
    return bool(edge.attrs.get("dynamic")) and edge.target.startswith("table:")


def _own_access(graph: DependencyGraph, edge: Edge) -> bool:
    table = edge.target
    models = [e.source for e in _edges_to(graph, table, EdgeKind.REFERENCES) if e.attrs.get("maps_to")]
    if any(graph.edge(edge.source, model, edge.kind) is not None for model in models):
        return False  # static analysis counts this access already, to the model
    if any(edge.source.startswith(model + ".") for model in models):
        return True  # a method of the model
    return any(_static(graph.edge(edge.source, target, kind)) for target in (*models, table) for kind in _NAMING if (target, kind) != (table, edge.kind))


def _static(edge: Edge | None) -> bool:
    return edge is not None and not edge.attrs.get("dynamic")


def _edges_to(graph: DependencyGraph, target: str, *kinds: EdgeKind) -> list[Edge]:
    return [edge for source in graph.find_predecessors(target, *kinds) for kind in kinds if (edge := graph.edge(source, target, kind)) is not None]
