"""The business domain of each class and function, for the units whose code serves several.

A symbol (a top-level class or function of a module) carries a domain, in this order:

1. its **name**: ``ItemCreate``, ``create_item`` and ``ItemsPublic`` carry ``item``;
2. the **models** it (or its methods) reads, writes, builds or refers to (``Item``);
3. the **routes** it serves (``/items/{id}``);
4. for a model none of these name, the one domain whose models point to it by **foreign key**
   (``User.role_id`` makes ``Role`` a table of the user aggregate);
5. what it **calls or refers to**: the name or models of those (``login_access_token`` calls
   ``authenticate``, which writes ``User``).

The same reading gives a router under a layer that names no domain of its own (``routes/login``)
the domain its code serves, and splits god modules (one ``models.py`` or ``routes.py`` serving
several services) at class and function level.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from migrator.boundaries.domains import Domain, domain_key
from migrator.boundaries.naming import is_named_by_domain
from migrator.model.facts import EdgeKind, NodeKind
from migrator.model.graph import DependencyGraph
from migrator.model.symbol_owners import symbol_nodes

_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
_USES = (EdgeKind.READS, EdgeKind.WRITES, EdgeKind.REFERENCES, EdgeKind.CALLS, EdgeKind.FOREIGN_KEY)
_CODE = (NodeKind.CLASS, NodeKind.FUNCTION, NodeKind.MODEL)


@dataclass(frozen=True)
class SymbolDomain:
    """The domain a symbol carries and the evidence that says so."""

    key: str
    evidence: str
    direct: bool
    """Read from the symbol itself (name, models, routes), not from what it calls."""


def name_words(name: str) -> list[str]:
    """``UsersPublic`` -> ``[user, public]``; ``get_user_by_email`` -> ``[get, user, by, email]``."""
    return [domain_key(w.lower()) for part in name.split("_") for w in _WORD.findall(part)]


def carried_key(name: str, keys: Iterable[str]) -> str | None:
    """The domain key a name carries: the longest key whose words appear in it in order, the
    earliest of equal length (``OrderLine`` carries ``order_line`` over ``order``)."""
    words = name_words(name)
    best: tuple[int, int, str] | None = None
    for key in keys:
        parts = [domain_key(p) for p in key.split("_") if p]
        for start in range(len(words) - len(parts) + 1):
            if parts and words[start : start + len(parts)] == parts:
                candidate = (-len(parts), start, key)
                best = candidate if best is None or candidate < best else best
                break
    return best[2] if best else None


def model_keys(graph: DependencyGraph) -> dict[str, str]:
    """Concrete model -> the domain key of its name (``OrderLine`` -> ``order_line``)."""
    found = {}
    for node in graph.nodes(NodeKind.MODEL):
        if not node.attrs.get("abstract"):
            snake = re.sub(r"(?<!^)(?=[A-Z])", "_", node.id.rsplit(".", 1)[-1]).lower()
            found[node.id] = "_".join(domain_key(p) for p in snake.split("_") if p)
    return found


def top_level_symbols(graph: DependencyGraph) -> dict[str, list[str]]:
    """Module -> the classes, functions and models it defines at its top level."""
    found: dict[str, list[str]] = {}
    for node in graph.nodes(*_CODE):
        module = node.id.rsplit(".", 1)[0]
        if module in graph and graph.node(module).kind in (NodeKind.MODULE, NodeKind.PACKAGE):
            found.setdefault(module, []).append(node.id)
    return {m: sorted(symbols) for m, symbols in found.items()}


class SymbolReader:
    """Reads the domain of symbols against a set of domain keys, over one graph."""

    def __init__(self, graph: DependencyGraph, keys: Iterable[str]) -> None:
        self.graph = graph
        self.keys = sorted(set(keys))
        self.models = {m: k for m, k in model_keys(graph).items() if carried_key(k, self.keys)}
        self._direct: dict[str, SymbolDomain | None] = {}
        self._members: dict[str, list[str]] = {}
        classes = {n.id for n in graph.nodes(NodeKind.CLASS, NodeKind.MODEL)}
        for node in graph.nodes(NodeKind.FUNCTION, NodeKind.CLASS):
            owner = node.id.rsplit(".", 1)[0]
            while "." in owner and owner not in classes:
                owner = owner.rsplit(".", 1)[0]
            if owner in classes:
                self._members.setdefault(owner, []).append(node.id)

    def domain(self, symbol: str) -> SymbolDomain | None:
        """The symbol's domain: from itself first, else from what it calls and refers to."""
        found = self.direct(symbol)
        if found is not None:
            return found
        votes: Counter[str] = Counter()
        for target in self._uses(symbol):
            if target != symbol and not target.startswith(symbol + "."):
                other = self.direct(target)
                if other is not None:
                    votes[other.key] += 1
        if not votes:
            return None
        key = _winner(votes)
        return SymbolDomain(key, f"it calls and refers to code of {key} ({_counted(votes)})", direct=False)

    def direct(self, symbol: str) -> SymbolDomain | None:
        if symbol not in self._direct:
            self._direct[symbol] = self._read_direct(symbol)
        return self._direct[symbol]

    def _read_direct(self, symbol: str) -> SymbolDomain | None:
        if symbol not in self.graph or self.graph.node(symbol).kind not in _CODE:
            return None
        name = symbol.rsplit(".", 1)[-1]
        key = carried_key(name, self.keys)
        if key:
            return SymbolDomain(key, f"its name {name} carries the domain {key}", direct=True)
        models: Counter[str] = Counter()
        for target in self._uses(symbol):
            if target in self.models:
                models[carried_key(self.models[target], self.keys) or ""] += 1
        models.pop("", None)
        if models:
            key = _winner(models)
            return SymbolDomain(key, f"it uses the models of {key} ({_counted(models)})", direct=True)
        routes: Counter[str] = Counter()
        for route in self.graph.find_predecessors(symbol, EdgeKind.HANDLES):
            path = str(self.graph.node(route).attrs.get("path") or route.partition(" ")[2])
            for segment in path.strip("/").split("/"):
                found = carried_key(segment.replace("-", "_"), self.keys) if not re.search(r"[<{(\[^$?*]", segment) else None
                if found:
                    routes[found] += 1
                    break
        if routes:
            key = _winner(routes)
            return SymbolDomain(key, f"it serves the routes of {key} ({_counted(routes)})", direct=True)
        return self._referred_by(symbol)

    def _referred_by(self, symbol: str) -> SymbolDomain | None:
        """A model whose name, models and routes say nothing, that only one domain's models point
        to by foreign key (``User.role_id`` -> ``Role``): a lookup table of that aggregate, which
        goes where the rows pointing to it are written. One model pointing to it that carries no
        domain (``AppToken`` -> ``App``, where ``app`` names none) and it may be an aggregate's root
        of its own: nothing is said."""
        referrers: dict[str | None, set[str]] = {}
        for source in self.graph.find_predecessors(symbol, EdgeKind.FOREIGN_KEY):
            if source != symbol:
                key = carried_key(self.models[source], self.keys) if source in self.models else None
                referrers.setdefault(key, set()).add(source.rsplit(".", 1)[-1])
        if len(referrers) != 1 or None in referrers:
            return None
        (key, models), = referrers.items()
        return SymbolDomain(key, f"only models of {key} point to it by foreign key ({', '.join(sorted(models))}): "
                                 f"a table of that aggregate", direct=True)

    def _uses(self, symbol: str) -> list[str]:
        """What the symbol and its methods read, write, call or refer to."""
        members = [symbol, *self._members.get(symbol, ())]
        return [t for m in members for t in self.graph.find_successors(m, *_USES)]


