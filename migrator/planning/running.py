"""What runs in each service's process: the code the plan attributes reads and writes of tables to.

A service's process runs more than its own modules: the copies of other parts' code its code calls
in process (methods, functions of modules without data, the shared library, the infrastructure),
the dependencies it passes by reference (FastAPI's ``Depends``), and the framework's hooks that
every service carrying the application registers (Flask-Login's ``user_loader``, an auth's
``verify_password``, ``before_request``, template tags) though no code calls them. A table any of
these reads needs a read model in that service; a table any of these writes is a write across
services."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from migrator.model.facts import EdgeKind, NodeKind
from migrator.model.graph import DependencyGraph
from migrator.planning.ownership import Ownership


def running_code(graph: DependencyGraph, own: Ownership, services: list[str], remote: set[tuple[str, str]]) -> dict[str, set[str]]:
    """Per service, the functions and classes that run in its process: its own; the framework's
    hooks (top-level functions registered through a decorator on an object, such as Flask-Login's
    ``login_manager.user_loader``, an auth's ``verify_password``, ``app.before_request``, which no
    code calls and which run in every service that carries the application); and what those call
    or pass (a FastAPI ``Depends``) in the same process: other parts' code, the shared library's,
    the infrastructure's, except the calls the generated code makes through a client (``remote``)
    and the route and event handlers their owners serve."""
    facts = graph.derived(("running code",), lambda: _Facts.of(graph, own))
    kept: dict[tuple[str, frozenset[tuple[str, str]]], set[str]] = own.__dict__.setdefault("_running", {})
    frozen = frozenset(remote)
    roots: dict[str, list[str]] | None = None
    result: dict[str, set[str]] = {}
    for service in services:
        seen = kept.get((service, frozen))
        if seen is None:
            if roots is None:
                roots = defaultdict(list)
                for node in facts.code:
                    owner = own.of(node)
                    if owner in services:
                        roots[owner].append(node)
            seen = kept[(service, frozen)] = _reached(graph, own, facts, service, roots.get(service, ()), remote)
        result[service] = set(seen)
    return result


_SKIPPED = frozenset({NodeKind.MODULE, NodeKind.PACKAGE, NodeKind.ROUTE, NodeKind.TABLE, NodeKind.EVENT, NodeKind.TASK, NodeKind.EXTERNAL})


def _reached(graph: DependencyGraph, own: Ownership, facts: _Facts, service: str, roots: Iterable[str], remote: set[tuple[str, str]]) -> set[str]:
    """What runs in ``service``'s process: its ``roots`` and the hooks, and what they use there."""
    seen = set(roots) | set(facts.hooks)
    pending = list(seen)
    while pending:
        source = pending.pop()
        for target in facts.uses.get(source, ()):
            if target in seen or target not in graph or (source, target) in remote and own.of(target) != service:
                continue
            kind = graph.node(target).kind
            if target in facts.served and own.of(target) != service:
                continue
            if kind in _SKIPPED and not (kind is NodeKind.MODULE and source not in facts.modules):
                continue  # a module a function refers to: a module-level name (FastAPI's ``CurrentUser = Annotated[User, Depends(...)]``)
            seen.add(target)
            pending.append(target)
    return seen


@dataclass(frozen=True)
class _Facts:
    """What ``running_code`` reads of the graph alone (the modules of nodes are the graph's too),
    gathered once per graph: the plan and the ``ServicePlan`` both ask."""

    uses: dict[str, set[str]]
    """By function or class, what it calls or passes (and the constructors of what it builds)."""
    served: frozenset[str]
    code: tuple[str, ...]
    """Functions, classes and models, by id."""
    modules: frozenset[str]
    hooks: tuple[str, ...]

    @classmethod
    def of(cls, graph: DependencyGraph, own: Ownership) -> _Facts:
        uses: dict[str, set[str]] = defaultdict(set)
        called: set[str] = set()
        models = {n.id for n in graph.nodes(NodeKind.MODEL)}
        saved = {(e.source, e.target) for e in graph.edges(EdgeKind.WRITES)}
        for edge in graph.edges(EdgeKind.CALLS, EdgeKind.REFERENCES):
            if edge.attrs.get("decorator") or edge.attrs.get("maps_to"):
                continue
            uses[edge.source].add(edge.target)
            if edge.kind is EdgeKind.CALLS:
                called.add(edge.target)
                # building an object runs its constructor (a model's: where the caller saves one, not ``Model.query``)
                if f"{edge.target}.__init__" in graph and (edge.target not in models or (edge.source, edge.target) in saved):
                    uses[edge.source].add(f"{edge.target}.__init__")
        served = {str(n.attrs.get("handler") or "") for n in graph.nodes(NodeKind.ROUTE)}
        served.update(e.target for e in graph.edges(EdgeKind.HANDLES, EdgeKind.SUBSCRIBES))
        code = graph.nodes(NodeKind.FUNCTION, NodeKind.CLASS, NodeKind.MODEL)
        hooks = tuple(n.id for n in code if n.kind is NodeKind.FUNCTION and _hook(n.id, n.attrs.get("decorators") or (), own)
                      and n.id not in served and n.id not in called)
        return cls(dict(uses), frozenset(served), tuple(n.id for n in code), frozenset(n.id for n in graph.nodes(NodeKind.MODULE, NodeKind.PACKAGE)), hooks)


def _hook(function: str, decorators: Iterable[object], own: Ownership) -> bool:
    """Whether a function is registered with the framework by a decorator on an object
    (``login_manager.user_loader``, ``auth.verify_password``, ``app.context_processor``): a
    top-level function of its module, decorated by an attribute that is not a route's."""
    module = own.module_of(function)
    if not function.startswith(module + ".") or "." in function[len(module) + 1:]:
        return False
    for decorator in decorators:
        text = str(decorator).split("(", 1)[0]
        if "." in text and not _ROUTE_DECORATOR.search(text.rsplit(".", 1)[-1]) and ".cli." not in f".{text}.":
            return True
    return False


_ROUTE_DECORATOR = re.compile(r"^(route|get|post|put|patch|delete|head|options|api_route|websocket|errorhandler|app_errorhandler|"
                              r"setter|getter|deleter|login_required|cached|memoize|task|shared_task|receiver|connect|"
                              r"command|group|shell_context_processor|cli|property|cached_property|lru_cache|cache|wraps|atomic|deconstructible)$")
"""Decorators that register no hook a request runs: routes, properties, caches, tasks, signal
receivers (their handlers are the events' concern), and the command line's (``flask shell``)."""
