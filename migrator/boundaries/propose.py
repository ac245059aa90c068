"""``propose``: from the dependency graph to proposed service boundaries.

1. A weighted, undirected view of the graph at the unit chosen (module or class), and the domain
   unit of each unit as its authors cut the code (``domains``: apps, packages, layered pieces).
2. Infrastructure (settings, entry points, composition roots) and the shared library (code
   used across most domains that owns no data) are set apart, so they do not glue services.
3. Domain units become services (``assemble``): helpers without routes or data join the domain
   using them most, a unit leaves its domain only on clear evidence of its ties, and domains are
   merged or split along their ties to the number asked for (by default, one per domain).
4. Units without ties follow their package.
5. A second shared-library pass on the services found; constraints enforced exactly.
6. Names from the domains, reasons and summaries.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field, replace

from migrator.boundaries.assemble import Assembly, assemble
from migrator.boundaries.clustering import enforce_constraints, place_untied
from migrator.boundaries.constraints import Constraints, ResolvedConstraints, resolve_constraints
from migrator.boundaries.doubts import ProposalCounts, proposal_warnings
from migrator.boundaries.domains import Domain, find_domains, is_layer_name
from migrator.boundaries.explain import placement_reasons, summarize_services
from migrator.boundaries.naming import service_names
from migrator.boundaries.symbols import Carved, anchored_units, business_keys, carved_nodes, model_keys, served_by_routers, split_god_modules
from migrator.boundaries.roles import common_prefix, find_infrastructure, find_shared, owns_data_or_routes, routed_units
from migrator.boundaries.runtime import evidence_graph
from migrator.boundaries.weights import DATA_WEIGHTS, DEFAULT_WEIGHTS, EXPLAIN_WEIGHTS, build_weighted_graph
from migrator.model.units import UnitIndex, index_units
from migrator.errors import MigratorError
from migrator.model.decomposition import SHARED, Decomposition, Service
from migrator.model.facts import NodeKind
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
    graph = evidence_graph(graph)
    problem = _problem(graph, settings, constraints or Constraints())
    protected = owns_data_or_routes(graph, problem.index.unit_of, problem.prefix) | problem.fixed
    placement = _set_apart(problem, protected)
    pinned_apart = {u for u, s in problem.resolved.pins.items() if s in APART}
    apart = set(placement.infrastructure) | set(placement.shared) | pinned_apart
    candidates = [u for u in problem.units if u not in apart]
    _cluster(problem, placement, candidates, protected)
    placement.carved = _carve(problem, placement)
    names = service_names(placement.labels, problem.domains, graph, problem.index.unit_of,
                          moved=carved_nodes(graph, placement.carved))
    assignment = {u: names[label] for u, label in placement.labels.items()}
    _pin_apart(problem, placement)
    decomposition = _decomposition(problem, placement, assignment, names)
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
        domains=len({d.key for u, d in problem.domains.items() if u in problem.units}),
        isolated=_isolated(problem),
    )


def _isolated(problem: _Problem) -> int:
    """Units with no edge to another unit: where most are, the code's own imports did not resolve."""
    tied: set[str] = set()
    for edge in problem.graph.edges():
        source, target = problem.index.unit_of.get(edge.source), problem.index.unit_of.get(edge.target)
        if source and target and source != target:
            tied |= {source, target}
    return sum(1 for unit in problem.units if unit not in tied)


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
    """Ties by the settings' weights with data ownership added: domains are moved, merged and split on it."""
    explain_view: WeightedGraph
    domains: dict[str, Domain]
    """Unit -> the domain its authors' structure gives it (app, package, layered piece)."""

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
    assembly: Assembly | None = None
    """How domain units became services: helpers joined, moves on evidence, merges and splits."""
    carved: list[Carved] = field(default_factory=list)
    """Classes and functions of god modules that go to another service than their module."""
    emptied: dict[str, str] = field(default_factory=dict)
    """Units of a generic domain that the split of its god modules emptied -> why they joined another."""

    @property
    def moved(self) -> dict[str, str]:
        """Units placed away from their authors' domain on the evidence of their ties."""
        return self.assembly.moved if self.assembly else {}


def _problem(graph: DependencyGraph, settings: ProposeSettings, constraints: Constraints) -> _Problem:
    if settings.unit not in ("module", "class"):
        raise MigratorError(f"unknown unit {settings.unit!r}", hint="use --unit module or --unit class")
    index = index_units(graph, settings.unit)
    if not index.units:
        raise MigratorError("the graph has no modules to place", hint="analyse a folder with Python packages first")
    view = build_weighted_graph(graph, index, _evidence_weights(settings.weights))
    explain_view = build_weighted_graph(graph, index, EXPLAIN_WEIGHTS)
    resolved = resolve_constraints(constraints, index.units)
    units = tuple(u for u in index.units if u not in resolved.excluded)
    prefix = common_prefix(units)
    routed = routed_units(graph, index.unit_of)
    domains = find_domains(units, prefix, routed, **served_by_routers(graph, routed))
    return _Problem(graph, index, settings, constraints, resolved, units, prefix, view, explain_view, domains)


