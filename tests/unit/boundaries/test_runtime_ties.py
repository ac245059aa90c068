"""Run-time evidence in the weights, kept to the application's use cases: units that run in the
same tests are tied, a test that runs everything less than one that runs two units, a pair seen in
one test not at all; the suite's and the framework's code (what nearly every test or request
runs, module and class bodies run on import) ties nothing; observed data access counts only where
the function's own code handles the data; a call into what the caller was handed (a decorated,
subscribed or routed function, a callback) is no dependency of the caller. Nothing changes
without a trace."""

from __future__ import annotations

from migrator.boundaries import runtime
from migrator.boundaries.runtime import evidence_graph, handed_over, tie_use_cases, use_cases_of
from migrator.model.facts import Edge, EdgeKind, Node, NodeKind
from migrator.model.graph import DependencyGraph
from migrator.model.weighted import WeightedGraph

TRACE = ("trace",)


def _graph(contexts: dict[str, tuple[str, ...]], kinds: dict[str, NodeKind] | None = None, routes: dict[str, int] | None = None) -> DependencyGraph:
    graph = DependencyGraph()
    for node_id, found in contexts.items():
        graph.add_node(Node(node_id, (kinds or {}).get(node_id, NodeKind.FUNCTION), contexts=found))
    for route, requests in (routes or {}).items():
        graph.add_node(Node(route, NodeKind.ROUTE, attrs={"requests": requests} if requests else {}))
    return graph


def _view(contexts: dict[str, tuple[str, ...]], kinds: dict[str, NodeKind] | None = None, routes: dict[str, int] | None = None) -> WeightedGraph:
    graph = _graph(contexts, kinds, routes)
    view = WeightedGraph()
    tie_use_cases(graph, view, {n: n.split(".")[0] for n in contexts}, 1.0)
    return view


def _tests(*numbers: int) -> tuple[str, ...]:
    return tuple(f"test:{n}" for n in numbers)


def test_units_of_the_same_tests_are_tied_most() -> None:
    view = _view({"a.f": _tests(1, 2), "b.f": _tests(1, 2), "c.f": _tests(1, 2, 3, 4), "e.f": _tests(3, 4, 5, 6, 7, 8),
                  "d.f": ("route:GET /",)})
    assert view.tie_kinds("a", "b")["use_cases"] > view.tie_kinds("a", "c")["use_cases"] > 0
    assert "use_cases" not in view.tie_kinds("a", "d")


def test_no_trace_no_tie() -> None:
    assert not _view({"a.f": ("route:GET /",), "b.f": ("route:GET /",)}).tie_kinds("a", "b")


def test_a_pair_seen_in_one_test_only_is_not_tied() -> None:
    """A walk through the site (register, log in, see the home page) runs two blueprints once: an
    anecdote; a second test that runs both makes it a use case they share."""
    view = _view({"auth.f": _tests(1, 2, 3), "main.f": _tests(1, 4, 5), "api.f": _tests(6, 7), "blog.f": _tests(6, 7)})
    assert runtime.MIN_SHARED_TESTS == 2
    assert not view.tie_kinds("auth", "main")
    assert view.tie_kinds("api", "blog")["use_cases"] > 0


def test_what_nearly_every_test_runs_ties_nothing() -> None:
    """The app factory and setUp's fixtures run in every test: they say nothing of which use cases
    belong together, and the tests they share with everything do not count for them."""
    every = _tests(*range(10))
    view = _view({"factory.create_app": every, "models.insert_roles": _tests(*range(9)), "a.f": _tests(1, 2), "b.f": _tests(1, 2)})
    assert not view.tie_kinds("factory", "a") and not view.tie_kinds("models", "a") and not view.tie_kinds("factory", "models")
    assert view.tie_kinds("a", "b")["use_cases"] > 0


def test_a_hook_of_most_routes_served_ties_nothing() -> None:
    """``before_app_request`` runs for every request of every blueprint: not evidence that its
    unit serves the use cases of the others; below ``MIN_ROUTES`` routes served nothing is taken for one."""
    routes = {f"route:GET /{n}": 1 for n in range(5)} | {"route:GET /never": 0}
    served = tuple(r for r in routes if r != "route:GET /never")
    contexts = {"other.f": _tests(*range(4, 10)), "auth.before_request": _tests(1, 2, 3) + served, "main.index": _tests(1, 2) + served[:1], "posts.show": _tests(1, 2) + served[1:2]}
    view = _view(contexts, routes=routes)
    assert not view.tie_kinds("auth", "main")
    assert view.tie_kinds("main", "posts")["use_cases"] > 0
    few = {r: 1 for r in served[:3]}
    assert _view({**contexts, "auth.before_request": _tests(1, 2, 3) + served[:3]}, routes=few).tie_kinds("auth", "main")


def test_module_and_class_bodies_run_on_import_tie_nothing() -> None:
    """The first test to import a module runs its body and its classes' bodies: no use case."""
    view = _view({"forms": _tests(1, 2), "forms.LoginForm": _tests(1, 2), "errors.handler": _tests(1, 2)},
                 kinds={"forms": NodeKind.MODULE, "forms.LoginForm": NodeKind.CLASS})
    assert not view.tie_kinds("forms", "errors")
    assert use_cases_of(_graph({"forms": _tests(1)}, kinds={"forms": NodeKind.MODULE}), {"forms": "forms"}) == {}


# -- observed data access and run-time calls --------------------------------------------------------


