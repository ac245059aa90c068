"""The deployed system: one place derives, from a ServicePlan, every name, host, port, variable,
address and bus detail that the generated artifacts and ``verify`` use, so that the services' code,
Dockerfiles, compose, Kubernetes, the gateway, contracts, Jenkins, monitoring, system.json and a
verification run agree. No renderer derives a name of its own: each reads a ``Workload`` (one
service) or a ``Bus`` (one kind of event bus) from here.

Service names come from user code and a user-edited decomposition, so they can hold anything.
Each service gets a ``key``: a DNS-1123 label (``[a-z][a-z0-9-]*``, at most 40 characters) used for
its folder, host, Python package, variables, Kubernetes objects, compose services, images, jobs,
contract files and the ``service`` metric label. The name the user gave stays for display only
(titles, descriptions, comments), always through the quoting of the format it lands in.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType

from migrator.model.hosting import ASGI, WSGI
from migrator.model.route_pattern import RoutePattern, parse_route
from migrator.model.service_plan import MONOLITH, GatewayRoute, ServicePlan, ServiceSpec

FIRST_PORT = 8001
"""Extracted services listen on FIRST_PORT, FIRST_PORT + 1, ... in the order of their names."""
MONOLITH_PORT = 8000
GATEWAY_PORT = 8080
LIVE_PATH = "/healthz/live"
READY_PATH = "/healthz/ready"
METRICS_PATH = "/metrics"
"""Served by every generated service (see docs/generated-system.md)."""
GATEWAY_HEALTH_PATH = "/gateway/healthz"
BROKER_HOST = "broker"
"""The event bus's host name wherever the system runs as a whole (compose, the contracts)."""


def assign_ports(names: list[str] | tuple[str, ...]) -> dict[str, int]:
    """Each extracted service's port (in the order of ``names``), and the monolith's."""
    ports = {name: FIRST_PORT + i for i, name in enumerate(names)}
    ports[MONOLITH] = MONOLITH_PORT
    return ports


def env_prefix(service: str) -> str:
    """``orders-api`` -> ``ORDERS_API``: the prefix of a service's variables (docs/generated-system.md).

    The generated runtime has its own copy (``runtime/settings.env_name``: it cannot import
    the toolkit); a test keeps the two equal."""
    return re.sub(r"[^A-Z0-9]", "_", service.upper())


def url_variable(service: str) -> str:
    """The variable that holds a service's address: ``ORDERS_URL``."""
    return f"{env_prefix(service)}_URL"


@dataclass(frozen=True)
class Bus:
    """One kind of event bus, everything the toolkit knows of it."""

    name: str
    """As ``--event-bus`` takes it and the runtime's ``EVENT_BUS`` names it."""
    scheme: str
    port: int
    image: str
    selector: str
    """``app.kubernetes.io/name`` of the broker's pods in a cluster."""
    local_url: str
    """Where a broker of this kind answers on a developer's machine (``verify``'s default)."""
    client_extra: str
    """The FastStream extra that brings its client."""
    protocol: str
    """The AsyncAPI protocol name."""
    server: tuple[str, ...] = ()
    """A program ``verify`` may start on a port of its own: argv with ``{port}`` and ``{data}``."""
    start_hint: str = ""
    data_dir: str = "/data"
    """Where the broker's container keeps its data (a compose volume)."""
    command: tuple[str, ...] = ()
    """The broker container's command in compose (empty: the image's own)."""
    healthcheck: tuple[str, ...] = ()
    environment: Mapping[str, str] = field(default_factory=dict)
    """The broker container's environment; ``{user}`` and ``{password}`` are filled in."""
    credentials: bool = False
    """Whether clients log in (compose then requires ``BROKER_PASSWORD``)."""

    def url(self, host: str, *, port: int | None = None, password: str = "", user: str = "") -> str:
        """A client's address of the broker at ``host`` (on its usual port unless given)."""
        login = f"{user}:{password}@" if self.credentials and password else ""
        where = f"{host}:{port or self.port}"
        if self.scheme == "kafka":
            return where
        return f"{self.scheme}://{login}{where}" + ("/" if self.scheme == "amqp" else "")

    def server_argv(self, program: str, port: int, data: str) -> list[str]:
        return [program, *(word.format(port=port, data=data) for word in self.server[1:])]


