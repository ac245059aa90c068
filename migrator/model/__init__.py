"""The I/O-free model: facts about a monolith and the dependency graph built from them."""

from migrator.model.facts import EDGE_KINDS, NODE_KINDS, Edge, EdgeKind, Node, NodeKind
from migrator.model.graph import DependencyGraph

__all__ = ["EDGE_KINDS", "NODE_KINDS", "DependencyGraph", "Edge", "EdgeKind", "Node", "NodeKind"]
