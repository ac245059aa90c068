"""Carrying a service's modules over from the monolith with libcst: imports rewritten to the
service's own package and to the shared library, formatting and comments kept as they were.

Every form that names a moved module is followed: ``import a.b``, ``from a import b``, relative
imports, and a string literal that is exactly a moved module's name, ``module.attribute`` or
``module:attribute`` (``importlib.import_module("a.b")``, Django's ``INSTALLED_APPS``,
``ROOT_URLCONF``, ``include("a.urls")``, ``"a.wsgi:app"``); never a part of a longer string."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import libcst as cst
from libcst.helpers import ensure_type


@dataclass(frozen=True)
class Carried:
    text: str
    foreign: tuple[str, ...]
    """Imports of modules that belong to other services: the calls behind them become clients."""


def relocate(module: str, moves: Mapping[str, str]) -> str | None:
    """The new dotted name of ``module`` (or of a name inside it) under ``moves`` (old -> new
    module), matching the longest moved prefix; None when it does not move."""
    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        prefix = ".".join(parts[:end])
        if prefix in moves:
            return ".".join([moves[prefix], *parts[end:]])
    return None


def relocate_known(name: str, moves: Mapping[str, str], modules: Collection[str]) -> str | None:
    """As ``relocate``, when the monolith's ``modules`` are known: the name follows the module that
    defines it (its longest prefix that is a module), so a module that stays where it is stays,
    whichever package around it moved."""
    if not modules:
        return relocate(name, moves)
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        prefix = ".".join(parts[:end])
        if prefix in moves:
            return ".".join([moves[prefix], *parts[end:]])
        if prefix in modules:
            return None
    return None


MODULE_STRING = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*(?::[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)?")
"""``a.b``, ``a.b.name`` or ``a.b:name``: what a string naming a module (or a name in it) looks like."""


def relocate_string(value: str, moves: Mapping[str, str], modules: Collection[str] = ()) -> str | None:
    """The string that names, after ``moves``, what ``value`` names when it is exactly a moved
    module's dotted name, ``<moved module>.<attribute>`` or ``<moved module>:<attribute>``; None
    for any other string (a longer text that only holds such a name included)."""
    if not MODULE_STRING.fullmatch(value):
        return None
    name, colon, attribute = value.partition(":")
    if colon:
        return f"{moves[name]}:{attribute}" if name in moves else None
    if name in moves:
        return None if _split(name, moves, modules) else moves[name]
    parent, _, attribute = name.rpartition(".")
    if parent in moves and name not in modules and not _split(parent, moves, modules):
        return f"{moves[parent]}.{attribute}"
    return None


def _split(package: str, moves: Mapping[str, str], modules: Collection[str]) -> bool:
    """Whether a moved package left modules behind: its name then still names them where they
    are (Django's ``INSTALLED_APPS`` entry names the package that holds the app's models), so a
    string keeps it; ``package:attribute`` alone means what its ``__init__`` defines."""
    return any(module.startswith(package + ".") and module not in moves for module in modules)


def _dotted(node: cst.BaseExpression) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{_dotted(node.value)}.{node.attr.value}"
    raise ValueError("not a dotted name")


def _expression(dotted: str) -> cst.Attribute | cst.Name:
    parts = dotted.split(".")
    node: cst.Attribute | cst.Name = cst.Name(parts[0])
    for part in parts[1:]:
        node = cst.Attribute(value=node, attr=cst.Name(part))
    return node


def absolute(module: str, is_package: bool, level: int, name: str | None) -> str:
    base = module.split(".") if is_package else module.split(".")[:-1]
    if level > 1:
        base = base[: len(base) - (level - 1)]
    return ".".join(base + ([name] if name else []))


class _Rewriter(cst.CSTTransformer):
    def __init__(self, module: str, is_package: bool, moves: Mapping[str, str], foreign: Sequence[str], modules: Collection[str]) -> None:
        self.module, self.is_package, self.moves, self.foreign_modules, self.modules = module, is_package, moves, foreign, modules
        self.foreign: set[str] = set()
        self.renamed: dict[str, str] = {}
        """``import a.b.c`` moved to ``x.b.c``: code that says ``a.b.c.Thing`` must follow."""

    def _note_foreign(self, target: str) -> None:
        for other in self.foreign_modules:
            if target == other or target.startswith(other + "."):
                self.foreign.add(other)

    def leave_ImportFrom(self, original: cst.ImportFrom, updated: cst.ImportFrom) -> cst.ImportFrom | cst.FlattenSentinel[cst.ImportFrom]:
        level = len(updated.relative)
        written = _dotted(updated.module) if updated.module is not None else None
        source = absolute(self.module, self.is_package, level, written) if level else written
        if not source:
            return updated
        self._note_foreign(source)
        target = relocate_known(source, self.moves, self.modules)
        if isinstance(updated.names, cst.ImportStar):
            return updated if target is None else updated.with_changes(module=_expression(target), relative=[])
        groups: dict[str, list[cst.ImportAlias]] = {}
        for alias in updated.names:
            self._note_foreign(f"{source}.{_dotted(alias.name)}")
            where, moved = self._from_where(source, target, alias)
            groups.setdefault(where, []).append(moved)
        if list(groups) == [source]:
            return updated
        if len(groups) > 1:  # the names split: each statement ends on its own
            groups = {where: [*aliases[:-1], aliases[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)] for where, aliases in groups.items()}
        statements = [self._from(updated, source, where, aliases) for where, aliases in groups.items()]
        return statements[0] if len(statements) == 1 else cst.FlattenSentinel(statements)

    def _from_where(self, source: str, target: str | None, alias: cst.ImportAlias) -> tuple[str, cst.ImportAlias]:
        """Where one name of ``from source import name`` comes from after the moves, and its alias
        there: a submodule follows its own move (``from pkg import module``), any other name its module's."""
        name = _dotted(alias.name)
        full = f"{source}.{name}"
        if full in self.moves or full in self.modules:
            if full not in self.moves:
                return source, alias
            where, _, leaf = self.moves[full].rpartition(".")
            if leaf != name and alias.asname is None:
                alias = alias.with_changes(asname=cst.AsName(name=cst.Name(name)))
            return where, alias.with_changes(name=cst.Name(leaf))
        return target or source, alias

    def _from(self, updated: cst.ImportFrom, source: str, where: str, aliases: list[cst.ImportAlias]) -> cst.ImportFrom:
        if where == source:
            return updated.with_changes(names=aliases)
        # relative imports become absolute: the package around the module is a new one
        return updated.with_changes(module=_expression(where), relative=[], names=aliases)

    def leave_Import(self, original: cst.Import, updated: cst.Import) -> cst.Import:
        names = []
        for alias in updated.names:
            written = _dotted(alias.name)
            self._note_foreign(written)
            target = relocate_known(written, self.moves, self.modules)
            if target is not None:
                if alias.asname is None:
                    self.renamed[written] = target
                alias = alias.with_changes(name=_expression(target))
            names.append(alias)
        return updated.with_changes(names=names)

    def visit_ConcatenatedString(self, node: cst.ConcatenatedString) -> bool:
        return False  # a part of a longer string is never a name of its own

    def leave_SimpleString(self, original: cst.SimpleString, updated: cst.SimpleString) -> cst.SimpleString:
        if "b" in updated.prefix.lower():
            return updated
        try:
            value = updated.evaluated_value
        except (SyntaxError, ValueError):
            return updated
        # without the monolith's modules a package that left modules behind cannot be told: strings stay
        target = relocate_string(value, self.moves, self.modules) if isinstance(value, str) and self.modules else None
        if target is None:
            return updated
        return updated.with_changes(value=f"{updated.prefix}{updated.quote}{target}{updated.quote}")

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
        if not self.renamed:
            return updated
        try:
            written = _dotted(updated)
        except ValueError:
            return updated
        for old, new in self.renamed.items():
            if written == old or written.startswith(old + "."):
                return _expression(new + written[len(old):])
        return updated


