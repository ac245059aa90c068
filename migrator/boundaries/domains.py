"""Domain units: the business domains the authors' own structure shows, before any clustering.

A unit's domain is read from its dotted name, in this order:

1. **Layered code**: a package named after a layer (``api``, ``db``, ``models``, ``schemas``,
   ``services``, ``graphql``, ``routes``, ``crud``...) holding one module or package per domain.
   The piece under the layer carries the domain's name (``graphql/account`` and ``models/user``),
   and goes to that domain when the same name is a domain elsewhere: a top-level package
   (``saleor.account``) or the piece of another layer (``repositories/user``).
2. **Apps**: a package under a container (``apps``, ``modules``, ``domains``...) is a domain, as
   Django's ``INSTALLED_APPS`` list them; an app nested in an app (a package with its own
   ``apps`` or ``models`` module inside another app) is a domain of its own, as its AppConfig says.
3. **Top-level packages** under the project's prefix (Flask blueprints, FastAPI routers, plain
   packages), and top-level modules, each their own unit.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

LAYER_NAMES = frozenset(
    {"api", "apis", "db", "database", "models", "model", "schemas", "schema", "serializers", "services", "service",
     "graphql", "gql", "routes", "routers", "router", "endpoints", "views", "crud", "cruds", "repositories",
     "repository", "repos", "dao", "daos", "controllers", "handlers", "resolvers", "mutations", "queries", "types",
     "forms", "tasks", "dependencies", "deps", "entities", "managers", "validators", "dataloaders", "filters",
     "resources", "rest", "web", "v1", "v2", "v3", "interfaces", "adapters", "commands", "events", "admin"}
)
"""Package names that hold one piece per domain in layered code."""

CONTAINER_NAMES = frozenset({"apps", "modules", "components", "domains", "features", "contrib", "applications", "src"})
"""Package names that hold the domains themselves (Django's ``apps/``)."""

APP_MARKERS = frozenset({"apps", "models"})
"""Child modules that make a package a Django app of its own (its AppConfig, its models)."""

SUFFIXES = ("_api", "_apis", "_router", "_routers", "_routes", "_views", "_view", "_service", "_services", "_crud",
            "_repository", "_repo", "_schema", "_schemas", "_model", "_models", "_resource", "_resources",
            "_endpoints", "_handlers", "_mutations", "_queries", "_types", "_forms", "_tasks")
"""Endings a layer adds to a domain's name (``payment_api`` is the payment domain's API)."""


@dataclass(frozen=True)
class Domain:
    """A domain unit: its key (what units of the same domain share) and why it was chosen."""

    key: str
    name: str
    """The name the domain carries in the code (``account``, ``job_board``); empty for a piece
    that carries no name of its domain (a router that serves it under another name)."""
    evidence: str


def without_layer_suffix(name: str) -> str:
    """``payment_api`` -> ``payment``: the domain's name without what a layer added to it."""
    word = name.lower()
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            return word[: -len(suffix)]
    return word


def domain_key(name: str) -> str:
    """The singular, layer-free form of a piece's name: ``payment_api`` and ``payments`` -> ``payment``."""
    word = without_layer_suffix(name)
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        return word[:-1]
    return word


def relative_parts(unit: str, prefix: str) -> list[str]:
    """The unit's name under the project prefix, split in parts."""
    rest = unit[len(prefix) + 1 :] if prefix and unit.startswith(prefix + ".") else ("" if unit == prefix else unit)
    return rest.split(".") if rest else []


def find_domains(
    units: Sequence[str], prefix: str, routed: Iterable[str] = (), *, data_keys: Iterable[str] = (),
    votes: Mapping[str, Counter[str]] | None = None,
) -> dict[str, Domain]:
    """Unit -> its domain unit; units at the project root, or that are only a container of
    domains (``apps/``), get none. ``routed`` are the units that hold routes: a router or
    blueprint module under a layer is a domain unit even when no other layer names it, unless
    the project's models name domains (``data_keys``), its name is none of them and most of its
    code serves one (``votes``: unit -> how many of its classes and functions carry each domain):
    ``routes/login``, whose functions all work on users, is a piece of the user domain."""
    split = {u: relative_parts(u, prefix) for u in units}
    packages = {tuple(parts[:i]) for parts in split.values() for i in range(1, len(parts))}
    apps = _apps(packages, split.values())
    keys, served = _layered_keys(split, packages, set(routed), frozenset(data_keys), votes or {})
    found: dict[str, Domain] = {}
    for unit, parts in split.items():
        if unit in served:
            found[unit] = served[unit]
        elif parts and not all(p in CONTAINER_NAMES for p in parts):
            found[unit] = _layered(parts, keys, packages) or _folder(parts, apps, packages)
    return found


def _layered_keys(
    split: dict[str, list[str]], packages: set[tuple[str, ...]], routed: set[str], data_keys: frozenset[str],
    votes: Mapping[str, Counter[str]],
) -> tuple[set[str], dict[str, Domain]]:
    """Names that are domains: those of top-level packages that are no layer or container, those
    that the pieces of two layer packages or more carry, or of one when a model is named so
    (``crud/invoices`` beside an ``Invoice`` model), and those of routers under a layer; and
    the routers under a layer that serve another domain's data than the name they carry."""
    keys = {domain_key(p[0]) for p in packages if len(p) == 1 and p[0] not in LAYER_NAMES | CONTAINER_NAMES}
    seen: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    routers: dict[str, tuple[str, str]] = {}
    for unit, parts in split.items():
        for i, part in enumerate(parts[:-1]):
            if part in LAYER_NAMES:
                seen[domain_key(parts[i + 1])].add(tuple(parts[: i + 1]))
                if unit in routed and i == len(parts) - 2:
                    routers[unit] = ("/".join(parts[: i + 1]), parts[i + 1])
    keys |= {key for key, layers in seen.items() if len(layers) >= 2 or key in data_keys}
    served: dict[str, Domain] = {}
    for unit, (layer, piece) in sorted(routers.items()):
        key = domain_key(piece)
        serves = _served_domain(votes.get(unit, Counter()), data_keys)
        if data_keys and key not in data_keys and key not in keys and serves:
            served[unit] = Domain(serves, "", f"layered code: {layer}/{piece} names no domain of the models; "
                                                  f"its code serves {serves} ({_counted(votes[unit])})")
            keys.add(serves)
        else:
            keys.add(key)
    valid = {k for k in keys if k and k not in LAYER_NAMES and k != "__init__" and not k.startswith("_")}
    return valid, served


def _served_domain(votes: Counter[str], data_keys: frozenset[str]) -> str | None:
    """The data domain that most of a unit's classes and functions serve, when one has a majority."""
    counted = {k: n for k, n in votes.items() if k in data_keys}
    if not counted:
        return None
    best = max(sorted(counted), key=lambda k: counted[k])
    return best if 2 * counted[best] > sum(votes.values()) else None


def _counted(votes: Counter[str]) -> str:
    return ", ".join(f"{k} {n}" for k, n in sorted(votes.items(), key=lambda item: (-item[1], item[0])))


def _layered(parts: list[str], keys: set[str], packages: set[tuple[str, ...]]) -> Domain | None:
    """The domain a piece of layered code carries: the first piece under a layer that names one."""
    for i, part in enumerate(parts[:-1]):
        if part in LAYER_NAMES and tuple(parts[: i + 1]) in packages:
            piece = parts[i + 1]
            key = domain_key(piece)
            if key in keys:
                layer = "/".join(parts[: i + 1])
                return Domain(key, without_layer_suffix(piece), f"layered code: {layer}/{piece} carries the domain name {key}")
    return None


def _apps(packages: set[tuple[str, ...]], all_parts: Iterable[list[str]]) -> set[tuple[str, ...]]:
    """Packages that are apps of their own: they hold an ``apps`` or ``models`` module."""
    children: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for parts in all_parts:
        if len(parts) >= 2:
            children[tuple(parts[:-1])].add(parts[-1])
    return {p for p in packages if children.get(p, set()) & APP_MARKERS and p[-1] not in LAYER_NAMES}


def _folder(parts: list[str], apps: set[tuple[str, ...]], packages: set[tuple[str, ...]]) -> Domain:
    """The authors' folder: the package under the prefix (past containers), or the innermost app
    nested in it."""
    start = 0
    while start < len(parts) - 1 and parts[start] in CONTAINER_NAMES and tuple(parts[: start + 1]) in packages:
        start += 1
    top = start + 1
    for end in range(len(parts), top, -1):
        if tuple(parts[:end]) in apps:
            key = "/".join(domain_key(p) for p in parts[start:end])
            return Domain(key, parts[end - 1], f"app {'.'.join(parts[:end])} (its own apps or models module)")
    kind = "package" if tuple(parts[:top]) in packages else "module"
    return Domain(domain_key(parts[start]), parts[start], f"the authors' {kind} {'.'.join(parts[:top])}")


def is_layer_name(name: str) -> bool:
    """A name that says what kind of code a unit holds, not which business it serves."""
    return name in LAYER_NAMES or name in CONTAINER_NAMES or re.fullmatch(r"v\d+", name) is not None
