"""The scopes a file's reads and writes belong to, and the nodes of each worth scanning."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from analyzers.data.syntax import _blocks, _holds_definitions, _is_docstring, _qualify
from analyzers.data.sql import sql_string_starts
from analyzers.data.vocab import ACCESS_WORDS
from analyzers.words import LineSet, Words


def _scopes(tree: ast.Module) -> Iterator[tuple[str, list[ast.AST], set[int]]]:
    """(scope, nodes to walk, docstring ids) per function, class body and module code.

    Scopes follow the symbols analyzer: nested functions and classes inside functions belong to
    the outermost function.
    """
    yield from _scopes_of(tree.body, "")


def _scopes_of(body: list[ast.stmt], prefix: str) -> Iterator[tuple[str, list[ast.AST], set[int]]]:
    loose: list[ast.AST] = []
    docstrings = {id(body[0].value)} if body and _is_docstring(body[0]) else set()
    for statement in body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield _qualify(prefix, statement.name), [statement], set()
        elif isinstance(statement, ast.ClassDef):
            yield from _scopes_of(statement.body, _qualify(prefix, statement.name))
        elif isinstance(statement, (ast.If, ast.Try)) and _holds_definitions(statement):
            if isinstance(statement, ast.If):
                loose.append(statement.test)
            for block in _blocks(statement):
                yield from _scopes_of(block, prefix)
        else:
            loose.append(statement)
    if loose:
        yield prefix, loose, docstrings


ACCESS = Words(ACCESS_WORDS)
"""The query words a scope's text is searched for (the analyzer's first test, too)."""


class _Hints(LineSet):
    """Where a file's text mentions a query word or starts a SQL string."""

    __slots__ = ()

    def __init__(self, source: str) -> None:
        offsets = sql_string_starts(source)
        offsets.extend(at for at, _ in ACCESS.occurrences(source))
        super().__init__(source, offsets)

    def within(self, roots: list[ast.AST]) -> bool:
        for root in roots:
            first = getattr(root, "lineno", None)
            if first is not None and self.any_between(first, getattr(root, "end_lineno", None) or first):
                return True
        return False


SKIPPED_FIELDS = frozenset({"ctx", "op", "ops", "type_comment", "kind", "type_ignores"})
KEPT_NODES = frozenset({ast.Call, ast.Assign, ast.AugAssign, ast.AnnAssign, ast.JoinedStr,
                        ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.For, ast.AsyncFor,
                        ast.comprehension, ast.withitem})
MIN_SQL_LENGTH = 12
"""Shorter strings are not worth reading as SQL (``"SELECT 1"``)."""
_FIELDS: dict[type, tuple[tuple[str, ...], bool]] = {}
_WALKED = frozenset(
    kind for kind in vars(ast).values()
    if isinstance(kind, type) and issubclass(kind, ast.AST) and kind is not ast.Name
    and not issubclass(kind, (ast.expr_context, ast.operator, ast.unaryop, ast.cmpop, ast.boolop))
)
"""The node classes the walk descends into: all but names and the marker nodes (``Load()``, ``Add()``)."""


def _walk(roots: list[ast.AST]) -> list[ast.AST]:
    """The nodes the scope scanner looks at, parents before children, in source order.

    Twice as fast as ``ast.walk``: it skips contexts, operators and names, and keeps only
    the node types the scanner uses. One set lookup tells both that a field's value is a node
    and that it is worth descending into.
    """
    kept: list[ast.AST] = []
    stack = list(reversed(roots))
    pop, push, keep, walked, constant = stack.pop, stack.append, kept.append, _WALKED, ast.Constant
    while stack:
        node = pop()
        kind = type(node)
        entry = _FIELDS.get(kind)
        if entry is None:
            fields = tuple(reversed([f for f in kind._fields if f not in SKIPPED_FIELDS]))
            entry = _FIELDS[kind] = (fields, kind in KEPT_NODES)
        if entry[1]:
            keep(node)
        elif kind is constant:
            if type(node.value) is str and len(node.value) >= MIN_SQL_LENGTH:
                keep(node)
            continue
        for name in entry[0]:  # pushed last to first, so that they come off the stack in order
            value = getattr(node, name)
            if type(value) is list:
                for item in reversed(value):
                    if type(item) in walked:
                        push(item)
            elif type(value) in walked:
                push(value)
    return kept
