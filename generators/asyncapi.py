"""Per-service AsyncAPI 3.0 documents: what each service sends and receives on the bus, as the
generated runtime puts it there (``runtime/events.py``).

- An event goes on the bus for the subscribers that cannot refuse it; subscribers whose handler
  can refuse it get it synchronously over HTTP instead (``POST /internal/events/<name>``), so
  they have no operation here.
- Row changes of tables other services keep read models of go on one channel per owner.
- Every message is an envelope: its ``message_id`` (set by the outbox; consumers apply each id
  once), where it comes from, when it happened, and the event's payload or the changed row.
- Addresses start with the deployment's namespace (``EVENT_NAMESPACE``).
"""

from __future__ import annotations

import re
from typing import Any

from generators.deploy.text import to_sorted_yaml
from generators.service.runtime.context import bus_token
from migrator.model.deployment import BROKER_HOST, Topology
from migrator.model.service_plan import Channel, ServicePlan, ServiceSpec

_COMMON = {
    "message_id": {"type": "string", "description": "Unique per message; consumers apply each id once."},
    "name": {"type": "string", "description": "The event's name, or changes.<service> for row changes."},
    "origin": {"type": "string", "description": "The service that published it (acknowledgements go back there)."},
    "occurred_at": {"type": "string", "format": "date-time"},
}
ENVELOPE = {
    "type": "object",
    "required": ["message_id", "name", "kind", "origin", "payload", "occurred_at"],
    "properties": {**_COMMON, "kind": {"const": "event"},
                   "payload": {"type": "object", "additionalProperties": True, "description": "As the monolith published it."}},
}
CHANGE = {
    "type": "object",
    "required": ["message_id", "name", "kind", "origin", "op", "table", "row", "occurred_at"],
    "properties": {**_COMMON, "kind": {"const": "change"}, "op": {"enum": ["upsert", "delete"]}, "table": {"type": "string"},
                   "row": {"type": "object", "additionalProperties": True, "description": "The row's columns after the change."}},
}
NAMESPACE = {"namespace": {"description": "EVENT_NAMESPACE of the deployment (default: the system's name)"}}


def _key(name: str) -> str:
    """An identifier safe in a JSON pointer and as an operation id."""
    return re.sub(r"[^A-Za-z0-9_]+", "_", name).strip("_") or "event"


def _message(channel: Channel) -> str:
    return "".join(part.capitalize() for part in re.split(r"[^A-Za-z0-9]+", channel.name) if part) or "Event"


def service_document(service: ServiceSpec, plan: ServicePlan) -> dict[str, Any] | None:
    """The AsyncAPI document of one service, or None when it neither sends nor receives on the bus."""
    topology = Topology(plan)
    key = topology.key_of
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}

    def add(key: str, address: str, title: str, message: str, payload: dict[str, Any], action: str, summary: str) -> None:
        channels.setdefault(key, {
            # as runtime/bus.py names it: one token after the namespace
            "address": "{namespace}.events." + bus_token(address), "parameters": NAMESPACE,
            "messages": {message: {"name": message, "title": title, "contentType": "application/json", "payload": payload}},
        })
        operations[f"{action}_{key}"] = {"action": action, "channel": {"$ref": f"#/channels/{key}"},
                                         "messages": [{"$ref": f"#/channels/{key}/messages/{message}"}], "summary": summary}

    for channel in plan.channels:
        remote = [s for s in channel.async_subscribers if s != service.name]
        if service.name in channel.publishers and remote:
            add(_key(channel.name), channel.subject, channel.name, _message(channel), ENVELOPE, "send",
                f"Published by {service.name} through its transactional outbox, for {', '.join(remote)}.")
        if service.name in channel.async_subscribers and any(p != service.name for p in channel.publishers):
            add(_key(channel.name), channel.subject, channel.name, _message(channel), ENVELOPE, "receive",
                f"Consumed by {service.name}, once per message_id.")
    readers = sorted({s.name for s in plan.services for t in s.replicas if t in service.tables})
    if readers:
        add(f"changes_{_key(key(service.name))}", f"changes-{key(service.name)}", f"changes.{key(service.name)}", "RowChange", CHANGE, "send",
            f"Row changes of {', '.join(t for t in service.tables if any(t in s.replicas for s in plan.services))} "
            f"for the read models of {', '.join(readers)}.")
    table_owner = {t: s.name for s in plan.services for t in s.tables}
    for owner in sorted({table_owner[t] for t in service.replicas if t in table_owner}):
        add(f"changes_{_key(key(owner))}", f"changes-{key(owner)}", f"changes.{key(owner)}", "RowChange", CHANGE, "receive",
            f"Keeps {service.name}'s read model of {', '.join(t for t in service.replicas if table_owner.get(t) == owner)}.")
    if not operations:
        return None
    return {
        "asyncapi": "3.0.0",
        "info": {"title": f"{service.name} service events", "version": "0.1.0"},
        "defaultContentType": "application/json",
        "servers": {plan.event_bus: {"host": f"{BROKER_HOST}:{topology.broker.port}", "protocol": topology.broker.protocol}},
        "channels": channels,
        "operations": operations,
    }


def render_asyncapi(plan: ServicePlan) -> dict[str, str]:
    """``{contracts/<service>.asyncapi.yaml: text}`` for every service that uses the bus."""
    files = {}
    topology = Topology(plan)
    for service in plan.services:
        document = service_document(service, plan)
        if document is not None:
            files[topology.workload(service.name).asyncapi_contract] = to_sorted_yaml(document)
    return files
