"""Values the link works with: a signal as resolved, a node being assembled, a site's module."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from analyzers.events.facts import Site
from migrator.model.facts import Node, NodeKind


@dataclass(frozen=True)
class _Signal:
    event: str
    framework: str
    attrs: tuple[tuple[str, str], ...] = ()
    model_signal: str | None = None
    """For built-in model signals: the signal's dotted name; the event then depends on the sender."""

    def node_attrs(self) -> dict[str, Any]:
        return {"framework": self.framework, **dict(self.attrs)}


@dataclass
class _Pending:
    """A node being assembled: attributes and the places it was seen."""

    kind: NodeKind
    attrs: dict[str, Any]
    definition: tuple[str, int] | None = None
    places: list[tuple[str, int]] = field(default_factory=list)

    def node(self, node_id: str) -> Node:
        file, line = self.definition or (min(self.places) if self.places else (None, None))
        return Node(node_id, self.kind, file, line, (), self.attrs)


class _Module(NamedTuple):
    """Where a site was written: its module, the file, and the qualified scope name."""

    name: str
    relpath: str

    def scope(self, site: Site) -> str:
        return f"{self.name}.{site.scope}" if site.scope else self.name

    def place(self, site: Site) -> str:
        return f"{self.relpath}:{site.line}"
