"""HTTP routes and the code that handles them: Django URLconfs and DRF routers, Flask, FastAPI.

The scan records, per file, what is written: route decorators (``@app.get("/x")``),
registration calls (``register_blueprint``, ``include_router``, ``add_url_rule``,
``router.register``...), the app, blueprint and router objects with their own prefixes, Django
pattern lists, and module-level string constants (for prefixes held in variables). The link
resolves names across modules and walks down from the roots (an app; Django's ROOT_URLCONF)
through every include to give each route its full path. A route that no root reaches keeps its
local path and ``mounted: false``.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from analyzers.base import Analyzer, Contribution, ParsedModule, Project, Skipped
from analyzers.names import dotted
from migrator.model.facts import Edge, EdgeKind, Node, NodeKind

TRIGGER_WORDS = (
    "urlpatterns", "_patterns", "path(", "url(", "include(", "Router", "router", ".register", "Blueprint",
    "FastAPI", "Flask", "Quart", "add_url_rule", "add_api_route", ".mount(", "as_view", "api_view", "require_",
    "methods", "lookup_", "action", "_route(",
)
ROUTE_DECORATOR = re.compile(r"@[\w.]+\.(?:get|post|put|patch|delete|head|options|trace|websocket|route|api_route)\(")
"""A file with none of these words (nor a ``ROUTE_DECORATOR``) declares no route: its scan stops at
the string constants. Plain substring tests: one regex alternation of them all is several times slower."""

HTTP_ORDER = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE")
VIEW_VERBS = ("get", "post", "put", "patch", "delete")
"""Methods of a class-based view (Django View, Flask MethodView) that each give a route."""
DECORATOR_VERBS = frozenset(
    {"get", "post", "put", "patch", "delete", "head", "options", "trace", "websocket", "route", "api_route"}
)
MOUNT_VERBS = frozenset({"register_blueprint", "include_router", "mount"})
RULE_VERBS = frozenset({"add_url_rule", "add_api_route", "add_api_websocket_route"})
REGISTRATION_VERBS = MOUNT_VERBS | RULE_VERBS | {"register"}
LIST_MUTATIONS = frozenset({"append", "extend", "insert"})
URL_FUNCTIONS = frozenset({"path", "re_path", "url"})
CONSTRUCTOR_HINT = re.compile(r"Flask|Blueprint|FastAPI|Router|Quart")
DOTTED_PATH = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+")
"""An old-style Django view given as a string: ``"shop.views.home"``."""
RESTRICTING = {"require_GET": ("GET",), "require_POST": ("POST",), "require_safe": ("GET",)}
MAX_MOUNTS = 64
"""Places one object can be mounted at, through every chain of parents; more is a runaway."""
MAX_INCLUDE_DEPTH = 32
MAX_CONSTANT = 200
"""Longer module-level strings are text (templates, SQL), not paths: not worth keeping."""

FLASK, FASTAPI, DJANGO = "flask", "fastapi", "django"
FLASK_APP, BLUEPRINT = "flask-app", "blueprint"
FASTAPI_APP, API_ROUTER = "fastapi-app", "api-router"
DRF_ROUTER = "drf-router"
APP_KINDS = frozenset({FLASK_APP, FASTAPI_APP})
FRAMEWORK_OF = {FLASK_APP: FLASK, BLUEPRINT: FLASK, FASTAPI_APP: FASTAPI, API_ROUTER: FASTAPI, DRF_ROUTER: DJANGO}
KNOWN_CLASSES = {
    ("flask", "Flask"): FLASK_APP,
    ("flask", "Blueprint"): BLUEPRINT,
    ("quart", "Quart"): FLASK_APP,
    ("quart", "Blueprint"): BLUEPRINT,
    ("fastapi", "FastAPI"): FASTAPI_APP,
    ("fastapi", "APIRouter"): API_ROUTER,
}
KNOWN_BY_NAME = {"Flask": FLASK_APP, "Blueprint": BLUEPRINT, "FastAPI": FASTAPI_APP, "APIRouter": API_ROUTER,
                 "DefaultRouter": DRF_ROUTER, "SimpleRouter": DRF_ROUTER}
"""When a constructor cannot be resolved at all, its bare name is the best hint left."""

GENERIC_VIEW_METHODS: dict[str, tuple[str, ...]] = {
    # django.views.generic
    "TemplateView": ("GET",), "ListView": ("GET",), "DetailView": ("GET",), "ArchiveIndexView": ("GET",),
    "YearArchiveView": ("GET",), "MonthArchiveView": ("GET",), "WeekArchiveView": ("GET",),
    "DayArchiveView": ("GET",), "TodayArchiveView": ("GET",), "DateDetailView": ("GET",),
    "FormView": ("GET", "POST"), "CreateView": ("GET", "POST"), "UpdateView": ("GET", "POST"),
    "DeleteView": ("GET", "POST"),
    # rest_framework.generics
    "ListAPIView": ("GET",), "RetrieveAPIView": ("GET",), "CreateAPIView": ("POST",), "DestroyAPIView": ("DELETE",),
    "UpdateAPIView": ("PUT", "PATCH"), "ListCreateAPIView": ("GET", "POST"),
    "RetrieveUpdateAPIView": ("GET", "PUT", "PATCH"), "RetrieveDestroyAPIView": ("GET", "DELETE"),
    "RetrieveUpdateDestroyAPIView": ("GET", "PUT", "PATCH", "DELETE"),
}
"""Methods that well-known generic views serve without the subclass defining them."""

VIEWSET_ACTIONS = {  # action -> (detail, method), in the order DRF lists them
    "list": (False, "GET"),
    "create": (False, "POST"),
    "retrieve": (True, "GET"),
    "update": (True, "PUT"),
    "partial_update": (True, "PATCH"),
    "destroy": (True, "DELETE"),
}
VIEWSET_BASE_ACTIONS: dict[str, tuple[str, ...]] = {
    "ModelViewSet": tuple(VIEWSET_ACTIONS),
    "ReadOnlyModelViewSet": ("list", "retrieve"),
    "ListModelMixin": ("list",),
    "CreateModelMixin": ("create",),
    "RetrieveModelMixin": ("retrieve",),
    "UpdateModelMixin": ("update", "partial_update"),
    "DestroyModelMixin": ("destroy",),
}

Text = tuple[tuple[str, str], ...]
"""A path as written, in parts: ("lit", text), ("name", a constant's dotted name), ("unknown", source)."""


# -- facts recorded by the scan (small, picklable) ------------------------------------------------


@dataclass(frozen=True)
class ViewRef:
    """A view (or a blueprint, router, app) named in a registration."""

    expr: str
    """The dotted name as written (``views.OrderView`` for ``views.OrderView.as_view()``)."""
    as_view: bool = False
    actions: tuple[tuple[str, str], ...] = ()
    """DRF ``ViewSet.as_view({"get": "list"})``: (METHOD, action) pairs."""
    dotted_string: bool = False
    """Old Django style: the view given as the string ``"app.views.func"``."""


@dataclass(frozen=True)
class Ref:
    """A pattern list named in a Django URLconf: a variable, ``router.urls``, or a module."""

    expr: str
    line: int
    module: bool = False
    """``expr`` is an absolute module name (``include("shop.urls")``)."""


@dataclass(frozen=True)
class UrlEntry:
    """One ``path()``, ``re_path()`` or ``url()``: a view, or an include of more patterns."""

    route: Text
    regex: bool
    line: int
    view: ViewRef | None = None
    include: tuple[UrlEntry | Ref, ...] | None = None
    name: str | None = None


Piece = UrlEntry | Ref


@dataclass(frozen=True)
class AppObject:
    """``x = Flask(...)``, ``Blueprint(...)``, ``FastAPI()``, ``APIRouter(...)``, ``DefaultRouter()``."""

    scope: str
    """Qualified name of the enclosing function or class, "" at module level."""
    var: str
    callee: str
    prefix: Text | None
    line: int
    trailing_slash: bool = True


@dataclass(frozen=True)
class RouteDecorator:
    """``@receiver.verb(path, methods=...)`` on a function."""

    scope: str
    receiver: str
    verb: str
    path: Text
    methods: tuple[str, ...] | None
    handler: str
    """Qualified name in the module of the nearest definition the names summary knows."""
    line: int
    name: str | None = None


@dataclass(frozen=True)
class Registration:
    """``receiver.verb(...)``: a mount, a URL rule, or a DRF ``router.register``."""

    scope: str
    receiver: str
    verb: str
    line: int
    path: Text | None = None
    target: ViewRef | None = None
    methods: tuple[str, ...] | None = None
    name: str | None = None
    each: bool = False
    """``target`` names a sequence (``for r in ROUTERS: app.include_router(r)``) of the real targets."""


@dataclass(frozen=True)
class Action:
    """A DRF ``@action`` (or old ``@detail_route``/``@list_route``) method of a viewset."""

    method: str
    detail: bool
    methods: tuple[str, ...]
    url_path: str
    url_name: str


@dataclass(frozen=True)
class ClassFacts:
    methods: tuple[str, ...] | None = None
    """A Flask ``View``'s ``methods = [...]`` class attribute."""
    lookup: str | None = None
    """A DRF viewset's ``lookup_url_kwarg`` or ``lookup_field``."""
    actions: tuple[Action, ...] = ()


@dataclass
class RouteFacts:
    """What one file says about routes."""

    constants: dict[str, str] = field(default_factory=dict)
    objects: list[AppObject] = field(default_factory=list)
    decorators: list[RouteDecorator] = field(default_factory=list)
    registrations: list[Registration] = field(default_factory=list)
    patterns: dict[str, tuple[Piece, ...]] = field(default_factory=dict)
    sequences: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Module-level tuples or lists of names (``ROUTERS = (a_router, b_router)``)."""
    view_aliases: dict[str, ViewRef] = field(default_factory=dict)
    """Module-level ``order_list = OrderListView.as_view()``."""
    classes: dict[str, ClassFacts] = field(default_factory=dict)
    restricted: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Function -> the methods ``require_http_methods``/``require_POST``/``api_view`` allow."""


# -- scan -----------------------------------------------------------------------------------------


class RoutesAnalyzer(Analyzer):
    """Routes of Django (URLconfs, class-based views, DRF routers), Flask and FastAPI."""

    name = "routes"
    version = 1

    def scan(self, module: ParsedModule) -> RouteFacts | None:
        constants = _module_constants(module.tree.body)
        if not _may_declare_routes(module.source):
            return RouteFacts(constants) if constants else None
        facts = RouteFacts(constants)
        _Scanner(facts).walk(module.tree.body)
        return facts

    def link(self, project: Project) -> Contribution:
        return _Linker(project, self.name).run()


def _may_declare_routes(source: str) -> bool:
    return any(word in source for word in TRIGGER_WORDS) or ROUTE_DECORATOR.search(source) is not None


def _module_constants(body: list[ast.stmt], known: dict[str, str] | None = None) -> dict[str, str]:
    """Module-level ``NAME = "text"`` (also ``A + "x"`` and f-strings of such names), under
    ``if``/``try`` too: settings often branch, and prefixes are often built from prefixes."""
    found = {} if known is None else known
    for statement in body:
        if isinstance(statement, (ast.Assign, ast.AnnAssign)) and statement.value is not None:
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            value = _fold(statement.value, found)
            if value is not None and len(value) <= MAX_CONSTANT:
                found.update((t.id, value) for t in targets if isinstance(t, ast.Name))
        elif isinstance(statement, (ast.If, ast.Try)):
            for block in (statement.body, statement.orelse, getattr(statement, "finalbody", [])):
                _module_constants(block, found)
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


class _Scanner:
    """Walks statements only: every fact of interest is a statement (a definition, an
    assignment, a call on its own line), so expressions are looked into, never walked."""

    def __init__(self, facts: RouteFacts) -> None:
        self.facts = facts
        self.stack: list[tuple[str, bool]] = []  # enclosing (name, is_function)
        self.loops: list[dict[str, tuple[str, ...] | str]] = []  # loop variable -> names, or a sequence's name

    @property
    def scope(self) -> str:
        return ".".join(name for name, _ in self.stack)

    @property
    def in_function(self) -> bool:
        return any(is_function for _, is_function in self.stack)

    def _defined(self, name: str) -> str:
        """The qualified name of ``name`` defined here, cut at the first function: the names
        summary (and the symbols analyzer) know no function nested in a function."""
        parts: list[str] = []
        for part, is_function in [*self.stack, (name, True)]:
            parts.append(part)
            if is_function:
                break
        return ".".join(parts)

    def walk(self, body: list[ast.stmt]) -> None:
        for statement in body:
            handler = getattr(self, f"_{type(statement).__name__}", None)
            if handler is not None:
                handler(statement)
            elif isinstance(statement, COMPOUND):  # the same scope goes on in their blocks
                for block in _blocks(statement):
                    self.walk(block)

    # -- definitions ------------------------------------------------------------------------------
    def _ClassDef(self, node: ast.ClassDef) -> None:
        if not self.in_function:
            found = _class_facts(node)
            if found is not None:
                self.facts.classes[self._defined(node.name)] = found
        self.stack.append((node.name, False))
        self.walk(node.body)
        self.stack.pop()

    def _FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for decorator in node.decorator_list:
            self._decorator(decorator, node.name)
        self.stack.append((node.name, True))
        self.walk(node.body)
        self.stack.pop()

    _AsyncFunctionDef = _FunctionDef

    def _decorator(self, decorator: ast.expr, function: str) -> None:
        last = (dotted(decorator) or "").rpartition(".")[2]
        if isinstance(decorator, ast.Call) and isinstance(decorator.func, ast.Attribute) and last in DECORATOR_VERBS:
            route = _route_decorator(decorator, self.scope, self._defined(function))
            if route is not None:
                self.facts.decorators.append(route)
        elif not self.in_function and (last in RESTRICTING or last in ("require_http_methods", "api_view")):
            methods = _restricted_methods(decorator, last)
            if methods:
                self.facts.restricted[self._defined(function)] = methods

    # -- assignments ------------------------------------------------------------------------------
    def _Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            if isinstance(target, ast.Name):
                self._assigned(target.id, node.value, node.lineno)
        self._call(node.value)

    def _AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None and isinstance(node.target, ast.Name):
            self._assigned(node.target.id, node.value, node.lineno)

    def _assigned(self, var: str, value: ast.expr, line: int) -> None:
        if isinstance(value, ast.Call):
            made = _app_object(value, self.scope, var, line)
            if made is not None:
                self.facts.objects.append(made)
        if self.stack:
            return
        if isinstance(value, ast.Call) and (dotted(value.func) or "").endswith(".as_view"):
            view = _view_ref(value)
            if view is not None:
                self.facts.view_aliases[var] = view
        if isinstance(value, (ast.Tuple, ast.List)) and value.elts:
            names = [_name(e) for e in value.elts]
            if all(names):
                self.facts.sequences[var] = tuple(n for n in names if n)
        self._patterns(var, _pieces(value), augment=False)

    def _AugAssign(self, node: ast.AugAssign) -> None:
        if not self.stack and isinstance(node.target, ast.Name) and isinstance(node.op, ast.Add):
            self._patterns(node.target.id, _pieces(node.value), augment=True)

    def _patterns(self, var: str, pieces: tuple[Piece, ...], *, augment: bool) -> None:
        previous = self.facts.patterns.get(var, ())
        # ``urlpatterns = urlpatterns + [...]`` reads the value so far
        pieces = tuple(q for p in pieces for q in (previous if isinstance(p, Ref) and p.expr == var else (p,)))
        if augment:
            pieces = previous + pieces
        if var in self.facts.patterns or _looks_like_patterns(var, pieces):
            self.facts.patterns[var] = pieces

    # -- loops and calls --------------------------------------------------------------------------
    def _For(self, node: ast.For | ast.AsyncFor) -> None:
        bound: dict[str, tuple[str, ...] | str] = {}
        if isinstance(node.target, ast.Name):
            if isinstance(node.iter, (ast.Tuple, ast.List, ast.Set)):
                names = tuple(n for n in (_name(e) for e in node.iter.elts) if n)
                if names:
                    bound[node.target.id] = names
            elif _name(node.iter):
                bound[node.target.id] = _name(node.iter) or ""
        self.loops.append(bound)
        self.walk(node.body)
        self.walk(node.orelse)
        self.loops.pop()

    _AsyncFor = _For

    def _Expr(self, node: ast.Expr) -> None:
        self._call(node.value.value if isinstance(node.value, ast.Await) else node.value)

    def _call(self, node: ast.expr) -> None:
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            return
        receiver, verb = _name(node.func.value), node.func.attr
        if receiver is None:
            return
        if verb in REGISTRATION_VERBS:
            registration = _registration(node, verb, receiver, self.scope)
            if registration is not None:
                self.facts.registrations.extend(self._through_loops(registration))
        elif verb in LIST_MUTATIONS and not self.stack and receiver in self.facts.patterns:
            values = node.args[1:] if verb == "insert" else node.args[:1]
            added = tuple(p for v in values for p in _pieces(v if verb == "extend" else ast.List([v])))
            self._patterns(receiver, added, augment=True)

    def _through_loops(self, registration: Registration) -> list[Registration]:
        """A target that is a loop variable stands for each element the loop goes over."""
        target = registration.target
        if target is None:
            return [registration]
        for bound in reversed(self.loops):
            found = bound.get(target.expr)
            if isinstance(found, tuple):
                return [replace(registration, target=ViewRef(name)) for name in found]
            if isinstance(found, str):
                return [replace(registration, target=ViewRef(found), each=True)]
        return [registration]


COMPOUND = (ast.If, ast.While, ast.With, ast.AsyncWith, ast.Try, ast.TryStar, ast.Match)


def _blocks(statement: ast.stmt) -> list[list[ast.stmt]]:
    """The statement lists inside a compound statement that stay in its scope."""
    blocks = [getattr(statement, name, None) for name in ("body", "orelse", "finalbody")]
    blocks = [block for block in blocks if isinstance(block, list)]
    blocks.extend(h.body for h in getattr(statement, "handlers", ()))
    blocks.extend(c.body for c in getattr(statement, "cases", ()))
    return blocks


def _looks_like_patterns(var: str, pieces: tuple[Piece, ...]) -> bool:
    if var == "urlpatterns" or "pattern" in var.lower():
        return True
    return any(isinstance(p, UrlEntry) or p.expr.endswith(".urls") for p in pieces)


# -- scan helpers: reading expressions --------------------------------------------------------


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
    name = _name(node)
    return (("name", name),) if name else (("unknown", _source(node)),)


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
    if isinstance(target, ast.Call) and (dotted(target.func) or "").rpartition(".")[2] == "include":
        return replace(entry, include=_include_pieces(target))
    if isinstance(target, ast.Tuple) and target.elts:  # path("x/", (patterns, "app", "ns"))
        return replace(entry, include=_pieces(target.elts[0]))
    if target_name and target_name.rpartition(".")[2] in ("urls", "urlpatterns"):  # admin.site.urls
        return replace(entry, include=(Ref(target_name, call.lineno),))
    view = _view_ref(target, strings=True)
    return replace(entry, view=view) if view else None


def _include_pieces(call: ast.Call) -> tuple[Piece, ...]:
    target = _argument(call, 0, "arg")
    if isinstance(target, ast.Tuple) and target.elts:  # include((patterns, "app_name"))
        target = target.elts[0]
    module = _string(target)
    if module is not None:
        return (Ref(module, call.lineno, module=True),)
    return _pieces(target) if target is not None else ()


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


# -- link -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Object:
    """An app, blueprint or router found in the code, and where it is defined."""

    id: str
    kind: str
    module: str
    prefix: Text | None
    line: int
    trailing_slash: bool

    @property
    def framework(self) -> str:
        return FRAMEWORK_OF[self.kind]


@dataclass(frozen=True)
class _Mount:
    """The child object is registered on ``parent`` (None: an app we cannot name) with a prefix."""

    parent: str | None
    prefix: Text | None
    module: str
    line: int


@dataclass(frozen=True)
class _Site:
    """Where a route is registered, by which framework, under which route name."""

    module: str
    line: int
    framework: str
    name: str | None = None


Target = tuple[str, str, tuple[str, ...]]
"""(METHOD, handler, more functions that serve it, e.g. the ``get`` of a class-based view)."""
ListKey = tuple[str, str, str]
"""("list", module, variable) for a Django pattern list, ("router", router id, "") for a DRF router."""


class _Linker:
    """Turns every file's route facts into route nodes and HANDLES edges."""

    def __init__(self, project: Project, analyzer: str) -> None:
        self.names = project.names
        self.files = project.files
        self.facts: dict[str, RouteFacts] = {m: f for m, f in sorted(project.facts(analyzer).items()) if f is not None}
        self.objects: dict[str, _Object] = {}
        self.mounts: dict[str, list[_Mount]] = {}
        self.registered: dict[str, list[tuple[str, Registration]]] = {}
        self.pattern_keys: set[ListKey] = {("list", m, v) for m, f in self.facts.items() for v in f.patterns}
        self.reached: set[ListKey] = set()
        self._bases_cache: dict[str, list[tuple[str, bool]]] = {}
        self.nodes: dict[str, Node] = {}
        self.edges: dict[tuple[str, str], Edge] = {}
        self.skipped: dict[tuple[str, int, str], Skipped] = {}
        self.notes: list[str] = []

    def run(self) -> Contribution:
        self._collect_objects()
        self._collect_registrations()
        self._django()
        self._apps()
        return Contribution(list(self.nodes.values()), list(self.edges.values()), list(self.skipped.values()), self.notes)

    # -- output -----------------------------------------------------------------------------------
    def _emit(self, target: Target, path: str, site: _Site, *, mounted: bool) -> None:
        method, handler, also = target
        route_id = f"route:{method} {path}"
        relpath = self.files[site.module].relpath
        existing = self.nodes.get(route_id)
        if existing is None or (mounted and not existing.attrs["mounted"]):
            attrs = {"method": method, "path": path, "handler": handler, "framework": site.framework,
                     "name": site.name, "mounted": mounted}
            self.nodes[route_id] = Node(route_id, NodeKind.ROUTE, relpath, site.line, (), attrs)
        evidence = (f"{relpath}:{site.line}",)
        for function in (handler, *also):
            self.edges.setdefault((route_id, function), Edge(route_id, function, EdgeKind.HANDLES, 1.0, evidence))

    def _skip(self, module: str, line: int, reason: str) -> None:
        relpath = self.files[module].relpath
        self.skipped.setdefault((relpath, line, reason), Skipped(relpath, reason, line))

    # -- names ------------------------------------------------------------------------------------
    def text(self, module: str, text: Text, line: int) -> str:
        """The path a ``Text`` spells; a part that is not a string constant becomes ``{?}``."""
        out: list[str] = []
        for kind, value in text:
            found = value if kind == "lit" else self._constant(module, value) if kind == "name" else None
            if found is None:
                self._skip(module, line, f"route path part {value or '?'} is not a string constant; kept as {{?}}")
                found = "{?}"
            out.append(found)
        return "".join(out)

    def _constant(self, module: str, expr: str) -> str | None:
        qualified = self.names.resolve(module, expr)
        owner = self.names.module_prefix(qualified) if qualified else None
        if qualified is None or owner is None or owner == qualified or owner not in self.facts:
            return None
        return self.facts[owner].constants.get(qualified[len(owner) + 1 :])

    def _split(self, qualified: str) -> tuple[str, str] | None:
        """(module, qualified name inside it) of a name of ours that has route facts."""
        owner = self.names.module_prefix(qualified)
        if owner is None or owner == qualified or owner not in self.facts:
            return None
        return owner, qualified[len(owner) + 1 :]

    def _object_at(self, module: str, scope: str, expr: str) -> str | None:
        """The app/blueprint/router ``expr`` names: a local of the enclosing function first."""
        if expr in self.objects:  # already a qualified name (an element of a resolved sequence)
            return expr
        parts = scope.split(".") if scope else []
        for end in range(len(parts), 0, -1):
            local = f"{module}.{'.'.join(parts[:end])}.{expr}"
            if local in self.objects:
                return local
        qualified = self.names.resolve(module, expr)
        return qualified if qualified in self.objects else None

    # -- objects and registrations ----------------------------------------------------------------
    def _collect_objects(self) -> None:
        for module, facts in self.facts.items():
            for made in facts.objects:
                kind = self._classify(module, made.callee)
                if kind is not None:
                    object_id = f"{module}.{made.scope}.{made.var}" if made.scope else f"{module}.{made.var}"
                    self.objects[object_id] = _Object(object_id, kind, module, made.prefix, made.line, made.trailing_slash)

    def _classify(self, module: str, callee: str) -> str | None:
        qualified = self.names.resolve(module, callee)
        if qualified is None:
            return KNOWN_BY_NAME.get(callee.rpartition(".")[2])
        if not self.names.is_internal(qualified):
            return _known_class(qualified)
        for klass in self.names.ancestry(qualified):  # our own subclass of Blueprint, APIRouter...
            for base in self.names.bases(klass):
                if not self.names.is_internal(base) and _known_class(base):
                    return _known_class(base)
        return None

    def _collect_registrations(self) -> None:
        for module, facts in self.facts.items():
            for registration in facts.registrations:
                for single in self._each(module, registration):
                    if single.verb in MOUNT_VERBS:
                        self._mount(module, single)
                    elif single.verb == "register":
                        router = self._object_at(module, single.scope, single.receiver)
                        if router is not None and self.objects[router].kind == DRF_ROUTER:
                            self.registered.setdefault(router, []).append((module, single))

    def _each(self, module: str, registration: Registration) -> list[Registration]:
        """``for r in ROUTERS: app.include_router(r)``: one registration per element of ROUTERS."""
        if not registration.each or registration.target is None:
            return [registration]
        sequence = self.names.resolve(module, registration.target.expr)
        found = self._split(sequence) if sequence else None
        names = self.facts[found[0]].sequences.get(found[1], ()) if found else ()
        if not names:
            return [registration]
        # the elements are written in the module that defines the sequence: resolve them there
        resolved = (self.names.resolve(found[0], n) if found else None for n in names)
        return [replace(registration, target=ViewRef(r), each=False) for r in resolved if r]

    def _mount(self, module: str, registration: Registration) -> None:
        assert registration.target is not None
        child = self._object_at(module, registration.scope, registration.target.expr)
        if child is None:
            # an outside router (fastapi_users.router) is no concern of ours; anything else is a gap
            resolved = self.names.resolve(module, registration.target.expr)
            if resolved is None or self.names.is_internal(resolved):
                what = registration.target.expr
                each = f"each of {what}" if registration.each else what
                reason = f"{registration.verb}({each}): cannot tell what {what} holds; those routes stay unmounted"
                self._skip(module, registration.line, reason)
            return
        parent = self._object_at(module, registration.scope, registration.receiver)
        self.mounts.setdefault(child, []).append(_Mount(parent, registration.path, module, registration.line))

    # -- Flask and FastAPI ------------------------------------------------------------------------
    def _apps(self) -> None:
        for module, facts in self.facts.items():
            for decorator in facts.decorators:
                self._decorated(module, decorator)
            for registration in facts.registrations:
                if registration.verb in RULE_VERBS:
                    self._rule(module, registration)

    def _decorated(self, module: str, decorator: RouteDecorator) -> None:
        owner = self._object_at(module, decorator.scope, decorator.receiver)
        if owner is not None and self.objects[owner].kind == DRF_ROUTER:
            return
        if owner is not None:
            framework: str | None = self.objects[owner].framework
        else:
            framework = self._guess_framework(module, decorator.receiver, decorator.verb)
        if framework is None:
            return
        if decorator.verb in ("route", "api_route"):
            methods = decorator.methods or ("GET",)
        else:
            methods = ("WEBSOCKET",) if decorator.verb == "websocket" else (decorator.verb.upper(),)
        handler = f"{module}.{decorator.handler}"
        site = _Site(module, decorator.line, framework, decorator.name)
        self._place(site, owner, decorator.path, [(m, handler, ()) for m in methods])

    def _rule(self, module: str, registration: Registration) -> None:
        assert registration.target is not None and registration.path is not None
        owner = self._object_at(module, registration.scope, registration.receiver)
        default = FLASK if registration.verb == "add_url_rule" else FASTAPI
        framework = self.objects[owner].framework if owner else default
        targets = self._view_targets(module, registration.target, framework, registration.methods)
        self._place(_Site(module, registration.line, framework, registration.name), owner, registration.path, targets)

    def _guess_framework(self, module: str, receiver: str, verb: str) -> str | None:
        """The framework of a route on an object we cannot name (``app = create_app()``)."""
        modules = [module]
        qualified = self.names.resolve(module, receiver)
        if qualified and self.names.module_prefix(qualified):
            modules.append(self.names.module_prefix(qualified) or module)
        roots = {i.target.split(".")[0] for m in modules for i in self.names.summaries[m].imports}
        if "fastapi" in roots:
            return FASTAPI
        if roots & {"flask", "quart"} or verb == "route":
            return FLASK
        return None

    def _place(self, site: _Site, owner: str | None, path: Text, targets: list[Target]) -> None:
        """Routes of an app, blueprint or router (None: an app we cannot name) at every mount."""
        local = self.text(site.module, path, site.line)
        for base, mounted in self._bases(owner) if owner else [("", True)]:
            full = _join(site.framework, base, local)
            for target in targets:
                self._emit(target, full, site, mounted=mounted)

    def _bases(self, object_id: str, visiting: frozenset[str] = frozenset()) -> list[tuple[str, bool]]:
        """(prefix, mounted) for each place an object's own routes are served from."""
        if not visiting and object_id in self._bases_cache:
            return self._bases_cache[object_id]
        obj = self.objects[object_id]
        own = self.text(obj.module, obj.prefix, obj.line) if obj.prefix else ""
        found: list[tuple[str, bool]] = []
        for mount in self.mounts.get(object_id, ()):
            if mount.parent in visiting or mount.parent == object_id:
                continue  # a cycle of includes: that way leads nowhere new
            parents = self._bases(mount.parent, visiting | {object_id}) if mount.parent else [("", True)]
            given = None if mount.prefix is None else self.text(mount.module, mount.prefix, mount.line)
            found.extend((_mount_prefix(obj.kind, base, given, own), mounted) for base, mounted in parents)
        if not found:
            found = [("", True)] if obj.kind in APP_KINDS else [(own, False)]
        result = list(dict.fromkeys(found))[:MAX_MOUNTS]
        if not visiting:
            self._bases_cache[object_id] = result
        return result

    # -- views ------------------------------------------------------------------------------------
    def _view_targets(
        self, module: str, view: ViewRef, framework: str, methods: tuple[str, ...] | None, depth: int = 0
    ) -> list[Target]:
        """The methods a view serves and the functions that serve them."""
        default = "ANY" if framework == DJANGO else "GET"
        qualified = self.names.canonical(view.expr) if view.dotted_string else self.names.resolve(module, view.expr)
        kind = self.names.kind(qualified) if qualified else None
        if kind == "variable" and depth < 3 and qualified:  # order_list = OrderListView.as_view()
            alias = self._split(qualified)
            aliased = self.facts[alias[0]].view_aliases.get(alias[1]) if alias else None
            if alias and aliased:
                return self._view_targets(alias[0], aliased, framework, methods, depth + 1)
        handler = qualified or view.expr or module
        if view.actions:
            return [(m, self._member(handler, action) or handler, ()) for m, action in view.actions]
        if view.as_view or kind == "class":
            return self._class_targets(handler, methods, default)
        allowed = methods or self._restricted(handler) or (default,)
        return [(m, handler, ()) for m in allowed]

    def _class_targets(self, klass: str, methods: tuple[str, ...] | None, default: str) -> list[Target]:
        defined = self._class_methods(klass)
        allowed = methods or tuple(sorted(defined, key=_method_order)) or self._class_attribute_methods(klass) or (default,)
        return [(m, klass, (defined[m],) if defined.get(m) else ()) for m in allowed]

    def _class_methods(self, klass: str) -> dict[str, str | None]:
        """METHOD -> the method of ours that serves it (None when a known generic base does)."""
        found: dict[str, str | None] = {}
        external = [klass]
        if self.names.is_internal(klass):
            ancestry = list(self.names.ancestry(klass))
            for owner in ancestry:
                for verb in VIEW_VERBS:
                    if verb.upper() not in found and self.names.kind(f"{owner}.{verb}") == "method":
                        found[verb.upper()] = f"{owner}.{verb}"
            external = [b for owner in ancestry for b in self.names.bases(owner) if not self.names.is_internal(b)]
        for base in external:
            if base.split(".")[0] in ("django", "rest_framework"):
                for method in GENERIC_VIEW_METHODS.get(base.rpartition(".")[2], ()):
                    found.setdefault(method, None)
        return found

    def _class_facts(self, klass: str) -> Iterable[ClassFacts]:
        for owner in self.names.ancestry(klass) if self.names.is_internal(klass) else ():
            split = self._split(owner)
            found = self.facts[split[0]].classes.get(split[1]) if split else None
            if found is not None:
                yield found

    def _class_attribute_methods(self, klass: str) -> tuple[str, ...] | None:
        return next((f.methods for f in self._class_facts(klass) if f.methods), None)

    def _restricted(self, function: str) -> tuple[str, ...] | None:
        split = self._split(function)
        return self.facts[split[0]].restricted.get(split[1]) if split else None

    def _member(self, klass: str, member: str) -> str | None:
        return self.names.find_member(klass, member) if self.names.is_internal(klass) else None

    # -- Django -----------------------------------------------------------------------------------
    def _django(self) -> None:
        for root in self._root_urlconfs():
            self._expand(("list", root, "urlpatterns"), "", True, frozenset())
        # what no root reaches is kept with its local paths; parents first, so children get their prefix
        pending = sorted((self.pattern_keys | {("router", r, "") for r in self.registered}) - self.reached)
        children = {c for key in pending for c in self._children(key)}
        for key in sorted(pending, key=lambda k: k in children):
            if key not in self.reached:
                self._expand(key, "", False, frozenset())

    def _root_urlconfs(self) -> list[str]:
        declared = {f.constants["ROOT_URLCONF"] for f in self.facts.values() if "ROOT_URLCONF" in f.constants}
        roots = sorted(m for m in declared if ("list", m, "urlpatterns") in self.pattern_keys)
        if roots or not any(key[2] == "urlpatterns" for key in self.pattern_keys):
            return roots
        urlconfs = sorted(key for key in self.pattern_keys if key[2] == "urlpatterns")
        included = {child[1] for key in urlconfs for child in self._children(key) if child[1] != key[1]}
        found = f"ROOT_URLCONF = {', '.join(sorted(declared))} is not an analysed URLconf" if declared else "no ROOT_URLCONF found"
        self.notes.append(f"routes: {found}; every URLconf that no other includes is taken as a root")
        return [key[1] for key in urlconfs if key[1] not in included]

    def _children(self, key: ListKey) -> set[ListKey]:
        if key[0] != "list":
            return set()
        found: set[ListKey] = set()
        stack = list(self.facts[key[1]].patterns[key[2]])
        while stack:
            piece = stack.pop()
            if isinstance(piece, Ref):
                child = self._ref_key(key[1], piece)
                if child is not None:
                    found.add(child)
            elif piece.include:
                stack.extend(piece.include)
        return found

    def _ref_key(self, module: str, ref: Ref) -> ListKey | None:
        """The pattern list or router a name in a URLconf stands for."""
        qualified = ref.expr if ref.module else self.names.resolve(module, ref.expr)
        if qualified is None:
            return None
        if ref.module or self.names.is_module(qualified):
            key: ListKey = ("list", qualified, "urlpatterns")
            return key if key in self.pattern_keys else None
        if qualified.endswith(".urls") and qualified[:-5] in self.registered:
            return ("router", qualified[:-5], "")
        split = self._split(qualified)
        if split and ("list", *split) in self.pattern_keys:
            return ("list", split[0], split[1])
        return None

    def _expand(self, key: ListKey, prefix: str, mounted: bool, stack: frozenset[ListKey]) -> None:
        if key in stack or len(stack) > MAX_INCLUDE_DEPTH:
            return
        self.reached.add(key)
        if key[0] == "router":
            self._router_routes(key[1], prefix, mounted)
        else:
            self._expand_pieces(key[1], self.facts[key[1]].patterns[key[2]], prefix, mounted, stack | {key})

    def _expand_pieces(
        self, module: str, pieces: Iterable[Piece], prefix: str, mounted: bool, stack: frozenset[ListKey]
    ) -> None:
        for piece in pieces:
            if isinstance(piece, Ref):
                key = self._ref_key(module, piece)
                if key is not None:
                    self._expand(key, prefix, mounted, stack)
                continue
            route = prefix + _django_piece(self.text(module, piece.route, piece.line), piece.regex)
            if piece.include is not None:
                self._expand_pieces(module, piece.include, route, mounted, stack)
            elif piece.view is not None:
                site = _Site(module, piece.line, DJANGO, piece.name)
                for target in self._view_targets(module, piece.view, DJANGO, None):
                    self._emit(target, "/" + route, site, mounted=mounted)

    # -- Django REST framework routers ------------------------------------------------------------
    def _router_routes(self, router: str, prefix: str, mounted: bool) -> None:
        slash = "/" if self.objects[router].trailing_slash else ""
        for module, registration in self.registered.get(router, ()):
            assert registration.target is not None and registration.path is not None
            local = self.text(module, registration.path, registration.line).lstrip("^").rstrip("$")
            viewset = self.names.resolve(module, registration.target.expr) or registration.target.expr
            for method, tail, handler, suffix in self._viewset_routes(viewset):
                name = f"{registration.name}-{suffix}" if registration.name else None
                path = f"/{prefix}{_drf_path(local, tail)}{slash}"
                self._emit((method, handler, ()), path, _Site(module, registration.line, DJANGO, name), mounted=mounted)

    def _viewset_routes(self, viewset: str) -> list[tuple[str, str, str, str]]:
        """(METHOD, path after the register prefix, handler, route name suffix) of a viewset."""
        lookup = f"<{self._lookup(viewset)}>"
        present = self._viewset_actions(viewset)
        found = [
            (method, f"/{lookup}" if detail else "", self._member(viewset, action) or viewset, "detail" if detail else "list")
            for action, (detail, method) in VIEWSET_ACTIONS.items()
            if action in present
        ]
        for owner, extra in self._extra_actions(viewset):
            tail = f"/{lookup}/{extra.url_path}" if extra.detail else f"/{extra.url_path}"
            found.extend((method, tail, f"{owner}.{extra.method}", extra.url_name) for method in extra.methods)
        return found

    def _viewset_actions(self, viewset: str) -> set[str]:
        present: set[str] = set()
        external = [viewset]
        if self.names.is_internal(viewset):
            ancestry = list(self.names.ancestry(viewset))
            present = {a for owner in ancestry for a in VIEWSET_ACTIONS if self.names.kind(f"{owner}.{a}") == "method"}
            external = [b for owner in ancestry for b in self.names.bases(owner) if not self.names.is_internal(b)]
        for base in external:
            present.update(VIEWSET_BASE_ACTIONS.get(base.rpartition(".")[2], ()))
        return present

    def _extra_actions(self, viewset: str) -> list[tuple[str, Action]]:
        found: dict[str, tuple[str, Action]] = {}
        for owner in self.names.ancestry(viewset) if self.names.is_internal(viewset) else ():
            split = self._split(owner)
            facts = self.facts[split[0]].classes.get(split[1]) if split else None
            for action in facts.actions if facts else ():
                found.setdefault(action.method, (owner, action))  # a subclass overrides its bases
        return list(found.values())

    def _lookup(self, viewset: str) -> str:
        return next((f.lookup for f in self._class_facts(viewset) if f.lookup), "pk")


# -- link helpers: paths ----------------------------------------------------------------------


def _known_class(qualified: str) -> str | None:
    root, last = qualified.split(".")[0], qualified.rpartition(".")[2]
    if root in ("rest_framework", "rest_framework_nested") and last.endswith("Router"):
        return DRF_ROUTER
    return KNOWN_CLASSES.get((root, last))


def _method_order(method: str) -> int:
    return HTTP_ORDER.index(method) if method in HTTP_ORDER else len(HTTP_ORDER)


def _flask_join(prefix: str, rule: str) -> str:
    """How Flask puts a blueprint prefix and a rule together."""
    if not prefix:
        return rule
    if not rule:
        return prefix
    return prefix.rstrip("/") + "/" + rule.lstrip("/")


def _mount_prefix(kind: str, base: str, given: str | None, own: str) -> str:
    """The prefix of an object's routes, mounted under ``base`` with the prefix ``given``."""
    if kind in (BLUEPRINT, FLASK_APP):
        # register_blueprint(url_prefix=...) replaces the blueprint's own prefix
        return _flask_join(base, given if given is not None else own)
    return base + (given or "") + own  # FastAPI: include prefix + router prefix


def _join(framework: str, base: str, path: str) -> str:
    if framework == FLASK:
        # Indico's blueprints read "!/x" as "/x" without the blueprint's prefix
        joined = path[1:] if path.startswith("!/") else _flask_join(base, path)
    else:
        joined = base + path
    return joined if joined.startswith("/") else "/" + joined


def _django_piece(route: str, regex: bool) -> str:
    """A ``path()`` route as written; a regex without its ``^`` and ``$`` anchors."""
    if not regex:
        return route
    route = route[1:] if route.startswith("^") else route
    return route[:-1] if route.endswith("$") and not route.endswith("\\$") else route


def _drf_path(prefix: str, tail: str) -> str:
    """DRF drops the slash after an empty prefix (``router.register(r"", ...)``)."""
    return f"{prefix}{tail}" if prefix else tail.lstrip("/")
