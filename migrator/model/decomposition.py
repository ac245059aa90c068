"""A decomposition: which units (modules or classes) go to which service, and why.

It is written as ``decomposition.yaml`` for people to read and edit; every later stage reads
the edited file back and honours it.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from migrator.errors import MigratorError
from migrator.model.graph import DependencyGraph
from migrator.model.units import index_units
from migrator.model.yaml_input import YamlDocument, read_yaml

SCHEMA_ID = "migrator.decomposition/1"
SHARED = "shared"
"""The name of the shared-library part: code most services use, installed into each."""
UNIT_KEYS = {"module": "modules", "class": "classes"}
"""What a decomposition places -> the key its parts list them under."""
SYMBOLS_KEY = "symbols"
"""The key a service lists the classes and functions it takes from modules of other parts under."""


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
    symbols: tuple[str, ...] = ()
    """Classes and functions of modules held by another part (a god module split at class and
    function level): they, their methods, routes and tables belong to this service."""


@dataclass(frozen=True)
class Decomposition:
    services: tuple[Service, ...]
    shared: Service | None = None
    infrastructure: tuple[str, ...] = ()
    """Settings, URL roots, app factories, wsgi/asgi, manage: handled apart from services."""
    excluded: tuple[str, ...] = ()
    unit: str = "module"
    settings: dict[str, Any] = field(default_factory=dict, compare=False)
    warnings: tuple[str, ...] = field(default=(), compare=False)
    """What looks wrong with a proposal (no service, fewer than asked...), for the user to read;
    not written to decomposition.yaml."""

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

    def symbol_owners(self) -> dict[str, str]:
        """Class or function -> the service that takes it from its module (a god module split)."""
        return {symbol: s.name for s in self.services for symbol in s.symbols}


def decomposition_to_dict(decomposition: Decomposition) -> dict[str, Any]:
    def part(service: Service) -> dict[str, Any]:
        written: dict[str, Any] = {
            "summary": service.summary,
            UNIT_KEYS[decomposition.unit]: {
                unit: list(service.reasons.get(unit, ())) for unit in sorted(service.units)
            },
        }
        if service.symbols:
            written[SYMBOLS_KEY] = {symbol: list(service.reasons.get(symbol, ())) for symbol in sorted(service.symbols)}
        return written

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
# Reasons and summaries are for reading; only the module lists (and the symbols a service takes
# from a module another part holds) are read back.
"""


def dumps_decomposition(decomposition: Decomposition) -> str:
    body = yaml.safe_dump(decomposition_to_dict(decomposition), sort_keys=False, allow_unicode=True, width=120)
    return HEADER + body


