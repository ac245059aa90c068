"""Constraints a user sets on the proposal: pin, keep together, keep apart, exclude.

``constraints.yaml``::

    pin:                       # unit (or glob) -> service; "shared" is the shared library
      shop.payments.*: payments
      shop.utils: shared
    together:                  # each list ends up in one service
      - [shop.cart.services, shop.orders.services]
    apart:                     # no two of each list share a service
      - [shop.orders.models, shop.inventory.models]
    exclude:                   # left out of every service
      - shop.legacy.*

They are honoured exactly; a set that cannot be met is reported with the entries in conflict.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from migrator.errors import MigratorError
from migrator.model.yaml_input import read_yaml


class UnsatisfiableConstraints(MigratorError):
    """The constraints contradict each other."""


@dataclass(frozen=True)
class Constraints:
    pin: tuple[tuple[str, str], ...] = ()
    together: tuple[tuple[str, ...], ...] = ()
    apart: tuple[tuple[str, ...], ...] = ()
    exclude: tuple[str, ...] = ()
    source: str = "constraints"

    @property
    def empty(self) -> bool:
        return not (self.pin or self.together or self.apart or self.exclude)


@dataclass
class ResolvedConstraints:
    """Constraints with globs expanded against the actual units."""

    pins: dict[str, str] = field(default_factory=dict)
    groups: list[set[str]] = field(default_factory=list)
    apart: list[list[str]] = field(default_factory=list)
    excluded: set[str] = field(default_factory=set)


def loads_constraints(text: str, *, source: str) -> Constraints:
    data = read_yaml(text, source=source, hint="its keys: pin (unit or glob: service), together and apart (lists of units), exclude (units)").data or {}
    if not isinstance(data, dict):
        raise MigratorError(f"{source}: expected a mapping with pin, together, apart, exclude")
    unknown = sorted(set(data) - {"pin", "together", "apart", "exclude"})
    if unknown:
        raise MigratorError(f"{source}: unknown section {', '.join(unknown)}", hint="the sections are pin, together, apart, exclude")
    pin = data.get("pin") or {}
    if not isinstance(pin, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in pin.items()):
        raise MigratorError(f"{source}: 'pin' must map module names (or globs) to service names")
    return Constraints(
        pin=tuple(pin.items()),
        together=_groups(data.get("together"), "together", source),
        apart=_groups(data.get("apart"), "apart", source),
        exclude=tuple(_strings(data.get("exclude") or [], "exclude", source)),
        source=source,
    )


def _strings(value: Any, section: str, source: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise MigratorError(f"{source}: '{section}' entries must be lists of module names")
    return value


def _groups(value: Any, section: str, source: str) -> tuple[tuple[str, ...], ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise MigratorError(f"{source}: '{section}' must be a list of lists")
    groups = tuple(tuple(_strings(group, section, source)) for group in value)
    for group in groups:
        if len(group) < 2:
            raise MigratorError(f"{source}: each '{section}' entry needs at least two modules, got {list(group)}")
    return groups


def _match(pattern: str, units: Sequence[str]) -> list[str]:
    if any(ch in pattern for ch in "*?["):
        return [u for u in units if fnmatch.fnmatchcase(u, pattern)]
    return [pattern] if pattern in units else []


def resolve_constraints(constraints: Constraints, units: Sequence[str]) -> ResolvedConstraints:
    """Expand globs and check that the constraints can all hold together."""
    src = constraints.source
    resolved = ResolvedConstraints()
    problems: list[str] = []

    def expand(pattern: str, section: str) -> list[str]:
        found = _match(pattern, units)
        if not found:
            problems.append(f"{section}: {pattern} matches no module of the graph")
        return found

    for pattern in constraints.exclude:
        resolved.excluded.update(expand(pattern, "exclude"))
    for pattern, service in constraints.pin:
        for unit in expand(pattern, "pin"):
            if unit in resolved.pins and resolved.pins[unit] != service:
                problems.append(f"pin: {unit} is pinned to both {resolved.pins[unit]} and {service}")
            elif unit in resolved.excluded:
                problems.append(f"pin: {unit} is pinned to {service} but also excluded")
            resolved.pins[unit] = service
    for group in constraints.together:
        members = {u for pattern in group for u in expand(pattern, "together")}
        excluded = sorted(members & resolved.excluded)
        if excluded:
            problems.append(f"together: {', '.join(excluded)} also excluded")
        resolved.groups.append(members - resolved.excluded)
    resolved.groups = _merge_overlapping(resolved.groups)
    for group in resolved.groups:
        services = sorted({resolved.pins[u] for u in group if u in resolved.pins})
        if len(services) > 1:
            problems.append(f"together: {', '.join(sorted(group))} must stay together but are pinned to {', '.join(services)}")
    for group in constraints.apart:
        members = sorted({u for pattern in group for u in expand(pattern, "apart")} - resolved.excluded)
        resolved.apart.append(members)
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                if any(a in g and b in g for g in resolved.groups):
                    problems.append(f"apart: {a} and {b} must be apart but are kept together")
                if a in resolved.pins and resolved.pins.get(a) == resolved.pins.get(b):
                    problems.append(f"apart: {a} and {b} must be apart but are both pinned to {resolved.pins[a]}")
    if problems:
        raise UnsatisfiableConstraints(
            f"{src}: the constraints cannot all hold: " + "; ".join(problems),
            hint="fix or remove the entries named above, then run propose again",
        )
    return resolved


def _merge_overlapping(groups: Iterable[set[str]]) -> list[set[str]]:
    merged: list[set[str]] = []
    for group in groups:
        if not group:
            continue
        overlapping = [g for g in merged if g & group]
        for g in overlapping:
            merged.remove(g)
            group = group | g
        merged.append(group)
    return sorted(merged, key=lambda g: min(g))
