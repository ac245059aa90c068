"""Units that are not business domains: infrastructure (settings, URL roots, app factories,
wsgi/asgi, manage) and the shared library (code most domains use)."""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence

from migrator.model.facts import EdgeKind, NodeKind
from migrator.model.graph import DependencyGraph

INFRASTRUCTURE_NAMES = frozenset(
    {"settings", "config", "configuration", "conf", "wsgi", "asgi", "manage", "__main__", "main", "app", "application",
     "celery", "celery_app", "urls", "db", "database", "server", "gunicorn", "gunicorn_conf", "routing", "factory",
     "extensions", "startup", "bootstrap", "version", "_version", "__about__", "admin", "scheduler", "seed", "seeds",
     "cli", "commands", "fake", "fakes", "fixtures", "demo", "populate", "initial_data", "sample_data"}
)
"""Module names that mark scaffolding when they sit at the top of the project."""

ANYWHERE_NAMES = frozenset({"wsgi", "asgi", "manage", "__main__", "conftest", "gunicorn_conf", "celery_app"})
"""Module names that mark scaffolding wherever they sit."""

STRUCTURAL_KINDS = (EdgeKind.IMPORTS, EdgeKind.CALLS, EdgeKind.REFERENCES, EdgeKind.INHERITS)


MAIN_PACKAGE_SHARE = 0.9
"""A top-level package holding this share of the units is the project: stray scripts beside it
(examples, setup.py) do not erase its prefix."""


def common_prefix(units: Iterable[str]) -> str:
    """The dotted package prefix the units share (``shop`` for ``shop.a``, ``shop.b.c``),
    computed over the main top-level package when one holds nearly all units."""
    split = [u.split(".") for u in units]
    if not split:
        return ""
    tops = Counter(parts[0] for parts in split)
    top, count = max(sorted(tops.items()), key=lambda item: item[1])
    if count >= MAIN_PACKAGE_SHARE * len(split):
        split = [parts for parts in split if parts[0] == top]
    return ".".join(os.path.commonprefix(split))


def domain_of(unit: str, prefix: str) -> str:
    """The first package segment under the common prefix: the unit's business domain guess."""
    rest = unit[len(prefix) + 1 :] if prefix and unit.startswith(prefix + ".") else unit
    return rest.split(".")[0] if rest else unit.split(".")[-1]


def find_infrastructure(graph: DependencyGraph, units: Sequence[str], prefix: str) -> dict[str, str]:
    """Unit -> why it is infrastructure."""
    found: dict[str, str] = {}
    depth = len(prefix.split(".")) if prefix else 0
    domains = {domain_of(u, prefix) for u in units}
    parents = {u.rsplit(".", 1)[0] for u in units if "." in u}
    for unit in units:
        parts = unit.split(".")
        name = parts[-1]
        has_children = unit in parents
        if name in ANYWHERE_NAMES:
            found[unit] = f"infrastructure: an entry point or test harness ({name})"
        elif (len(parts) == depth + 1 and (name == "settings" or name.startswith("settings_"))) or (
            len(parts) > depth and parts[depth] == "settings"
        ):
            found[unit] = "infrastructure: project settings"
        elif len(parts) <= depth + 1 and name in INFRASTRUCTURE_NAMES and not has_children:
            found[unit] = f"infrastructure: project-level {name} module"
        elif unit == prefix and has_children:
            found[unit] = "infrastructure: the project's root package"
        elif len(parts) <= depth + 1 and _composes_domains(graph, unit, prefix, domains):
            found[unit] = "infrastructure: composition root (wires most domains together)"
    return found


