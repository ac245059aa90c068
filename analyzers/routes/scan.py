"""The per-file scan: a statement walker that records route facts."""

from __future__ import annotations

import ast
from dataclasses import replace
from typing import Any

from analyzers.names import dotted
from analyzers.routes.app_configs import _self_attributes, _url_method_pieces
from analyzers.routes.calls import _app_object, _helper_call, _registrations, _restricted_methods, _route_decorator
from analyzers.routes.classes import _class_facts
from analyzers.routes.expressions import _methods, _name
from analyzers.routes.facts import Piece, Ref, Registration, RouteFacts, Signature, UrlEntry, ViewRef
from analyzers.routes.urlconf import _pieces, _view_ref
from analyzers.routes.vocabulary import (
    DECORATOR_VERBS,
    LIST_MUTATIONS,
    REGISTRATION_VERBS,
    RESTRICTING,
    ROUTE_DECORATOR,
    TRIGGER_WORDS,
)
from analyzers.words import LineSet, Words


_TRIGGERS = Words(TRIGGER_WORDS)


def _trigger_lines(source: str, route_like: list[int]) -> LineSet:
    """The lines that hold a trigger word, a route decorator or a route-like string passed to a
    call (``route_like``: their offsets): a file without any declares no route, and neither does
    a function body without any (every fact the scan records inside a function is a call, a
    constructor or a decorator whose own text holds one)."""
    offsets = [at for at, _ in _TRIGGERS.occurrences(source)] + route_like
    offsets.extend(found.start() for found in ROUTE_DECORATOR.finditer(source))
    return LineSet(source, offsets)


