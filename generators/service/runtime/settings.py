"""Configuration from environment variables only: service discovery by name, through configuration."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

BUS_DEFAULTS = {
    "nats": "nats://127.0.0.1:4222",
    "rabbit": "amqp://guest:guest@127.0.0.1:5672/",
    "redis": "redis://127.0.0.1:6379",
    "kafka": "127.0.0.1:9092",
}


def env_name(service: str) -> str:
    """``orders-api`` -> ``ORDERS_API``: the prefix of a service's variables."""
    return re.sub(r"[^A-Z0-9]", "_", service.upper())


@dataclass(frozen=True)
class RuntimeSettings:
    service: str
    database_url: str
    event_bus: str
    event_bus_url: str
    namespace: str
    consistency_timeout: float
    call_timeout: float
    call_retries: int

    @classmethod
    def from_env(cls, service: str, system: str, default_bus: str) -> RuntimeSettings:
        bus = os.environ.get("EVENT_BUS") or default_bus
        if bus not in BUS_DEFAULTS:
            raise RuntimeError(f"EVENT_BUS={bus!r}: use one of {', '.join(BUS_DEFAULTS)}")
        return cls(
            service=os.environ.get("SERVICE_NAME") or service,
            database_url=os.environ.get("DATABASE_URL") or f"sqlite:///./{service.replace('-', '_')}.db",
            event_bus=bus,
            event_bus_url=os.environ.get("EVENT_BUS_URL") or BUS_DEFAULTS[bus],
            namespace=re.sub(r"[^A-Za-z0-9_-]", "-", os.environ.get("EVENT_NAMESPACE") or system),
            consistency_timeout=float(os.environ.get("EVENT_CONSISTENCY_TIMEOUT") or 0),
            call_timeout=float(os.environ.get("CALL_TIMEOUT_SECONDS") or 10),
            call_retries=int(os.environ.get("CALL_RETRIES") or 3),
        )


def service_url(service: str) -> str:
    """The base URL of another service, from ``<SERVICE>_URL``."""
    key = f"{env_name(service)}_URL"
    url = os.environ.get(key)
    if not url:
        raise RuntimeError(f"{key} is not set: the address of the {service} service comes from configuration")
    return url.rstrip("/")
