"""Route decorators, registration calls and app/blueprint/router constructors, as facts."""

from __future__ import annotations

import ast

from analyzers.routes.expressions import _argument, _keywords, _methods, _name, _optional_text, _string, _text
from analyzers.routes.facts import AppObject, Argument, HelperCall, Registration, RouteDecorator, ViewRef
from analyzers.routes.route_like import is_route_like
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


def _registrations(call: ast.Call, verb: str, receiver: str, scope: str) -> list[Registration]:
    """The registrations a call makes: Flask-RESTful's ``add_resource`` takes several paths."""
    if verb == "add_resource":
        resource = _view_ref(call.args[0]) if call.args and not isinstance(call.args[0], ast.Starred) else None
        name = _string(_keywords(call).get("endpoint"))
        paths = [a for a in call.args[1:] if not isinstance(a, ast.Starred)]
        return [Registration(scope, receiver, verb, call.lineno, _text(p), resource, None, name) for p in paths] if resource else []
    if verb == "init_app":  # api.init_app(app): the Api is mounted on the app, as Api(app) does
        app = _name(_argument(call, 0, "app"))
        return [Registration(scope, app, verb, call.lineno, None, ViewRef(receiver))] if app else []
    found = _registration(call, verb, receiver, scope)
    return [found] if found else []


def _registration(call: ast.Call, verb: str, receiver: str, scope: str) -> Registration | None:
    line, keywords = call.lineno, _keywords(call)
    if verb == "add_namespace":
        namespace = _name(_argument(call, 0, "ns"))
        path = _optional_text(_argument(call, 1, "path"))
        return Registration(scope, receiver, verb, line, path, ViewRef(namespace)) if namespace else None
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
    given = keywords.get("methods")
    methods = ("WEBSOCKET",) if verb == "add_api_websocket_route" else _methods(given)
    name = _string(_argument(call, 1, "endpoint") if verb == "add_url_rule" else keywords.get("name"))
    forwards = next((k.value.id for k in call.keywords if k.arg is None and isinstance(k.value, ast.Name)), None)
    methods_from = given.id if isinstance(given, ast.Name) else None
    return Registration(scope, receiver, verb, line, _text(path), view, methods, name,
                        methods_from=methods_from, forwards=forwards)


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
    last = callee.rpartition(".")[2]
    if last in ("Namespace", "namespace"):  # RESTX: Namespace("todos", path="/x") serves at /todos unless told
        name = _argument(call, 0, "name")
        path = keywords.get("path") or (ast.JoinedStr([ast.Constant("/"), name]) if _string(name) else None)
        parent = callee.rpartition(".")[0] if last == "namespace" else None
        return AppObject(scope, var, callee, _optional_text(path), line, parent=parent or None)
    prefix = keywords.get("url_prefix") or keywords.get("prefix")
    slash = keywords.get("trailing_slash")
    trailing = not (isinstance(slash, ast.Constant) and slash.value in (False, ""))
    parent = _name(_argument(call, 0, "app")) if last == "Api" else None
    return AppObject(scope, var, callee, _optional_text(prefix), line, trailing, parent)


def _helper_call(call: ast.Call, scope: str) -> HelperCall | None:
    """A call that passes a route-like path (``"/x"``, or a list of them): a helper, maybe."""
    callee = _name(call.func)
    if callee is None:
        return None
    args = tuple(_helper_argument(a) for a in call.args if not isinstance(a, ast.Starred))
    keywords = tuple((k.arg, _helper_argument(k.value)) for k in call.keywords if k.arg)
    if not any(_route_like(node) for node in _path_nodes(call)):
        return None
    return HelperCall(scope, callee, call.lineno, args, keywords)


def _path_nodes(call: ast.Call) -> list[ast.expr]:
    nodes = [*call.args, *(k.value for k in call.keywords)]
    return [e for node in nodes for e in (node.elts if isinstance(node, (ast.List, ast.Tuple)) else [node])]


def _helper_argument(node: ast.expr) -> Argument:
    if isinstance(node, (ast.List, ast.Tuple)):
        paths = tuple(_text(e) for e in node.elts if _path_start(e) is not None)
        return Argument(paths, many=True, methods=None if paths else _methods(node))
    if _path_start(node) is not None:
        return Argument((_text(node),))
    return Argument(view=_view_ref(node))


def _path_start(node: ast.expr) -> str | None:
    """The literal start of a string that begins with ``/`` ("/" itself included), else None."""
    if isinstance(node, ast.JoinedStr):
        node = node.values[0] if node.values else node
    text = _string(node)
    return text if text is not None and text.startswith("/") else None


def _route_like(node: ast.expr) -> bool:
    text = _path_start(node)
    return text is not None and is_route_like(text)