def _evidence_weights(weights: dict[str, float]) -> dict[str, float]:
    """The settings' weights, with the data kinds at least as strong as ownership needs."""
    merged = dict(weights)
    for kind, weight in DATA_WEIGHTS.items():
        merged[kind] = max(merged.get(kind, 0.0), weight)
    return merged


def _set_apart(problem: _Problem, protected: set[str]) -> _Placement:
    """Infrastructure and the shared library, found before clustering so that they glue no services."""
    found = find_infrastructure(problem.graph, problem.units, problem.prefix)
    infrastructure = {u: r for u, r in found.items() if u not in problem.resolved.pins}
    shared: dict[str, str] = {}
    if problem.settings.shared:
        groups = {u: d.key for u, d in problem.domains.items() if u not in infrastructure and not is_layer_name(d.name)}
        shared = _find_shared(problem, groups, protected)
    return _Placement(shared=shared, infrastructure=infrastructure)


def _find_shared(problem: _Problem, groups: dict[str, str], protected: set[str]) -> dict[str, str]:
    settings = problem.settings
    return find_shared(problem.graph, problem.index.unit_of, groups, min_groups=settings.shared_min_services, share=settings.shared_share,
                       protected=protected)


def _cluster(problem: _Problem, placement: _Placement, candidates: list[str], protected: set[str]) -> None:
    """Services from the domain units; what most services use joins the shared library, and the
    constraints are made to hold."""
    settings = problem.settings
    assembly = assemble(problem.view, candidates, problem.domains, protected, target=settings.services,
                        fixed=problem.fixed, seed=settings.seed, anchors=anchored_units(problem.graph, problem.index.unit_of))
    labels = assembly.labels
    for unit, service in problem.resolved.pins.items():
        if service not in APART:
            labels[unit] = f"pin:{service}"
    placement.labels = labels
    placement.assembly = assembly
    if settings.shared:
        for unit in sorted(assembly.unused):
            placement.shared[unit] = "shared library: a helper with no route and no data that no service depends on"
    placement.followed = place_untied([u for u in candidates if u not in placement.shared], labels)
    if settings.shared:
        for unit, reason in _find_shared(problem, labels, protected).items():
            placement.shared[unit] = reason
            labels.pop(unit, None)
    enforce_constraints(problem.explain_view, labels, _without_apart_parts(problem.resolved))
    for unit in candidates:
        if unit not in labels and unit not in placement.shared:
            placement.infrastructure[unit] = UNTIED


def _carve(problem: _Problem, placement: _Placement) -> list[Carved]:
    """God modules split at class and function level: in a module whose own domain is no business
    domain (a layer's ``models.py`` or ``crud.py``, a generic ``main/views.py``), each class and
    function whose name, models or routes carry another service's domain goes to that service."""
    if problem.settings.unit != "module":
        return []
    keys = business_keys(placement.labels, problem.domains)
    splittable = [u for u in placement.labels if u not in problem.fixed and (problem.domains.get(u) is None or problem.domains[u].key not in keys)]
    carved = split_god_modules(problem.graph, placement.labels, keys, splittable)
    if problem.settings.services is None:
        _join_emptied(problem, placement, carved, set(keys.values()))
    return carved


