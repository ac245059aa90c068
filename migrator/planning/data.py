"""Tables reached from outside their owner, with their database-per-service steps."""

from __future__ import annotations

from collections import defaultdict

from migrator.model.facts import EdgeKind
from migrator.model.plan import CLIENT, DATABASE_STEPS, FK_IN_CODE, READ_MODEL, WRITE_OWNERSHIP, Crossing, DataIssue
from migrator.model.service_plan import MONOLITH
from migrator.planning.context import PlanContext
from migrator.planning.ownership import ownership
from migrator.planning.running import running_code

READ_STEPS = (DATABASE_STEPS[0], DATABASE_STEPS[1], DATABASE_STEPS[4])
FK_STEPS = (DATABASE_STEPS[0], DATABASE_STEPS[2], DATABASE_STEPS[4])
WRITE_STEPS = (DATABASE_STEPS[0], DATABASE_STEPS[3], DATABASE_STEPS[4])


def find_data_issues(context: PlanContext, crossings: list[Crossing] | None = None) -> list[DataIssue]:
    """With the ``crossings``, the code each service runs in its process (``running_code``: the
    copies, the shared library's and the framework's hooks too) reads and writes there."""
    runs = _runs_in(context, crossings) if crossings is not None else {}
    return sorted(
        [*_foreign_reach(context, EdgeKind.WRITES, WRITE_OWNERSHIP, WRITE_STEPS, runs),
         *_foreign_reach(context, EdgeKind.READS, READ_MODEL, READ_STEPS, runs),
         *_foreign_keys(context)],
        key=lambda d: (d.table, d.treatment, d.services),
    )


def _table_name(context: PlanContext, target: str) -> str:
    table = context.table_of.get(target, target)
    return table.removeprefix("table:")


def _runs_in(context: PlanContext, crossings: list[Crossing]) -> dict[str, list[str]]:
    """Node -> the services whose process runs it."""
    own = ownership(context.graph, context.decomposition)
    remote = {(c.source, c.target) for c in crossings if c.generated == CLIENT}
    runs: dict[str, list[str]] = defaultdict(list)
    for service, nodes in running_code(context.graph, own, context.services, remote).items():
        for node in nodes:
            runs[node].append(service)
    return runs


def _foreign_reach(context: PlanContext, kind: EdgeKind, treatment: str, steps: tuple[str, ...],
                   runs: dict[str, list[str]]) -> list[DataIssue]:
    """Code that runs in one service and reads (or writes) a table another service owns."""
    grouped: dict[tuple[str, str], dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for edge in context.graph.edges(kind):
        owner = context.owner.get(edge.target)
        if owner is None:
            continue
        table = _table_name(context, edge.target)
        home = context.service(edge.source)
        for reader in sorted({*runs.get(edge.source, ()), *([home] if home else [])} - {owner, MONOLITH}):
            grouped[(table, owner)][reader].append((edge.source, edge.target))
            grouped[(table, owner)]["__evidence__"].extend(edge.evidence)
    issues = []
    for (table, owner), by_service in grouped.items():
        evidence = tuple(sorted(set(by_service.pop("__evidence__", []))))[:10]
        links = tuple(sorted({link for items in by_service.values() for link in items}))
        issues.append(DataIssue(treatment, table, owner, tuple(sorted(by_service)), links, steps, evidence))
    return issues


def _foreign_keys(context: PlanContext) -> list[DataIssue]:
    """Foreign keys between tables of different services."""
    issues = []
    seen: set[tuple[str, str, str]] = set()
    for edge in context.graph.edges(EdgeKind.FOREIGN_KEY):
        a, b = context.owner.get(edge.source), context.owner.get(edge.target)
        if a is None or b is None or a == b:
            continue
        source_table = _table_name(context, edge.source)
        target_table = _table_name(context, edge.target)
        column = edge.attrs.get("column") or edge.attrs.get("field") or "?"
        key = (source_table, column, target_table)
        if key in seen:
            continue
        seen.add(key)
        detail = f"{source_table}.{column} -> {edge.attrs.get('references') or target_table}"
        issues.append(DataIssue(FK_IN_CODE, target_table, b, (a,), ((edge.source, edge.target),), FK_STEPS, edge.evidence, detail))
    return issues
