"""``propose``: from the dependency graph to proposed service boundaries.

1. A weighted, undirected view of the graph at the unit chosen (module or class).
2. Infrastructure (settings, entry points, composition roots) and the shared library (code
   used across most domains that owns no data) are set apart, so they do not glue services.
3. Louvain communities, seeded, at a resolution searched for the target number of services.
4. Units without ties follow their package; a label propagation with data ties boosted pulls
   the code that writes a table to the service that owns it.
5. A second shared-library pass on the services found; constraints enforced exactly.
6. Names, reasons and summaries.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field

from migrator.boundaries.clustering import cluster, enforce_constraints, place_untied, refine_by_data
from migrator.boundaries.constraints import Constraints, resolve_constraints
from migrator.boundaries.explain import placement_reasons, service_names, summarize_services
from migrator.boundaries.roles import common_prefix, domain_of, find_infrastructure, find_shared, owns_data_or_routes
from migrator.boundaries.weights import DATA_WEIGHTS, DEFAULT_WEIGHTS, EXPLAIN_WEIGHTS, build_weighted_graph
from migrator.model.units import index_units
from migrator.errors import MigratorError
from migrator.model.decomposition import SHARED, Decomposition, Service
from migrator.model.graph import DependencyGraph

INFRASTRUCTURE = "infrastructure"


@dataclass(frozen=True)
class ProposeSettings:
    unit: str = "module"
    services: int | None = None
    """Target number of services; None lets the resolution decide."""
    resolution: float = 1.0
    seed: int = 42
    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    shared_min_services: int = 3
    """A unit used by at least this many services (and ``shared_share`` of them) is shared."""
    shared_share: float = 0.4
    shared: bool = True
    """Propose a shared library at all."""


def propose(graph: DependencyGraph, settings: ProposeSettings, constraints: Constraints | None = None) -> Decomposition:
    """Propose service boundaries for ``graph``."""
    if settings.unit not in ("module", "class"):
        raise MigratorError(f"unknown unit {settings.unit!r}", hint="use --unit module or --unit class")
    index = index_units(graph, settings.unit)
    if not index.units:
        raise MigratorError("the graph has no modules to place", hint="analyse a folder with Python packages first")
    view = build_weighted_graph(graph, index, settings.weights)
    data_view = build_weighted_graph(graph, index, DATA_WEIGHTS)
    explain_view = build_weighted_graph(graph, index, EXPLAIN_WEIGHTS)
    constraints = constraints or Constraints()
    resolved = resolve_constraints(constraints, index.units)
    units = [u for u in index.units if u not in resolved.excluded]
    prefix = common_prefix(units)
    why: dict[str, tuple[str, ...]] = {}

    infrastructure = {u: r for u, r in find_infrastructure(graph, units, prefix).items() if u not in resolved.pins}
    pinned_apart = {u for u, s in resolved.pins.items() if s in (SHARED, INFRASTRUCTURE)}
    protected = owns_data_or_routes(graph, index.unit_of, prefix) | set(resolved.pins) | {u for g in resolved.groups for u in g}
    domains = {u: domain_of(u, prefix) for u in units}
    shared: dict[str, str] = {}
    if settings.shared:
        shared = find_shared(
            graph, index.unit_of, {u: d for u, d in domains.items() if u not in infrastructure},
            min_groups=settings.shared_min_services, share=settings.shared_share, protected=protected,
        )
    apart = set(infrastructure) | set(shared) | pinned_apart
    candidates = [u for u in units if u not in apart]

    labels = cluster(view, candidates, target=settings.services, resolution=settings.resolution, seed=settings.seed)
    for unit, service in resolved.pins.items():
        if service not in (SHARED, INFRASTRUCTURE):
            labels[unit] = f"pin:{service}"
    followed = place_untied(candidates, labels)
    moved = refine_by_data(data_view, labels, fixed=set(resolved.pins) | {u for g in resolved.groups for u in g})
    if settings.shared:
        late = find_shared(graph, index.unit_of, labels, min_groups=settings.shared_min_services, share=settings.shared_share, protected=protected)
        for unit, reason in late.items():
            shared[unit] = reason
            labels.pop(unit, None)
    enforce_constraints(explain_view, labels, _without_apart_parts(resolved))
    for unit in candidates:
        if unit not in labels and unit not in shared:
            infrastructure[unit] = "infrastructure: no ties to any code and no package to follow"

    names = service_names(labels, prefix)
    assignment = {u: names[label] for u, label in labels.items()}
    for unit, service in resolved.pins.items():
        if service == SHARED:
            shared[unit] = f"pinned to {SHARED} by {constraints.source}"
        elif service == INFRASTRUCTURE:
            infrastructure[unit] = f"pinned to {INFRASTRUCTURE} by {constraints.source}"
    everything = {**assignment, **{u: SHARED for u in shared}, **{u: INFRASTRUCTURE for u in infrastructure}}
    for unit in assignment:
        reasons = list(placement_reasons(unit, explain_view, assignment))
        if unit in resolved.pins:
            reasons.insert(0, f"pinned to {resolved.pins[unit]} by {constraints.source}")
        elif unit in followed:
            reasons.insert(0, f"no ties of its own: follows its package {followed[unit]}")
        elif unit in moved:
            reasons.insert(0, "pulled here by the data it writes (ownership refinement)")
        why[unit] = tuple(reasons)
    for unit, reason in shared.items():
        why[unit] = (reason,)
    summaries = summarize_services(graph, index.unit_of, everything, explain_view)
    members: dict[str, list[str]] = defaultdict(list)
    for unit, service in assignment.items():
        members[service].append(unit)
    services = tuple(
        Service(name, tuple(sorted(units_of)), {u: why.get(u, ()) for u in units_of}, summaries.get(name, {}))
        for name, units_of in sorted(members.items())
    )
    shared_part = (
        Service(SHARED, tuple(sorted(shared)), {u: why[u] for u in shared}, summaries.get(SHARED, {})) if shared else None
    )
    recorded = asdict(settings)
    recorded["constraints"] = None if constraints.empty else constraints.source
    return Decomposition(
        services=services,
        shared=shared_part,
        infrastructure=tuple(sorted(infrastructure)),
        excluded=tuple(sorted(resolved.excluded)),
        unit=settings.unit,
        settings=recorded,
    )


def _without_apart_parts(resolved):
    """Pins to the shared library or infrastructure are applied apart from service labels."""
    from dataclasses import replace as _replace

    pins = {u: s for u, s in resolved.pins.items() if s not in (SHARED, INFRASTRUCTURE)}
    return _replace(resolved, pins=pins)
