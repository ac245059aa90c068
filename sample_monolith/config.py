"""Application configuration.

All settings come from environment variables prefixed with ``SHOP_`` so the
same build can run on a laptop (SQLite file) and in production (PostgreSQL).
Tests build a :class:`Settings` instance directly and pass it to
:func:`sample_monolith.app.create_app`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace

from fastapi import Request

#: Token expected in the ``X-Admin-Token`` header when nothing is configured.
#: Only suitable for local development; production sets ``SHOP_ADMIN_TOKEN``.
DEFAULT_ADMIN_TOKEN = "dev-admin-token"

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _parse_bool(raw: str, name: str) -> bool:
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"{name} must be a boolean, got {raw!r}")


@dataclass(frozen=True)
class Settings:
    """Runtime configuration of the shop.

    Every field can be overridden with an environment variable named
    ``SHOP_<FIELD_NAME_IN_UPPER_CASE>``, e.g. ``SHOP_DATABASE_URL``.
    """

    database_url: str = "sqlite:///./shop.db"
    admin_token: str = DEFAULT_ADMIN_TOKEN
    shop_name: str = "Sample Shop"
    sender_email: str = "orders@sample-shop.example"
    currency: str = "EUR"
    home_country: str = "DE"
    #: Lifetime of a bearer token issued by ``POST /api/accounts/login``.
    token_ttl_minutes: int = 60 * 24
    #: How long stock stays reserved for an unpaid order.
    reservation_ttl_minutes: int = 30
    free_shipping_threshold_cents: int = 10_000
    scheduler_enabled: bool = True
    scheduler_interval_seconds: float = 60.0
    outbox_batch_size: int = 100
    sql_echo: bool = False
    log_level: str = "info"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Build settings from ``environ`` (defaults to ``os.environ``)."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for f in fields(cls):
            key = f"SHOP_{f.name.upper()}"
            if key not in env:
                continue
            raw = env[key]
            default = f.default
            if isinstance(default, bool):
                values[f.name] = _parse_bool(raw, key)
            elif isinstance(default, int):
                values[f.name] = int(raw)
            elif isinstance(default, float):
                values[f.name] = float(raw)
            else:
                values[f.name] = raw
        return cls(**values)  # type: ignore[arg-type]

    def with_overrides(self, **overrides: object) -> Settings:
        """Return a copy with some fields replaced (handy for CLI flags)."""
        return replace(self, **overrides)  # type: ignore[arg-type]

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def get_settings(request: Request) -> Settings:
    """FastAPI dependency returning the settings the app was created with."""
    return request.app.state.settings
