"""Module-level string constants, kept so prefixes held in variables can be read back."""

from __future__ import annotations

import ast

from analyzers.routes.vocabulary import MAX_CONSTANT


def _module_constants(body: list[ast.stmt], known: dict[str, str] | None = None) -> dict[str, str]:
    """Module-level ``NAME = "text"`` (also ``A + "x"`` and f-strings of such names), under
    ``if``/``try`` too: settings often branch, and prefixes are often built from prefixes.

    A class's own ``NAME = "text"`` is kept as ``Class.NAME``, and an instance made at module level
    (``settings = Settings()``) has them as ``settings.NAME``: a prefix read from a settings
    object (``prefix=settings.API_V1_STR``) is the default its class gives, or the value the
    call passes."""
    found = {} if known is None else known
    for statement in body:
        if isinstance(statement, (ast.Assign, ast.AnnAssign)) and statement.value is not None:
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            names = [t.id for t in targets if isinstance(t, ast.Name)]
            value = _fold(statement.value, found)
            if value is not None and len(value) <= MAX_CONSTANT:
                found.update((name, value) for name in names)
            elif isinstance(statement.value, ast.Call) and isinstance(statement.value.func, ast.Name):
                for name in names:
                    found.update(_instance_constants(statement.value, name, found))
        elif isinstance(statement, ast.ClassDef):
            own = _module_constants(statement.body, {})
            found.update((f"{statement.name}.{name}", value) for name, value in own.items() if "." not in name)
        elif isinstance(statement, (ast.If, ast.Try)):
            for block in (statement.body, statement.orelse, getattr(statement, "finalbody", [])):
                _module_constants(block, found)
    return found


def _instance_constants(call: ast.Call, name: str, known: dict[str, str]) -> dict[str, str]:
    """``name = Class(...)``: the class's constants under ``name``, with what the call passes by keyword."""
    assert isinstance(call.func, ast.Name)
    start = call.func.id + "."
    given = {k.arg: _fold(k.value, known) for k in call.keywords if k.arg}
    found = {}
    for key, value in known.items():
        if key.startswith(start):
            attribute = key[len(start) :]
            chosen = given.get(attribute, value)
            if chosen is not None:
                found[f"{name}.{attribute}"] = chosen
    return found


def _fold(node: ast.expr, known: dict[str, str]) -> str | None:
    """The string a constant expression spells, or None."""
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, str) else None
    if isinstance(node, ast.Name):
        return known.get(node.id)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _fold(node.left, known), _fold(node.right, known)
        return left + right if left is not None and right is not None else None
    if isinstance(node, ast.JoinedStr):
        parts = [_fold(v.value if isinstance(v, ast.FormattedValue) else v, known) for v in node.values]
        plain = all(
            not isinstance(v, ast.FormattedValue) or (v.format_spec is None and v.conversion == -1) for v in node.values
        )
        return "".join(p for p in parts if p is not None) if plain and None not in parts else None
    return None
