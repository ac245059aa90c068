"""Per-service AsyncAPI 3.0 documents: the events each service sends and receives on the bus.

Every message is an envelope: a ``message_id`` (consumers deduplicate on it, the outbox sets it),
the time it happened, the event name and its data as the monolith published it.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from migrator.model.service_plan import Channel, ServicePlan, ServiceSpec

PROTOCOLS = {"nats": ("nats", "nats:4222"), "kafka": ("kafka", "kafka:9092"), "rabbit": ("amqp", "rabbitmq:5672"), "redis": ("redis", "redis:6379")}
ENVELOPE = {
    "type": "object",
    "required": ["message_id", "event", "occurred_at", "data"],
    "properties": {
        "message_id": {"type": "string", "description": "Unique per event; consumers apply each id once."},
        "event": {"type": "string"},
        "occurred_at": {"type": "string", "format": "date-time"},
        "data": {"type": "object", "additionalProperties": True},
    },
}


def _key(name: str) -> str:
    """An identifier safe in a JSON pointer and as an operation id."""
    return re.sub(r"[^A-Za-z0-9_]+", "_", name).strip("_") or "event"


def _message(channel: Channel) -> str:
    return "".join(part.capitalize() for part in re.split(r"[^A-Za-z0-9]+", channel.name) if part) or "Event"


def service_document(service: ServiceSpec, plan: ServicePlan) -> dict[str, Any] | None:
    """The AsyncAPI document of one service, or None when it neither sends nor receives."""
    mine = [c for c in plan.channels if c.name in service.publishes or c.name in service.subscribes]
    if not mine:
        return None
    protocol, host = PROTOCOLS[plan.event_bus]
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    for channel in mine:
        key, message = _key(channel.name), _message(channel)
        channels[key] = {
            "address": channel.subject,
            "messages": {message: {"name": message, "title": channel.name, "contentType": "application/json", "payload": ENVELOPE}},
        }
        reference = {"$ref": f"#/channels/{key}"}
        messages = [{"$ref": f"#/channels/{key}/messages/{message}"}]
        if channel.name in service.publishes:
            operations[f"send_{key}"] = {"action": "send", "channel": reference, "messages": messages,
                                         "summary": f"Published by {service.name} through its transactional outbox."}
        if channel.name in service.subscribes:
            operations[f"receive_{key}"] = {"action": "receive", "channel": reference, "messages": messages,
                                            "summary": f"Consumed by {service.name}, once per message_id."}
    return {
        "asyncapi": "3.0.0",
        "info": {"title": f"{service.name} service events", "version": "0.1.0"},
        "defaultContentType": "application/json",
        "servers": {plan.event_bus: {"host": host, "protocol": protocol}},
        "channels": channels,
        "operations": operations,
    }


def render_asyncapi(plan: ServicePlan) -> dict[str, str]:
    """``{contracts/<service>.asyncapi.yaml: text}`` for every service that uses the bus."""
    files = {}
    for service in plan.services:
        document = service_document(service, plan)
        if document is not None:
            files[f"contracts/{service.name}.asyncapi.yaml"] = yaml.safe_dump(document, sort_keys=True, allow_unicode=True)
    return files
