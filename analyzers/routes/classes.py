"""Class bodies: a Flask view's ``methods``, a DRF viewset's lookup and ``@action`` methods."""

from __future__ import annotations

import ast

from analyzers.names import dotted
from analyzers.routes.expressions import _argument, _keywords, _methods, _string
from analyzers.routes.facts import Action, ClassFacts


def _class_facts(node: ast.ClassDef) -> ClassFacts | None:
    attributes: dict[str, ast.expr] = {}
    actions: list[Action] = []
    for statement in node.body:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1 and isinstance(statement.targets[0], ast.Name):
            attributes[statement.targets[0].id] = statement.value
        elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            actions.extend(a for a in (_action(d, statement.name) for d in statement.decorator_list) if a)
    methods = _methods(attributes.get("methods"))
    lookup = _string(attributes.get("lookup_url_kwarg")) or _string(attributes.get("lookup_field"))
    if methods is None and lookup is None and not actions:
        return None
    return ClassFacts(methods, lookup, tuple(actions))


def _action(decorator: ast.expr, method: str) -> Action | None:
    kind = (dotted(decorator) or "").rpartition(".")[2]
    if kind not in ("action", "detail_route", "list_route"):
        return None
    call = decorator if isinstance(decorator, ast.Call) else ast.Call(decorator, [], [])
    keywords = _keywords(call)
    detail_node = _argument(call, 1, "detail")
    detail = kind == "detail_route" or (isinstance(detail_node, ast.Constant) and detail_node.value is True)
    methods = _methods(_argument(call, 0, "methods")) or ("GET",)
    url_path = _string(keywords.get("url_path")) or method
    url_name = _string(keywords.get("url_name")) or method.replace("_", "-")
    return Action(method, detail, methods, url_path, url_name)
