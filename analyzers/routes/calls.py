"""Route decorators, registration calls and app/blueprint/router constructors, as facts."""

from __future__ import annotations

import ast

from analyzers.routes.expressions import _argument, _keywords, _methods, _name, _optional_text, _string, _text
from analyzers.routes.facts import AppObject, Registration, RouteDecorator, ViewRef
from analyzers.routes.urlconf import _view_ref
from analyzers.routes.vocabulary import CONSTRUCTOR_HINT, RESTRICTING


def _route_decorator(call: ast.Call, scope: str, handler: str) -> RouteDecorator | None:
    assert isinstance(call.func, ast.Attribute)
    receiver = _name(call.func.value)
    path = _argument(call, 0, "path", "rule")
    if receiver is None or path is None:
        return None
    keywords = _keywords(call)
    name = _string(keywords.get("name") or keywords.get("endpoint"))
    methods = _methods(keywords.get("methods"))
    return RouteDecorator(scope, receiver, call.func.attr, _text(path), methods, handler, call.lineno, name)


def _restricted_methods(decorator: ast.expr, function: str) -> tuple[str, ...] | None:
    if function in RESTRICTING:
        return RESTRICTING[function]
    if isinstance(decorator, ast.Call):
        methods = _methods(_argument(decorator, 0, "request_method_list", "http_method_names"))
        if methods:
            return methods
    return ("GET",) if function == "api_view" else None


def _registration(call: ast.Call, verb: str, receiver: str, scope: str) -> Registration | None:
    line, keywords = call.lineno, _keywords(call)
    if verb == "register_blueprint":
        blueprint = _name(_argument(call, 0, "blueprint"))
        prefix = _optional_text(keywords.get("url_prefix"))
        return Registration(scope, receiver, verb, line, prefix, ViewRef(blueprint)) if blueprint else None
    if verb == "include_router":
        router = _name(_argument(call, 0, "router"))
        prefix = _optional_text(keywords.get("prefix"))
        return Registration(scope, receiver, verb, line, prefix, ViewRef(router)) if router else None
    if verb == "mount":
        path, app = _argument(call, 0, "path"), _name(_argument(call, 1, "app"))
        return Registration(scope, receiver, verb, line, _text(path), ViewRef(app)) if path is not None and app else None
    if verb == "register":
        return _drf_registration(call, receiver, scope)
    path = _argument(call, 0, "rule", "path")
    view_node = _argument(call, 2, "view_func") if verb == "add_url_rule" else _argument(call, 1, "endpoint")
    view = _view_ref(view_node) if view_node is not None else None
    if path is None or view is None:
        return None
    methods = ("WEBSOCKET",) if verb == "add_api_websocket_route" else _methods(keywords.get("methods"))
    name = _string(_argument(call, 1, "endpoint") if verb == "add_url_rule" else keywords.get("name"))
    return Registration(scope, receiver, verb, line, _text(path), view, methods, name)


def _drf_registration(call: ast.Call, receiver: str, scope: str) -> Registration | None:
    prefix, viewset = _argument(call, 0, "prefix"), _name(_argument(call, 1, "viewset"))
    # ``admin.site.register(Model, ModelAdmin)`` and the like take no string prefix
    if viewset is None or not (_string(prefix) is not None or isinstance(prefix, ast.JoinedStr)):
        return None
    basename = _string(_argument(call, 2, "basename", "base_name"))
    return Registration(scope, receiver, "register", call.lineno, _text(prefix), ViewRef(viewset), name=basename)


def _app_object(call: ast.Call, scope: str, var: str, line: int) -> AppObject | None:
    callee = _name(call.func)
    if not callee or not CONSTRUCTOR_HINT.search(callee.rpartition(".")[2]):
        return None
    keywords = _keywords(call)
    prefix = keywords.get("url_prefix") or keywords.get("prefix")
    slash = keywords.get("trailing_slash")
    trailing = not (isinstance(slash, ast.Constant) and slash.value in (False, ""))
    return AppObject(scope, var, callee, _optional_text(prefix), line, trailing)
