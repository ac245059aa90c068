"""A decomposition: which units (modules or classes) go to which service, and why.

It is written as ``decomposition.yaml`` for people to read and edit; every later stage reads
the edited file back and honours it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from migrator.errors import MigratorError

SCHEMA_ID = "migrator.decomposition/1"
SHARED = "shared"
"""The name of the shared-library part: code most services use, installed into each."""


class InvalidDecomposition(MigratorError):
    """decomposition.yaml cannot be read back."""


@dataclass(frozen=True)
class Service:
    name: str
    units: tuple[str, ...]
    reasons: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False)
    """Unit -> the top reasons for its placement."""
    summary: dict[str, Any] = field(default_factory=dict, compare=False)
    """What the service holds (models, tables, routes, events, size, dependencies): for people."""


@dataclass(frozen=True)
class Decomposition:
    services: tuple[Service, ...]
    shared: Service | None = None
    infrastructure: tuple[str, ...] = ()
    """Settings, URL roots, app factories, wsgi/asgi, manage: handled apart from services."""
    excluded: tuple[str, ...] = ()
    unit: str = "module"
    settings: dict[str, Any] = field(default_factory=dict, compare=False)

    def assignment(self, *, include_shared: bool = True) -> dict[str, str]:
        """Unit -> service name (the shared part under its own name)."""
        result = {u: s.name for s in self.services for u in s.units}
        if include_shared and self.shared is not None:
            result.update({u: self.shared.name for u in self.shared.units})
        return result

    def service(self, name: str) -> Service:
        for candidate in (*self.services, *((self.shared,) if self.shared else ())):
            if candidate.name == name:
                return candidate
        raise KeyError(name)

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.services]


def decomposition_to_dict(decomposition: Decomposition) -> dict[str, Any]:
    def part(service: Service) -> dict[str, Any]:
        return {
            "summary": service.summary,
            "modules" if decomposition.unit == "module" else "classes": {
                unit: list(service.reasons.get(unit, ())) for unit in sorted(service.units)
            },
        }

    data: dict[str, Any] = {
        "schema": SCHEMA_ID,
        "unit": decomposition.unit,
        "settings": decomposition.settings,
        "services": {s.name: part(s) for s in sorted(decomposition.services, key=lambda s: s.name)},
    }
    if decomposition.shared is not None:
        data["shared"] = part(decomposition.shared)
    data["infrastructure"] = sorted(decomposition.infrastructure)
    data["excluded"] = sorted(decomposition.excluded)
    return data


HEADER = """\
# Proposed service boundaries, written by `migrator propose`.
# Edit freely: move a module to another service, rename a service, add or remove one.
# Every later stage (evaluate, plan, report, generate) reads this file as you leave it.
# Reasons and summaries are for reading; only the module lists are read back.
"""


def dumps_decomposition(decomposition: Decomposition) -> str:
    body = yaml.safe_dump(decomposition_to_dict(decomposition), sort_keys=False, allow_unicode=True, width=120)
    return HEADER + body


def loads_decomposition(text: str, *, source: str = "decomposition.yaml") -> Decomposition:
    """Read a decomposition back, as written by propose or edited by a person."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{source}:{mark.line + 1}" if mark else source
        raise InvalidDecomposition(f"{where}: not valid YAML ({getattr(exc, 'problem', exc)})", hint="fix the indentation or quoting there") from None
    if not isinstance(data, dict) or not isinstance(data.get("services"), dict):
        raise InvalidDecomposition(f"{source} has no 'services' mapping", hint="write one with `migrator propose SRC -o decomposition.yaml`")
    unit = data.get("unit", "module")
    key = "modules" if unit == "module" else "classes"
    seen: dict[str, str] = {}

    def read_part(name: str, body: Any) -> Service:
        if not isinstance(name, str) or not name:
            raise InvalidDecomposition(f"{source}: a service name must be a non-empty string, got {name!r}")
        if body is None:
            body = {}
        if not isinstance(body, dict):
            raise InvalidDecomposition(f"{source}: service {name!r} must be a mapping with '{key}'")
        listed = body.get(key) or {}
        if isinstance(listed, list):
            listed = {u: [] for u in listed}
        if not isinstance(listed, dict):
            raise InvalidDecomposition(f"{source}: '{key}' of service {name!r} must be a mapping or a list")
        for unit_name in listed:
            if unit_name in seen:
                raise InvalidDecomposition(
                    f"{source}: {unit_name} is listed in both {seen[unit_name]!r} and {name!r}",
                    hint="a module belongs to exactly one service; remove one of the two lines",
                )
            seen[unit_name] = name
        reasons = {u: tuple(str(r) for r in (listed[u] or ())) for u in listed}
        return Service(name, tuple(sorted(listed)), reasons, dict(body.get("summary") or {}))

    services = tuple(read_part(name, body) for name, body in data["services"].items())
    shared = read_part(SHARED, data["shared"]) if data.get("shared") else None
    return Decomposition(
        services=services,
        shared=shared,
        infrastructure=tuple(data.get("infrastructure") or ()),
        excluded=tuple(data.get("excluded") or ()),
        unit=unit,
        settings=dict(data.get("settings") or {}),
    )
