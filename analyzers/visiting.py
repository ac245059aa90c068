"""A faster ``ast.NodeVisitor``: the scan phase walks every file, so the walk itself counts.

Handlers are looked up once per visitor class and node class, and the walk does not descend
into the nodes that carry no code (``ctx`` markers such as ``Load()``, operators such as ``Add()``).
The handlers are kept per class, not per instance: bound methods stored on the instance would
make every visitor a reference cycle, which only the cyclic garbage collector frees, and the scan
runs with that collector paused.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import Any

_LEAF_FIELDS = frozenset({"ctx", "op", "ops", "type_comment", "kind"})
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}


def child_fields(cls: type) -> tuple[str, ...]:
    fields = _CHILD_FIELDS.get(cls)
    if fields is None:
        fields = _CHILD_FIELDS[cls] = tuple(f for f in getattr(cls, "_fields", ()) if f not in _LEAF_FIELDS)
    return fields


_CHILDLESS = frozenset({ast.Constant, ast.Pass, ast.Break, ast.Continue, ast.Global, ast.Nonlocal, ast.alias})
"""Nodes that hold no other node (``alias`` holds names only)."""


class FastVisitor:
    """Drop-in for ``ast.NodeVisitor``: define ``visit_<Class>`` methods, call ``visit``.

    ``generic_visit`` passes over the nodes that hold no other node when the visitor has no
    handler for them: a fifth of Django's nodes are constants."""

    _passed_over: frozenset[type] = _CHILDLESS
    _handlers: dict[type, Callable[[Any, Any], Any]] = {}
    """Node class -> this visitor class's handler for it, looked up on first use."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._passed_over = frozenset(kind for kind in _CHILDLESS if not hasattr(cls, "visit_" + kind.__name__))
        cls._handlers = {}

    def __init__(self) -> None:
        pass

    def visit(self, node: ast.AST) -> Any:
        handler = self._handlers.get(node.__class__)
        if handler is None:
            owner = self.__class__
            default = _visit_nothing if node.__class__ in owner._passed_over else owner.generic_visit
            handler = owner._handlers[node.__class__] = getattr(owner, "visit_" + node.__class__.__name__, default)
        return handler(self, node)

    def generic_visit(self, node: ast.AST) -> None:
        for name in child_fields(node.__class__):
            value = getattr(node, name, None)
            if value is None:
                continue
            if type(value) is list:
                self.visit_each(value)
            elif isinstance(value, ast.AST) and value.__class__ not in self._passed_over:
                self.visit(value)

    def visit_each(self, nodes: list[Any]) -> None:
        """Visit the nodes of a list field (passing over None, as in a dict's ``**`` keys, and
        what ``generic_visit`` passes over)."""
        visit, passed_over = self.visit, self._passed_over
        for item in nodes:
            if isinstance(item, ast.AST) and item.__class__ not in passed_over:
                visit(item)


def _visit_nothing(visitor: FastVisitor, node: ast.AST) -> None:
    """The visit of a node that holds no other node, for a visitor without a handler for it."""


STATEMENT_BLOCKS = ("body", "orelse", "finalbody", "handlers", "cases")
"""The fields of a compound statement (if, for, with, try, match...) that hold statements."""
_BLOCKS: dict[type, tuple[str, ...]] = {}


def statement_blocks(cls: type) -> tuple[str, ...]:
    """Which of ``STATEMENT_BLOCKS`` nodes of ``cls`` have (none, for a simple statement)."""
    found = _BLOCKS.get(cls)
    if found is None:
        fields = getattr(cls, "_fields", ())
        found = _BLOCKS[cls] = tuple(name for name in STATEMENT_BLOCKS if name in fields)
    return found
