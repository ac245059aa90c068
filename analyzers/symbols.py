"""Classes, functions and methods, and the calls, references and inheritance between them.

The scan records, per function, every call and reference as written (``self.save``,
``services.get_prices``, ``Order``), with simple local type facts (``order = Order(...)``,
``def f(order: Order)``) so that ``order.total()`` can be followed. The link resolves them
across modules with the ``NameResolver``.
"""

from __future__ import annotations

import ast
import builtins
from dataclasses import dataclass, field
from typing import Any

from analyzers.base import Analyzer, Contribution, ParsedModule, Project
from analyzers.names import NameResolver, dotted
from analyzers.visiting import FastVisitor
from migrator.model.facts import EVIDENCE_CAP, Edge, EdgeKind, Node, NodeKind

BUILTIN_NAMES = frozenset(dir(builtins))


UseKey = tuple[str, str, bool, bool, bool, bool]
"""A call or a reference written inside a scope, as ``(scope, expr, call, result_used,
via_instance, decorator)``:

- scope: qualified name inside the module of the enclosing function or class, "" for module level;
- expr: the dotted name as written (``self.save``, ``services.get_prices``);
- via_instance: ``expr`` is ``Class.member`` reached through a variable known to hold a Class;
- decorator: the use is a decorator of the scope.
"""


@dataclass
class SymbolFacts:
    uses: dict[UseKey, list[int]] = field(default_factory=dict)
    """Each distinct use (resolved once by the link), with the lines it is written on."""


class SymbolsAnalyzer(Analyzer):
    name = "symbols"
    version = 3
    per_module = True

    def scan(self, module: ParsedModule) -> SymbolFacts:
        collector = _Collector()
        collector.visit(module.tree)
        return SymbolFacts(collector.uses)

    def link(self, project: Project) -> Contribution:
        contribution = Contribution()
        for module in project.files:
            part = self.link_module(project, module)
            contribution.nodes.extend(part.nodes)
            contribution.edges.extend(part.edges)
        return contribution

    def link_module(self, project: Project, module: str) -> Contribution:
        with project.names.reading() as read:
            contribution = self._link_module(project, module)
        contribution.reads = frozenset(read)
        return contribution

    def _link_module(self, project: Project, module: str) -> Contribution:
        contribution = Contribution()
        names = project.names
        summary = names.summaries[module]
        relpath = project.files[module].relpath
        for qualified, definition in summary.definitions.items():
            if definition.kind == "variable":
                continue
            kind = NodeKind.CLASS if definition.kind == "class" else NodeKind.FUNCTION
            attrs = {"method": True} if definition.kind == "method" else {}
            if definition.decorators:
                attrs["decorators"] = list(definition.decorators)
            contribution.nodes.append(Node(f"{module}.{qualified}", kind, relpath, definition.line, (), attrs))
            if definition.kind == "class":
                for base in names.bases(f"{module}.{qualified}"):
                    if names.kind(base) == "class":
                        contribution.edges.append(
                            Edge(f"{module}.{qualified}", base, EdgeKind.INHERITS, 1.0, (f"{relpath}:{definition.line}",))
                        )
        facts: SymbolFacts | None = project.facts(self.name).get(module)
        # uses that make the same edge (``g()`` and ``self.g()``) are merged here, as the graph
        # would merge them: with every line, and their flags combined
        merged: dict[tuple[str, str, EdgeKind], list[Any]] = {}
        sources: dict[str, str] = {}
        for use, lines in facts.uses.items() if facts else ():
            scope = use[0]
            source = sources.get(scope)
            if source is None:
                source = sources[scope] = f"{module}.{scope}" if scope else module
            edge = _resolve_use(names, module, source, use)
            if edge is None:
                continue
            key, flags = edge
            found = merged.get(key)
            if found is None:
                merged[key] = [lines, flags]
            else:
                found[0] = found[0] + lines
                found[1] = _merged_flags(found[1], flags)
        # one object per distinct name, so that a pickle of the part (sent from a forked child,
        # kept for the next run) holds each once
        shared: dict[str, str] = {}
        for (source, target, edge_kind), (lines, flags) in merged.items():
            source, target = shared.setdefault(source, source), shared.setdefault(target, target)
            if len(lines) == 1:
                places: tuple[str, ...] = (f"{relpath}:{lines[0]}",)
            else:
                places = tuple(f"{relpath}:{line}" for line in sorted(set(lines))[:EVIDENCE_CAP])
            contribution.edges.append(Edge(source, target, edge_kind, float(len(lines)), places, _EDGE_ATTRS[flags]))
        return contribution


