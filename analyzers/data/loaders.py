"""Scan of aiosql: the queries a module loads from .sql files, and the calls that may run them.

``queries = aiosql.from_path(Path(__file__).parent / "sql", "asyncpg")`` loads every named
query of the .sql files there; ``queries.get_user(conn, ...)`` runs one, in this module or in
one that imports ``queries``. A module cannot tell which imported names hold queries, so it
records every method called on an imported name with a connection first; the link keeps those
whose name resolves to a loader.
"""

from __future__ import annotations

import ast
import posixpath
import re
from collections import defaultdict
from collections.abc import Iterator

from analyzers.base import ParsedModule
from analyzers.data.facts import DataFacts, QueryCall, QueryLoader
from analyzers.data.scopes import _walk
from analyzers.data.syntax import _blocks, _called_name, _qualify, _string
from analyzers.names import dotted
from analyzers.words import LineSet

_PASSED_ON = frozenset({"str", "Path", "PurePath", "fspath", "resolve", "absolute", "abspath", "realpath",
                        "expanduser"})
"""Calls that give their path argument (or their owner) as it is."""
Place = tuple[str, str]
"""(anchor, path): "file" (the module's own file, only on the way), "module" or "cwd" (as in
``QueryLoader``)."""


def _scan_loaders(module: ParsedModule, facts: DataFacts) -> None:
    """Module-level ``name = aiosql.from_path(path, driver)`` whose path can be read."""
    statements = _module_statements(module.tree.body)
    constants = {
        target.id: statement.value for statement in statements if isinstance(statement, ast.Assign)
        for target in statement.targets if isinstance(target, ast.Name)
    }
    for statement in statements:
        if not (isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Call)):
            continue
        call = statement.value
        called = _called_name(call)
        if called != "aiosql.from_path" and not (called == "from_path" and "aiosql" in module.source):
            continue
        argument = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "sql_path"), None)
        place = _path(argument, constants, 0) if argument is not None else None
        if place is None or place[0] == "file":
            continue
        for target in statement.targets:
            if isinstance(target, ast.Name):
                facts.loaders.append(QueryLoader(target.id, statement.lineno, place[0], place[1]))


def _module_statements(body: list[ast.stmt]) -> list[ast.stmt]:
    found: list[ast.stmt] = []
    for statement in body:
        if isinstance(statement, (ast.If, ast.Try)):
            for block in _blocks(statement):
                found.extend(_module_statements(block))
        else:
            found.append(statement)
    return found


def _path(node: ast.expr, constants: dict[str, ast.expr], depth: int) -> Place | None:
    """Where a path expression points: a literal, ``__file__``, ``.parent``, ``/``, ``joinpath``,
    ``os.path.join`` and ``dirname``, and module constants made of those."""
    if depth > 8:
        return None
    text = _string(node)
    if text is not None:
        return None if text.startswith("/") else ("cwd", posixpath.normpath(text))
    if isinstance(node, ast.Name):
        if node.id == "__file__":
            return ("file", "")
        value = constants.get(node.id)
        return _path(value, constants, depth + 1) if value is not None else None
    if isinstance(node, ast.Attribute) and node.attr == "parent":
        return _parent(_path(node.value, constants, depth + 1))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        return _joined(_path(node.left, constants, depth + 1), [node.right])
    if not isinstance(node, ast.Call):
        return None
    last = _called_name(node).rpartition(".")[2]
    if last in _PASSED_ON:
        owner = node.func.value if isinstance(node.func, ast.Attribute) and not node.args else None
        inner = node.args[0] if node.args else owner
        return _path(inner, constants, depth + 1) if inner is not None else None
    if last == "dirname" and node.args:
        return _parent(_path(node.args[0], constants, depth + 1))
    if last == "join" and node.args:
        return _joined(_path(node.args[0], constants, depth + 1), node.args[1:])
    if last == "joinpath" and isinstance(node.func, ast.Attribute):
        return _joined(_path(node.func.value, constants, depth + 1), node.args)
    return None