class _Scanner:
    """Walks statements only: every fact of interest is a statement (a definition, an
    assignment, a call on its own line), so expressions are looked into, never walked."""

    def __init__(self, facts: RouteFacts, triggers: LineSet) -> None:
        self.facts = facts
        self.triggers = triggers
        self.stack: list[tuple[str, bool]] = []  # enclosing (name, is_function)
        self.loops: list[dict[str, tuple[str, ...] | str]] = []  # loop variable -> names, or a sequence's name

    @property
    def scope(self) -> str:
        return ".".join(name for name, _ in self.stack)

    @property
    def in_function(self) -> bool:
        return any(is_function for _, is_function in self.stack)

    def _defined(self, name: str) -> str:
        """The qualified name of ``name`` defined here, cut at the first function: the names
        summary (and the symbols analyzer) know no function nested in a function."""
        parts: list[str] = []
        for part, is_function in [*self.stack, (name, True)]:
            parts.append(part)
            if is_function:
                break
        return ".".join(parts)

    def walk(self, body: list[ast.stmt]) -> None:
        handlers = _HANDLERS
        for statement in body:
            kind = type(statement)
            handler = handlers.get(kind, _UNKNOWN)
            if handler is _UNKNOWN:
                handler = handlers[kind] = getattr(_Scanner, f"_{kind.__name__}", None)
            if handler is not None:
                handler(self, statement)
            elif isinstance(statement, COMPOUND):  # the same scope goes on in their blocks
                for block in _blocks(statement):
                    self.walk(block)

    # -- definitions ------------------------------------------------------------------------------
    def _ClassDef(self, node: ast.ClassDef) -> None:
        for decorator in node.decorator_list:  # RESTX: @ns.route("/todos") on a Resource
            self._decorator(decorator, node.name)
        if not self.in_function:
            found = _class_facts(node)
            if found is not None:
                self.facts.classes[self._defined(node.name)] = found
            self._app_config(node)
        self.stack.append((node.name, False))
        self.walk(node.body)
        self.stack.pop()

    def _app_config(self, node: ast.ClassDef) -> None:
        """A class with a ``get_urls`` method: its patterns, and what its ``self`` attributes hold."""
        method = next((s for s in node.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)) and s.name == "get_urls"), None)
        owner = self._defined(node.name)
        if method is not None:
            self.facts.patterns[f"{owner}.get_urls"] = _url_method_pieces(method)
        if method is not None or any(isinstance(s, ast.FunctionDef) and s.name == "ready" for s in node.body):
            self.facts.attributes.update((f"{owner}.{attr}", held) for attr, held in _self_attributes(node).items())

    def _FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for decorator in node.decorator_list:
            self._decorator(decorator, node.name)
        if self.triggers.in_body(node):
            rules = len(self.facts.registrations)
            self.stack.append((node.name, True))
            self.walk(node.body)
            self.stack.pop()
            if len(self.facts.registrations) > rules and not self.in_function:
                self.facts.signatures[self._defined(node.name)] = _signature(node.args)

    _AsyncFunctionDef = _FunctionDef

    def _decorator(self, decorator: ast.expr, function: str) -> None:
        last = (dotted(decorator) or "").rpartition(".")[2]
        if isinstance(decorator, ast.Call) and isinstance(decorator.func, ast.Attribute) and last in DECORATOR_VERBS:
            route = _route_decorator(decorator, self.scope, self._defined(function))
            if route is not None:
                self.facts.decorators.append(route)
        elif not self.in_function and (last in RESTRICTING or last in ("require_http_methods", "api_view")):
            methods = _restricted_methods(decorator, last)
            if methods:
                self.facts.restricted[self._defined(function)] = methods

    # -- assignments ------------------------------------------------------------------------------
    def _Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            if isinstance(target, ast.Name):
                self._assigned(target.id, node.value, node.lineno)
        self._call(node.value)

    def _AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None and isinstance(node.target, ast.Name):
            self._assigned(node.target.id, node.value, node.lineno)

    def _assigned(self, var: str, value: ast.expr, line: int) -> None:
        if isinstance(value, ast.Call):
            made = _app_object(value, self.scope, var, line)
            if made is not None:
                self.facts.objects.append(made)
        if self.stack:
            return
        if isinstance(value, ast.Call) and (dotted(value.func) or "").endswith(".as_view"):
            view = _view_ref(value)
            if view is not None:
                self.facts.view_aliases[var] = view
        if isinstance(value, (ast.Tuple, ast.List)) and value.elts:
            names = [_name(e) for e in value.elts]
            if all(names):
                self.facts.sequences[var] = tuple(n for n in names if n)
        self._patterns(var, _pieces(value), augment=False)

    def _AugAssign(self, node: ast.AugAssign) -> None:
        if not self.stack and isinstance(node.target, ast.Name) and isinstance(node.op, ast.Add):
            self._patterns(node.target.id, _pieces(node.value), augment=True)

    def _patterns(self, var: str, pieces: tuple[Piece, ...], *, augment: bool) -> None:
        previous = self.facts.patterns.get(var, ())
        # ``urlpatterns = urlpatterns + [...]`` reads the value so far
        pieces = tuple(q for p in pieces for q in (previous if isinstance(p, Ref) and p.expr == var else (p,)))
        if augment:
            pieces = previous + pieces
        if var in self.facts.patterns or _looks_like_patterns(var, pieces):
            self.facts.patterns[var] = pieces

    # -- loops and calls --------------------------------------------------------------------------
    def _For(self, node: ast.For | ast.AsyncFor) -> None:
        bound: dict[str, tuple[str, ...] | str] = {}
        if isinstance(node.target, ast.Name):
            if isinstance(node.iter, (ast.Tuple, ast.List, ast.Set)):
                names = tuple(n for n in (_name(e) for e in node.iter.elts) if n)
                if names:
                    bound[node.target.id] = names
            elif _name(node.iter):
                bound[node.target.id] = _name(node.iter) or ""
        self.loops.append(bound)
        self.walk(node.body)
        self.walk(node.orelse)
        self.loops.pop()

    _AsyncFor = _For

    def _Expr(self, node: ast.Expr) -> None:
        self._call(node.value.value if isinstance(node.value, ast.Await) else node.value)

    def _call(self, node: ast.expr) -> None:
        if not isinstance(node, ast.Call):
            return
        receiver = _name(node.func.value) if isinstance(node.func, ast.Attribute) else None
        verb = node.func.attr if isinstance(node.func, ast.Attribute) else ""
        if receiver is not None and verb in REGISTRATION_VERBS:
            for registration in _registrations(node, verb, receiver, self.scope):
                self.facts.registrations.extend(self._through_loops(registration))
            return
        helper = _helper_call(node, self.scope)
        if helper is not None:
            self.facts.helper_calls.append(helper)
        if receiver is None:
            return
        if verb in LIST_MUTATIONS and not self.stack and receiver in self.facts.patterns:
            values = node.args[1:] if verb == "insert" else node.args[:1]
            added = tuple(p for v in values for p in _pieces(v if verb == "extend" else ast.List([v])))
            self._patterns(receiver, added, augment=True)

    def _through_loops(self, registration: Registration) -> list[Registration]:
        """A target that is a loop variable stands for each element the loop goes over; so does
        a path (``for rule in routes: bp.add_url_rule(rule, ...)``)."""
        path, target = registration.path, registration.target
        if path is not None and len(path) == 1 and path[0][0] == "name":
            over = next((b[path[0][1]] for b in reversed(self.loops) if path[0][1] in b), None)
            if isinstance(over, str):
                registration = replace(registration, path=(("name", over),), each_path=True)
        if target is None:
            return [registration]
        for bound in reversed(self.loops):
            found = bound.get(target.expr)
            if isinstance(found, tuple):
                return [replace(registration, target=ViewRef(name)) for name in found]
            if isinstance(found, str):
                return [replace(registration, target=ViewRef(found), each=True)]
        return [registration]


_HANDLERS: dict[type, Any] = {}
"""Statement class -> the ``_Scanner`` method for it (None: none), looked up once per class."""
_UNKNOWN = object()

COMPOUND = (ast.If, ast.While, ast.With, ast.AsyncWith, ast.Try, ast.TryStar, ast.Match)


def _blocks(statement: ast.stmt) -> list[list[ast.stmt]]:
    """The statement lists inside a compound statement that stay in its scope."""
    blocks = [getattr(statement, name, None) for name in ("body", "orelse", "finalbody")]
    blocks = [block for block in blocks if isinstance(block, list)]
    blocks.extend(h.body for h in getattr(statement, "handlers", ()))
    blocks.extend(c.body for c in getattr(statement, "cases", ()))
    return blocks


def _signature(arguments: ast.arguments) -> Signature:
    positional = [*arguments.posonlyargs, *arguments.args]
    names = tuple(a.arg for a in (*positional, *arguments.kwonlyargs))
    defaults = list(zip(positional[len(positional) - len(arguments.defaults) :], arguments.defaults, strict=True))
    defaults += [(a, d) for a, d in zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True) if d is not None]
    methods = tuple((a.arg, found) for a, d in defaults if (found := _methods(d)) and isinstance(d, (ast.List, ast.Tuple)))
    return Signature(names, methods)


def _looks_like_patterns(var: str, pieces: tuple[Piece, ...]) -> bool:
    if var == "urlpatterns" or "pattern" in var.lower():
        return True
    return any(isinstance(p, UrlEntry) or p.expr.endswith(".urls") for p in pieces)