def _resolve_use(names: NameResolver, module: str, source: str, use: UseKey) -> tuple[tuple[str, str, EdgeKind], _Flags] | None:
    """The edge a use in ``source`` (the qualified name of its scope) makes, as its key (source,
    target, kind) and its flags; None when it names nothing analysed."""
    _, expr, call, result_used, _, decorator = use
    target = names.resolve(module, expr, scope=source)
    if target is None:
        return None
    found = names.remember(_SETTLED, target, lambda: _settle(names, target))
    if found is None or found[0] == source:
        return None
    target, kind = found
    if call and kind in _CALLABLE:
        return (source, target, _CALLS), (not result_used, decorator)
    return (source, target, _REFERENCES), (None, decorator)


_CALLS, _REFERENCES = EdgeKind.CALLS, EdgeKind.REFERENCES
"""Read once: an enum member's lookup on its class goes through a descriptor, each time."""
_CALLABLE = frozenset({"function", "method", "class"})


_Flags = tuple["bool | None", bool]
"""A symbol edge's attributes: ``result_unused`` (calls only) and ``decorator``."""


def _merged_flags(first: _Flags, second: _Flags) -> _Flags:
    """As ``merge_edges`` combines them: a call's result is unused only where every site
    ignores it; the edge is a decorator's where any site is one."""
    unused = second[0] if first[0] is None else first[0] if second[0] is None else first[0] and second[0]
    return unused, first[1] or second[1]


_SETTLED = "symbols.settled"


def _settle(names: NameResolver, target: str) -> tuple[str, str | None] | None:
    """The node a resolved name makes an edge to, with its kind: a member found through the
    bases, a variable followed to what it holds, else the nearest class or module; None when
    there is none. It depends on the name alone, so each is settled once per link."""
    kind = names.kind(target)
    if kind is None and "." in target:
        owner, _, member = target.rpartition(".")
        if names.kind(owner) == "class":
            found = names.find_member(owner, member)
            target, kind = (found, names.kind(found)) if found else (owner, "class")
    if kind == "variable":
        followed = names.follow_variable(target)
        if followed and names.kind(followed) in ("class", "function", "method"):
            target, kind = followed, names.kind(followed)
    if kind in (None, "variable"):
        # ``Model.objects.filter`` or ``CONSTANT``: depend on the nearest class or module
        nearest = _nearest_node(names, target)
        if nearest is None:
            return None
        target, kind = nearest, names.kind(nearest)
    return target, kind


def _edge_attrs(result_unused: bool | None, decorator: bool) -> dict[str, object]:
    attrs: dict[str, object] = {}
    if result_unused is not None:
        attrs["result_unused"] = result_unused
    if decorator:
        attrs["decorator"] = True
    return attrs


_EDGE_ATTRS = {(unused, decorator): _edge_attrs(unused, decorator) for unused in (None, True, False) for decorator in (False, True)}
"""The few attribute sets of a symbol edge, one object each (shared by every edge: never changed
in place, like every edge's attrs), so that pickles of the link hold each once."""


def _nearest_node(names: NameResolver, qualified: str) -> str | None:
    parts = qualified.split(".")
    for end in range(len(parts) - 1, 0, -1):
        candidate = ".".join(parts[:end])
        if names.kind(candidate) in ("class", "function", "method", "module"):
            return candidate
    return None