def anchored_units(graph: DependencyGraph, unit_of: Mapping[str, str]) -> set[str]:
    """Units that hold a route or define a concrete model: what makes a domain a service whatever its name."""
    found = {unit_of[n.id] for n in graph.nodes(NodeKind.ROUTE) if n.id in unit_of}
    found |= {unit_of[m] for m in model_keys(graph) if m in unit_of}
    return found


def served_by_routers(graph: DependencyGraph, routed: Iterable[str]) -> dict[str, object]:
    """What ``find_domains`` needs to give a router the data domain it serves: the domain keys
    of the project's models, and per routed unit how many of its symbols carry each."""
    keys = set(model_keys(graph).values())
    if not keys:
        return {"data_keys": frozenset(), "votes": {}}
    reader = SymbolReader(graph, keys)
    symbols = top_level_symbols(graph)
    return {"data_keys": frozenset(keys), "votes": {u: unit_votes(reader, symbols.get(u, ())) for u in sorted(routed)}}


def unit_votes(reader: SymbolReader, symbols: Iterable[str]) -> Counter[str]:
    """How many of ``symbols`` carry each domain."""
    votes: Counter[str] = Counter()
    for symbol in symbols:
        found = reader.domain(symbol)
        if found is not None:
            votes[found.key] += 1
    return votes


@dataclass(frozen=True)
class Carved:
    """A symbol given to another service than its module's, with the reason."""

    symbol: str
    label: str
    reason: str


def split_god_modules(
    graph: DependencyGraph, labels: Mapping[str, str], key_labels: Mapping[str, str], modules: Iterable[str]
) -> list[Carved]:
    """Of each module of ``modules`` placed in a service (``labels``), the top-level classes and
    functions whose own domain (name, models, routes: ``direct`` evidence) belongs to another
    service (``key_labels``: domain key -> label): they go to that service; the module stays
    with its own."""
    reader = SymbolReader(graph, key_labels)
    symbols = top_level_symbols(graph)
    carved: list[Carved] = []
    for module in sorted(modules):
        home = labels.get(module)
        if home is None:
            continue
        for symbol in symbols.get(module, ()):
            found = reader.direct(symbol)
            if found is None or key_labels.get(found.key, home) == home:
                continue
            carved.append(Carved(symbol, key_labels[found.key], f"split from the module {module}, which serves several services: {found.evidence}"))
    return carved


def business_keys(labels: Mapping[str, str], domains: Mapping[str, Domain]) -> dict[str, str]:
    """Domain key -> the label that holds most units of that domain in its own name (``user`` ->
    the label of ``api/users``): the domains a god module's symbols can go to. Keys of layers,
    generic packages and helpers are none."""
    counts: Counter[tuple[str, str]] = Counter()
    for unit, label in labels.items():
        domain = domains.get(unit)
        if domain is not None and domain.key == label.split("~")[0] and is_named_by_domain(domain.name or domain.key):
            counts[(domain.key, label)] += 1
    found: dict[str, str] = {}
    for (key, label), count in sorted(counts.items()):
        if key not in found or count > counts[(key, found[key])]:
            found[key] = label
    return found


def carved_nodes(graph: DependencyGraph, carved: Iterable[Carved]) -> dict[str, str]:
    """Node -> the label it goes to with its carved symbol: the symbol, its members, its routes, its tables."""
    return symbol_nodes(graph, {item.symbol: item.label for item in carved})


def _winner(votes: Counter[str]) -> str:
    return max(sorted(votes), key=lambda k: votes[k])


def _counted(votes: Counter[str]) -> str:
    return ", ".join(f"{k} {n}" for k, n in sorted(votes.items(), key=lambda item: (-item[1], item[0])))
