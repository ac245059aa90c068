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
from dataclasses import asdict, dataclass, field, replace

from migrator.boundaries.clustering import cluster, enforce_constraints, place_untied, refine_by_data
from migrator.boundaries.constraints import Constraints, ResolvedConstraints, resolve_constraints
from migrator.boundaries.doubts import ProposalCounts, proposal_warnings
from migrator.boundaries.explain import placement_reasons, service_names, summarize_services
from migrator.boundaries.roles import common_prefix, domain_of, find_infrastructure, find_shared, owns_data_or_routes
from migrator.boundaries.weights import DATA_WEIGHTS, DEFAULT_WEIGHTS, EXPLAIN_WEIGHTS, build_weighted_graph
from migrator.model.units import UnitIndex, index_units
from migrator.errors import MigratorError
from migrator.model.decomposition import SHARED, Decomposition, Service
from migrator.model.graph import DependencyGraph
from migrator.model.weighted import WeightedGraph

INFRASTRUCTURE = "infrastructure"
APART = (SHARED, INFRASTRUCTURE)
"""The parts a pin can send a unit to that are not services."""
UNTIED = "infrastructure: no ties to any code and no package to follow"


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
    problem = _problem(graph, settings, constraints or Constraints())
    protected = owns_data_or_routes(graph, problem.index.unit_of, problem.prefix) | problem.fixed
    placement = _set_apart(problem, protected)
    pinned_apart = {u for u, s in problem.resolved.pins.items() if s in APART}
    apart = set(placement.infrastructure) | set(placement.shared) | pinned_apart
    candidates = [u for u in problem.units if u not in apart]
    _cluster(problem, placement, candidates, protected)
    names = service_names(placement.labels, problem.prefix)
    assignment = {u: names[label] for u, label in placement.labels.items()}
    _pin_apart(problem, placement)
    decomposition = _decomposition(problem, placement, assignment)
    return replace(decomposition, warnings=proposal_warnings(graph, _counts(problem, placement, decomposition)))


def _counts(problem: _Problem, placement: _Placement, decomposition: Decomposition) -> ProposalCounts:
    return ProposalCounts(
        units=len(problem.units),
        services=len(decomposition.services),
        asked=problem.settings.services,
        infrastructure=len(placement.infrastructure),
        untied=sum(reason == UNTIED for reason in placement.infrastructure.values()),
        shared=len(placement.shared),
        followed=len(placement.followed),
        moved=len(placement.moved),
        together=len(problem.resolved.groups),
    )


@dataclass(frozen=True)
class _Problem:
    """What every step reads: the graph at the unit chosen, its weighted views, the constraints."""

    graph: DependencyGraph
    index: UnitIndex
    settings: ProposeSettings
    constraints: Constraints
    resolved: ResolvedConstraints
    units: tuple[str, ...]
    """The units to place: all but the excluded ones."""
    prefix: str
    view: WeightedGraph
    """Ties by the settings' weights: the communities are found on it."""
    data_view: WeightedGraph
    explain_view: WeightedGraph

    @property
    def fixed(self) -> set[str]:
        """The units a constraint places (pinned or kept together): clustering does not move them."""
        return set(self.resolved.pins) | {u for g in self.resolved.groups for u in g}


@dataclass
class _Placement:
    """Where the units go so far: a cluster label each, or apart (shared library, infrastructure)
    with the reason."""

    shared: dict[str, str]
    infrastructure: dict[str, str]
    labels: dict[str, str] = field(default_factory=dict)
    followed: dict[str, str] = field(default_factory=dict)
    """Units without ties of their own -> the package they followed."""
    moved: dict[str, str] = field(default_factory=dict)
    """Units the data they write pulled to another cluster."""


def _problem(graph: DependencyGraph, settings: ProposeSettings, constraints: Constraints) -> _Problem:
    if settings.unit not in ("module", "class"):
        raise MigratorError(f"unknown unit {settings.unit!r}", hint="use --unit module or --unit class")
    index = index_units(graph, settings.unit)
    if not index.units:
        raise MigratorError("the graph has no modules to place", hint="analyse a folder with Python packages first")
    view = build_weighted_graph(graph, index, settings.weights)
    data_view = build_weighted_graph(graph, index, DATA_WEIGHTS)
    explain_view = build_weighted_graph(graph, index, EXPLAIN_WEIGHTS)
    resolved = resolve_constraints(constraints, index.units)
    units = tuple(u for u in index.units if u not in resolved.excluded)
    return _Problem(graph, index, settings, constraints, resolved, units, common_prefix(units), view, data_view, explain_view)


