"""From domain units to services: helpers join the domain that uses them, clear evidence moves a
unit away from its authors' domain, and domains are merged or split to the number asked for.

Every step is decided on the weighted ties of the dependency graph (imports, calls, data), never
toward a hub: a unit that most domains lean on says nothing about where another unit belongs.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from migrator.boundaries.clustering import cluster
from migrator.boundaries.domains import Domain, domain_key, is_layer_name
from migrator.boundaries.naming import is_named_by_domain
from migrator.model.weighted import WeightedGraph

MOVE_FACTOR = 3.0
"""A unit leaves its authors' domain only when its ties elsewhere are this many times stronger."""
MOVE_MINIMUM = 2.0
"""...and at least this strong (explanation weights): one call is no evidence."""
NAME_BONUS = 4.0
"""How much more the ties of two domains whose names share a word count when merging."""
HUB_SHARE = 0.5
"""A unit tied to at least this share of the domains (and three or more) is a hub."""


@dataclass
class Assembly:
    """Unit -> label of its service, and why units were placed away from their own domain."""

    labels: dict[str, str]
    domains: dict[str, Domain]
    joined: dict[str, str] = field(default_factory=dict)
    """Helper units (no route, no data of their domain) -> the domain they joined."""
    moved: dict[str, str] = field(default_factory=dict)
    """Units that left their authors' domain -> the reason, with the evidence."""
    merged: dict[str, str] = field(default_factory=dict)
    """Label -> the label it was merged into, to reach the count asked for."""
    parts: dict[str, str] = field(default_factory=dict)
    """Label -> the label it is named as a part of (``user_field`` -> ``user``), merged into it."""
    split: dict[str, str] = field(default_factory=dict)
    """Unit -> the label it was split from, to reach the count asked for."""
    unused: set[str] = field(default_factory=set)
    """Helper units tied to no business domain: the shared library's, not a service's."""


def assemble(
    view: WeightedGraph,
    candidates: Sequence[str],
    domains: Mapping[str, Domain],
    business: set[str],
    *,
    target: int | None,
    fixed: set[str],
    seed: int,
    anchors: set[str] | None = None,
) -> Assembly:
    """Services from the domain units of ``candidates``. ``business`` are the units that own
    data or routes: a domain holding none of them is a helper and joins the domain using it most.
    ``anchors`` (units that hold a route or define a model) keep a domain named like a helper
    (``main``, ``dev_utils``) a service; without one it is a helper too."""
    labels = {u: domains[u].key for u in candidates if u in domains}
    assembly = Assembly(labels=labels, domains=dict(domains))
    kept = _business_labels(labels, domains, business, business if anchors is None else anchors)
    hubs = find_hubs(view, labels)
    _join_helpers(view, assembly, kept, hubs)
    _move_on_evidence(view, assembly, hubs, fixed)
    if target is None or target < len(set(assembly.labels.values())):
        _merge_parts(view, assembly, fixed)
    if target is not None:
        _merge_to(view, assembly, target, hubs - (business if anchors is None else anchors))
        _split_to(view, assembly, target, seed)
    return assembly


def _business_labels(
    labels: Mapping[str, str], domains: Mapping[str, Domain], business: set[str], anchors: set[str]
) -> set[str]:
    """Domains that are services of their own: they hold a route or data, and are named after a
    domain, not a layer (``models``, ``api``) or a container; a domain named like a helper or a
    generic part (``dev_utils``, ``main``) only when it holds a route or defines a model."""
    found = {label for unit, label in labels.items() if unit in business and not is_layer_name(domains[unit].name)}
    named = defaultdict(set)
    for unit, label in labels.items():
        if domains[unit].key == label and domains[unit].name:
            named[label].add(domains[unit].name)
    anchored = {label for unit, label in labels.items() if unit in anchors}
    found = {label for label in found if label in anchored or any(is_named_by_domain(n) for n in named[label])}
    return found or set(labels.values())


def find_hubs(view: WeightedGraph, labels: Mapping[str, str]) -> set[str]:
    """Units tied to a large share of the domains: registries, loaders, base classes."""
    count = len(set(labels.values()))
    needed = max(3, HUB_SHARE * count)
    return {u for u in labels if len({labels[o] for o in view.ties(u) if o in labels} - {labels[u]}) >= needed}


def _ties(view: WeightedGraph, unit: str, labels: Mapping[str, str], hubs: set[str]) -> dict[str, float]:
    totals: dict[str, float] = defaultdict(float)
    for other, weight in view.ties(unit).items():
        if other in labels and other not in hubs and other != unit:
            totals[labels[other]] += weight
    return dict(totals)


def _join_helpers(view: WeightedGraph, assembly: Assembly, kept: set[str], hubs: set[str]) -> None:
    """Units of helper domains go to the business domain they are most tied to; those tied to
    none are left unplaced (``unused``): no service needs them."""
    labels = assembly.labels
    helpers = sorted(u for u, label in labels.items() if label not in kept)
    snapshot = dict(labels)
    for unit in helpers:
        ties = {label: w for label, w in _ties(view, unit, snapshot, hubs).items() if label in kept}
        if not ties:
            ties = {label: w for label, w in _ties(view, unit, snapshot, set()).items() if label in kept}
        if ties:
            best = max(sorted(ties), key=lambda label: ties[label])
            assembly.joined[unit] = best
            labels[unit] = best
        else:
            assembly.unused.add(unit)
            del labels[unit]


