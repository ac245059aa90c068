"""Carrying a service's modules over from the monolith with libcst: imports rewritten to the
service's own package and to the shared library, formatting and comments kept as they were."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import libcst as cst


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


def _absolute(module: str, is_package: bool, level: int, name: str | None) -> str:
    base = module.split(".") if is_package else module.split(".")[:-1]
    if level > 1:
        base = base[: len(base) - (level - 1)]
    return ".".join(base + ([name] if name else []))


class _Rewriter(cst.CSTTransformer):
    def __init__(self, module: str, is_package: bool, moves: Mapping[str, str], foreign: Sequence[str]) -> None:
        self.module, self.is_package, self.moves, self.foreign_modules = module, is_package, moves, foreign
        self.foreign: set[str] = set()
        self.renamed: dict[str, str] = {}
        """``import a.b.c`` moved to ``x.b.c``: code that says ``a.b.c.Thing`` must follow."""

    def _note_foreign(self, target: str) -> None:
        for other in self.foreign_modules:
            if target == other or target.startswith(other + "."):
                self.foreign.add(other)

    def leave_ImportFrom(self, original: cst.ImportFrom, updated: cst.ImportFrom) -> cst.ImportFrom:
        level = len(updated.relative)
        written = _dotted(updated.module) if updated.module is not None else None
        source = _absolute(self.module, self.is_package, level, written) if level else written
        if not source:
            return updated
        self._note_foreign(source)
        if not isinstance(updated.names, cst.ImportStar):
            for alias in updated.names:
                self._note_foreign(f"{source}.{_dotted(alias.name)}")
        target = relocate(source, self.moves)
        if target is None:
            return updated
        # relative imports become absolute: the package around the module is a new one
        return updated.with_changes(module=_expression(target), relative=[])

    def leave_Import(self, original: cst.Import, updated: cst.Import) -> cst.Import:
        names = []
        for alias in updated.names:
            written = _dotted(alias.name)
            self._note_foreign(written)
            target = relocate(written, self.moves)
            if target is not None:
                if alias.asname is None:
                    self.renamed[written] = target
                alias = alias.with_changes(name=_expression(target))
            names.append(alias)
        return updated.with_changes(names=names)

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


def carry_module(source: str, *, module: str, is_package: bool, moves: Mapping[str, str], foreign: Sequence[str] = ()) -> Carried:
    """``source`` of ``module`` with its imports moved; everything else byte for byte."""
    tree = cst.parse_module(source)
    rewriter = _Rewriter(module, is_package, moves, foreign)
    # imports first, so that the names they move are known when the code that uses them is seen
    for statement in tree.body:
        statement.visit(_ImportCollector(rewriter))
    return Carried(tree.visit(rewriter).code, tuple(sorted(rewriter.foreign)))


class _ImportCollector(cst.CSTVisitor):
    def __init__(self, rewriter: _Rewriter) -> None:
        self.rewriter = rewriter

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            written = _dotted(alias.name)
            target = relocate(written, self.rewriter.moves)
            if target is not None and alias.asname is None:
                self.rewriter.renamed[written] = target
