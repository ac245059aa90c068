"""What each module defines and imports, and resolution of dotted names across modules.

Every file gets a ``ModuleSummary`` in the scan phase; ``NameResolver`` then answers "what does
``models.Order`` mean inside ``shop.orders.views``?" with the canonical qualified name,
following ``import a.b as c``, ``from x import y as z``, relative imports, re-exports through
``__init__`` and star imports.
"""

from __future__ import annotations

import ast
import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from analyzers.base import ParsedModule
from analyzers.visiting import FastVisitor, statement_blocks

MAX_ALIAS_HOPS = 20


class ImportFact(NamedTuple):
    """One imported module (or module attribute) as written, made absolute.

    Tuples, like ``Definition``: every file's summary crosses from a worker and is read by two
    processes, and a tuple pickles in a third of a frozen dataclass's time."""

    target: str
    line: int
    in_function: bool = False
    type_checking: bool = False


class Definition(NamedTuple):
    """A class, function, method or module-level variable defined in a module."""

    kind: str  # "class" | "function" | "method" | "variable"
    line: int
    bases: tuple[str, ...] = ()
    """For classes: the base classes as written (dotted expressions)."""
    decorators: tuple[str, ...] = ()
    """Decorators as written, calls reduced to the called name (``app.route``)."""
    value: str | None = None
    """For variables assigned a plain name (``context_class = Context``): that name as written."""


@dataclass
class ModuleSummary:
    module: str
    is_package: bool
    bindings: dict[str, str] = field(default_factory=dict)
    """Local name -> absolute dotted name it was imported as."""
    imports: list[ImportFact] = field(default_factory=list)
    definitions: dict[str, Definition] = field(default_factory=dict)
    """Qualified name inside the module (``Order``, ``Order.save``) -> definition."""
    star_imports: list[str] = field(default_factory=list)
    exports: tuple[str, ...] | None = None
    """``__all__`` when it is a literal list or tuple of strings."""
    beyond_top: list[int] = field(default_factory=list)
    """Lines of relative imports that climb above the top-level package (grimp fails on them)."""


def interface_digest(summary: ModuleSummary) -> str:
    """A digest of what other modules' links can see of ``summary`` through a ``NameResolver``:
    its names, bindings and star imports, not its lines or import statements. When a changed
    file keeps it, no other module resolves a name differently."""
    definitions = sorted((name, d.kind, d.bases, d.value) for name, d in summary.definitions.items())
    shape = (summary.module, summary.is_package, sorted(summary.bindings.items()), summary.star_imports, summary.exports, definitions)
    return hashlib.blake2b(repr(shape).encode(), digest_size=12).hexdigest()


def dotted(node: ast.AST) -> str | None:
    """``a.b.c`` for a Name/Attribute chain (a call gives its called name), else None."""
    # exact type tests: the parser makes no subclasses, and every scan calls this often
    kind = type(node)
    if kind is _CALL:
        node = node.func  # type: ignore[attr-defined]
        kind = type(node)
    if kind is _NAME:
        return node.id  # type: ignore[attr-defined,no-any-return]
    parts: list[str] = []
    while kind is _ATTRIBUTE:
        parts.append(node.attr)  # type: ignore[attr-defined]
        node = node.value  # type: ignore[attr-defined]
        kind = type(node)
    if kind is _NAME and parts:
        parts.append(node.id)  # type: ignore[attr-defined]
        parts.reverse()
        return ".".join(parts)
    return None


_CALL, _NAME, _ATTRIBUTE = ast.Call, ast.Name, ast.Attribute


def absolute_module(module: str, is_package: bool, level: int, name: str | None) -> str:
    """The absolute module of ``from <level dots><name> import ...`` written in ``module``."""
    if level == 0:
        return name or ""
    base = module.split(".")
    if not is_package:
        base = base[:-1]
    if level > 1:
        base = base[: len(base) - (level - 1)] if level - 1 <= len(base) else []
    return ".".join(base + ([name] if name else []))


def summarize(parsed: ParsedModule) -> ModuleSummary:
    summary = ModuleSummary(parsed.module, parsed.file.is_package)
    _Summarizer(summary).visit(parsed.tree)
    return summary


