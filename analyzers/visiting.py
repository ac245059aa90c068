"""A faster ``ast.NodeVisitor``: the scan phase walks every file, so the walk itself counts.

Handlers are looked up once per node class, and the walk does not descend into the nodes that
carry no code (``ctx`` markers such as ``Load()``, operators such as ``Add()``).
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from typing import Any

_LEAF_FIELDS = frozenset({"ctx", "op", "ops", "type_comment", "kind"})
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}


def child_fields(cls: type) -> tuple[str, ...]:
    fields = _CHILD_FIELDS.get(cls)
    if fields is None:
        fields = _CHILD_FIELDS[cls] = tuple(f for f in getattr(cls, "_fields", ()) if f not in _LEAF_FIELDS)
    return fields


class FastVisitor:
    """Drop-in for ``ast.NodeVisitor``: define ``visit_<Class>`` methods, call ``visit``."""

    def __init__(self) -> None:
        self._handlers: dict[type, Callable[[Any], Any]] = {}

    def visit(self, node: ast.AST) -> Any:
        cls = node.__class__
        handler = self._handlers.get(cls)
        if handler is None:
            handler = self._handlers[cls] = getattr(self, "visit_" + cls.__name__, self.generic_visit)
        return handler(node)

    def generic_visit(self, node: ast.AST) -> None:
        for name in child_fields(node.__class__):
            value = getattr(node, name, None)
            if value is None:
                continue
            if type(value) is list:
                for item in value:
                    if isinstance(item, ast.AST):
                        self.visit(item)
            elif isinstance(value, ast.AST):
                self.visit(value)


STATEMENT_BLOCKS = ("body", "orelse", "finalbody", "handlers", "cases")


def inner_statements(statement: ast.stmt) -> Iterator[ast.AST]:
    """The statements nested directly in a compound statement (if, for, with, try, match...)."""
    for name in STATEMENT_BLOCKS:
        block = getattr(statement, name, None)
        if block:
            yield from block
