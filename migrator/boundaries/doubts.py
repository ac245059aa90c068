"""What looks wrong with a proposal, said out loud: no service at all, far fewer services than
asked for, most of the code set apart as infrastructure. Each warning says why, from the counts
the proposal kept, so that the user can tell a small project from a broken input (a project
copied under another folder name, whose own imports no longer resolve)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from migrator.model.facts import EdgeKind, NodeKind
from migrator.model.graph import DependencyGraph
from migrator.words import plural


@dataclass(frozen=True)
class ProposalCounts:
    """How the units of a proposal were placed."""

    units: int
    services: int
    asked: int | None
    infrastructure: int
    untied: int
    """Infrastructure only because it has no ties to any other code."""
    shared: int
    followed: int
    """Placed without ties of their own, beside their package."""
    moved: int
    """Pulled to the service that owns the tables they write."""
    together: int
    """Groups a constraint keeps in one service."""
    domains: int = 0
    """The business domains the units form as their authors cut the code (apps, packages)."""
    isolated: int = 0
    """Units tied to no other unit at all (no import, call or reference either way)."""


def proposal_warnings(graph: DependencyGraph, counts: ProposalCounts) -> tuple[str, ...]:
    """The warnings a proposal deserves, one line each; none for a proposal that looks sound."""
    warnings = []
    if counts.services == 0:
        warnings.append(f"no service proposed: {_set_apart(graph, counts)}")
    elif counts.infrastructure > counts.units / 2:
        warnings.append(f"most units are infrastructure, not services: {_set_apart(graph, counts)}")
    if counts.asked is not None and 0 < counts.services < counts.asked:
        warnings.append(f"asked for {plural(counts.asked, 'service')}, proposed {counts.services}: {_fewer(counts)}")
    if counts.services and counts.isolated > counts.units / 2:
        unresolved = _unresolved_imports(graph)
        if unresolved:  # the services rest on the folders alone: the code's own imports do not resolve
            warnings.append(f"{counts.isolated} of {plural(counts.units, 'unit')} have no ties to the rest of the code, so the services "
                            f"follow the folders alone{unresolved}")
    return tuple(warnings)


def _set_apart(graph: DependencyGraph, counts: ProposalCounts) -> str:
    text = f"{counts.infrastructure} of {plural(counts.units, 'unit')} {'is' if counts.infrastructure == 1 else 'are'} infrastructure"
    if counts.untied:
        text += f", {counts.untied} of them with no ties to the rest of the code"
    if counts.untied > counts.units / 2:
        text += _unresolved_imports(graph)
    return text


def _unresolved_imports(graph: DependencyGraph) -> str:
    """The package outside the analysed folder that most modules import: when a project is
    analysed under another name than its imports use, that is the project itself."""
    external = {node.id for node in graph.nodes(NodeKind.EXTERNAL)}
    importers = Counter(target for source, target in {(e.source, e.target) for e in graph.edges(EdgeKind.IMPORTS)} if target in external)
    if not importers:
        return ""
    name, count = max(sorted(importers.items()), key=lambda item: item[1])
    return (f"; {plural(count, 'module imports', 'modules import')} {name}, which is not in the analysed folder: if that is this project under another name, "
            f"analyse it from a folder named {name}")


def _fewer(counts: ProposalCounts) -> str:
    placeable = counts.units - counts.infrastructure - counts.shared
    reasons = []
    if placeable < (counts.asked or 0):
        reasons.append(f"only {placeable} of the {plural(counts.units, 'unit')} can go to services "
                       f"({counts.infrastructure} set apart as infrastructure, {counts.shared} as the shared library)")
    if counts.domains and counts.domains < (counts.asked or 0):
        reasons.append(f"the code holds {plural(counts.domains, 'business domain')}, and a domain is split only on clear evidence")
    if counts.followed:
        reasons.append(f"{plural(counts.followed, 'unit without ties of its own follows', 'units without ties of their own follow')} their package")
    if counts.moved:
        reasons.append(f"{plural(counts.moved, 'unit follows', 'units follow')} the service that owns the tables {'it writes' if counts.moved == 1 else 'they write'}")
    if counts.together:
        reasons.append(f"constraints keep {plural(counts.together, 'group')} of units together")
    return "; ".join(reasons) or "the clustering found no finer split of these units"
