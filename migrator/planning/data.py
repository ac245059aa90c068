"""Tables reached from outside their owner, with their database-per-service steps."""

from __future__ import annotations

from collections import defaultdict

from migrator.model.facts import EdgeKind
from migrator.model.plan import DATABASE_STEPS, FK_IN_CODE, READ_MODEL, WRITE_OWNERSHIP, DataIssue
from migrator.planning.context import PlanContext

READ_STEPS = (DATABASE_STEPS[0], DATABASE_STEPS[1], DATABASE_STEPS[4])
FK_STEPS = (DATABASE_STEPS[0], DATABASE_STEPS[2], DATABASE_STEPS[4])
WRITE_STEPS = (DATABASE_STEPS[0], DATABASE_STEPS[3], DATABASE_STEPS[4])


def find_data_issues(context: PlanContext) -> list[DataIssue]:
    return sorted(
        [*_foreign_reach(context, EdgeKind.WRITES, WRITE_OWNERSHIP, WRITE_STEPS),
         *_foreign_reach(context, EdgeKind.READS, READ_MODEL, READ_STEPS),
         *_foreign_keys(context)],
        key=lambda d: (d.table, d.treatment, d.services),
    )


def _table_name(context: PlanContext, target: str) -> str:
    table = context.table_of.get(target, target)
    return table.removeprefix("table:")


def _foreign_reach(context: PlanContext, kind: EdgeKind, treatment: str, steps: tuple[str, ...]) -> list[DataIssue]:
    """Code of one service that reads (or writes) a table another service owns."""
    grouped: dict[tuple[str, str], dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for edge in context.graph.edges(kind):
        owner = context.owner.get(edge.target)
        reader = context.service(edge.source)
        if owner is None or reader is None or reader == owner:
            continue
        table = _table_name(context, edge.target)
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
