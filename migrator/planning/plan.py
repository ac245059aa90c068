"""``plan``: from a decomposition and its graph to the migration plan."""

from __future__ import annotations

from collections import Counter

from migrator.model.decomposition import Decomposition
from migrator.model.facts import EdgeKind, NodeKind
from migrator.model.graph import DependencyGraph
from migrator.model.plan import (
    EVENT, FK_IN_CODE, IN_PROCESS, JOB_MOVES, READ_MODEL, REST, SAGA, SHARED_LIBRARY, WRITE_OWNERSHIP,
    Coupling, Crossing, DataIssue, MigrationPlan, ServiceScope, Transaction,
)
from migrator.planning.context import PlanContext, build_context
from migrator.planning.contracts import build_contracts, find_violations
from migrator.planning.crossings import find_crossings
from migrator.planning.data import find_data_issues
from migrator.planning.gateway import plan_gateway
from migrator.planning.runtime import runtime_evidence
from migrator.planning.transactions import find_transactions, synchronous_reach
from migrator.planning.waves import plan_waves


def build_plan(graph: DependencyGraph, decomposition: Decomposition) -> MigrationPlan:
    context = build_context(graph, decomposition)
    crossings = find_crossings(context)
    data = find_data_issues(context, crossings)
    transactions = find_transactions(context)
    scopes = [_scope(context, name, crossings) for name in context.services]
    waves = plan_waves(scopes, crossings, data, transactions)
    contracts, _ = build_contracts(context)
    violations = find_violations(context, contracts)
    return MigrationPlan(
        services=tuple(scopes),
        shared=decomposition.shared.units if decomposition.shared else (),
        infrastructure=decomposition.infrastructure,
        crossings=tuple(crossings),
        data=tuple(data),
        transactions=tuple(transactions),
        waves=tuple(waves),
        violations=tuple(violations),
        couplings=tuple(_couplings(context, crossings, data, transactions)),
        contracts=tuple(contracts),
        held_routes=plan_gateway(graph, scopes).held,
        runtime=runtime_evidence(context, crossings),
    )


def _scope(context: PlanContext, name: str, crossings: list[Crossing]) -> ServiceScope:
    graph = context.graph

    def mine(*kinds: NodeKind) -> list[str]:
        return [n.id for n in graph.nodes(*kinds) if context.service(n.id) == name]

    models = [m for m in mine(NodeKind.MODEL) if context.owner.get(m) == name and not graph.node(m).attrs.get("abstract")]
    tables = sorted({t.removeprefix("table:") for t, owner in context.owner.items() if owner == name and t.startswith("table:")})
    publishes = sorted({e.target for e in graph.edges(EdgeKind.PUBLISHES) if context.service(e.source) == name and e.target.startswith("event:")})
    subscribes = sorted({e.source for e in graph.edges(EdgeKind.SUBSCRIBES) if context.service(e.target) == name})
    depends_on: Counter[str] = Counter(c.target_service for c in crossings if c.source_service == name)
    used_by: Counter[str] = Counter(c.source_service for c in crossings if c.target_service == name)
    return ServiceScope(
        name=name,
        units=context.decomposition.service(name).units,
        models=tuple(sorted(models)),
        tables=tuple(tables),
        routes=tuple(r.removeprefix("route:") for r in sorted(mine(NodeKind.ROUTE))),
        publishes=tuple(publishes),
        subscribes=tuple(subscribes),
        tasks=tuple(sorted(mine(NodeKind.TASK))),
        depends_on=dict(sorted(depends_on.items())),
        used_by=dict(sorted(used_by.items())),
    )


def _couplings(
    context: PlanContext, crossings: list[Crossing], data: list[DataIssue], transactions: list[Transaction]
) -> list[Coupling]:
    """Every coupling by its usual name, with the treatment the plan gives it."""
    found: list[Coupling] = []
    for c in crossings:
        if c.treatment == IN_PROCESS:
            continue  # nothing crosses: the code runs in the caller's process (the crossing says why)
        kind = {"call": "sync_call" if c.treatment == REST else "fire_and_forget", "task": "task", "signal": "signal"}.get(c.via, "in_process_event")
        found.append(Coupling(kind, c.source, c.target, c.treatment, c.evidence))
    kinds = {READ_MODEL: "direct_table_access", WRITE_OWNERSHIP: "shared_table_write", FK_IN_CODE: "cross_domain_foreign_key"}
    for d in data:
        for source, reached in d.links:
            target = d.table if d.treatment == FK_IN_CODE else reached
            found.append(Coupling(kinds[d.treatment], source, target, d.treatment, d.evidence))
    for t in transactions:
        for table in t.tables:
            found.append(Coupling("cross_domain_transaction", t.root, table, SAGA, t.evidence))
    graph = context.graph
    for task in graph.nodes(NodeKind.TASK):
        home = context.service(task.id)
        for job in graph.find_successors(task.id, EdgeKind.HANDLES):
            tables: dict[str, tuple[str | None, tuple[str, ...]]] = {}
            for step in synchronous_reach(context, job):
                for edge in graph.edges_from(step, EdgeKind.WRITES):
                    table = context.table_of.get(edge.target, edge.target).removeprefix("table:")
                    tables.setdefault(table, (context.owner.get(edge.target), edge.evidence))
            for table, (owner, evidence) in sorted(tables.items()):
                treatment = JOB_MOVES if owner == home else EVENT
                found.append(Coupling("background_job", job, table, treatment, evidence))
    if context.decomposition.shared:
        shared = set(context.decomposition.shared.units)
        users: dict[str, set[str]] = {}
        for edge in graph.edges(EdgeKind.IMPORTS):
            unit = context.unit_of.get(edge.target)
            if unit in shared and context.service(edge.source):
                users.setdefault(edge.source, set()).add(unit)
        for source, units in sorted(users.items()):
            for unit in sorted(units):
                found.append(Coupling("shared_package", source, unit, SHARED_LIBRARY))
    return sorted(set(found), key=lambda c: (c.kind, c.source, c.target))