def _is_type_checking(test: ast.expr) -> bool:
    name = dotted(test)
    return name is not None and name.split(".")[-1] == "TYPE_CHECKING"


class _Summarizer(FastVisitor):
    """Walks statements only: what a module defines and imports never hides in an expression."""

    def __init__(self, summary: ModuleSummary) -> None:
        super().__init__()
        self.s = summary
        self.scope: list[str] = []  # qualified names of enclosing classes/functions
        self.in_function = 0
        self.type_checking = 0

    # -- imports ------------------------------------------------------------------------
    def _bind(self, local: str, target: str) -> None:
        # a module-level binding wins over one made inside a function
        if not self.in_function or local not in self.s.bindings:
            self.s.bindings[local] = target

    def _record(self, target: str, line: int) -> None:
        self.s.imports.append(ImportFact(target, line, self.in_function > 0, self.type_checking > 0))

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._record(alias.name, node.lineno)
            if alias.asname:
                self._bind(alias.asname, alias.name)
            else:
                head = alias.name.split(".")[0]
                self._bind(head, head)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        base = absolute_module(self.s.module, self.s.is_package, node.level, node.module)
        if node.level and node.level - 1 >= len(self.s.module.split(".")) - (0 if self.s.is_package else 1):
            self.s.beyond_top.append(node.lineno)
        if not base:
            return
        for alias in node.names:
            if alias.name == "*":
                self.s.star_imports.append(base)
                self._record(base, node.lineno)
                continue
            target = f"{base}.{alias.name}"
            self._record(target, node.lineno)
            self._bind(alias.asname or alias.name, target)

    def generic_visit(self, node: ast.AST) -> None:
        # the statements nested in a compound statement; a generator here costs more than the visit
        for name in statement_blocks(node.__class__):
            for child in getattr(node, name):
                self.visit(child)

    def visit_Module(self, node: ast.Module) -> None:
        for child in node.body:
            self.visit(child)

    def visit_If(self, node: ast.If) -> None:
        if _is_type_checking(node.test):
            self.type_checking += 1
            for child in node.body:
                self.visit(child)
            self.type_checking -= 1
            for child in node.orelse:
                self.visit(child)
        else:
            self.generic_visit(node)

    # -- definitions ----------------------------------------------------------------------
    def _qualify(self, name: str) -> str:
        return ".".join([*self.scope, name])

    def _decorators(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> tuple[str, ...]:
        return tuple(d for d in (dotted(dec) for dec in node.decorator_list) if d)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        if self.in_function:
            return self.generic_visit(node)
        qualified = self._qualify(node.name)
        bases = tuple(b for b in (dotted(base) for base in node.bases) if b)
        self.s.definitions[qualified] = Definition("class", node.lineno, bases, self._decorators(node))
        self.scope.append(node.name)
        self.generic_visit(node)
        self.scope.pop()

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        if not self.in_function:
            qualified = self._qualify(node.name)
            in_class = bool(self.scope) and self.s.definitions.get(".".join(self.scope), Definition("", 0)).kind == "class"
            kind = "method" if in_class else "function"
            self.s.definitions[qualified] = Definition(kind, node.lineno, (), self._decorators(node))
        self.in_function += 1
        self.scope.append(node.name)
        self.generic_visit(node)
        self.scope.pop()
        self.in_function -= 1

    visit_FunctionDef = _function
    visit_AsyncFunctionDef = _function

    def visit_Assign(self, node: ast.Assign) -> None:
        if not self.in_function:
            for target in node.targets:
                self._assigned(target, node)
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if not self.in_function:
            self._assigned(node.target, node)
        self.generic_visit(node)

    def _assigned(self, target: ast.expr, node: ast.Assign | ast.AnnAssign) -> None:
        if not isinstance(target, ast.Name):
            return
        if target.id == "__all__" and not self.scope and isinstance(node.value, (ast.List, ast.Tuple)):
            names = [e.value for e in node.value.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
            self.s.exports = tuple(names)
            return
        qualified = self._qualify(target.id)
        value = dotted(node.value) if isinstance(node.value, (ast.Name, ast.Attribute)) else None
        if qualified not in self.s.definitions:
            self.s.definitions[qualified] = Definition("variable", node.lineno, value=value)
        # ``Alias = other.Thing`` at module level re-exports like an import
        if not self.scope and isinstance(node.value, (ast.Name, ast.Attribute)):
            value = dotted(node.value)
            if value and value.split(".")[0] in self.s.bindings:
                head, _, rest = value.partition(".")
                self.s.bindings.setdefault(target.id, ".".join(p for p in (self.s.bindings[head], rest) if p))


class NameResolver:
    """Resolves dotted names written in a module to canonical qualified names."""

    def __init__(self, summaries: Mapping[str, ModuleSummary]) -> None:
        self.summaries = summaries
        self._modules = frozenset(summaries)
        # the summaries never change during a link, so answers can be kept
        self._definitions: dict[str, Definition | None] = {}
        self._prefixes: dict[str, str | None] = {}
        self._canonical: dict[str, str] = {}
        self._bases: dict[str, list[str]] = {}
        self._resolved: dict[tuple[str, str], str | None] = {}
        self._members: dict[tuple[str, str], str | None] = {}
        self._enclosing: dict[str, str | None] = {}
        self._in_methods: dict[tuple[str, str], str | None] = {}
        self._memos: dict[str, dict] = {}

    def memo(self, name: str) -> dict:
        """A dict kept as long as this resolver, under ``name``: for a link's answers that depend
        only on the summaries (which never change during a link), computed once each."""
        found = self._memos.get(name)
        if found is None:
            found = self._memos[name] = {}
        return found

    def is_module(self, name: str) -> bool:
        return name in self._modules

    def is_internal(self, qualified: str) -> bool:
        """Whether a qualified name lives in one of the analysed modules."""
        return self.module_prefix(qualified) is not None

    def module_prefix(self, qualified: str) -> str | None:
        """The longest dotted prefix of ``qualified`` that is an analysed module."""
        if qualified in self._prefixes:
            return self._prefixes[qualified]
        found = None
        candidate = qualified
        modules = self._modules
        while candidate:
            if candidate in modules:
                found = candidate
                break
            candidate = candidate.rpartition(".")[0]
        self._prefixes[qualified] = found
        return found

    def definition(self, qualified: str) -> Definition | None:
        """The definition behind a canonical qualified name, if it is one of ours."""
        found = self._definitions.get(qualified, self)
        if found is self:
            module = self.module_prefix(qualified)
            found = None if module is None or module == qualified else self.summaries[module].definitions.get(qualified[len(module) + 1 :])
            self._definitions[qualified] = found
        return found  # type: ignore[return-value]

    def kind(self, qualified: str) -> str | None:
        """"module", "class", "function", "method", "variable" or None (unknown or external)."""
        if qualified in self._modules:
            return "module"
        found = self.definition(qualified)
        return found.kind if found else None

    def canonical(self, qualified: str) -> str:
        """Follow re-exports (``from .models import Order`` in ``__init__``) to the definition."""
        found = self._canonical.get(qualified)
        if found is None:
            found = self._canonical[qualified] = self._follow(qualified)
        return found

    def _follow(self, qualified: str) -> str:
        seen: set[str] = set()
        current = qualified
        for _ in range(MAX_ALIAS_HOPS):
            if current in seen:
                break
            seen.add(current)
            module = self.module_prefix(current)
            if module is None or module == current:
                return current
            rest = current[len(module) + 1 :].split(".")
            summary = self.summaries[module]
            if rest[0] in summary.definitions:
                return current
            if rest[0] in summary.bindings:
                current = ".".join([summary.bindings[rest[0]], *rest[1:]])
                continue
            starred = self._through_star(summary, rest[0])
            if starred is None:
                return current
            current = ".".join([starred, *rest[1:]])
        return current

    def _through_star(self, summary: ModuleSummary, name: str) -> str | None:
        for star in summary.star_imports:
            other = self.summaries.get(star)
            if other and (name in other.definitions or name in other.bindings):
                return f"{star}.{name}"
        return None

    def resolve(self, module: str, expr: str, *, scope: str | None = None) -> str | None:
        """The canonical name that ``expr`` (as written in ``module``) refers to, or None.

        ``scope`` is the qualified name of the enclosing function, to understand ``self`` and
        ``cls`` in methods. Unknown local names (parameters, builtins) give None; names
        imported from outside the project resolve to their external dotted name.
        """
        if not expr:
            return None
        head, _, rest = expr.partition(".")
        if head not in ("self", "cls"):
            key = (module, expr)
            found = self._resolved.get(key, self)
            if found is self:
                summary = self.summaries.get(module)
                found = self._resolved[key] = None if summary is None else self._resolve_global(summary, module, head, rest)
            return found  # type: ignore[return-value]
        if not scope or module not in self._modules:
            return None
        key = (scope, expr)
        found = self._in_methods.get(key, self)
        if found is self:
            found = self._in_methods[key] = self._resolve_in_method(scope, rest)
        return found  # type: ignore[return-value]

    def _resolve_in_method(self, scope: str, rest: str) -> str | None:
        """``self.rest`` or ``cls.rest`` written in the method ``scope``."""
        owner = self.enclosing_class(scope)
        if owner is None:
            return None
        if not rest:
            return owner
        attr, _, tail = rest.partition(".")
        method = self.find_member(owner, attr)
        return ".".join(p for p in ((method or f"{owner}.{attr}"), tail) if p)

    def _resolve_global(self, summary: ModuleSummary, module: str, head: str, rest: str) -> str | None:
        if head in summary.definitions:
            target = f"{module}.{head}"
        elif head in summary.bindings:
            target = summary.bindings[head]
        else:
            target = self._through_star(summary, head)
            if target is None:
                return None
        return self.canonical(".".join(p for p in (target, rest) if p))

    def follow_variable(self, qualified: str) -> str | None:
        """What a variable assigned a plain name (``context_class = Context``) refers to."""
        found = self.definition(qualified)
        module = self.module_prefix(qualified)
        if found is None or found.kind != "variable" or not found.value or module is None:
            return None
        owner = qualified.rpartition(".")[0]
        scope = f"{owner}.__init__" if self.kind(owner) == "class" else None
        return self.resolve(module, found.value, scope=scope)

    def enclosing_class(self, scope: str) -> str | None:
        """The class a method scope (``pkg.mod.Class.method``) belongs to."""
        found = self._enclosing.get(scope, self)
        if found is self:
            found = self._enclosing[scope] = self._find_enclosing(scope)
        return found  # type: ignore[return-value]

    def _find_enclosing(self, scope: str) -> str | None:
        parts = scope.split(".")
        for end in range(len(parts) - 1, 0, -1):
            candidate = ".".join(parts[:end])
            if self.kind(candidate) == "class":
                return candidate
        return None

    def bases(self, class_name: str) -> list[str]:
        """Canonical names of the bases of a class of ours (external bases included)."""
        cached = self._bases.get(class_name)
        if cached is None:
            cached = self._bases[class_name] = self._find_bases(class_name)
        return cached

    def _find_bases(self, class_name: str) -> list[str]:
        found = self.definition(class_name)
        module = self.module_prefix(class_name)
        if found is None or module is None:
            return []
        resolved = (self.resolve(module, base) for base in found.bases)
        return [name for name in resolved if name]

    def find_member(self, class_name: str, member: str) -> str | None:
        """``Class.member`` where it is defined, looking through the bases (in MRO-like order)."""
        key = (class_name, member)
        if key not in self._members:
            self._members[key] = self._find_member(class_name, member)
        return self._members[key]

    def _find_member(self, class_name: str, member: str) -> str | None:
        for klass in self.ancestry(class_name):
            candidate = f"{klass}.{member}"
            if self.definition(candidate) is not None:
                return candidate
        return None

    def ancestry(self, class_name: str) -> Iterator[str]:
        """The class, then its bases depth-first, each once; external bases are not followed."""
        seen: set[str] = set()
        stack = [class_name]
        while stack:
            current = stack.pop(0)
            if current in seen:
                continue
            seen.add(current)
            yield current
            stack[0:0] = [b for b in self.bases(current) if self.is_internal(b)]
