"""Small readers of syntax shared by the scans: names, call chains, operands, sessions."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator

from analyzers.data.vocab import SESSION_TYPES
from analyzers.names import dotted


def _string(node: ast.expr | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _called_name(call: ast.Call) -> str:
    """The called name of ``f()``, ``a.b()`` and of factories called twice (``make()()``); "" if none."""
    func: ast.expr = call.func
    while isinstance(func, ast.Call):
        func = func.func
    return dotted(func) or ""


def _qualify(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def _blocks(statement: ast.If | ast.Try) -> Iterator[list[ast.stmt]]:
    yield statement.body
    yield statement.orelse
    if isinstance(statement, ast.Try):
        yield statement.finalbody
        for handler in statement.handlers:
            yield handler.body


def _holds_definitions(statement: ast.If | ast.Try) -> bool:
    definitions = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    return any(isinstance(s, definitions) for block in _blocks(statement) for s in block)


def _is_docstring(statement: ast.stmt) -> bool:
    value = statement.value if isinstance(statement, ast.Expr) else None
    return isinstance(value, ast.Constant) and isinstance(value.value, str)


def _chain(call: ast.Call) -> tuple[ast.expr, list[tuple[str, ast.Call]]]:
    """Split ``head.m1(...).m2(...)`` into the head expression and the method calls, inner first."""
    links: list[tuple[str, ast.Call]] = []
    node: ast.expr = call
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        links.append((node.func.attr, node))
        node = node.func.value
    links.reverse()
    return node, links


def _model_expressions(args: Iterable[ast.expr], depth: int = 0) -> list[str]:
    """Names that may be models or their columns in ``select(M, func.count(N.id))``, ``A.id == B.a_id``."""
    found: list[str] = []
    for arg in args:
        name = dotted(arg) if isinstance(arg, (ast.Name, ast.Attribute)) else None
        if name:
            found.append(name)
        elif depth < 4:
            found.extend(_model_expressions(_operands(arg), depth + 1))
    return found


def _operands(node: ast.expr) -> list[ast.expr]:
    if isinstance(node, ast.Call):
        inner = [node.func.value] if isinstance(node.func, ast.Attribute) else []
        return [*inner, *node.args, *(k.value for k in node.keywords)]
    if isinstance(node, ast.Compare):
        return [node.left, *node.comparators]
    if isinstance(node, ast.BoolOp):
        return list(node.values)
    if isinstance(node, ast.BinOp):
        return [node.left, node.right]
    if isinstance(node, (ast.UnaryOp, ast.Starred)):
        return [node.operand if isinstance(node, ast.UnaryOp) else node.value]
    if isinstance(node, (ast.List, ast.Tuple)):
        return list(node.elts)
    if isinstance(node, ast.Attribute):
        return [node.value]
    return []


def _is_session_factory(called: str) -> bool:
    """``Session(engine)``, ``SessionLocal()``, ``get_session()``: calls that give a session."""
    last = called.rpartition(".")[2]
    if last[:1].isupper():
        return last in SESSION_TYPES or last.endswith(("SessionLocal", "sessionmaker"))
    return "session" in last.lower() or last == "get_db"


def _looks_like_session(name: str) -> bool:
    lowered = name.lower()
    return "sess" in lowered or lowered.rpartition(".")[2] == "db"
