"""Community detection with a target number of services, and the refinements after it."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from migrator.boundaries.constraints import ResolvedConstraints
from migrator.model.weighted import WeightedGraph

SEARCH_STEPS = 12


def cluster(view: WeightedGraph, units: Sequence[str], *, target: int | None, resolution: float, seed: int) -> dict[str, str]:
    """Unit -> community label (``c0``, ``c1``...). Units without ties are left out."""
    unit_set = set(units)
    tied = sorted(u for u in unit_set if any(other in unit_set for other in view.ties(u)))
    if not tied:
        return {}
    view = canonical(view, tied)
    if target is None:
        return _labels(view.find_communities(resolution=resolution, seed=seed))
    communities = _search_resolution(view, tied, target, seed)
    communities = _merge_to(view, communities, target)
    communities = _split_to(view, communities, target, seed)
    return _labels(communities)


def canonical(view: WeightedGraph, units: Sequence[str]) -> WeightedGraph:
    """A copy of ``view`` on ``units`` built in sorted order: Louvain visits units in the order the
    graph holds them, so the same ties in another order would give other communities."""
    members = sorted(set(units))
    inside = set(members)
    copy = WeightedGraph()
    for unit in members:
        copy.add_unit(unit)
    for unit in members:
        for other in sorted(view.ties(unit)):
            if unit < other and other in inside:
                for kind, weight in sorted(view.tie_kinds(unit, other).items()):
                    copy.add_tie(unit, other, weight, kind)
    return copy


def _labels(communities: Sequence[set[str]]) -> dict[str, str]:
    ordered = sorted(communities, key=lambda c: min(c))
    return {unit: f"c{i}" for i, community in enumerate(ordered) for unit in community}


def _search_resolution(view: WeightedGraph, units: list[str], target: int, seed: int) -> list[set[str]]:
    """Bisect the resolution for the community count closest to ``target``."""
    low, high = 0.02, 8.0
    best: list[set[str]] = view.find_communities(resolution=1.0, seed=seed, units=units)
    for _ in range(SEARCH_STEPS):
        if len(best) == target:
            break
        middle = (low * high) ** 0.5
        found = view.find_communities(resolution=middle, seed=seed, units=units)
        if abs(len(found) - target) < abs(len(best) - target) or (
            abs(len(found) - target) == abs(len(best) - target) and len(found) > len(best)
        ):
            best = found
        if len(found) < target:
            low = middle
        elif len(found) > target:
            high = middle
        else:
            return found
    return best


def _merge_to(view: WeightedGraph, communities: list[set[str]], target: int) -> list[set[str]]:
    """Join the two most tied communities (tie per unit pair) until ``target`` remain."""
    communities = [set(c) for c in communities]
    while len(communities) > target:
        labels = {u: i for i, c in enumerate(communities) for u in c}
        ties = view.group_ties({u: str(i) for u, i in labels.items()})
        if ties:
            (a, b), _ = max(ties.items(), key=lambda item: (item[1] / (len(communities[int(item[0][0])]) * len(communities[int(item[0][1])])), item[0]))
            i, j = int(a), int(b)
        else:  # no ties left: fold the two smallest together
            i, j = sorted(range(len(communities)), key=lambda k: (len(communities[k]), min(communities[k])))[:2]
        communities[i] |= communities[j]
        del communities[j]
    return communities


def _split_to(view: WeightedGraph, communities: list[set[str]], target: int, seed: int) -> list[set[str]]:
    """Split the largest community with a finer resolution until ``target`` exist (if it can)."""
    communities = [set(c) for c in communities]
    while len(communities) < target:
        largest = max(communities, key=lambda c: (len(c), -len(min(c))))
        if len(largest) < 2:
            break
        parts: list[set[str]] = []
        for resolution in (2.0, 4.0, 8.0, 16.0):
            parts = view.find_communities(resolution=resolution, seed=seed, units=sorted(largest))
            if len(parts) > 1:
                break
        if len(parts) < 2:
            break
        parts.sort(key=len, reverse=True)
        communities.remove(largest)
        communities.extend([parts[0], set().union(*parts[1:])] if len(parts) > 2 else parts)
    return communities


def place_untied(units: Sequence[str], labels: dict[str, str]) -> dict[str, str]:
    """Units with no ties follow their package: the most common label under the nearest prefix.

    Returns unit -> the package prefix that decided (for the explanation); units for which no
    labelled neighbour exists stay unlabelled.
    """
    decided: dict[str, str] = {}
    for unit in sorted(set(units) - set(labels)):
        parts = unit.split(".")
        for end in range(len(parts), 0, -1):
            prefix = ".".join(parts[:end])
            votes = Counter(label for other, label in labels.items() if other.startswith(prefix + ".") and other != unit)
            if votes:
                labels[unit] = max(sorted(votes), key=lambda label: votes[label])
                decided[unit] = prefix
                break
    return decided


def enforce_constraints(view: WeightedGraph, labels: dict[str, str], resolved: ResolvedConstraints) -> None:
    """Make pins, together and apart hold exactly (labels of pinned services are ``pin:NAME``)."""
    for unit, service in resolved.pins.items():
        labels[unit] = f"pin:{service}"
    # a community holding pinned units becomes that pinned service, its other units follow
    members: dict[str, list[str]] = defaultdict(list)
    for unit, label in labels.items():
        members[label].append(unit)
    for group in resolved.groups:
        pinned = {labels[u] for u in group if u in resolved.pins}
        if pinned:
            destination = pinned.pop()
        else:
            weight: Counter[str] = Counter()
            for unit in group:
                for label, tie in view.ties_to_groups(unit, labels).items():
                    weight[label] += tie
                weight[labels.get(unit, "")] += 0.0
            destination = max(sorted(weight), key=lambda label: weight[label]) if weight else labels.get(min(group), "c-together")
        for unit in group:
            labels[unit] = destination
    locked = set(resolved.pins) | {u for g in resolved.groups for u in g}
    for group in resolved.apart:
        seen: dict[str, str] = {}
        for unit in sorted(group, key=lambda u: (u not in locked, u)):
            label = labels.get(unit)
            if label is None:
                continue
            if label in seen:
                if unit in locked:  # resolve_constraints rules this out; keep the invariant visible
                    raise AssertionError(f"{unit} is locked into {label} with {seen[label]}")
                taken = set(seen)
                options = {k: v for k, v in view.ties_to_groups(unit, labels).items() if k not in taken}
                labels[unit] = max(sorted(options), key=lambda k: options[k]) if options else f"apart:{unit}"
            seen[labels[unit]] = unit