def carry_module(
    source: str, *, module: str, is_package: bool, moves: Mapping[str, str], foreign: Sequence[str] = (), modules: Collection[str] = (),
) -> Carried:
    """``source`` of ``module`` with its imports (and, given the monolith's ``modules``, the strings
    that name moved modules) moved; everything else byte for byte. ``modules`` tell a module that
    stays from a name inside a package that moved (without them, everything under a moved name
    moves, and strings stay as they are)."""
    tree, found = carry_tree(cst.parse_module(source), module=module, is_package=is_package, moves=moves, foreign=foreign, modules=modules)
    return Carried(tree.code, found)


def carry_tree(
    tree: cst.Module, *, module: str, is_package: bool, moves: Mapping[str, str], foreign: Sequence[str] = (),
    modules: Collection[str] = (), only: Collection[int] | None = None, renamed: Mapping[str, str] | None = None,
) -> tuple[cst.Module, tuple[str, ...]]:
    """``tree`` carried as ``carry_module`` carries its source, and the foreign modules it imports.
    ``only``: the indices of the top-level statements that name a moved module (the others are
    left as they are, unvisited); every statement is visited when a moved ``import a.b`` makes the
    code that says ``a.b.name`` follow it. ``renamed``: such moved imports the tree does not hold
    (it is a part of a module, ``generators/splice.py``), old name -> new."""
    rewriter = _Rewriter(module, is_package, moves, foreign, modules)
    rewriter.renamed.update(renamed or {})
    chosen = range(len(tree.body)) if only is None else sorted(only)
    # imports first, so that the names they move are known when the code that uses them is seen
    for index in chosen:
        tree.body[index].visit(_ImportCollector(rewriter))
    if only is None or rewriter.renamed:
        if only is not None:
            return carry_tree(tree, module=module, is_package=is_package, moves=moves, foreign=foreign, modules=modules)
        return tree.visit(rewriter), tuple(sorted(rewriter.foreign))
    body = list(tree.body)
    for index in chosen:
        body[index] = ensure_type(body[index].visit(rewriter), cst.BaseStatement)
    return tree.with_changes(body=body), tuple(sorted(rewriter.foreign))


class _ImportCollector(cst.CSTVisitor):
    def __init__(self, rewriter: _Rewriter) -> None:
        self.rewriter = rewriter

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            written = _dotted(alias.name)
            target = relocate_known(written, self.rewriter.moves, self.rewriter.modules)
            if target is not None and alias.asname is None:
                self.rewriter.renamed[written] = target