def loads_decomposition(text: str, *, source: str = "decomposition.yaml", graph: DependencyGraph | None = None) -> Decomposition:
    """Read a decomposition back, as written by propose or edited by a person. With ``graph``, every
    unit it lists must be a unit of that graph: a name that is not would be carried into every later
    stage (a service built around a module that does not exist)."""
    document = read_yaml(text, source=source, hint="fix the indentation or quoting there", error=InvalidDecomposition)
    data = document.data
    if not isinstance(data, dict) or not isinstance(data.get("services"), dict):
        raise InvalidDecomposition(f"{source} has no 'services' mapping", hint="write one with `migrator propose SRC -o decomposition.yaml`")
    unit = data.get("unit", "module")
    if unit not in UNIT_KEYS:
        raise InvalidDecomposition(f"{source}:{document.line('unit')}: unit must be module or class, not {unit!r}")
    key = UNIT_KEYS[unit]
    seen: dict[str, str] = {}

    def read_listing(name: str, body: dict[str, Any], listing: str, what: str) -> dict[str, Any]:
        """The entries a part lists under ``listing`` (a mapping to reasons, or a plain list),
        each in one part only."""
        listed = body.get(listing) or {}
        if isinstance(listed, list):
            listed = {u: [] for u in listed}
        if not isinstance(listed, dict):
            raise InvalidDecomposition(f"{source}: '{listing}' of service {name!r} must be a mapping or a list")
        for entry in listed:
            if entry in seen:
                raise InvalidDecomposition(
                    f"{source}: {entry} is listed in both {seen[entry]!r} and {name!r}",
                    hint=f"{what} belongs to exactly one service; remove one of the two lines",
                )
            seen[entry] = name
        return listed

    def read_part(name: str, body: Any) -> Service:
        if not isinstance(name, str) or not name:
            raise InvalidDecomposition(f"{source}: a service name must be a non-empty string, got {name!r}")
        if body is None:
            body = {}
        if not isinstance(body, dict):
            raise InvalidDecomposition(f"{source}: service {name!r} must be a mapping with '{key}'")
        listed = read_listing(name, body, key, "a module")
        symbols = read_listing(name, body, SYMBOLS_KEY, "a class or function")
        reasons = {u: tuple(str(r) for r in (listed[u] or ())) for u in listed}
        reasons.update({s: tuple(str(r) for r in (symbols[s] or ())) for s in symbols})
        return Service(name, tuple(sorted(listed)), reasons, dict(body.get("summary") or {}), tuple(sorted(symbols)))

    services = tuple(read_part(name, body) for name, body in data["services"].items())
    shared = read_part(SHARED, data["shared"]) if data.get("shared") else None
    if graph is not None:
        _check_units(document, unit, index_units(graph, unit).units, source)
        _check_symbols(document, graph, source)
    return Decomposition(
        services=services,
        shared=shared,
        infrastructure=tuple(data.get("infrastructure") or ()),
        excluded=tuple(data.get("excluded") or ()),
        unit=unit,
        settings=dict(data.get("settings") or {}),
    )


def _listed_units(data: dict[str, Any], key: str) -> Iterator[tuple[Any, tuple[str | int, ...]]]:
    """Every unit the file lists, with its path in the document."""
    parts = [(("services", name), body) for name, body in data["services"].items()]
    parts += [((SHARED,), data[SHARED])] if data.get(SHARED) else []
    for path, body in parts:
        listed = (body or {}).get(key) or {}
        if isinstance(listed, dict):
            yield from ((unit, (*path, key, unit)) for unit in listed)
        else:
            yield from ((unit, (*path, key, i)) for i, unit in enumerate(listed))
    for section in ("infrastructure", "excluded"):
        yield from ((unit, (section, i)) for i, unit in enumerate(data.get(section) or ()))


def _check_units(document: YamlDocument, unit_kind: str, units: Sequence[str], source: str) -> None:
    known = set(units)
    unknown = [(unit, path) for unit, path in _listed_units(document.data, UNIT_KEYS[unit_kind]) if unit not in known]
    if not unknown:
        return
    (unit, path), rest = unknown[0], [str(u) for u, _ in unknown[1:]]
    close = difflib.get_close_matches(str(unit), units, n=1)
    guess = f" (did you mean {close[0]}?)" if close else ""
    more = f"; {len(rest)} more: {', '.join(rest[:3])}{', ...' if len(rest) > 3 else ''}" if rest else ""
    raise InvalidDecomposition(
        f"{source}:{document.line(*path)}: {unit} is not a {unit_kind} of the analysed code{guess}{more}",
        hint="correct the name or delete the line: a decomposition lists only what the analysis found",
    )


def _check_symbols(document: YamlDocument, graph: DependencyGraph, source: str) -> None:
    """Every symbol a service takes must be a class, function or model of the analysed code."""
    kinds = ("class", "function", "model")
    for name, body in document.data["services"].items():
        listed = (body or {}).get(SYMBOLS_KEY) or {}
        for i, symbol in enumerate(listed):
            if not (isinstance(symbol, str) and symbol in graph and graph.node(symbol).kind.value in kinds):
                where = document.line("services", name, SYMBOLS_KEY, symbol if isinstance(listed, dict) else i)
                raise InvalidDecomposition(
                    f"{source}:{where}: {symbol} is not a class or function of the analysed code",
                    hint="correct the name or delete the line: a service takes only classes and functions the analysis found",
                )
