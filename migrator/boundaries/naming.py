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


HELPER_WORDS = frozenset(
    {"util", "utils", "utility", "utilities", "helper", "helpers", "tool", "tools", "toolkit", "dev", "devtools", "debug",
     "test", "tests", "testing", "fake", "fakes", "fixture", "fixtures", "demo", "sample", "seed", "seeds", "mock", "mocks",
     "lib", "libs", "common", "misc", "contrib", "support", "error", "errors", "exception", "exceptions", "decorator",
     "decorators", "mixin", "mixins", "renderer", "renderers", "relation", "relations", "templatetag", "templatetags"}
)
"""Words that name code serving other code (``dev_utils``, ``renderers``), not a business."""


def is_named_by_domain(name: str) -> bool:
    """A name that says which business a unit serves: no layer, generic part or helper."""
    return bool(name) and not (is_layer_name(name) or name in GENERIC_NAMES or name.startswith("_") or is_helper_name(name))


def is_helper_name(name: str) -> bool:
    """``dev_utils``, ``errors``, ``renderers``: a name made of a helper's words."""
    return any(word in HELPER_WORDS for word in re.split(r"[^a-z0-9]+", name.lower()) if word)


def same_name(name: str) -> str:
    """The form two names share when they name one domain (``users`` and ``user``, ``job-boards``)."""
    return "-".join(domain_key(word) for word in name.split("-"))


