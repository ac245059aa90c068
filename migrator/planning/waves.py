"""The order of extraction (strangler fig): least coupled first, value breaking ties.

Each wave takes out the service with the least coupling to what is still in the monolith,
among those with a clear value (routes to serve or tables to own; the others come last and are
candidates for merging); its routes move at the gateway from the monolith to the new service at
that wave.
"""

from __future__ import annotations

from collections import defaultdict

from migrator.model.plan import EVENT, IN_PROCESS, REST, Crossing, DataIssue, ServiceScope, Transaction, Wave
from migrator.words import plural

CROSSING_COST = {REST: 1.0, IN_PROCESS: 0.5}
EVENT_COST = 0.5
DATA_COST = 2.0
TRANSACTION_COST = 3.0


def plan_waves(
    services: list[ServiceScope], crossings: list[Crossing], data: list[DataIssue], transactions: list[Transaction]
) -> list[Wave]:
    pair_cost: dict[frozenset[str], float] = defaultdict(float)
    for crossing in crossings:
        pair_cost[frozenset((crossing.source_service, crossing.target_service))] += CROSSING_COST.get(crossing.treatment, EVENT_COST)
    for issue in data:
        for other in issue.services:
            pair_cost[frozenset((issue.owner, other))] += DATA_COST
    for transaction in transactions:
        for i, a in enumerate(transaction.services):
            for b in transaction.services[i + 1 :]:
                pair_cost[frozenset((a, b))] += TRANSACTION_COST
    scopes = {s.name: s for s in services}
    remaining = set(scopes)
    waves = []
    while remaining:
        def coupling(name: str) -> float:
            return sum(cost for pair, cost in pair_cost.items() if name in pair and len(pair & remaining) == 2)

        # a service with no route and no table of its own brings no clear value on its own
        chosen = min(sorted(remaining), key=lambda n: (not (scopes[n].routes or scopes[n].tables), coupling(n), -len(scopes[n].routes), n))
        cost = coupling(chosen)
        remaining.discard(chosen)
        scope = scopes[chosen]
        waves.append(
            Wave(
                number=len(waves) + 1,
                services=(chosen,),
                risk=_risk(chosen, cost, data, transactions),
                effort=_effort(scope),
                reasons=_reasons(chosen, cost, scope, crossings, data, transactions, remaining),
                routes=scope.routes,
            )
        )
    return waves


def _risk(name: str, cost: float, data: list[DataIssue], transactions: list[Transaction]) -> int:
    shared_tables = sum(1 for d in data if name == d.owner or name in d.services)
    sagas = sum(1 for t in transactions if name in t.services)
    score = 1 + (cost >= 3) + (cost >= 8) + (shared_tables >= 2) + (sagas >= 1)
    return min(5, int(score))


def _effort(scope: ServiceScope) -> int:
    size = len(scope.units) + 2 * len(scope.tables) + len(scope.routes) / 5 + len(scope.publishes) + len(scope.subscribes)
    return min(5, 1 + int(size // 8))


def _reasons(
    name: str, cost: float, scope: ServiceScope, crossings: list[Crossing], data: list[DataIssue],
    transactions: list[Transaction], remaining: set[str],
) -> tuple[str, ...]:
    rest_in = sum(1 for c in crossings if c.target_service == name and c.treatment == REST and c.source_service in remaining)
    rest_out = sum(1 for c in crossings if c.source_service == name and c.treatment == REST and c.target_service in remaining)
    events = sum(1 for c in crossings if name in (c.source_service, c.target_service) and c.treatment == EVENT)
    reasons = [f"coupling to what stays in the monolith: {cost:.1f} ({plural(rest_in, 'REST call')} in, {rest_out} out, {plural(events, 'event')})"]
    reasons.append(f"{plural(len(scope.routes), 'route moves', 'routes move')} at the gateway, "
                   f"{plural(len(scope.tables), 'table moves', 'tables move')} to its own database")
    if not (scope.routes or scope.tables):
        reasons.append("no route and no table of its own: consider merging it into the service it serves")
    tables = [d for d in data if d.owner == name or name in d.services]
    if tables:
        reasons.append(f"{plural(len(tables), 'table issue')} to settle first: " + ", ".join(sorted({f'{d.table} ({d.treatment})' for d in tables}))[:200])
    sagas = [t for t in transactions if name in t.services]
    if sagas:
        reasons.append(f"{plural(len(sagas), 'transaction across services needs', 'transactions across services need')} a saga or outbox: " + ", ".join(t.root.rsplit('.', 1)[-1] for t in sagas))
    return tuple(reasons)
