"""Django app configs that serve their own URL patterns (django-oscar's style): ``get_urls``
returns ``path()`` entries whose views are ``self.<attr>.as_view()``, set in ``ready()`` by a
class loader (``get_class("customer.views", "LoginView")``) or on the class; other apps' patterns
come in as ``self.<attr>.urls`` with ``self.<attr> = apps.get_app_config("label")``."""

from __future__ import annotations

import ast

from analyzers.names import dotted
from analyzers.routes.expressions import _argument, _string
from analyzers.routes.facts import Piece, Ref, UrlEntry
from analyzers.routes.urlconf import _pieces


def _url_method_pieces(method: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[Piece, ...]:
    """The patterns a ``get_urls`` builds: every list of ``path()`` entries it assigns, adds or returns."""
    found: list[Piece] = []
    for node in ast.walk(method):
        value = node.value if isinstance(node, (ast.Assign, ast.AugAssign, ast.Return)) else None
        if isinstance(value, (ast.List, ast.Tuple, ast.BinOp)):
            found.extend(p for p in _pieces(value) if isinstance(p, UrlEntry) or (isinstance(p, Ref) and p.app_label))
    return tuple(found)


def _self_attributes(node: ast.ClassDef) -> dict[str, tuple[str, str]]:
    """What each ``self.<attr>`` of the class holds, where the class says (see ``RouteFacts.attributes``)."""
    found: dict[str, tuple[str, str]] = {}
    for statement in node.body:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1 and isinstance(statement.targets[0], ast.Name):
            name = dotted(statement.value) if isinstance(statement.value, (ast.Name, ast.Attribute)) else None
            if name:
                found[statement.targets[0].id] = ("name", name)
    for method in (s for s in node.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))):
        for assign in (n for n in ast.walk(method) if isinstance(n, ast.Assign) and len(n.targets) == 1):
            target = assign.targets[0]
            if isinstance(target, ast.Attribute) and dotted(target.value) == "self" and isinstance(assign.value, ast.Call):
                held = _loaded(assign.value)
                if held is not None:
                    found[target.attr] = held
    return found


def _loaded(call: ast.Call) -> tuple[str, str] | None:
    if (dotted(call.func) or "").rpartition(".")[2] == "get_app_config":
        label = _string(_argument(call, 0, "app_label"))
        return ("app", label) if label else None
    strings = [_string(a) for a in call.args[:2]]
    if len(call.args) >= 2 and all(strings) and strings[1] and strings[1][:1].isupper():
        return ("class", f"{strings[0]}.{strings[1]}")  # a class loaded by its module's label and name
    return None
