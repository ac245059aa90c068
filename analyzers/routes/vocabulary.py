"""The words, names and tables the routes scan and link look for."""

from __future__ import annotations

import re

TRIGGER_WORDS = (
    "urlpatterns", "_patterns", "path(", "url(", "include(", "Router", "router", ".register", "Blueprint",
    "FastAPI", "Flask", "Quart", "add_url_rule", "add_api_route", ".mount(", "as_view", "api_view", "require_",
    "methods", "lookup_", "action", "_route(", "add_resource", "Api(", "amespace", "init_app",
    "get_urls", "get_app_config",
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
MOUNT_VERBS = frozenset({"register_blueprint", "include_router", "mount", "add_namespace", "init_app"})
RULE_VERBS = frozenset({"add_url_rule", "add_api_route", "add_api_websocket_route", "add_resource"})
FLASK_RULE_VERBS = frozenset({"add_url_rule", "add_resource"})
REGISTRATION_VERBS = MOUNT_VERBS | RULE_VERBS | {"register"}
LIST_MUTATIONS = frozenset({"append", "extend", "insert"})
URL_FUNCTIONS = frozenset({"path", "re_path", "url"})
CONSTRUCTOR_HINT = re.compile(r"Flask|Blueprint|FastAPI|Router|Quart|^Api$|^namespace$|^Namespace$")
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
REST_API, NAMESPACE = "rest-api", "rest-namespace"
"""Flask-RESTful's and Flask-RESTX's ``Api``, and RESTX's ``Namespace``."""
APP_KINDS = frozenset({FLASK_APP, FASTAPI_APP})
FLASK_KINDS = frozenset({FLASK_APP, BLUEPRINT, REST_API, NAMESPACE})
FRAMEWORK_OF = {FLASK_APP: FLASK, BLUEPRINT: FLASK, FASTAPI_APP: FASTAPI, API_ROUTER: FASTAPI, DRF_ROUTER: DJANGO,
                REST_API: FLASK, NAMESPACE: FLASK}
KNOWN_CLASSES = {
    ("flask", "Flask"): FLASK_APP,
    ("flask", "Blueprint"): BLUEPRINT,
    ("quart", "Quart"): FLASK_APP,
    ("quart", "Blueprint"): BLUEPRINT,
    ("fastapi", "FastAPI"): FASTAPI_APP,
    ("fastapi", "APIRouter"): API_ROUTER,
    ("flask_restful", "Api"): REST_API,
    ("flask_restx", "Api"): REST_API,
    ("flask_restplus", "Api"): REST_API,
    ("flask_restx", "Namespace"): NAMESPACE,
    ("flask_restplus", "Namespace"): NAMESPACE,
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
"""A path as written, in parts: ("lit", text), ("name", a constant's dotted name), ("config", the key of
``app.config["KEY"]``), ("unknown", source)."""