def _shop() -> DependencyGraph:
    """``models.User`` maps to ``table:users``; ``auth.register`` writes User and ``auth.confirm``
    names it; ``main.index`` only posts."""
    graph = DependencyGraph()
    for node_id, kind, file in (("models.User", NodeKind.MODEL, "models.py"), ("models.User.ping", NodeKind.FUNCTION, "models.py"),
                                ("table:users", NodeKind.TABLE, None), ("auth.register", NodeKind.FUNCTION, "auth.py"),
                                ("auth.confirm", NodeKind.FUNCTION, "auth.py"), ("main.index", NodeKind.FUNCTION, "main.py"),
                                ("api.token", NodeKind.FUNCTION, "api.py")):
        graph.add_node(Node(node_id, kind, file))
    graph.add_edges([Edge("models.User", "table:users", EdgeKind.REFERENCES, 1.0, (), {"maps_to": True}),
                     Edge("auth.register", "models.User", EdgeKind.WRITES, 1.0),
                     Edge("auth.confirm", "models.User", EdgeKind.REFERENCES, 1.0)])
    return graph


def _observed(graph: DependencyGraph, source: str, kind: EdgeKind = EdgeKind.WRITES) -> None:
    graph.add_edge(Edge(source, "table:users", kind, 1.0, TRACE, {"dynamic": True, "runtime_statements": 1}))


def test_without_a_trace_the_graph_is_kept_as_it_is() -> None:
    graph = _shop()
    assert evidence_graph(graph) is graph


def test_observed_writes_count_where_the_code_handles_the_model() -> None:
    """A view's commit flushes what a hook changed: ``main.index`` writing users is no ownership;
    ``auth.confirm`` names User and writes it (static analysis missed the write through a method);
    ``auth.register``'s write static analysis counts already, to the model; a model's own method is its data."""
    graph = _shop()
    for source in ("main.index", "auth.confirm", "auth.register", "models.User.ping"):
        _observed(graph, source)
    kept = {(e.source, e.target) for e in evidence_graph(graph).edges(EdgeKind.WRITES)}
    assert kept == {("auth.confirm", "table:users"), ("auth.register", "models.User"), ("models.User.ping", "table:users")}


def test_an_observed_read_adds_to_a_static_write_but_not_to_a_static_read() -> None:
    graph = _shop()
    _observed(graph, "auth.register", EdgeKind.READS)
    assert evidence_graph(graph).edge("auth.register", "table:users", EdgeKind.READS) is not None
    graph.add_edge(Edge("auth.confirm", "models.User", EdgeKind.READS, 1.0))
    _observed(graph, "auth.confirm", EdgeKind.READS)
    assert evidence_graph(graph).edge("auth.confirm", "table:users", EdgeKind.READS) is None


def _dispatch(graph: DependencyGraph, source: str, target: str) -> Edge:
    call = Edge(source, target, EdgeKind.CALLS, 1.0, TRACE, {"dynamic": True, "runtime_calls": 3})
    graph.add_edge(call)
    return call


def test_a_call_into_what_the_caller_was_handed_is_no_dependency_of_the_caller() -> None:
    """An event bus running its subscribers, a render running a blueprint's context processor, a
    pager running the callback its caller passed: each handed over by other code, which has its
    static edge. A call static analysis missed between two functions is kept."""
    graph = DependencyGraph()
    for node_id, file in (("events.publish", "events.py"), ("events.subscribe", "events.py"), ("stock.on_order", "stock.py"),
                          ("main.inject", "main/__init__.py"), ("main.blueprint", "main/__init__.py"), ("auth.login", "auth.py"),
                          ("paging.paginate", "paging.py"), ("orders.list", "orders.py"), ("orders.Summary.of", "orders.py"),
                          ("orders.total", "orders.py"), ("money.add", "money.py"), ("event:order", None)):
        graph.add_node(Node(node_id, NodeKind.EVENT if node_id.startswith("event:") else NodeKind.FUNCTION, file))
    graph.add_edges([Edge("stock.on_order", "events.subscribe", EdgeKind.REFERENCES, 1.0, (), {"decorator": True}),
                     Edge("main.inject", "main.blueprint", EdgeKind.REFERENCES, 1.0, (), {"decorator": True}),
                     Edge("orders.list", "orders.Summary.of", EdgeKind.REFERENCES, 1.0),
                     Edge("orders.list", "paging.paginate", EdgeKind.CALLS, 1.0)])
    assert handed_over(graph, _dispatch(graph, "events.publish", "stock.on_order"))
    assert handed_over(graph, _dispatch(graph, "auth.login", "main.inject"))
    assert handed_over(graph, _dispatch(graph, "paging.paginate", "orders.Summary.of"))
    assert not handed_over(graph, _dispatch(graph, "orders.total", "money.add"))
    subscribed = DependencyGraph()
    for node_id in ("bus.deliver", "mail.on_signup"):
        subscribed.add_node(Node(node_id, NodeKind.FUNCTION, f"{node_id.split('.')[0]}.py"))
    subscribed.add_node(Node("event:signup", NodeKind.EVENT))
    subscribed.add_edge(Edge("event:signup", "mail.on_signup", EdgeKind.SUBSCRIBES, 1.0))
    assert handed_over(subscribed, _dispatch(subscribed, "bus.deliver", "mail.on_signup"))
    calls = {(e.source, e.target) for e in evidence_graph(graph).edges(EdgeKind.CALLS)}
    assert calls == {("orders.list", "paging.paginate"), ("orders.total", "money.add")}