def _set_apart(problem: _Problem, protected: set[str]) -> _Placement:
    """Infrastructure and the shared library, found before clustering so that they glue no services."""
    found = find_infrastructure(problem.graph, problem.units, problem.prefix)
    infrastructure = {u: r for u, r in found.items() if u not in problem.resolved.pins}
    shared: dict[str, str] = {}
    if problem.settings.shared:
        domains = {u: domain_of(u, problem.prefix) for u in problem.units if u not in infrastructure}
        shared = _find_shared(problem, domains, protected)
    return _Placement(shared=shared, infrastructure=infrastructure)


def _find_shared(problem: _Problem, groups: dict[str, str], protected: set[str]) -> dict[str, str]:
    settings = problem.settings
    return find_shared(problem.graph, problem.index.unit_of, groups, min_groups=settings.shared_min_services, share=settings.shared_share,
                       protected=protected)


def _cluster(problem: _Problem, placement: _Placement, candidates: list[str], protected: set[str]) -> None:
    """Communities of the candidates; then untied units follow their package, code follows the data
    it writes, what most clusters use joins the shared library, and the constraints are made to hold."""
    settings = problem.settings
    labels = cluster(problem.view, candidates, target=settings.services, resolution=settings.resolution, seed=settings.seed)
    for unit, service in problem.resolved.pins.items():
        if service not in APART:
            labels[unit] = f"pin:{service}"
    placement.labels = labels
    placement.followed = place_untied(candidates, labels)
    placement.moved = refine_by_data(problem.data_view, labels, fixed=problem.fixed)
    if settings.shared:
        for unit, reason in _find_shared(problem, labels, protected).items():
            placement.shared[unit] = reason
            labels.pop(unit, None)
    enforce_constraints(problem.explain_view, labels, _without_apart_parts(problem.resolved))
    for unit in candidates:
        if unit not in labels and unit not in placement.shared:
            placement.infrastructure[unit] = UNTIED


def _pin_apart(problem: _Problem, placement: _Placement) -> None:
    source = problem.constraints.source
    for unit, service in problem.resolved.pins.items():
        if service == SHARED:
            placement.shared[unit] = f"pinned to {SHARED} by {source}"
        elif service == INFRASTRUCTURE:
            placement.infrastructure[unit] = f"pinned to {INFRASTRUCTURE} by {source}"


def _decomposition(problem: _Problem, placement: _Placement, assignment: dict[str, str]) -> Decomposition:
    why = _reasons(problem, placement, assignment)
    shared, infrastructure = placement.shared, placement.infrastructure
    everything = {**assignment, **{u: SHARED for u in shared}, **{u: INFRASTRUCTURE for u in infrastructure}}
    summaries = summarize_services(problem.graph, problem.index.unit_of, everything, problem.explain_view)
    members: dict[str, list[str]] = defaultdict(list)
    for unit, service in assignment.items():
        members[service].append(unit)
    services = tuple(
        Service(name, tuple(sorted(units)), {u: why.get(u, ()) for u in units}, summaries.get(name, {}))
        for name, units in sorted(members.items())
    )
    shared_part = Service(SHARED, tuple(sorted(shared)), {u: why[u] for u in shared}, summaries.get(SHARED, {})) if shared else None
    recorded = asdict(problem.settings)
    recorded["constraints"] = None if problem.constraints.empty else problem.constraints.source
    return Decomposition(
        services=services,
        shared=shared_part,
        infrastructure=tuple(sorted(infrastructure)),
        excluded=tuple(sorted(problem.resolved.excluded)),
        unit=problem.settings.unit,
        settings=recorded,
    )


def _reasons(problem: _Problem, placement: _Placement, assignment: dict[str, str]) -> dict[str, tuple[str, ...]]:
    """Why each unit went where it did: the step or constraint that decided first, then its ties."""
    why: dict[str, tuple[str, ...]] = {}
    pins, source = problem.resolved.pins, problem.constraints.source
    for unit in assignment:
        reasons = list(placement_reasons(unit, problem.explain_view, assignment))
        if unit in pins:
            reasons.insert(0, f"pinned to {pins[unit]} by {source}")
        elif unit in placement.followed:
            reasons.insert(0, f"no ties of its own: follows its package {placement.followed[unit]}")
        elif unit in placement.moved:
            reasons.insert(0, "pulled here by the data it writes (ownership refinement)")
        why[unit] = tuple(reasons)
    # a unit pinned to the shared library that a together group also pulled into a service is
    # explained by its pin in both places
    for unit, reason in placement.shared.items():
        why[unit] = (reason,)
    return why


def _without_apart_parts(resolved: ResolvedConstraints) -> ResolvedConstraints:
    """Pins to the shared library or infrastructure are applied apart from service labels."""
    pins = {u: s for u, s in resolved.pins.items() if s not in APART}
    return replace(resolved, pins=pins)