def _join_emptied(problem: _Problem, placement: _Placement, carved: list[Carved], named: set[str]) -> None:
    """A service with no domain name of its own (a generic ``main`` package) that its god modules'
    split left with no more routes and models than went away joins the service it is most tied to."""
    graph, unit_of, labels = problem.graph, problem.index.unit_of, placement.labels
    moved = carved_nodes(graph, carved)
    anchors = [n.id for n in graph.nodes(NodeKind.ROUTE)] + [m for m in model_keys(graph)]
    kept: Counter[str] = Counter()
    gone: Counter[str] = Counter()
    for node in anchors:
        label = labels.get(unit_of.get(node, ""))
        if label is not None and label not in named and not label.startswith("pin:"):
            (gone if node in moved else kept)[label] += 1
    for label in sorted(gone):
        if gone[label] < kept[label]:
            continue
        members = [u for u, lab in labels.items() if lab == label]
        ties: Counter[str] = Counter()
        for unit in members:
            for other, weight in problem.view.ties(unit).items():
                if labels.get(other) not in (None, label):
                    ties[labels[other]] += weight
        took = {item.label for item in carved if labels.get(_module_unit(problem, item.symbol)) == label}
        ties = Counter({lab: w for lab, w in ties.items() if lab in took}) or ties
        if not ties:
            continue
        best = max(sorted(ties), key=lambda lab: ties[lab])
        for unit in members:
            labels[unit] = best
            placement.emptied[unit] = (f"its domain {label} has no name of its own, and the split of its modules took "
                                       f"{gone[label]} of its {gone[label] + kept[label]} routes and models: the rest joins {best}, of the services that took its parts the one it is most tied to")
        carved[:] = [replace(item, label=best) if item.label == label else item for item in carved]
    # a symbol whose module joined the service it went to is simply part of its module again
    carved[:] = [item for item in carved if labels.get(_module_unit(problem, item.symbol)) != item.label]


def _module_unit(problem: _Problem, symbol: str) -> str:
    return problem.index.unit_of.get(symbol, symbol.rsplit(".", 1)[0])


def _pin_apart(problem: _Problem, placement: _Placement) -> None:
    source = problem.constraints.source
    for unit, service in problem.resolved.pins.items():
        if service == SHARED:
            placement.shared[unit] = f"pinned to {SHARED} by {source}"
        elif service == INFRASTRUCTURE:
            placement.infrastructure[unit] = f"pinned to {INFRASTRUCTURE} by {source}"


def _decomposition(problem: _Problem, placement: _Placement, assignment: dict[str, str], names_of: dict[str, str]) -> Decomposition:
    why = _reasons(problem, placement, assignment)
    shared, infrastructure = placement.shared, placement.infrastructure
    everything = {**assignment, **{u: SHARED for u in shared}, **{u: INFRASTRUCTURE for u in infrastructure}}
    moved = {node: names_of[label] for node, label in carved_nodes(problem.graph, placement.carved).items()}
    summaries = summarize_services(problem.graph, problem.index.unit_of, everything, problem.explain_view, moved)
    members: dict[str, list[str]] = defaultdict(list)
    for unit, service in assignment.items():
        members[service].append(unit)
    symbols: dict[str, dict[str, tuple[str, ...]]] = defaultdict(dict)
    for item in placement.carved:
        service = names_of[item.label]
        symbols[service][item.symbol] = (item.reason,)
    services = tuple(
        Service(name, tuple(sorted(units)), {u: why.get(u, ()) for u in units} | symbols.get(name, {}), summaries.get(name, {}),
                symbols=tuple(sorted(symbols.get(name, ()))))
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
        else:
            reasons[:0] = _domain_reasons(problem, placement, unit)
        why[unit] = tuple(reasons)
    # a unit pinned to the shared library that a together group also pulled into a service is
    # explained by its pin in both places
    for unit, reason in placement.shared.items():
        why[unit] = (reason,)
    return why


def _domain_reasons(problem: _Problem, placement: _Placement, unit: str) -> list[str]:
    """The domain the authors' structure gives the unit, and any step that placed it elsewhere."""
    domain = problem.domains.get(unit)
    assembly = placement.assembly
    reasons = [f"domain: {domain.evidence}"] if domain else []
    if assembly is None:
        return reasons
    if unit in assembly.joined:
        reasons.append(f"no route and no data of its domain: joins the domain that uses it most ({assembly.joined[unit]})")
    if unit in assembly.moved:
        reasons.append(assembly.moved[unit])
    if unit in placement.emptied:
        reasons.append(placement.emptied[unit])
    if unit in assembly.split:
        reasons.append(f"split from {assembly.split[unit]} along its ties, to reach the number of services asked for")
    label = assembly.labels.get(unit)
    if domain and domain.key in assembly.parts:
        chain = [domain.key]
        while chain[-1] in assembly.parts:
            chain.append(assembly.parts[chain[-1]])
        reasons.append(f"its domain {domain.key} is named as a part of {chain[1]} (the rest of its name names no domain) and "
                       f"is tied to it: merged into {' -> '.join(chain[1:])}")
    if domain and label in assembly.merged.values() and domain.key in assembly.merged:
        reasons.append(f"its domain {domain.key} merged into {label}, the domain it is most tied to, to reach the number of services asked for")
    return reasons


def _without_apart_parts(resolved: ResolvedConstraints) -> ResolvedConstraints:
    """Pins to the shared library or infrastructure are applied apart from service labels."""
    pins = {u: s for u, s in resolved.pins.items() if s not in APART}
    return replace(resolved, pins=pins)
