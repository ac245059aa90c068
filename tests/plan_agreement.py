"""Whether a migration plan and the generated system agree: every REST call and event the plan
names is in the generated system's plan (a client and its internal endpoint, a channel), or the
plan says why not, and every client and channel there is one the plan names (``disagreements``);
and each of those is in the generated files (``code_disagreements``): the caller's copy of the
function calls the owner's internal endpoint, which the owner's manifest serves, and the
subscriber's manifest routes the event to its handler."""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from migrator.model.deployment import Topology
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


def code_disagreements(root: Path, crossings: Iterable[Crossing], plan: ServicePlan) -> list[str]:
    """What of the crossings the plan generates that the files of the system under ``root`` lack, one line each."""
    topology = Topology(plan)
    services = [spec.name for spec in plan.services]
    manifests = {name: _manifest(root / topology.workload(name).folder / topology.workload(name).package / "manifest.py") for name in services}
    texts: dict[str, str] = {}
    found = []
    for c in crossings:
        name = f"{c.source_service} -> {c.target_service} {c.source} -> {c.target}"
        if c.generated == CLIENT:
            endpoint = next(e for e in plan.service(c.target_service).internal if e.function == c.target)
            if manifests[c.target_service].get("INTERNAL", {}).get(endpoint.path) != "{}:{}".format(*c.target.rsplit(".", 1)):
                found.append(f"{name}: {c.target_service}'s manifest serves no {endpoint.path}")
            call = f"_migrator_call({topology.key_of(c.target_service)!r}, {endpoint.path!r}"
            for runner in running_services(c, services):
                if runner not in texts:
                    texts[runner] = _code(root / topology.workload(runner).folder)
                if call not in texts[runner]:
                    found.append(f"{name}: {runner}'s code has no {call}...)")
        elif c.generated == CHANNEL:
            manifest = manifests[c.target_service]
            handlers = manifest.get("CHANNELS", {}).get(c.event, {}).get("handlers", {}).get(topology.key_of(c.target_service), [])
            if c.target not in handlers:
                found.append(f"{name}: {c.target_service}'s manifest routes {c.event} to no {c.target}")
            channel = next(ch for ch in plan.channels if ch.name == c.event)
            if c.target_service in channel.async_subscribers and c.event not in manifest.get("CONSUMES", []):
                found.append(f"{name}: {c.target_service}'s manifest does not consume {c.event}")
    return found


def _manifest(path: Path) -> dict[str, Any]:
    """A generated manifest's values (literals, as render writes them)."""
    values = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            try:
                values[node.targets[0].id] = ast.literal_eval(node.value)
            except ValueError:
                continue
    return values


def _code(folder: Path) -> str:
    """Every Python file of a service's folder but the runtime's, one text."""
    return "\n".join(path.read_text(encoding="utf-8", errors="replace") for path in sorted(folder.rglob("*.py")) if "runtime" not in path.parts)