def _parent(place: Place | None) -> Place | None:
    if place is None:
        return None
    anchor, path = place
    if anchor == "file":
        return ("module", ".")
    return (anchor, posixpath.normpath(posixpath.join(path, "..")))


def _joined(place: Place | None, parts: list[ast.expr]) -> Place | None:
    texts = [_string(part) for part in parts]
    if place is None or place[0] == "file" or any(t is None or t.startswith("/") for t in texts):
        return None
    return (place[0], posixpath.normpath(posixpath.join(place[1], *texts)))


# -- the calls -----------------------------------------------------------------------------------


_METHOD_CALL = re.compile(r"\.\w+(?:\.\w+){0,2}\(\s*[A-Za-z_]")
"""``.query(conn`` or ``.space.query(self.conn``: where a query may run, if what comes before holds queries."""


def _calls_on(source: str, heads: set[str]) -> list[int]:
    """Where ``head.query(conn`` is written with a head of ``heads``. The head is read backwards
    from the dot: a pattern that starts with a name would be tried at every letter of the text."""
    found = []
    for match in _METHOD_CALL.finditer(source):
        end = start = match.start()
        while start and (source[start - 1].isalnum() or source[start - 1] == "_"):
            start -= 1
        if start < end and (not start or source[start - 1] != ".") and source[start:end] in heads:
            found.append(start)
    return found


def _scan_query_calls(module: ParsedModule, facts: DataFacts) -> None:
    """``name.query(conn, ...)`` and ``name.space.query(conn, ...)`` on an imported name or a
    loader of this module: the calls that may run a loaded query."""
    source = module.source
    heads = {loader.variable for loader in facts.loaders}
    for statement in _module_statements(module.tree.body):
        if isinstance(statement, ast.ImportFrom):
            heads.update(alias.asname or alias.name for alias in statement.names if alias.name != "*")
    lines = LineSet(source, _calls_on(source, heads)) if heads else None
    if not lines:
        return
    by_scope: dict[str, list[ast.AST]] = defaultdict(list)
    for scope, node in _holding(module.tree.body, lines, "", in_function=False):
        by_scope[scope].append(node)
    for scope, nodes in by_scope.items():
        for node in _walk(nodes):
            if type(node) is ast.Call and isinstance(node.func, ast.Attribute) and node.args:
                called = dotted(node.func)
                connection = isinstance(node.args[0], (ast.Name, ast.Attribute))
                if called and connection and called.partition(".")[0] in heads:
                    facts.query_calls.append(QueryCall(scope, called, node.lineno))


def _holding(
    nodes: list[ast.AST], lines: LineSet, scope: str, *, in_function: bool
) -> Iterator[tuple[str, ast.AST]]:
    """(scope, node) of the smallest statements (or the headers of compound ones) that span
    one of ``lines``: what is worth walking. Scopes are the data scan's (``scopes._scopes``):
    functions and methods, class bodies, module code; a function holds what is nested in it."""
    for node in nodes:
        first = getattr(node, "lineno", None)  # a match statement's cases have none: looked into
        if first is not None and not lines.any_between(first, getattr(node, "end_lineno", None) or first):
            continue
        inner, function = scope, in_function
        if not in_function and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            inner, function = _qualify(scope, node.name), not isinstance(node, ast.ClassDef)
        fields = list(ast.iter_fields(node))
        bodies = [value for name, value in fields if name in _BODIES and isinstance(value, list)]
        if not bodies:
            yield inner, node
            continue
        for name, value in fields:
            if name not in _BODIES:
                items = value if isinstance(value, list) else [value]
                yield from ((inner, item) for item in items if isinstance(item, ast.AST))
        for body in bodies:
            yield from _holding(body, lines, inner, in_function=function)


_BODIES = frozenset({"body", "orelse", "finalbody", "handlers", "cases"})