_START = "give its address with --bus-url, or pick another bus with --event-bus"
BUSES: Mapping[str, Bus] = MappingProxyType({
    "nats": Bus(
        "nats", "nats", 4222, "nats:2.10-alpine", "nats", "nats://127.0.0.1:4222", "nats", "nats",
        server=("nats-server", "-a", "127.0.0.1", "-p", "{port}", "-js", "-sd", "{data}"),
        start_hint=f"start one (nats-server -js), {_START}",
        command=("-js", "-sd", "/data", "-m", "8222"),
        healthcheck=("CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8222/healthz?js-enabled-only=true"),
    ),
    "kafka": Bus(
        "kafka", "kafka", 9092, "apache/kafka:3.8.0", "kafka", "127.0.0.1:9092", "kafka", "kafka",
        start_hint=f"start Kafka, {_START}", data_dir="/var/lib/kafka/data",
        healthcheck=("CMD", "/opt/kafka/bin/kafka-broker-api-versions.sh", "--bootstrap-server", "127.0.0.1:9092"),
        environment={
            "KAFKA_NODE_ID": "1", "KAFKA_PROCESS_ROLES": "broker,controller",
            "KAFKA_LISTENERS": "PLAINTEXT://:9092,CONTROLLER://:9093", "KAFKA_ADVERTISED_LISTENERS": f"PLAINTEXT://{BROKER_HOST}:9092",
            "KAFKA_CONTROLLER_LISTENER_NAMES": "CONTROLLER", "KAFKA_CONTROLLER_QUORUM_VOTERS": f"1@{BROKER_HOST}:9093",
            "KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR": "1", "KAFKA_LOG_DIRS": "/var/lib/kafka/data",
        },
    ),
    "rabbit": Bus(
        "rabbit", "amqp", 5672, "rabbitmq:3.13-management-alpine", "rabbitmq", "amqp://guest:guest@127.0.0.1:5672/", "rabbit", "amqp",
        start_hint=f"start RabbitMQ (rabbitmq-server), {_START}", data_dir="/var/lib/rabbitmq",
        healthcheck=("CMD", "rabbitmq-diagnostics", "-q", "ping"),
        environment={"RABBITMQ_DEFAULT_USER": "{user}", "RABBITMQ_DEFAULT_PASS": "{password}"}, credentials=True,
    ),
    "redis": Bus(
        "redis", "redis", 6379, "redis:7.4-alpine", "redis", "redis://127.0.0.1:6379", "redis", "redis",
        server=("redis-server", "--bind", "127.0.0.1", "--port", "{port}", "--save", "", "--appendonly", "no", "--dir", "{data}"),
        start_hint=f"start one (redis-server), {_START}",
        command=("redis-server", "--appendonly", "yes"), healthcheck=("CMD", "redis-cli", "ping"),
    ),
})
DEFAULT_BUS = "nats"


def bus(name: str) -> Bus:
    """The bus called ``name``; KeyError for an unknown one (callers say what to do)."""
    return BUSES[name]


MAX_KEY = 40
RESERVED = frozenset({"gateway", "broker", "prometheus", "grafana", "alertmanager"})
"""Compose services of the system itself; a service with one of these names gets a suffix."""
USER = 10001
SECRET_VARIABLES = frozenset({"DATABASE_URL", "EVENT_BUS_URL"})
_SECRET_NAME = re.compile(r"SECRET|PASSWORD|PASSWD|TOKEN|API_?KEY|PRIVATE|CREDENTIAL", re.IGNORECASE)


@dataclass(frozen=True)
class DeployOptions:
    """What a team sets once for its platform; every default works as rendered."""

    registry: str = "registry.example.com"
    image_tag: str = "0.1.0"
    python_image: str = "python"
    python_tag: str = "3.12-slim-bookworm"
    gateway_class: str = "default"
    prometheus_namespace: str = "monitoring"
    prometheus_pod_labels: Mapping[str, str] = field(default_factory=lambda: {"app.kubernetes.io/name": "prometheus"})
    monitor_labels: Mapping[str, str] = field(default_factory=lambda: {"release": "kube-prometheus-stack"})
    """Labels the prometheus-operator's ``serviceMonitorSelector``/``ruleSelector`` match."""
    cutover: Mapping[str, int] = field(default_factory=dict)
    """Percent of a service's gateway traffic sent to the service rather than the monolith
    (strangler fig); 100 when not given."""
    buildkit_host: str = "tcp://buildkitd.buildkit.svc.cluster.local:1234"
    """A shared BuildKit daemon: the agent pods build through it and need no privileges."""
    agent_images: Mapping[str, str] = field(default_factory=lambda: {
        "python": "python:3.12-slim-bookworm",
        "buildkit": "moby/buildkit:v0.16.0",
        "trivy": "aquasec/trivy:0.56.2",
        "kubectl": "alpine/k8s:1.31.4",
        "node": "node:20-bookworm-slim",
    })
    production_approvers: str = "release-managers"
    slo_target: float = 0.999
    latency_p99_seconds: float = 0.5
    consumer_lag_seconds: float = 300.0


