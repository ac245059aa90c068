"""Where everything lives: nodes to units, units to services, models and tables to owners."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from migrator.model.units import index_units
from migrator.model.decomposition import SHARED, Decomposition, InvalidDecomposition
from migrator.model.facts import EdgeKind, NodeKind
from migrator.model.graph import DependencyGraph
from migrator.model.service_plan import MONOLITH
from migrator.model.symbol_owners import symbol_nodes

INFRASTRUCTURE = "infrastructure"
RESERVED = {SHARED: "the shared library", INFRASTRUCTURE: "the platform code every service carries", MONOLITH: "what stays in the monolith"}
"""Part names migrator gives itself: a service of one of these names would merge with that part."""


@dataclass
class PlanContext:
    graph: DependencyGraph
    decomposition: Decomposition
    unit_of: dict[str, str]
    part_of_unit: dict[str, str]
    """Unit -> service name, ``shared`` or ``infrastructure``."""
    owner: dict[str, str]
    """Model id and ``table:`` id -> the service that owns it."""
    table_of: dict[str, str]
    """Model id -> ``table:`` id."""
    taken: dict[str, str] = field(default_factory=dict)
    """Node -> the service that takes it from its module's part (a god module split at class and
    function level): the class or function, its members, routes and tables."""

    @property
    def services(self) -> list[str]:
        return sorted(self.decomposition.names)

    def part(self, node_id: str) -> str | None:
        """The service (or ``shared``/``infrastructure``) a node's code lives in."""
        if node_id in self.taken:
            return self.taken[node_id]
        unit = self.unit_of.get(node_id)
        return self.part_of_unit.get(unit) if unit is not None else None

    def service(self, node_id: str) -> str | None:
        """The service a node lives in; None for shared, infrastructure and unknown code."""
        part = self.part(node_id)
        return part if part in self.decomposition.names else None

    def place(self, node_id: str) -> str:
        node = self.graph.node(node_id)
        return f"{node.file}:{node.line}" if node.file else node_id


def build_context(graph: DependencyGraph, decomposition: Decomposition) -> PlanContext:
    taken = sorted(set(decomposition.names) & set(RESERVED))
    if taken:
        raise InvalidDecomposition(f"a service is named {taken[0]!r}, the name migrator keeps for {RESERVED[taken[0]]}",
                                   hint="rename the service in decomposition.yaml")
    index = index_units(graph, decomposition.unit)
    part_of_unit = decomposition.assignment()
    part_of_unit.update({u: INFRASTRUCTURE for u in decomposition.infrastructure})
    context = PlanContext(graph, decomposition, index.unit_of, part_of_unit, {}, {}, symbol_nodes(graph, decomposition.symbol_owners()))
    for edge in graph.edges(EdgeKind.REFERENCES):
        if edge.attrs.get("maps_to") and edge.target.startswith("table:"):
            context.table_of[edge.source] = edge.target
    writers: dict[str, Counter[str]] = defaultdict(Counter)
    for edge in graph.edges(EdgeKind.WRITES):
        service = context.service(edge.source)
        if service:
            writers[edge.target][service] += int(edge.weight)
    for model in graph.nodes(NodeKind.MODEL):
        home = context.service(model.id)
        votes = writers.get(model.id, Counter())
        table = context.table_of.get(model.id)
        if table:
            votes = votes + writers.get(table, Counter())
        # the service that defines the model owns it; shared or platform models go to the main writer
        owner = home or (max(sorted(votes), key=lambda s: votes[s]) if votes else None)
        if owner:
            context.owner[model.id] = owner
            if table:
                context.owner.setdefault(table, owner)
    for table in graph.nodes(NodeKind.TABLE):
        if table.id in context.owner:
            continue
        # a table no model of the code maps (Django's own auth_user): its main writer's, else the
        # service whose models point at it most (``referenced_by``: a model per field)
        votes = writers.get(table.id) or Counter(filter(None, map(context.service, table.attrs.get("referenced_by", ()))))
        if votes:
            context.owner[table.id] = max(sorted(votes), key=lambda s: votes[s])
    return context