def service_names(
    labels: Mapping[str, str], domains: Mapping[str, Domain], graph: DependencyGraph, unit_of: Mapping[str, str],
    *, moved: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Label -> service name: the domain's own name where it has one, else the words of its models,
    routes or route handlers; pinned labels (``pin:NAME``) keep their name. No two services share
    a name, nor its singular or plural (``user`` beside ``users``): a label whose every word is
    taken is named by two of them (``user-post``), never by a number."""
    members: dict[str, list[str]] = defaultdict(list)
    for unit, label in labels.items():
        members[label].append(unit)
    routes, models, handlers = _routes_and_models(graph, _LabelOf(labels, unit_of, moved or {}))
    names: dict[str, str] = {}
    taken: set[str] = set()
    own = {label: _domain_name(label, members[label], domains) for label in members}
    # pins first, then the domains named in the code, which claim their names before a generic
    # package is named after the models it uses
    for label in sorted(members, key=lambda lab: (not lab.startswith("pin:"), own[lab] is None, -len(members[lab]), lab)):
        if label.startswith("pin:"):
            name = label[4:]
        else:
            candidates = [own[label], *_ranked_together(models[label], routes[label]), *_ranked(handlers[label])]
            words = list(dict.fromkeys(_dns(c) for c in candidates if c)) or [_dns(_fallback(members[label]))]
            name = next((w for w in words if same_name(w) not in taken), None) or _combined(words, taken)
        base, counter = name, 2
        while same_name(name) in taken:  # only two pins of one name, or a label with no words at all
            name, counter = f"{base}-{counter}", counter + 1
        taken.add(same_name(name))
        names[label] = name
    return names


def _combined(words: list[str], taken: set[str]) -> str:
    """The first pair of the label's words that no other service is named by."""
    for first in words:
        for second in words:
            if second != first and same_name(f"{first}-{second}") not in taken:
                return f"{first}-{second}"
    return words[0]


def _fallback(units: list[str]) -> str:
    """A label with no word of a domain: the last part of its units' names that says most."""
    parts = [u.rsplit(".", 1)[-1] for u in sorted(units)]
    return next((p for p in parts if is_named_by_domain(p)), parts[0] if parts else "service")


def _domain_name(label: str, units: list[str], domains: Mapping[str, Domain]) -> str | None:
    """The name the label's own domain carries in the code, if it names a domain."""
    key = label.split("~")[0]
    own = Counter(_nested_name(u, domains[u]) for u in units if u in domains and domains[u].key == key)
    if not own:
        own = Counter(_nested_name(u, domains[u]) for u in units if u in domains)
    for name, _ in sorted(own.items(), key=lambda item: (-item[1], item[0])):
        if is_named_by_domain(name):
            return name
    return None


SCAFFOLD_NAMES = frozenset({"settings", "setting", "config", "configuration", "conf", "admin", "management"})
"""Names that sound like a project's scaffolding: an app nested in another that carries one is
named with its parent (``reviews-settings``), which says whose settings they are."""


def _nested_name(unit: str, domain: Domain) -> str:
    if "/" not in domain.key or domain.name not in SCAFFOLD_NAMES | GENERIC_NAMES:
        return domain.name
    parts = unit.split(".")
    at = max((i for i, part in enumerate(parts) if part == domain.name), default=0)
    return f"{parts[at - 1]}-{domain.name}" if at > 0 else domain.name


class _LabelOf:
    """A node's label: its unit's, or the one it moved to with its class or function (``moved``)."""

    def __init__(self, labels: Mapping[str, str], unit_of: Mapping[str, str], moved: Mapping[str, str]) -> None:
        self.labels, self.unit_of, self.moved = labels, unit_of, moved

    def get(self, node_id: str) -> str | None:
        return self.moved.get(node_id) or self.labels.get(self.unit_of.get(node_id, ""))


def _routes_and_models(graph: DependencyGraph, label_of: _LabelOf) -> tuple[dict[str, Counter[str]], dict[str, Counter[str]], dict[str, Counter[str]]]:
    """Label -> the words of its routes' paths (the first that is neither a layer, a version nor a
    parameter), the names of the models its units read, write or define (weighted by use), and
    the names of its routes' handlers (``Home``, ``order_list``)."""
    routes: dict[str, Counter[str]] = defaultdict(Counter)
    models: dict[str, Counter[str]] = defaultdict(Counter)
    handlers: dict[str, Counter[str]] = defaultdict(Counter)
    for node in graph.nodes(NodeKind.ROUTE):
        label = label_of.get(node.id)
        if label is not None:
            path = str(node.attrs.get("path") or node.id.partition(" ")[2])
            word = _path_word(path) or ("home" if path.strip("/ ") == "" else None)
            if word:
                routes[label][word] += 1
            for handler in graph.find_successors(node.id, EdgeKind.HANDLES):
                name = _snake(handler.rsplit(".", 1)[-1])
                word = next((w for w in name.split("_") if is_named_by_domain(domain_key(w)) and w not in _VERBS), None)
                if word:
                    handlers[label][word] += 1
    for node in graph.nodes(NodeKind.MODEL):
        if node.attrs.get("abstract"):
            continue
        name = _snake(node.id.rsplit(".", 1)[-1])
        users = [label_of.get(s) for s in graph.find_predecessors(node.id, EdgeKind.READS, EdgeKind.WRITES)]
        for label in [label_of.get(node.id), *users]:
            if label is not None:
                models[label][name] += 1
    # the model others point to by foreign key is the aggregate the label is about (a project's
    # members and bills): it names the label before a model that is merely used often
    for edge in graph.edges(EdgeKind.FOREIGN_KEY):
        if edge.target in graph and graph.node(edge.target).kind is NodeKind.MODEL and not graph.node(edge.target).attrs.get("abstract"):
            label = label_of.get(edge.target)
            if label is not None:
                models[label][_snake(edge.target.rsplit(".", 1)[-1])] += FOREIGN_KEY_WEIGHT
    return routes, models, handlers


FOREIGN_KEY_WEIGHT = 2
"""What a foreign key pointing to a model counts for naming, beside one read or write of it."""

_VERBS = frozenset({"get", "post", "put", "patch", "delete", "list", "create", "update", "edit", "view", "show", "index", "detail",
                    "new", "add", "remove", "api", "page", "handler", "endpoint", "as", "do", "make", "set", "read"})
"""Words of a handler's name that say what it does, not what it is about."""


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


_PARAMETER = re.compile(r"^[<{](?:\w+:)?(\w+?)_?id[>}]$")
"""A path parameter naming what it identifies: ``<project_id>``, ``{item_id}``, ``<int:user_id>``."""


def _path_word(path: str) -> str | None:
    """The first word of a path that names a domain; a leading parameter names one too
    (``/<project_id>/bills``: the project)."""
    for position, segment in enumerate(path.strip("/").split("/")):
        word = segment.strip().lower()
        named = _PARAMETER.match(word)
        stem = named.group(1) if named else ""
        if position == 0 and stem and not (is_layer_name(stem) or is_helper_name(stem)) and len(stem) > 2:
            return stem  # what the route is about, whatever the word (a Django ``project`` package is generic, a project id is not)
        if word and not re.search(r"[<{(\[^$?*]", word) and is_named_by_domain(domain_key(word)) and word not in ("api", "admin"):
            return word
    return None


def _ranked_together(*counts: Counter[str]) -> list[str]:
    """Words of several sources ranked by their sum, a singular and its plural counted as one
    word and named by the form used most (``project`` 23 from models, ``projects`` 9 from routes);
    at an equal sum, a word of an earlier source first (a model before a route's path: microblog's
    ``main`` blueprint, which reads posts twice and has two routes at ``/edit_profile``, is about posts)."""
    totals: Counter[str] = Counter()
    first: dict[str, int] = {}
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    for index, source in enumerate(counts):
        for word, count in source.items():
            key = same_name(_dns(word))
            totals[key] += count
            first.setdefault(key, index)
            forms[key][word] += count
    return [_ranked(forms[key])[0] for key in sorted(totals, key=lambda key: (-totals[key], first[key], key))]


def _ranked(counts: Counter[str]) -> list[str]:
    return [word for word, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]


def _dns(text: str) -> str:
    """A name that is valid for Kubernetes, Docker and Python alike (lowercase, hyphens)."""
    cleaned = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return (cleaned or "service")[:40]
