"""Boundary enforcement while the monolith is being split: the contracts that encode the
proposed services and the shared library (``generators.boundaries`` writes them for
import-linter and tach), and the imports that break them today.

A contract names packages and modules; import-linter checks a named package together with
everything under it. So a package is named only when all of it belongs to one part; a package
whose submodules are spread over several services is represented by its submodules, and its
own ``__init__`` is then left unchecked (listed in the plan).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence

from migrator.model.decomposition import SHARED, Decomposition
from migrator.model.facts import Edge, EdgeKind, NodeKind
from migrator.model.graph import DependencyGraph
from migrator.model.plan import BoundaryCheck, BoundaryContract, Violation
from migrator.planning.context import PlanContext, build_context


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
    """The ``modules`` that are one of ``names`` or lie under one."""
    return _covered(names, _lineages(modules))


def _lineages(modules: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Each module with itself and the packages above it (worked out once for many ``_covered``)."""
    return {m: (m, *_prefixes(m)) for m in modules}


def _covered(names: Iterable[str], lineages: Mapping[str, tuple[str, ...]]) -> set[str]:
    wanted = set(names)
    return {m for m, lineage in lineages.items() if not wanted.isdisjoint(lineage)}


def _prefixes(module: str) -> Iterator[str]:
    """``a`` and ``a.b`` for ``a.b.c``."""
    end = module.find(".")
    while end != -1:
        yield module[:end]
        end = module.find(".", end + 1)


def build_contracts(context: PlanContext) -> tuple[list[BoundaryContract], list[str]]:
    """One contract per part (each service, the shared library) that has modules and something to
    keep out, in the order of the parts' names; and the package inits left unchecked."""
    parts = {m: p for m, p in module_parts(context).items() if "." in m or context.graph.node(m).kind is NodeKind.PACKAGE}
    services = sorted({p for p in parts.values() if p in context.decomposition.names})
    names = {part: contract_modules(parts, part) for part in [*services, SHARED]}
    contracts: list[BoundaryContract] = []
    for service in services:
        others = sorted(n for other in services if other != service for n in names[other])
        if names[service] and others:
            contracts.append(BoundaryContract(service, tuple(names[service]), tuple(others)))
    every_service = sorted(n for s in services for n in names[s])
    if names[SHARED] and every_service:
        contracts.append(BoundaryContract(SHARED, tuple(names[SHARED]), tuple(every_service)))
    contracts.sort(key=lambda c: c.part)
    listed = covered([n for c in contracts for n in c.sources], parts)
    unchecked = sorted(m for m, p in parts.items() if p in services + [SHARED] and m not in listed)
    return contracts, unchecked


def find_violations(context: PlanContext, contracts: Sequence[BoundaryContract]) -> list[Violation]:
    modules = _lineages(n.id for n in context.graph.nodes(NodeKind.MODULE, NodeKind.PACKAGE))
    imports: dict[str, list[Edge]] = {}  # by importer, in the edges' order (sorted by importer first)
    for edge in context.graph.edges(EdgeKind.IMPORTS):
        imports.setdefault(edge.source, []).append(edge)
    violations = []
    for contract in sorted(contracts, key=lambda c: c.part):
        source_set, forbidden_set = _covered(contract.sources, modules), _covered(contract.forbidden, modules)
        for source in sorted(source_set & imports.keys()):
            violations.extend(Violation(e.source, e.target, contract.part, e.evidence) for e in imports[source] if e.target in forbidden_set)
    return violations


def check_boundaries(graph: DependencyGraph, decomposition: Decomposition, *, baseline: Collection[tuple[str, str]] = ()) -> BoundaryCheck:
    """The contracts the decomposition implies and the imports that break them today (the plan's
    own contracts and violations, without the rest of the plan); an import of the ``baseline``
    ((importer, imported) pairs) is known, not a violation."""
    context = build_context(graph, decomposition)
    contracts, unchecked = build_contracts(context)
    found = find_violations(context, contracts)
    known = set(baseline)
    return BoundaryCheck(
        tuple(contracts), tuple(v for v in found if (v.importer, v.imported) not in known), tuple(unchecked),
        tuple(v for v in found if (v.importer, v.imported) in known),
    )
