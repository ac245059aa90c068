"""Facts the routes scan records per file: small, frozen, picklable."""

from __future__ import annotations

from dataclasses import dataclass, field

from analyzers.routes.vocabulary import Text


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
    app_label: bool = False
    """``expr`` is the label of a Django app whose config's ``get_urls`` gives the patterns
    (``apps.get_app_config("shop").urls``)."""


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
    parent: str | None = None
    """The app or blueprint a Flask-RESTful/RESTX ``Api(app)`` is made on, or the ``Api`` a
    ``api.namespace("x")`` belongs to."""


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
    each_path: bool = False
    """``path`` names a sequence whose elements are the paths (``for rule in routes: bp.add_url_rule(rule, ...)``)."""
    methods_from: str | None = None
    """``methods=`` given by a name (a parameter of a helper that registers views)."""
    forwards: str | None = None
    """The ``**name`` the call passes on (a helper's keyword arguments reach the rule)."""


@dataclass(frozen=True)
class Argument:
    """What one argument of a call to a helper of the application holds, as far as a rule needs."""

    paths: tuple[Text, ...] = ()
    """A route-like string, or each of a list of them."""
    many: bool = False
    """The argument is a list (``routes=["/a", "/b"]``), not one path."""
    view: ViewRef | None = None
    methods: tuple[str, ...] | None = None


@dataclass(frozen=True)
class HelperCall:
    """``register_view(bp, routes=["/a"], view_func=v)``: a call with a route-like argument, to a
    function that may register URL rules with what it is given (the link tells)."""

    scope: str
    callee: str
    line: int
    args: tuple[Argument, ...]
    keywords: tuple[tuple[str, Argument], ...]


@dataclass(frozen=True)
class Signature:
    """The parameters of a function that registers URL rules: a helper, if a rule uses them."""

    names: tuple[str, ...]
    """Positional parameters in order, then keyword-only ones."""
    methods: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """Defaults that read as HTTP methods (``methods=("GET",)``)."""


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
    helper_calls: list[HelperCall] = field(default_factory=list)
    signatures: dict[str, Signature] = field(default_factory=dict)
    """Function -> its parameters, for the functions that hold a URL rule."""
    attributes: dict[str, tuple[str, str]] = field(default_factory=dict)
    """``Class.attr`` -> what ``self.attr`` holds, for an app config's ``get_urls``: ("app", label)
    for ``apps.get_app_config(label)``, ("class", "label.module.Class") for a class loaded by
    name (``get_class("customer.views", "LoginView")``), ("name", dotted) for ``attr = views.Login``."""
    route_like: int = 0
    """Strings that look like routes passed to calls (``route_like.count_route_like``)."""