def dns_label(text: str, *, limit: int = MAX_KEY) -> str:
    """``text`` as a readable DNS label (``My Cart`` -> ``my-cart``, ``cart.v2`` -> ``cart-v2``); a
    name too long for one ends in a digest of the whole, so that two long names stay apart
    (``Topology.keys`` keeps names apart that fold to the same label)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    label = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
    if not label or not label[0].isalpha():
        label = f"x-{label}".strip("-")
    if len(label) <= limit:
        return label
    return f"{label[: limit - 9].rstrip('-')}-{digest(text)}"


def digest(text: str, size: int = 8) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=size // 2).hexdigest()


def label_value(text: str) -> str:
    """A Kubernetes label value: 63 characters of ``[A-Za-z0-9._-]``, alphanumeric at both ends."""
    value = re.sub(r"[^A-Za-z0-9._-]+", "-", unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode())
    value = value.strip("._-")
    if value != text or len(value) > 63:
        value = f"{value[:54].strip('._-')}-{digest(text)}".strip("-")
    return value


def camel(key: str) -> str:
    return "".join(part.capitalize() for part in key.split("-"))


Address = Callable[[str, int], str]
"""How one service reaches another: (its key, its port) -> its base URL."""


def cluster_address(key: str, port: int) -> str:
    """Where a service answers wherever the system runs as a whole: discovery by name."""
    return f"http://{key}:{port}"


@dataclass(frozen=True)
class Workload:
    """One service as everything outside its own code sees it."""

    spec: ServiceSpec
    key: str
    system: str
    """The system's key (its DNS label)."""
    image: str
    calls: tuple[str, ...]
    """Keys of the services it calls over HTTP: its clients' and the event subscribers it calls
    synchronously."""
    callers: tuple[str, ...]
    env: Mapping[str, str]
    """Every variable for a cluster or compose: addresses by key, ``SERVICE_NAME`` its key."""
    database_variables: tuple[str, ...] = ()
    """Variables that hold its database URL: ``DATABASE_URL`` and the monolith's own."""
    version: str = ""
    interface: str = ASGI
    """wsgi (served by gunicorn) or asgi (uvicorn): the monolith's framework decides."""
    database_of: str = ""
    """The key whose database it uses: its own (a database per service), or the monolith's
    (``shared``: every service keeps the monolith's database)."""

    @property
    def name(self) -> str:
        """The name the user gave it (decomposition.yaml): for display only."""
        return self.spec.name

    @property
    def folder(self) -> str:
        """Its folder under OUT (docs/generated-system.md)."""
        return self.key

    @property
    def package(self) -> str:
        """The Python package of the generated service (``orders_service``)."""
        return self.key.replace("-", "_") + "_service"

    @property
    def port(self) -> int:
        return self.spec.port

    @property
    def app(self) -> str:
        """What its server loads: ``package.main:application`` (WSGI) or ``:app`` (ASGI)."""
        return f"{self.package}.main:{'application' if self.interface == WSGI else 'app'}"

    @property
    def server(self) -> str:
        return "gunicorn" if self.interface == WSGI else "uvicorn"

    def serve(self, host: str, port: str) -> list[str]:
        """The arguments of its server (after ``gunicorn``/``uvicorn``) to serve it at ``host:port``.
        gunicorn runs one worker, which loads the application (and starts the event runtime's
        thread, which would not survive a fork); its threads let a service answer while it waits
        on another."""
        if self.interface == WSGI:
            return [self.app, "--bind", f"{host}:{port}", "--workers", "1", "--threads", "8", "--timeout", "120"]
        return [self.app, "--host", host, "--port", port]

    @property
    def title(self) -> str:
        return camel(self.key)

    @property
    def host(self) -> str:
        return self.key

    @property
    def url(self) -> str:
        """Its address wherever the system runs as a whole (compose, a cluster)."""
        return cluster_address(self.host, self.port)

    @property
    def url_variable(self) -> str:
        """The variable that holds its address in the services that call it."""
        return url_variable(self.key)

    @property
    def upstream(self) -> str:
        """Its upstream in the gateway's configuration."""
        return "svc_" + self.key.replace("-", "_")

    @property
    def openapi_contract(self) -> str:
        return f"contracts/{self.key}.openapi.json"

    @property
    def asyncapi_contract(self) -> str:
        return f"contracts/{self.key}.asyncapi.yaml"

    @property
    def uses_bus(self) -> bool:
        return bool(self.spec.publishes or self.spec.subscribes)

    @property
    def db(self) -> str:
        """Its database: the database, role and host share this name."""
        return f"{self.database_of or self.key}-db"

    @property
    def db_identifier(self) -> str:
        return (self.database_of or self.key).replace("-", "_")

    @property
    def local_database_url(self) -> str:
        """The database a service run by hand uses: an SQLite file in its working folder."""
        return f"sqlite:///./{self.db_identifier}.db"

    @property
    def password_variable(self) -> str:
        return f"{env_prefix(self.database_of or self.key)}_DB_PASSWORD"

    @property
    def selector(self) -> dict[str, str]:
        return {"app.kubernetes.io/name": self.key, "app.kubernetes.io/part-of": self.system}

    @property
    def labels(self) -> dict[str, str]:
        labels = {key: label_value(value) for key, value in sorted(self.spec.labels.items())}
        labels.update(self.selector)
        labels["app.kubernetes.io/instance"] = self.key
        labels.setdefault("app.kubernetes.io/component", self.spec.kind)
        labels.setdefault("app.kubernetes.io/managed-by", "migrator")
        if self.version:
            labels["app.kubernetes.io/version"] = self.version
        return dict(sorted(labels.items()))

    @property
    def secret_env(self) -> tuple[str, ...]:
        """Variables a cluster takes from the service's Secret (compose: from required variables)."""
        return tuple(name for name in self.env if self.is_secret(name))

    @property
    def config_env(self) -> dict[str, str]:
        return {name: value for name, value in self.env.items() if not self.is_secret(name)}

    def is_secret(self, variable: str) -> bool:
        return variable in SECRET_VARIABLES or variable in self.database_variables or bool(_SECRET_NAME.search(variable))