class _Collector(FastVisitor):
    def __init__(self) -> None:
        super().__init__()
        self.uses: dict[UseKey, list[int]] = {}
        self.scope: list[str] = []
        self._scope = ""
        self.depth_in_function = 0
        self.types: list[dict[str, str]] = [{}]
        self._consumed: set[int] = set()

    def _enter(self, name: str) -> None:
        self.scope.append(name)
        self._scope = ".".join(self.scope)

    def _leave(self) -> None:
        self.scope.pop()
        self._scope = ".".join(self.scope)

    def _add(self, expr: str, node: ast.AST, *, call: bool, used: bool = True, decorator: bool = False) -> None:
        head, _, rest = expr.partition(".")
        known = self.types[-1].get(head)
        via_instance = False
        if known and rest:
            expr, via_instance = f"{known}.{rest}", True
        elif head in BUILTIN_NAMES and head not in _SELF_CLS:
            return
        key = (self._scope, expr, call, used, via_instance, decorator)
        line = getattr(node, "lineno", 0)
        lines = self.uses.get(key)
        if lines is None:
            self.uses[key] = [line]
        else:
            lines.append(line)

    def _decorators(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> None:
        for decorator in node.decorator_list:
            name = dotted(decorator)
            if name:
                self._add(name, decorator, call=False, decorator=True)
            if isinstance(decorator, ast.Call):
                self._consumed.add(id(decorator))
                for arg in [*decorator.args, *(k.value for k in decorator.keywords)]:
                    self.visit(arg)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._decorators(node)
        for keyword in node.keywords:
            self.visit(keyword.value)
        if self.depth_in_function:
            return
        self._enter(node.name)
        for statement in node.body:
            self.visit(statement)
        self._leave()

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        # a decorator is a dependency of the decorated function, though evaluated outside it
        self._enter(node.name)
        if self.depth_in_function == 0:
            self._decorators(node)
        self._leave()
        if self.depth_in_function:
            self._decorators(node)
        for default in [*node.args.defaults, *(d for d in node.args.kw_defaults if d is not None)]:
            self.visit(default)
        nested = self.depth_in_function > 0
        if not nested:
            self._enter(node.name)
        local_types = dict(self.types[-1]) if nested else {}
        for arg in [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]:
            annotation = _annotation_type(arg.annotation)
            if annotation:
                local_types[arg.arg] = annotation
            self._annotation(arg.annotation)
        self._annotation(node.returns)
        self.types.append(local_types)
        self.depth_in_function += 1
        for statement in node.body:
            self.visit(statement)
        self.depth_in_function -= 1
        self.types.pop()
        if not nested:
            self._leave()

    visit_FunctionDef = _function
    visit_AsyncFunctionDef = _function

    def _annotation(self, annotation: ast.expr | None) -> None:
        """Visit an annotation, parsing string (forward) annotations as the code they name."""
        if annotation is None:
            return
        if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
            try:
                parsed = ast.parse(annotation.value.strip(), mode="eval").body
            except SyntaxError:
                return
            for child in ast.walk(parsed):
                if hasattr(child, "lineno"):
                    child.lineno = annotation.lineno
            annotation = parsed
        self.visit(annotation)

    # -- the commonest nodes without uses of their own, walked field by field in ``_fields``
    # order as ``generic_visit`` would, without its per-field lookups (a tenth of the scan)

    def visit_Return(self, node: ast.Return) -> None:
        if node.value is not None:
            self.visit(node.value)

    def visit_If(self, node: ast.If) -> None:
        self.visit(node.test)
        self.visit_each(node.body)
        self.visit_each(node.orelse)

    def visit_With(self, node: ast.With) -> None:
        for item in node.items:
            self.visit(item.context_expr)
            if item.optional_vars is not None:
                self.visit(item.optional_vars)
        self.visit_each(node.body)

    def visit_Tuple(self, node: ast.Tuple | ast.List) -> None:
        self.visit_each(node.elts)

    visit_List = visit_Tuple

    def visit_Dict(self, node: ast.Dict) -> None:
        self.visit_each(node.keys)
        self.visit_each(node.values)

    def visit_Subscript(self, node: ast.Subscript) -> None:
        self.visit(node.value)
        self.visit(node.slice)

    def visit_BinOp(self, node: ast.BinOp) -> None:
        self.visit(node.left)
        self.visit(node.right)

    def visit_Compare(self, node: ast.Compare) -> None:
        self.visit(node.left)
        self.visit_each(node.comparators)

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self.visit(node.body)

    def visit_Assign(self, node: ast.Assign) -> None:
        self.visit(node.value)
        constructed = dotted(node.value.func) if isinstance(node.value, ast.Call) else None
        for target in node.targets:
            if isinstance(target, ast.Name) and self.depth_in_function:
                if constructed and constructed.split(".")[-1][:1].isupper():
                    self.types[-1][target.id] = constructed
                else:
                    self.types[-1].pop(target.id, None)
            else:
                self.visit(target)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        annotation = _annotation_type(node.annotation)
        if annotation and isinstance(node.target, ast.Name) and self.depth_in_function:
            self.types[-1][node.target.id] = annotation
        self._annotation(node.annotation)
        if node.value is not None:
            self.visit(node.value)

    def visit_Expr(self, node: ast.Expr) -> None:
        # only a bare call drops its result: ``await repo.create(...)`` uses it (it waits for it)
        if isinstance(node.value, ast.Call):
            self._call(node.value, used=False)
        else:
            self.visit(node.value)

    def visit_Call(self, node: ast.Call) -> None:
        self._call(node, used=True)

    def _call(self, node: ast.Call, *, used: bool) -> None:
        if id(node) in self._consumed:
            return
        name = dotted(node.func)
        if name:
            self._add(name, node, call=True, used=used)
            if isinstance(node.func, ast.Attribute):
                # arguments inside the chain (``a(x).b()``) are walked below via func
                self._walk_chain(node.func.value)
        else:
            self.visit(node.func)
        self.visit_each(node.args)
        passed_over = self._passed_over
        for keyword in node.keywords:
            if keyword.value.__class__ not in passed_over:
                self.visit(keyword.value)

    def _walk_chain(self, node: ast.expr) -> None:
        while isinstance(node, ast.Attribute):
            node = node.value
        if not isinstance(node, ast.Name):
            self.visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        name = dotted(node)
        if name and isinstance(node.ctx, ast.Load):
            if "." in name:
                self._add(name, node, call=False)
            return
        self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        # ``_add(node.id, node, call=False)`` spelled out: the commonest use of all
        name = node.id
        if node.ctx.__class__ is not _LOAD or name in self.types[-1] or (name in BUILTIN_NAMES and name not in _SELF_CLS):
            return
        key = (self._scope, name, False, True, False, False)
        lines = self.uses.get(key)
        if lines is None:
            self.uses[key] = [node.lineno]
        else:
            lines.append(node.lineno)


_LOAD = ast.Load
_SELF_CLS = frozenset({"self", "cls"})


def _annotation_type(annotation: ast.expr | None) -> str | None:
    """``Order`` for ``Order``, ``Order | None``, ``Optional[Order]`` or ``"Order"``."""
    if annotation is None:
        return None
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        try:
            return _annotation_type(ast.parse(annotation.value.strip(), mode="eval").body)
        except SyntaxError:
            return None
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        return _annotation_type(annotation.left) or _annotation_type(annotation.right)
    if isinstance(annotation, ast.Subscript):
        outer = dotted(annotation.value) or ""
        if outer.split(".")[-1] in ("Optional", "Annotated"):
            inner = annotation.slice.elts[0] if isinstance(annotation.slice, ast.Tuple) else annotation.slice
            return _annotation_type(inner)
        return None
    name = dotted(annotation)
    if name and name.split(".")[-1][:1].isupper() and name not in ("None",):
        return name
    return None
