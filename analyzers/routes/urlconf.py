"""Django URLconf expressions: ``path()``/``re_path()``/``url()``, ``include()`` and views."""

from __future__ import annotations

import ast
from dataclasses import replace

from analyzers.names import dotted
from analyzers.routes.expressions import _argument, _name, _string, _text
from analyzers.routes.facts import Piece, Ref, UrlEntry, ViewRef
from analyzers.routes.vocabulary import DOTTED_PATH, URL_FUNCTIONS


def _view_ref(node: ast.expr, *, strings: bool = False) -> ViewRef | None:
    """The view in ``V.as_view()``, ``views.f``, ``login_required(views.f)``, ``partial(f, x)``,
    and with ``strings`` (old Django URLconfs) ``"app.views.f"``."""
    text = _string(node)
    if text is not None:
        return ViewRef(text, dotted_string=True) if strings and DOTTED_PATH.fullmatch(text) else None
    if isinstance(node, ast.Call):
        called = dotted(node.func) or ""
        if called.endswith(".as_view"):
            mapping = node.args[0] if node.args and isinstance(node.args[0], ast.Dict) else None
            return ViewRef(called[: -len(".as_view")], True, _action_map(mapping))
        # a decorator applied by hand wraps one view: csrf_exempt(v), cache_page(60)(v); any other
        # call is a factory (redirect_view(".x")) that makes the view: it is the handler
        unwrap = len(node.args) == 1 or (called.rpartition(".")[2] == "partial" and node.args)
        wrapped = _view_ref(node.args[0]) if unwrap else None
        return wrapped or (ViewRef(called) if called else None)
    if isinstance(node, ast.Lambda):
        return ViewRef("")  # served by module-level code: the module is the handler
    name = _name(node)
    return ViewRef(name) if name else None


def _action_map(mapping: ast.Dict | None) -> tuple[tuple[str, str], ...]:
    if mapping is None:
        return ()
    pairs = ((_string(k), _string(v)) for k, v in zip(mapping.keys, mapping.values, strict=False))
    return tuple((method.upper(), action) for method, action in pairs if method and action)


def _pieces(node: ast.expr) -> tuple[Piece, ...]:
    """The URL patterns an expression of a URLconf stands for, as far as they can be told."""
    if isinstance(node, (ast.List, ast.Tuple)):
        return tuple(p for e in node.elts for p in _pieces(e.value if isinstance(e, ast.Starred) else e))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _pieces(node.left) + _pieces(node.right)
    label = _app_config_urls(node)
    if label is not None:
        return (Ref(label, node.lineno, app_label=True),)
    if isinstance(node, ast.Call):
        function = (dotted(node.func) or "").rpartition(".")[2]
        if function in URL_FUNCTIONS:
            entry = _url_entry(node, function)
            return (entry,) if entry else ()
        if function == "i18n_patterns":
            return tuple(p for a in node.args for p in _pieces(a.value if isinstance(a, ast.Starred) else a))
        if function in ("static", "staticfiles_urlpatterns"):
            return ()
        # ``format_suffix_patterns(urlpatterns)`` and the like pass their patterns through
        return _pieces(node.args[0]) if node.args else ()
    if isinstance(node, ast.Subscript) and _urls_attribute(node):
        node = node.value
    name = _name(node)
    return (Ref(name, node.lineno),) if name else ()


def _url_entry(call: ast.Call, function: str) -> UrlEntry | None:
    route = _argument(call, 0, "route", "regex")
    target = _argument(call, 1, "view")
    if route is None or target is None:
        return None
    name = _string(_argument(call, 3, "name"))
    entry = UrlEntry(_text(route), function != "path", call.lineno, name=name)
    target_name = _name(target)
    if _app_config_urls(target) is not None or _urls_attribute(target):  # path("x/", self.shop_app.urls)
        return replace(entry, include=_pieces(target))
    if isinstance(target, ast.Call) and (dotted(target.func) or "").rpartition(".")[2] == "include":
        return replace(entry, include=_include_pieces(target))
    if isinstance(target, ast.Tuple) and target.elts:  # path("x/", (patterns, "app", "ns"))
        return replace(entry, include=_pieces(target.elts[0]))
    if target_name and target_name.rpartition(".")[2] in ("urls", "urlpatterns"):  # admin.site.urls
        return replace(entry, include=(Ref(target_name, call.lineno),))
    view = _view_ref(target, strings=True)
    return replace(entry, view=view) if view else None


def _app_config_urls(node: ast.expr) -> str | None:
    """The label in ``apps.get_app_config("label").urls`` (or ``.urls[0]``)."""
    if isinstance(node, ast.Subscript):
        node = node.value
    if not (isinstance(node, ast.Attribute) and node.attr == "urls" and isinstance(node.value, ast.Call)):
        return None
    call = node.value
    if (dotted(call.func) or "").rpartition(".")[2] != "get_app_config":
        return None
    return _string(_argument(call, 0, "app_label"))


def _urls_attribute(node: ast.expr) -> bool:
    """``self.shop_app.urls`` or ``self.shop_app.urls[0]``: an app config's patterns."""
    node = node.value if isinstance(node, ast.Subscript) else node
    return (_name(node) or "").startswith("self.") and (_name(node) or "").endswith(".urls")


def _include_pieces(call: ast.Call) -> tuple[Piece, ...]:
    target = _argument(call, 0, "arg")
    if isinstance(target, ast.Tuple) and target.elts:  # include((patterns, "app_name"))
        target = target.elts[0]
    module = _string(target)
    if module is not None:
        return (Ref(module, call.lineno, module=True),)
    return _pieces(target) if target is not None else ()