def _composes_domains(graph: DependencyGraph, unit: str, prefix: str, domains: set[str]) -> bool:
    if unit not in graph or len(domains) < 4:
        return False
    reached = {domain_of(t, prefix) for t in graph.find_successors(unit, EdgeKind.IMPORTS) if graph.node(t).kind is not NodeKind.EXTERNAL}
    reached.discard(domain_of(unit, prefix))
    used_by = [s for s in graph.find_predecessors(unit, EdgeKind.IMPORTS)]
    return len(reached) >= max(3, len(domains) // 2) and len(used_by) <= 1


def dependents_by_group(
    graph: DependencyGraph, unit_of: Mapping[str, str], labels: Mapping[str, str]
) -> dict[str, set[str]]:
    """Unit -> the groups (of ``labels``) whose units depend on it structurally, its own excluded."""
    result: dict[str, set[str]] = defaultdict(set)
    for edge in graph.edges(*STRUCTURAL_KINDS):
        source, target = unit_of.get(edge.source), unit_of.get(edge.target)
        if source is None or target is None or source == target:
            continue
        group, own = labels.get(source), labels.get(target)
        if group is not None and group != own:
            result[target].add(group)
    return dict(result)


def _dependencies(graph: DependencyGraph, unit_of: Mapping[str, str], labels: Mapping[str, str]) -> dict[str, set[str]]:
    """Unit -> the labelled units it depends on structurally."""
    result: dict[str, set[str]] = defaultdict(set)
    for edge in graph.edges(*STRUCTURAL_KINDS):
        source, target = unit_of.get(edge.source), unit_of.get(edge.target)
        if source is not None and target is not None and source != target and target in labels:
            result[source].add(target)
    return dict(result)


def owns_data_or_routes(graph: DependencyGraph, unit_of: Mapping[str, str], prefix: str) -> set[str]:
    """Business code, never shared: units that define a model written by code, write a model,
    hold a route, or read a model of their own domain (a domain's service layer)."""
    holders: set[str] = set()
    for edge in graph.edges(EdgeKind.WRITES, EdgeKind.READS):
        unit, model_unit = unit_of.get(edge.source), unit_of.get(edge.target)
        if unit is None or model_unit is None:
            continue
        if edge.kind is EdgeKind.WRITES or domain_of(unit, prefix) == domain_of(model_unit, prefix):
            holders.add(unit)
    for node in graph.nodes(NodeKind.MODEL):
        if node.id in unit_of and not node.attrs.get("abstract") and graph.find_predecessors(node.id, EdgeKind.WRITES):
            holders.add(unit_of[node.id])
    for node in graph.nodes(NodeKind.ROUTE):
        if node.id in unit_of:
            holders.add(unit_of[node.id])
    return holders


def routed_units(graph: DependencyGraph, unit_of: Mapping[str, str]) -> set[str]:
    """Units that hold a route (its handler): routers, blueprints, views."""
    return {unit_of[node.id] for node in graph.nodes(NodeKind.ROUTE) if node.id in unit_of}


MAX_SHARED_DEPENDENCIES = 2
"""A shared-library unit may lean on at most this many units of the services (a re-export hub
that imports half the domain is not a library)."""


def find_shared(
    graph: DependencyGraph,
    unit_of: Mapping[str, str],
    labels: Mapping[str, str],
    *,
    min_groups: int,
    share: float,
    protected: set[str],
) -> dict[str, str]:
    """Unit -> why it belongs in the shared library: used from many groups, owning no data,
    depending on little of the domain code itself."""
    groups = set(labels.values())
    needed = max(min_groups, int(share * len(groups) + 0.999))
    found: dict[str, str] = {}
    for unit, users in sorted(dependents_by_group(graph, unit_of, labels).items()):
        if unit in protected or unit not in labels:
            continue
        if len(users) >= needed:
            names = ", ".join(sorted(users)[:6]) + (", ..." if len(users) > 6 else "")
            found[unit] = f"shared library: used by {len(users)} of {len(groups)} groups ({names})"
    leans_on = _dependencies(graph, unit_of, labels)
    return {u: why for u, why in found.items() if len(leans_on.get(u, set()) - set(found)) <= MAX_SHARED_DEPENDENCIES}
