"""Value objects: the nodes and edges that analyzers find in a monolith."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

EVIDENCE_CAP = 10
"""How many file:line places an edge keeps as evidence; the weight still counts them all."""


class NodeKind(StrEnum):
    PACKAGE = "package"
    MODULE = "module"
    CLASS = "class"
    FUNCTION = "function"
    ROUTE = "route"
    MODEL = "model"
    TABLE = "table"
    EVENT = "event"
    TASK = "task"
    EXTERNAL = "external"


class EdgeKind(StrEnum):
    IMPORTS = "imports"
    CALLS = "calls"
    REFERENCES = "references"
    INHERITS = "inherits"
    READS = "reads"
    WRITES = "writes"
    FOREIGN_KEY = "foreign_key"
    PUBLISHES = "publishes"
    SUBSCRIBES = "subscribes"
    HANDLES = "handles"
    CO_CHANGES = "co_changes"


NODE_KINDS = tuple(k.value for k in NodeKind)
EDGE_KINDS = tuple(k.value for k in EdgeKind)


@dataclass(frozen=True)
class Node:
    """A thing in the monolith: a module, a class, a route, a table...

    ``id`` is a dotted name, unique in a graph. ``attrs`` holds kind-specific facts
    (a route's method and path, a model's table) as JSON-compatible values.
    """

    id: str
    kind: NodeKind
    file: str | None = None
    line: int | None = None
    contexts: tuple[str, ...] = ()
    attrs: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Edge:
    """A directed dependency of ``source`` on ``target``.

    ``weight`` counts the occurrences; ``evidence`` lists up to ``EVIDENCE_CAP`` of their
    places as ``file:line``. ``attrs`` holds kind-specific flags, for example an import made
    only under ``TYPE_CHECKING`` or a call whose result is not used.
    """

    source: str
    target: str
    kind: EdgeKind
    weight: float = 1.0
    evidence: tuple[str, ...] = ()
    attrs: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.source, self.target, self.kind.value)


def merge_edges(first: Edge, second: Edge) -> Edge:
    """Combine two edges with the same key: weights add up, evidence is united and capped.

    Boolean flags in ``attrs`` stay true only where both agree (an import is "type checking
    only" when every occurrence is); other attributes keep the first value seen.
    """
    evidence = tuple(sorted(set(first.evidence) | set(second.evidence), key=_place_order))
    attrs = dict(second.attrs)
    attrs.update(first.attrs)
    for name in set(first.attrs) & set(second.attrs):
        a, b = first.attrs[name], second.attrs[name]
        if isinstance(a, bool) and isinstance(b, bool):
            attrs[name] = a and b
    return Edge(
        first.source,
        first.target,
        first.kind,
        first.weight + second.weight,
        evidence[:EVIDENCE_CAP],
        attrs,
    )


def _place_order(place: str) -> tuple[str, int]:
    path, _, line = place.rpartition(":")
    return (path, int(line)) if line.isdigit() else (place, 0)
