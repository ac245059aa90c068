"""Boundary enforcement while the monolith is being split: import-linter contracts (and a
tach.toml) that encode the proposed services and the shared library, and the imports that
break them today.

A contract names packages and modules; import-linter checks a named package together with
everything under it. So a package is named only when all of it belongs to one part; a package
whose submodules are spread over several services is represented by its submodules, and its
own ``__init__`` is then left unchecked (listed in the plan).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping

from migrator.model.decomposition import SHARED
from migrator.model.facts import EdgeKind, NodeKind
from migrator.model.plan import Violation
from migrator.planning.context import PlanContext


def module_parts(context: PlanContext) -> dict[str, str]:
    """Module -> the part (service, ``shared``) most of its code belongs to."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for node_id, unit in context.unit_of.items():
        part = context.part_of_unit.get(unit)
        module = context.graph.module_of(node_id)
        if part and module and context.graph.node(node_id).kind in (NodeKind.MODULE, NodeKind.PACKAGE, NodeKind.CLASS, NodeKind.MODEL):
            votes[module][part] += 1
    return {m: max(sorted(v), key=lambda p: v[p]) for m, v in votes.items()}


def contract_modules(parts: Mapping[str, str], part: str) -> list[str]:
    """The fewest names that cover exactly the modules of ``part``."""
    mine = sorted(m for m, p in parts.items() if p == part)
    names: list[str] = []
    for module in mine:
        if any(module.startswith(name + ".") for name in names):
            continue
        below = [m for m in parts if m.startswith(module + ".")]
        if all(parts[m] == part for m in below):
            names.append(module)
    return names


def covered(names: Iterable[str], modules: Iterable[str]) -> set[str]:
    names = list(names)
    return {m for m in modules if any(m == n or m.startswith(n + ".") for n in names)}


def build_contracts(context: PlanContext) -> tuple[dict[str, tuple[list[str], list[str]]], list[str]]:
    """Contract name -> (source names, forbidden names); and the package inits left unchecked."""
    parts = {m: p for m, p in module_parts(context).items() if "." in m or context.graph.node(m).kind is NodeKind.PACKAGE}
    services = sorted({p for p in parts.values() if p in context.decomposition.names})
    names = {part: contract_modules(parts, part) for part in [*services, SHARED]}
    contracts: dict[str, tuple[list[str], list[str]]] = {}
    for service in services:
        others = sorted(n for other in services if other != service for n in names[other])
        if names[service] and others:
            contracts[service] = (names[service], others)
    every_service = sorted(n for s in services for n in names[s])
    if names[SHARED] and every_service:
        contracts[SHARED] = (names[SHARED], every_service)
    listed = covered([n for pair in contracts.values() for n in pair[0]], parts)
    unchecked = sorted(m for m, p in parts.items() if p in services + [SHARED] and m not in listed)
    return contracts, unchecked


def find_violations(context: PlanContext, contracts: Mapping[str, tuple[list[str], list[str]]]) -> list[Violation]:
    modules = [n.id for n in context.graph.nodes(NodeKind.MODULE, NodeKind.PACKAGE)]
    violations = []
    for name, (sources, forbidden) in sorted(contracts.items()):
        source_set, forbidden_set = covered(sources, modules), covered(forbidden, modules)
        for edge in context.graph.edges(EdgeKind.IMPORTS):
            if edge.source in source_set and edge.target in forbidden_set:
                violations.append(Violation(edge.source, edge.target, name, edge.evidence))
    return violations


def contract_title(name: str) -> str:
    return "The shared library imports no service" if name == SHARED else f"Service {name} imports no other service"


def render_importlinter(contracts: Mapping[str, tuple[list[str], list[str]]]) -> str:
    roots = sorted({n.split(".")[0] for pair in contracts.values() for side in pair for n in side})
    lines = [
        "# Boundaries proposed by `migrator plan`: direct imports across services break them.",
        "# Check with: lint-imports --config .importlinter",
        "[importlinter]",
        "root_packages =",
        *(f"    {root}" for root in roots),
        "",
    ]
    for name, (sources, forbidden) in sorted(contracts.items()):
        lines += [
            f"[importlinter:contract:{name}]",
            f"name = {contract_title(name)}",
            "type = forbidden",
            "source_modules =",
            *(f"    {m}" for m in sources),
            "forbidden_modules =",
            *(f"    {m}" for m in forbidden),
            "allow_indirect_imports = True",
            "",
        ]
    return "\n".join(lines)


def render_tach(context: PlanContext, contracts: Mapping[str, tuple[list[str], list[str]]]) -> str:
    """tach.toml: each service's modules may depend on each other and on the shared library."""
    shared = contracts.get(SHARED, ([], []))[0]
    lines = [
        "# Boundaries proposed by `migrator plan`, for teams that use tach: `tach check`.",
        'source_roots = ["."]',
        'exclude = ["**/tests", "**/migrations"]',
        "",
    ]
    for name, (sources, _) in sorted(contracts.items()):
        for module in sources:
            allowed = [m for m in sources if m != module] + ([] if name == SHARED else shared)
            lines.append("[[modules]]")
            lines.append(f"path = {json.dumps(module)}")
            lines.append(f"depends_on = {json.dumps(sorted(allowed))}")
            if name == SHARED:
                lines.append("utility = true")
            lines.append("")
    return "\n".join(lines)
