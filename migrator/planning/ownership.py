"""Which part of the generated system carries each module: a service, the shared library or the
platform code every service carries (the monolith's infrastructure).

The plan's crossings and the ``ServicePlan`` both read it, so that what the plan says crosses is
what the generated code makes cross.
"""

from __future__ import annotations

from migrator.model.decomposition import SHARED, Decomposition
from migrator.model.facts import EdgeKind, NodeKind
from migrator.model.graph import DependencyGraph
from migrator.model.service_plan import MONOLITH
from migrator.model.symbol_owners import symbol_owner


class Ownership:
    """Which service (or ``shared``, or ``monolith`` for the infrastructure) each module belongs to.

    A module goes to the first service, by name, that has a unit in it (the classes and functions
    another service takes from it, ``symbols``, go to that service: ``of``); modules of a service that
    hold no data, routes or handlers and that other services import move to the shared library.
    The shared library never imports a service: a module that imports service code at module
    level (itself or through the modules it imports) is not shared, whoever put it there
    (``not_shared`` says why); every service carries its own copy instead."""

    def __init__(self, graph: DependencyGraph, decomposition: Decomposition) -> None:
        self.graph = graph
        self.decomposition = decomposition
        self.modules = {n.id for n in graph.nodes(NodeKind.MODULE, NodeKind.PACKAGE)}
        self.symbols = decomposition.symbol_owners()
        """Class or function -> the service that takes it from a module another part holds."""
        self.owner: dict[str, str] = {}
        for service in sorted(decomposition.services, key=lambda s: s.name):
            for unit in service.units:
                self.owner.setdefault(self.module_of(unit), service.name)
        for unit in decomposition.shared.units if decomposition.shared else ():
            self.owner[self.module_of(unit)] = SHARED
        for module in decomposition.infrastructure:
            self.owner.setdefault(module, MONOLITH)
        self.infrastructure = tuple(sorted(m for m, o in self.owner.items() if o == MONOLITH))
        library = self._library_modules()
        self.not_shared = self._importing_services([*library, *(m for m, o in self.owner.items() if o == SHARED)])
        self.moved_to_shared = tuple(m for m in library if m not in self.not_shared)
        for module in self.moved_to_shared:
            self.owner[module] = SHARED
        self.shared_modules = tuple(sorted(m for m, o in self.owner.items() if o == SHARED and m not in self.not_shared))
        """What the shared library holds."""

    def module_of(self, node_id: str) -> str:
        """The module that defines a node: the longest prefix of its name that is a module."""
        known = self.__dict__.setdefault("_module_of", {})  # the plan asks for the same nodes' thousands of times
        found = known.get(node_id)
        if found is None:
            found = known[node_id] = self._find_module(node_id)
        return found

    def _find_module(self, node_id: str) -> str:
        parts = node_id.split(".")
        for end in range(len(parts), 0, -1):
            candidate = ".".join(parts[:end])
            if candidate in self.modules:
                return candidate
        return node_id

    def of(self, node_id: str) -> str | None:
        """The service, ``shared`` or ``monolith`` whose code holds a node; None when none does.
        A class or function a service takes from a god module (and what it holds) is that service's."""
        known = self.__dict__.setdefault("_of", {})  # asked 20k times on saleor, of a few thousand nodes
        if node_id in known:
            return known[node_id]  # type: ignore[no-any-return]
        found = known[node_id] = symbol_owner(node_id, self.symbols) or self.owner.get(self.module_of(node_id))
        return found

    def _library_modules(self) -> tuple[str, ...]:
        """Modules of a service that hold no data, routes or handlers and that other services import."""
        stateful: set[str] = set()
        for node in self.graph.nodes(NodeKind.MODEL, NodeKind.ROUTE, NodeKind.TABLE, NodeKind.TASK):
            if node.kind is NodeKind.ROUTE:
                stateful.add(self.module_of(str(node.attrs.get("handler") or "")))
            elif node.kind is NodeKind.TASK:  # named after its job, not a module: the job's module holds it
                stateful.update(self.module_of(edge.target) for edge in self.graph.edges_from(node.id, EdgeKind.HANDLES))
            else:
                stateful.add(self.module_of(node.id))
        for edge in self.graph.edges(EdgeKind.READS, EdgeKind.WRITES, EdgeKind.PUBLISHES):
            stateful.add(self.module_of(edge.source))
        for edge in self.graph.edges(EdgeKind.SUBSCRIBES):
            stateful.add(self.module_of(edge.target))
        used_elsewhere: set[str] = set()
        for edge in self.graph.edges(EdgeKind.IMPORTS):
            target = self.module_of(edge.target)
            source_owner, target_owner = self.owner.get(self.module_of(edge.source)), self.owner.get(target)
            if target_owner not in (None, SHARED, MONOLITH) and source_owner not in (None, target_owner):
                used_elsewhere.add(target)
        return tuple(sorted(m for m in used_elsewhere if m not in stateful))

    def _importing_services(self, candidates: list[str]) -> dict[str, str]:
        """Of the ``candidates`` for the shared library, those whose module-level imports reach a
        module a service holds, directly or through other modules, each with the reason."""
        imports: dict[str, list[str]] = {}
        for edge in self.graph.edges(EdgeKind.IMPORTS):
            if not (edge.attrs.get("in_function") or edge.attrs.get("type_checking") or edge.attrs.get("external")):
                imports.setdefault(edge.source, []).append(edge.target)
        services = {m for m, o in self.owner.items() if o not in (SHARED, MONOLITH)} - set(candidates)
        found: dict[str, str] = {}
        for module in sorted(set(candidates)):
            chain = _chain_to(module, imports, services)
            if chain:
                found[module] = (f"not shared: {' imports '.join(chain)}, which {self.owner[chain[-1]]} holds (the shared library "
                                 "never imports a service); every service carries its own copy")
        return found


def ownership(graph: DependencyGraph, decomposition: Decomposition) -> Ownership:
    """``Ownership(graph, decomposition)``, made once per graph and decomposition: the plan's
    crossings, its data section and the ``ServicePlan`` all read it (kept with the graph, so that
    a change of the graph makes it again; only the last decomposition's is kept)."""
    kept: list[Ownership] = graph.derived(("ownership",), list)
    if not kept or kept[0].decomposition is not decomposition:
        kept[:] = [Ownership(graph, decomposition)]
    return kept[0]


def _chain_to(start: str, imports: dict[str, list[str]], targets: set[str]) -> list[str]:
    """The shortest chain of imports from ``start`` to a module of ``targets`` (empty: none)."""
    came_from: dict[str, str] = {start: ""}
    pending = [start]
    while pending:
        following = []
        for module in pending:
            for imported in sorted(imports.get(module, ())):
                if imported in came_from:
                    continue
                came_from[imported] = module
                if imported in targets:
                    chain = [imported]
                    while came_from[chain[-1]]:
                        chain.append(came_from[chain[-1]])
                    return chain[::-1]
                following.append(imported)
        pending = following
    return []
