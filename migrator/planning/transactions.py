"""Units of work that write tables of more than one service in one database transaction.

In the monolith a function that writes, and everything it reaches synchronously (calls and
in-process event handlers, which run in the same session), commit together. Once the tables
belong to different services that atomicity is gone: such a unit of work needs a saga, or a
transactional outbox so that the event is written in the same transaction as the change.
"""

from __future__ import annotations

from collections import deque

from migrator.model.facts import EdgeKind, NodeKind
from migrator.model.plan import Transaction
from migrator.planning.context import PlanContext

MAX_DEPTH = 6


def find_transactions(context: PlanContext) -> list[Transaction]:
    graph = context.graph
    roots = sorted({e.source for e in graph.edges(EdgeKind.WRITES) if context.service(e.source)})
    found: dict[str, Transaction] = {}
    for root in roots:
        transaction = _transaction_from(context, root)
        if transaction is not None:
            found[root] = transaction
    # keep the outermost unit of work: drop a root that another reported root reaches
    reached = {step for t in found.values() for step in t.path[1:]}
    return [t for root, t in sorted(found.items()) if root not in reached]


def synchronous_reach(context: PlanContext, root: str, *, max_depth: int = MAX_DEPTH) -> dict[str, str | None]:
    """Every function that runs in ``root``'s transaction, with the one that reached it first."""
    parent: dict[str, str | None] = {root: None}
    queue = deque([(root, 0)])
    while queue:
        current, depth = queue.popleft()
        if depth >= max_depth:
            continue
        for following in _synchronous_next(context, current):
            if following not in parent:
                parent[following] = current
                queue.append((following, depth + 1))
    return parent


def _transaction_from(context: PlanContext, root: str) -> Transaction | None:
    graph = context.graph
    parent = synchronous_reach(context, root)
    writes: dict[str, tuple[str, str]] = {}  # table -> (writer, owner)
    for current in parent:
        for edge in graph.edges_from(current, EdgeKind.WRITES):
            owner = context.owner.get(edge.target)
            if owner:
                table = context.table_of.get(edge.target, edge.target).removeprefix("table:")
                writes.setdefault(table, (current, owner))
    owners = sorted({owner for _, owner in writes.values()})
    if len(owners) < 2:
        return None
    home = context.service(root)
    foreign = sorted(t for t, (_, owner) in writes.items() if owner != home) or sorted(writes)
    writer = writes[foreign[0]][0]
    path = []
    step: str | None = writer
    while step is not None:
        path.append(step)
        step = parent[step]
    path.reverse()
    evidence = tuple(context.place(p) for p in path if p in graph)
    return Transaction(root, tuple(owners), tuple(sorted(writes)), tuple(path), evidence=evidence)


def _synchronous_next(context: PlanContext, node_id: str) -> list[str]:
    """Functions that run in the same transaction: callees and in-process event subscribers."""
    graph = context.graph
    following = [t for t in graph.find_successors(node_id, EdgeKind.CALLS) if graph.node(t).kind is NodeKind.FUNCTION]
    for event in graph.find_successors(node_id, EdgeKind.PUBLISHES):
        if graph.node(event).kind is NodeKind.EVENT:  # tasks run later, in a transaction of their own
            following.extend(graph.find_successors(event, EdgeKind.SUBSCRIBES))
    return following