@dataclass(frozen=True)
class GatewayPath:
    """One location of the gateway: the paths of a route, and the workload they go to."""

    route: GatewayRoute
    pattern: RoutePattern
    workload: Workload


DERIVED_VARIABLES = frozenset({"SERVICE_NAME", "PORT", "EVENT_BUS", "EVENT_BUS_URL", "EVENT_NAMESPACE", "DATABASE_URL", "DATABASE_MODE"})
"""Variables this module sets for every service; a plan's own ``env`` holds the application's."""


@dataclass(frozen=True)
class Topology:
    """The deployed system of one ServicePlan."""

    plan: ServicePlan
    options: DeployOptions = field(default_factory=DeployOptions)

    @cached_property
    def system(self) -> str:
        return dns_label(self.plan.system)

    @cached_property
    def shared_package(self) -> str:
        """The Python package of the library the services share: the monolith's own package name
        with ``_shared``, else the system's key as an identifier."""
        return (self.plan.root_package or self.system.replace("-", "_")) + "_shared"

    @cached_property
    def keys(self) -> dict[str, str]:
        """Service name -> key, unique and clear of the system's own compose services."""
        keys: dict[str, str] = {}
        for spec in sorted(self.plan.services, key=lambda s: s.name):
            key = dns_label(spec.name)
            if key in RESERVED or key.endswith("-db") or key in keys.values():
                key = f"{key[: MAX_KEY - 9]}-{digest(spec.name)}"
            keys[spec.name] = key
        return keys

    @cached_property
    def broker(self) -> Bus:
        """The system's event bus."""
        return BUSES.get(self.plan.event_bus, BUSES[DEFAULT_BUS])

    @cached_property
    def workloads(self) -> tuple[Workload, ...]:
        calls = {s.name: self._calls(s) for s in self.plan.services}
        return tuple(
            Workload(
                spec=spec,
                key=self.keys[spec.name],
                system=self.system,
                image=f"{self.options.registry}/{self.system}/{self.keys[spec.name]}",
                calls=calls[spec.name],
                callers=tuple(sorted(self.keys[s.name] for s in self.plan.services if self.keys[spec.name] in calls[s.name])),
                env=self._env(spec, calls[spec.name], cluster_address),
                database_variables=("DATABASE_URL", *sorted(set(self.plan.database_variables) - {"DATABASE_URL"})),
                version=label_value(self.options.image_tag),
                interface=self.plan.hosting.interface,
                database_of=self._shared_database,
            )
            for spec in sorted(self.plan.services, key=lambda s: s.name)
        )

    @cached_property
    def _shared_database(self) -> str:
        """The key whose database every service uses when the plan shares one; empty otherwise."""
        if self.plan.database != "shared":
            return ""
        monolith = next((s for s in self.plan.services if s.kind == MONOLITH or s.name == MONOLITH), None)
        return self.keys[monolith.name] if monolith else self.system

    @cached_property
    def monolith(self) -> Workload | None:
        """What is not extracted yet: the gateway's default backend."""
        return next((w for w in self.workloads if w.spec.kind == MONOLITH or w.name == MONOLITH), None)

    def workload(self, name: str) -> Workload:
        """The workload of a service, by the name the plan gives it."""
        return self._by_name[name]

    @cached_property
    def gateway(self) -> tuple[GatewayPath, ...]:
        """The plan's gateway routes as every gateway matches them, most specific first (nginx and
        Gateway API implementations try regular expressions in order). A prefix with no segment
        is the root path itself, never every path: what nobody owns stays the monolith's. Routes
        of services not in the plan, and paths no gateway can match, are left out."""
        paths = []
        for route in self.plan.gateway:
            whole = route.whole or not route.prefix.strip("/")
            pattern = parse_route(route.prefix, framework=route.framework if route.whole else "", whole=whole)
            if isinstance(pattern, RoutePattern) and route.service in self._by_name:
                paths.append(GatewayPath(route, pattern, self._by_name[route.service]))
        return tuple(sorted(paths, key=lambda p: (p.pattern.specificity, p.workload.key)))

    def key_of(self, name: str) -> str:
        return self.keys[name]

    @cached_property
    def _by_name(self) -> dict[str, Workload]:
        return {w.name: w for w in self.workloads}

    @cached_property
    def _by_key(self) -> dict[str, Workload]:
        return {w.key: w for w in self.workloads}

    def by_key(self, key: str) -> Workload:
        return self._by_key[key]

    def environment(self, workload: Workload, address: Address) -> dict[str, str]:
        """``workload``'s variables with the services it calls at ``address(service)``."""
        return self._env(workload.spec, workload.calls, address)

    def _calls(self, spec: ServiceSpec) -> tuple[str, ...]:
        called = {c.service for c in spec.clients}
        called |= {s for c in self.plan.channels if spec.name in c.publishers for s in c.sync_subscribers}
        called |= {s.name for s in self.plan.services if set(s.tables) & set(spec.replicas)}  # a write of a read model goes to its owner
        return tuple(sorted(self.keys[n] for n in called - {spec.name} if n in self.keys))

    def _env(self, spec: ServiceSpec, calls: tuple[str, ...], address: Address) -> dict[str, str]:
        key = self.keys[spec.name]
        application = {name: value for name, value in self.plan.hosting.env.items() if name != "DJANGO_SETTINGS_MODULE"}
        env = {name: value for name, value in {**application, **spec.env}.items() if name not in DERIVED_VARIABLES}
        env.update(SERVICE_NAME=key, PORT=str(spec.port), EVENT_BUS=self.plan.event_bus, EVENT_BUS_URL="",
                   EVENT_NAMESPACE=self.plan.system, DATABASE_URL=f"sqlite:///./{key.replace('-', '_')}.db", DATABASE_MODE=self.plan.database)
        ports = {self.keys[s.name]: s.port for s in self.plan.services}
        for other in calls:
            env[url_variable(other)] = address(other, ports[other])
        for variable in self.plan.database_variables:
            env[variable] = env["DATABASE_URL"]
        return dict(sorted(env.items()))
