"""Configuration from environment variables only: service discovery by name, through configuration."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass


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
    def from_env(cls, service: str, system: str, default_bus: str, local_urls: Mapping[str, str]) -> RuntimeSettings:
        """The settings of this process; ``local_urls`` is where each bus answers on a developer's
        machine (the manifest's ``BUS_URLS``), used when ``EVENT_BUS_URL`` is not set."""
        bus = os.environ.get("EVENT_BUS") or default_bus
        if bus not in local_urls:
            raise RuntimeError(f"EVENT_BUS={bus!r}: use one of {', '.join(local_urls)}")
        return cls(
            service=os.environ.get("SERVICE_NAME") or service,
            database_url=os.environ.get("DATABASE_URL") or f"sqlite:///./{service.replace('-', '_')}.db",
            event_bus=bus,
            event_bus_url=os.environ.get("EVENT_BUS_URL") or local_urls[bus],
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
