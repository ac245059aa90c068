"""Reading the expressions of route calls: names, strings, arguments, paths, methods."""

from __future__ import annotations

import ast

from analyzers.names import dotted
from analyzers.routes.vocabulary import Text


def _name(node: ast.AST | None) -> str | None:
    """``a.b.c`` for a name or attribute chain; None for anything else (calls included)."""
    return None if node is None or isinstance(node, ast.Call) else dotted(node)


def _string(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _keywords(call: ast.Call) -> dict[str, ast.expr]:
    return {k.arg: k.value for k in call.keywords if k.arg}


def _argument(call: ast.Call, index: int, *names: str) -> ast.expr | None:
    """The argument at ``index``, or given by one of the keyword ``names``."""
    if len(call.args) > index and not isinstance(call.args[index], ast.Starred):
        return call.args[index]
    keywords = _keywords(call)
    return next((keywords[n] for n in names if n in keywords), None)


def _text(node: ast.expr) -> Text:
    """A path expression as parts; f-strings and ``+`` keep their literal pieces."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return (("lit", node.value),)
    if isinstance(node, ast.JoinedStr):
        parts: list[tuple[str, str]] = []
        for value in node.values:
            if isinstance(value, ast.Constant):
                parts.append(("lit", str(value.value)))
            elif isinstance(value, ast.FormattedValue) and value.format_spec is None and _name(value.value):
                parts.append(("name", _name(value.value) or ""))
            else:
                parts.append(("unknown", _source(value)))
        return tuple(parts)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _text(node.left) + _text(node.right)
    key = _config_key(node)
    if key is not None:
        return (("config", key),)
    name = _name(node)
    return (("name", name),) if name else (("unknown", _source(node)),)


def _config_key(node: ast.expr) -> str | None:
    """``KEY`` of ``app.config["KEY"]``: a Flask setting, read from the config classes or modules."""
    if not isinstance(node, ast.Subscript) or not (_name(node.value) or "").rpartition(".")[2] == "config":
        return None
    return _string(node.slice)


def _optional_text(node: ast.expr | None) -> Text | None:
    if node is None or (isinstance(node, ast.Constant) and node.value is None):
        return None
    return _text(node)


def _source(node: ast.AST) -> str:
    try:
        return ast.unparse(node)[:80]
    except (ValueError, RecursionError, AttributeError):  # exotic trees ast.unparse cannot print
        return "?"


def _methods(node: ast.AST | None) -> tuple[str, ...] | None:
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        found = tuple(e.value.upper() for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str))
        return found or None
    text = _string(node)
    return (text.upper(),) if text else None
