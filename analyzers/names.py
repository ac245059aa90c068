"""What each module defines and imports, and resolution of dotted names across modules.

Every file gets a ``ModuleSummary`` in the scan phase; ``NameResolver`` then answers "what does
``models.Order`` mean inside ``shop.orders.views``?" with the canonical qualified name,
following ``import a.b as c``, ``from x import y as z``, relative imports, re-exports through
``__init__`` and star imports.
"""

from __future__ import annotations

import ast
import hashlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from analyzers.base import ParsedModule
from analyzers.visiting import FastVisitor, statement_blocks
from analyzers.words import LineSet, Words

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
    return _digest_of((summary.module, summary.is_package, sorted(summary.bindings.items()), summary.star_imports, summary.exports, definitions))


def imports_digest(summary: ModuleSummary) -> str:
    """A digest of ``summary``'s import statements, where they are and how: all that the
    imports link reads of it (grimp reads the same statements from the file)."""
    return _digest_of((summary.module, summary.is_package, summary.imports, summary.beyond_top))


def _digest_of(shape: tuple[object, ...]) -> str:
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


_IMPORT = Words(("import",))


def summarize(parsed: ParsedModule) -> ModuleSummary:
    summary = ModuleSummary(parsed.module, parsed.file.is_package)
    imports = LineSet(parsed.source, [at for at, _ in _IMPORT.occurrences(parsed.source)])
    _Summarizer(summary, imports).visit(parsed.tree)
    return summary


def _is_type_checking(test: ast.expr) -> bool:
    name = dotted(test)
    return name is not None and name.split(".")[-1] == "TYPE_CHECKING"


class _Summarizer(FastVisitor):
    """Walks statements only: what a module defines and imports never hides in an expression."""

    def __init__(self, summary: ModuleSummary, imports: LineSet) -> None:
        super().__init__()
        self.s = summary
        self.imports = imports
        """The lines that hold the word ``import``: inside a function, nothing else is recorded,
        so a function body without one is not walked."""
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
        if not self.imports.in_body(node):
            return
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
        # the summaries never change during a link, so answers can be kept; each with the
        # modules whose summaries it was made from (``_kept``), so that a link can tell which
        # summaries its results depend on, kept answers included (``reading``)
        self._definitions: dict[str, tuple[Definition | None, str | None]] = {}
        self._prefixes: dict[str, str | None] = {}  # from the set of modules alone
        self._canonical: dict[str, tuple[str, set[str]]] = {}
        self._bases: dict[str, tuple[list[str], set[str]]] = {}
        self._resolved: dict[tuple[str, str], tuple[str | None, set[str]]] = {}
        self._members: dict[tuple[str, str], tuple[str | None, set[str]]] = {}
        self._enclosing: dict[str, tuple[str | None, set[str]]] = {}
        self._in_methods: dict[tuple[str, str], tuple[str | None, set[str]]] = {}
        self._memos: dict[str, dict[Any, tuple[Any, set[str]]]] = {}
        self._reads: set[str] = set()
        """The modules whose summaries the answer under way has read so far."""

    @contextmanager
    def reading(self) -> Iterator[set[str]]:
        """The modules whose summaries are read inside the block (answers kept from before
        included): what the block's results depend on, beside the set of modules."""
        outer, self._reads = self._reads, set()
        read = self._reads
        try:
            yield read
        finally:
            self._reads = outer
            outer |= read

    def _summary(self, module: str) -> ModuleSummary:
        self._reads.add(module)
        return self.summaries[module]

    def _kept(self, memo: dict[Any, tuple[Any, set[str]]], key: object, compute: Callable[[], Any]) -> Any:
        """``memo[key]``, computed once and kept with the modules it was made from, which
        count as read each time it is asked for."""
        found = memo.get(key)
        if found is None:  # ``reading()`` spelled out: a context manager per computed answer costs
            outer, self._reads = self._reads, set()
            try:
                found = memo[key] = (compute(), self._reads)
            finally:
                self._reads, read = outer, self._reads
            outer |= read
        elif found[1]:
            self._reads |= found[1]
        return found[0]

    def remember(self, name: str, key: object, compute: Callable[[], Any]) -> Any:
        """A link's answer that depends only on the summaries (which never change during a
        link), computed once per ``key`` in the memo ``name`` and kept as long as this resolver."""
        memo = self._memos.get(name)
        if memo is None:
            memo = self._memos[name] = {}
        return self._kept(memo, key, compute)

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
        found = self._definitions.get(qualified)
        if found is None:
            module = self.module_prefix(qualified)
            if module is None or module == qualified:
                found = self._definitions[qualified] = (None, None)
            else:
                found = self._definitions[qualified] = (self.summaries[module].definitions.get(qualified[len(module) + 1 :]), module)
        if found[1] is not None:
            self._reads.add(found[1])  # found in its summary, or not: either way the summary says so
        return found[0]

    def kind(self, qualified: str) -> str | None:
        """"module", "class", "function", "method", "variable" or None (unknown or external)."""
        if qualified in self._modules:
            return "module"
        found = self.definition(qualified)
        return found.kind if found else None

    def canonical(self, qualified: str) -> str:
        """Follow re-exports (``from .models import Order`` in ``__init__``) to the definition."""
        return self._kept(self._canonical, qualified, lambda: self._follow(qualified))  # type: ignore[no-any-return]

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
            summary = self._summary(module)
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
            other = self._summary(star) if star in self._modules else None
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
            kept = self._resolved.get((module, expr))
            if kept is not None:  # ``_kept``'s answer, without making its ``compute`` (the commonest call)
                if kept[1]:
                    self._reads |= kept[1]
                return kept[0]
            if module not in self._modules:
                return None
            return self._kept(self._resolved, (module, expr), lambda: self._resolve_global(self._summary(module), module, head, rest))  # type: ignore[no-any-return]
        if not scope or module not in self._modules:
            return None
        return self._kept(self._in_methods, (scope, expr), lambda: self._resolve_in_method(scope, rest))  # type: ignore[no-any-return]

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
        return self._kept(self._enclosing, scope, lambda: self._find_enclosing(scope))  # type: ignore[no-any-return]

    def _find_enclosing(self, scope: str) -> str | None:
        parts = scope.split(".")
        for end in range(len(parts) - 1, 0, -1):
            candidate = ".".join(parts[:end])
            if self.kind(candidate) == "class":
                return candidate
        return None

    def bases(self, class_name: str) -> list[str]:
        """Canonical names of the bases of a class of ours (external bases included)."""
        return self._kept(self._bases, class_name, lambda: self._find_bases(class_name))  # type: ignore[no-any-return]

    def _find_bases(self, class_name: str) -> list[str]:
        found = self.definition(class_name)
        module = self.module_prefix(class_name)
        if found is None or module is None:
            return []
        resolved = (self.resolve(module, base) for base in found.bases)
        return [name for name in resolved if name]

    def find_member(self, class_name: str, member: str) -> str | None:
        """``Class.member`` where it is defined, looking through the bases (in MRO-like order)."""
        return self._kept(self._members, (class_name, member), lambda: self._find_member(class_name, member))  # type: ignore[no-any-return]

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
