"""Service plans to render, built by hand: a small shop like the sample, and one whose names are
as awkward as user code and a hand-edited decomposition allow."""

from __future__ import annotations

from dataclasses import replace

from migrator.model.service_plan import Channel, Client, Endpoint, GatewayRoute, InternalEndpoint, ServicePlan, ServiceSpec


def spec(name: str, port: int, *, routes: tuple[str, ...] = (), clients: tuple[Client, ...] = (), publishes: tuple[str, ...] = (),
         subscribes: tuple[str, ...] = (), env: dict[str, str] | None = None, kind: str = "service") -> ServiceSpec:
    base_env = {"SERVICE_NAME": name, "PORT": str(port), "DATABASE_URL": f"sqlite:///./{name}.db", "EVENT_BUS_URL": ""}
    return ServiceSpec(
        name=name, port=port, modules=(f"shop.{name}",), tables=(name,),
        routes=tuple(Endpoint(*r.split(" ", 1), handler=f"shop.{name}.routes.handler") for r in routes),
        internal=(), clients=clients, publishes=publishes, subscribes=subscribes, env={**base_env, **(env or {})},
        labels={"app.kubernetes.io/name": name, "app.kubernetes.io/part-of": "shop", "app.kubernetes.io/component": "service",
                "app.kubernetes.io/managed-by": "migrator"},
        kind=kind,
    )


def shop_plan() -> ServicePlan:
    catalog_client = Client("catalog", "shop.catalog.services.get_product", "/internal/shop/catalog/services/get_product", True)
    accounts_client = Client("accounts", "shop.accounts.services.get_customer", "/internal/shop/accounts/services/get_customer", True)
    services = (
        spec("accounts", 8001, routes=("GET /api/accounts/{account_id}", "POST /api/accounts")),
        replace_internal(spec("catalog", 8002, routes=("GET /api/catalog/products", "GET /api/catalog/products/{product_id}"),
                              subscribes=("order.placed",)), catalog_client, "orders"),
        spec("orders", 8003, routes=("POST /api/orders", "GET /api/orders/{order_id}"), clients=(accounts_client, catalog_client),
             publishes=("order.placed",), env={"ACCOUNTS_URL": "http://accounts:8001", "CATALOG_URL": "http://catalog:8002",
                                               "SHOP_ADMIN_TOKEN": "dev-admin-token"}),
        spec("monolith", 8000, routes=("GET /api/reports",), kind="monolith"),
    )
    return ServicePlan(
        system="shop", services=services, shared_modules=("shop.common",),
        gateway=(GatewayRoute("/api/accounts", "accounts"), GatewayRoute("/api/catalog", "catalog"), GatewayRoute("/api/orders", "orders")),
        channels=(Channel("order.placed", "order.placed", ("orders",), ("catalog",)),),
        database_variables=("SHOP_DATABASE_URL",),
    )


def replace_internal(service: ServiceSpec, client: Client, caller: str) -> ServiceSpec:
    return replace(service, internal=(InternalEndpoint(client.function, client.path, (caller,)),))


AWKWARD_NAMES = ('Café "Crème" $HOME', "Deployment", "o'reilly \\ ${PATH}", "gateway", "GATEWAY",
                 "cart.v2", "My Cart", "9lives", "yes", "null", "- x", "*a")
"""Service names: quotes, dollars, backslashes, the system's own compose services, a dot, a space,
a leading digit, YAML's booleans and null, a list item and an alias."""
HOSTILE_PREFIXES = ("/api/no: yes", "/api/semi;colon{", '/api/cost$5 "quoted"', "/api/ünïcödé", "/api/hash#tag", "/api/my cart")
"""Gateway prefixes with YAML's ``: ``, nginx's ``;`` and ``{``, ``$``, quotes, non-ASCII, ``#`` and a space."""


def awkward_plan() -> ServicePlan:
    """Names a user can write into decomposition.yaml, and paths and settings user code can hold."""
    first, deployment, quote, gateway, shouting, dotted, spaced, digit, yes, null, item, alias = AWKWARD_NAMES
    colon, semicolon, dollar, accents, hashed, space = HOSTILE_PREFIXES
    client = Client(deployment, "shop.deployment.services.latest", "/internal/shop/deployment/services/latest", True)
    cart = Client(dotted, "shop.cart.services.get_cart", "/internal/shop/cart/services/get_cart", True)
    services = (
        spec(first, 8001, routes=("GET /api/café/{item_id}:publish", "GET /api/it's/{id}", 'GET /api/say-"hi"/$HOME'),
             clients=(client,), publishes=("crème brûlée!",), env={"DEPLOYMENT_URL": "http://Deployment:8002", "GREETING": "it's $5 \"off\"",
                                                                   "API_TOKEN": "x$y"}),
        replace_internal(spec(deployment, 8002, routes=("GET /api/deployments/{name}:rollback",), subscribes=("crème brûlée!",)), client, first),
        spec(quote, 8003, routes=("GET /api/o'reilly",)),
        spec(gateway, 8004, routes=("GET /api/gateway",)),
        spec(shouting, 8005, routes=("GET /api/GATEWAY",)),
        replace_internal(spec(dotted, 8006, routes=("GET /api/cart.v2/{id}",)), cart, spaced),
        spec(spaced, 8007, routes=(f"GET {space}",), clients=(cart,)),
        spec(digit, 8008, routes=(f"GET {colon}",), publishes=("- a: *b",)),
        spec(yes, 8009, routes=(f"GET {semicolon}",), publishes=("no",)),
        spec(null, 8010, routes=(f"GET {dollar}",), subscribes=("no",)),
        spec(item, 8011, routes=(f"GET {accents}",)),
        spec(alias, 8012, routes=(f"GET {hashed}",), subscribes=("- a: *b",)),
        spec("monolith", 8000, kind="monolith"),
    )
    return ServicePlan(
        system='my "shop" ${X} \\ """', services=services, shared_modules=(),
        gateway=(GatewayRoute("/api/café/{item_id}:publish", first), GatewayRoute("/api/it's", first), GatewayRoute('/api/say-"hi"/$HOME', first),
                 GatewayRoute("/api/deployments", deployment), GatewayRoute("/api/o'reilly", quote), GatewayRoute("/api/gateway", gateway),
                 GatewayRoute("/api/GATEWAY", shouting), GatewayRoute("/api/cart.v2", dotted),
                 *(GatewayRoute(prefix, owner) for prefix, owner in zip(HOSTILE_PREFIXES, (digit, yes, null, item, alias, spaced), strict=True))),
        channels=(Channel("crème brûlée!", "creme-brulee", (first,), (deployment,)), Channel("no", "no", (yes,), (null,)),
                  Channel("- a: *b", "a-b", (digit,), (alias,))),
        database_variables=("LEGACY_DB",),
    )
