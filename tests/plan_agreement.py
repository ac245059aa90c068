"""Whether a migration plan and the generated system's plan agree: every REST call and event the
plan names is in the code (a client and its internal endpoint, a channel), or the plan says why
not; and every client and channel of the code is one the plan names."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from migrator.model.plan import CHANNEL, CLIENT, EVENT, IN_PROCESS, REST, Crossing
from migrator.model.service_plan import ServicePlan
from migrator.planning.crossings import running_services


def crossing_from_json(data: dict[str, Any]) -> Crossing:
    """A crossing as plan.json holds it."""
    return Crossing(**{**data, "evidence": tuple(data.get("evidence", ()))})


def disagreements(crossings: Iterable[Crossing], plan: ServicePlan) -> list[str]:
    """What does not agree, one line each; empty when plan and code agree."""
    crossings = list(crossings)
    services = [s.name for s in plan.services]
    problems = [_problem(c, plan, services) for c in crossings]
    found = [p for p in problems if p]
    named = {(runner, c.target) for c in crossings if c.generated == CLIENT for runner in running_services(c, services)}
    for spec in plan.services:
        found += [f"{spec.name} has a client for {k.function} that no crossing names" for k in spec.clients if (spec.name, k.function) not in named]
    events = {c.event for c in crossings if c.generated == CHANNEL}
    found += [f"channel {ch.name} is no crossing's" for ch in plan.channels if ch.name not in events]
    return found


def _problem(c: Crossing, plan: ServicePlan, services: list[str]) -> str:
    name = f"{c.treatment} {c.source_service} -> {c.target_service} {c.source} -> {c.target}"
    if c.generated == CLIENT and not _has_client(c, plan, services):
        return f"{name}: the plan says client, the code has none"
    if c.generated == CHANNEL and not _has_channel(c, plan):
        return f"{name}: the plan says channel {c.event}, the code has none"
    if c.reason:
        return ""
    if c.treatment == REST and c.generated != CLIENT:
        return f"{name}: a REST call without a client, and no reason"
    if c.treatment == EVENT and c.generated != CHANNEL:
        return f"{name}: an event without a channel, and no reason"
    if c.treatment == IN_PROCESS:
        return f"{name}: stays in process, and no reason"
    return ""


def _has_client(c: Crossing, plan: ServicePlan, services: list[str]) -> bool:
    runners = running_services(c, services)
    if not runners or c.target_service not in services:
        return False
    endpoint = next((e for e in plan.service(c.target_service).internal if e.function == c.target), None)
    clients = [{(k.service, k.function) for k in plan.service(r).clients} for r in runners]
    return endpoint is not None and set(runners) <= set(endpoint.callers) and all((c.target_service, c.target) in k for k in clients)


def _has_channel(c: Crossing, plan: ServicePlan) -> bool:
    return any(ch.name == c.event and (c.target_service, c.target) in ch.handlers for ch in plan.channels)