def _move_on_evidence(view: WeightedGraph, assembly: Assembly, hubs: set[str], fixed: set[str]) -> None:
    """A unit leaves its domain only on clear evidence: its ties to another domain, hubs left out,
    are ``MOVE_FACTOR`` times its ties to its own, and strong in themselves."""
    labels = assembly.labels
    snapshot = dict(labels)
    sizes = Counter(snapshot.values())
    for unit in sorted(snapshot):
        if unit in fixed or unit in hubs or unit in assembly.joined or sizes[snapshot[unit]] <= 1:
            continue
        ties = _ties(view, unit, snapshot, hubs)
        ties.pop(snapshot[unit], None)
        own = _ties(view, unit, snapshot, set()).get(snapshot[unit], 0.0)
        if not ties:
            continue
        best = max(sorted(ties), key=lambda label: ties[label])
        if ties[best] >= MOVE_MINIMUM and ties[best] >= MOVE_FACTOR * own:
            labels[unit] = best
            assembly.moved[unit] = (
                f"moved away from its authors' domain {snapshot[unit]} on clear evidence: ties to {best} "
                f"{ties[best]:.1f} vs {own:.1f} to its own"
            )


def _merge_to(view: WeightedGraph, assembly: Assembly, target: int, hubs: set[str]) -> None:
    """Merge the two most tied domains (tie per pair of units, ``hubs`` left out: helpers every
    domain leans on say nothing of which two belong together) until ``target`` remain; two domains whose
    names share a word (``user`` and ``user_field``, ``oauth_provider`` and ``oauth_session``)
    count their ties ``NAME_BONUS`` times: the authors named one part of the other."""
    labels = assembly.labels
    while len(set(labels.values())) > max(1, target):
        sizes = Counter(labels.values())
        ties = view.group_ties({u: label for u, label in labels.items() if u not in hubs}) or view.group_ties(labels)
        if ties:
            (a, b), _ = max(sorted(ties.items()), key=lambda item: item[1] / (sizes[item[0][0]] * sizes[item[0][1]])
                            * (NAME_BONUS if _share_a_word(*item[0]) else 1.0))
        else:
            a, b = sorted(sizes, key=lambda label: (sizes[label], label))[:2]
        keep, gone = (a, b) if (sizes[a], b) >= (sizes[b], a) else (b, a)
        for unit, label in labels.items():
            if label == gone:
                labels[unit] = keep
        assembly.merged[gone] = keep


def _merge_parts(view: WeightedGraph, assembly: Assembly, fixed: set[str]) -> None:
    """A domain named ``X_Y`` beside a domain ``X``, where ``Y`` names no domain, is a part of ``X``
    as its authors named it (``user_field``, ``oauth_provider``, ``webhook_log``): tied to it, it
    merges into it. ``user_permission`` beside ``user`` and ``permission`` links two domains and
    says nothing; nested apps (``review/setting``) are the authors' own cut and stay apart."""
    labels = assembly.labels
    while True:
        present = set(labels.values())
        ties = view.group_ties(labels)
        pairs = []
        for label in sorted(present):
            if "/" in label or "~" in label or label.startswith("pin:") or any(labels[u] == label for u in fixed if u in labels):
                continue
            words = label.split("_")
            for cut in range(len(words) - 1, 0, -1):
                whole, rest = domain_key("_".join(words[:cut])), "_".join(words[cut:])
                if whole in present and rest not in present and ties.get((min(label, whole), max(label, whole)), 0.0) > 0:
                    pairs.append((label, whole))
                    break
        if not pairs:
            return
        # the longest name first: user_field_value joins user_field before user_field joins user
        gone, keep = max(pairs, key=lambda pair: (len(pair[0].split("_")), pair[0]))
        for unit, label in labels.items():
            if label == gone:
                labels[unit] = keep
        assembly.parts[gone] = keep


def _share_a_word(a: str, b: str) -> bool:
    words = [{w for w in re.split(r"[_/~]", label.removeprefix("pin:")) if len(w) > 2 and not w.isdigit()} for label in (a, b)]
    return bool(words[0] & words[1])


def _split_to(view: WeightedGraph, assembly: Assembly, target: int, seed: int) -> None:
    """Split the largest domain in two along its own ties until ``target`` exist (if it can)."""
    labels = assembly.labels
    unsplittable: set[str] = set()
    while len(set(labels.values())) < target:
        sizes = Counter(label for label in labels.values() if label not in unsplittable)
        if not sizes:
            return
        largest = max(sorted(sizes), key=lambda label: sizes[label])
        members = sorted(u for u, label in labels.items() if label == largest)
        parts = cluster(view, members, target=2, resolution=1.0, seed=seed)
        groups = sorted({p for p in parts.values()})
        if len(members) < 2 or len(groups) < 2:
            unsplittable.add(largest)
            continue
        keep = Counter(parts.values()).most_common(1)[0][0]
        for unit in members:
            if parts.get(unit, keep) != keep:
                new = f"{largest}~{parts[unit]}"
                labels[unit] = new
                assembly.split[unit] = largest
