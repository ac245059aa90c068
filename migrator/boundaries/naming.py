"""Service names from the domain: its package, or, where the package is named after a layer or
a generic part (``main``, ``core``, ``api``), the words of its routes, then its models."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping

from migrator.boundaries.domains import Domain, domain_key, is_layer_name
from migrator.model.facts import EdgeKind, NodeKind
from migrator.model.graph import DependencyGraph

GENERIC_NAMES = frozenset(
    {"main", "core", "common", "base", "app", "application", "misc", "general", "web", "utils", "util",
     "helpers", "lib", "libs", "shared", "frontend", "backend", "server", "src", "root", "default", "project", "generic",
     "pages", "public", "private", "internal", "misc", "other", "extra", "extras", "service", "services"}
)
"""Package names that say nothing of the business they hold."""


def is_named_by_domain(name: str) -> bool:
    return not (is_layer_name(name) or name in GENERIC_NAMES or name.startswith("_"))


def service_names(
    labels: Mapping[str, str], domains: Mapping[str, Domain], graph: DependencyGraph, unit_of: Mapping[str, str]
) -> dict[str, str]:
    """Label -> service name: the domain's own name where it has one, else the words of its routes
    or models; pinned labels (``pin:NAME``) keep their name."""
    members: dict[str, list[str]] = defaultdict(list)
    for unit, label in labels.items():
        members[label].append(unit)
    routes, models = _routes_and_models(graph, unit_of, labels)
    names: dict[str, str] = {}
    taken: set[str] = set()
    for label in sorted(members, key=lambda lab: (not lab.startswith("pin:"), -len(members[lab]), lab)):
        if label.startswith("pin:"):
            name = label[4:]
        else:
            candidates = [_domain_name(label, members[label], domains), *_ranked(models[label]), *_ranked(routes[label])]
            words = [_dns(c) for c in candidates if c] or ["service"]
            name = next((w for w in words if w not in taken), words[0])
        base, counter = name, 2
        while name in taken:
            name, counter = f"{base}-{counter}", counter + 1
        taken.add(name)
        names[label] = name
    return names


def _domain_name(label: str, units: list[str], domains: Mapping[str, Domain]) -> str | None:
    """The name the label's own domain carries in the code, if it names a domain."""
    key = label.split("~")[0]
    own = Counter(domains[u].name for u in units if u in domains and domains[u].key == key)
    if not own:
        own = Counter(domains[u].name for u in units if u in domains)
    for name, _ in sorted(own.items(), key=lambda item: (-item[1], item[0])):
        if is_named_by_domain(name):
            return name
    return None


def _routes_and_models(
    graph: DependencyGraph, unit_of: Mapping[str, str], labels: Mapping[str, str]
) -> tuple[dict[str, Counter[str]], dict[str, Counter[str]]]:
    """Label -> the words of its routes' paths (the first that is neither a layer, a version nor a
    parameter) and the names of the models its units read, write or define (weighted by use)."""
    routes: dict[str, Counter[str]] = defaultdict(Counter)
    models: dict[str, Counter[str]] = defaultdict(Counter)
    for node in graph.nodes(NodeKind.ROUTE):
        label = labels.get(unit_of.get(node.id, ""))
        if label is not None:
            word = _path_word(str(node.attrs.get("path") or node.id.partition(" ")[2]))
            if word:
                routes[label][word] += 1
    for node in graph.nodes(NodeKind.MODEL):
        if node.attrs.get("abstract"):
            continue
        name = re.sub(r"(?<!^)(?=[A-Z])", "_", node.id.rsplit(".", 1)[-1]).lower()
        users = [labels.get(unit_of.get(s, "")) for s in graph.find_predecessors(node.id, EdgeKind.READS, EdgeKind.WRITES)]
        for label in [labels.get(unit_of.get(node.id, "")), *users]:
            if label is not None:
                models[label][name] += 1
    return routes, models


def _path_word(path: str) -> str | None:
    for segment in path.strip("/").split("/"):
        word = segment.strip().lower()
        if word and not re.search(r"[<{(\[^$?*]", word) and is_named_by_domain(domain_key(word)) and word not in ("api", "admin"):
            return word
    return None


def _ranked(counts: Counter[str]) -> list[str]:
    return [word for word, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]


def _dns(text: str) -> str:
    """A name that is valid for Kubernetes, Docker and Python alike (lowercase, hyphens)."""
    cleaned = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return (cleaned or "service")[:40]
