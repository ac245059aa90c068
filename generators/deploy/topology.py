"""The deployment view of a ServicePlan: one place derives every name, label, port and variable
the artifacts use, so that the Dockerfile, compose, Kubernetes, Jenkins and monitoring agree.

Service names come from user code and a user-edited decomposition, so they can hold anything.
Each service gets a ``key``: a DNS label (``[a-z][a-z0-9-]*``, at most 40 characters) used for
hosts, Kubernetes objects, compose services, images, jobs and the ``service`` metric label.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType

from migrator.model.service_plan import MONOLITH, ServicePlan, ServiceSpec, env_prefix, url_variable

MAX_KEY = 40
RESERVED = frozenset({"gateway", "broker", "prometheus", "grafana", "alertmanager"})
"""Compose services of the system itself; a service with one of these names gets a suffix."""
USER = 10001
SECRET_VARIABLES = frozenset({"DATABASE_URL", "EVENT_BUS_URL"})
_SECRET_NAME = re.compile(r"SECRET|PASSWORD|PASSWD|TOKEN|API_?KEY|PRIVATE|CREDENTIAL", re.IGNORECASE)


@dataclass(frozen=True)
class Broker:
    image: str
    port: int
    scheme: str
    selector: str
    """``app.kubernetes.io/name`` of the broker's pods in a cluster."""


BROKERS = MappingProxyType({
    "nats": Broker("nats:2.10-alpine", 4222, "nats", "nats"),
    "rabbit": Broker("rabbitmq:3.13-management-alpine", 5672, "amqp", "rabbitmq"),
    "redis": Broker("redis:7.4-alpine", 6379, "redis", "redis"),
    "kafka": Broker("apache/kafka:3.8.0", 9092, "kafka", "kafka"),
})


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
    """``text`` as a DNS label; a digest keeps two names that fold together apart."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    label = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
    if not label or not label[0].isalpha():
        label = f"x-{label}".strip("-")
    if label == text and len(label) <= limit:
        return label
    if len(label) <= limit and text.lower() == label.replace("-", "_"):
        return label  # snake_case names fold losslessly enough: keep them readable
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


@dataclass(frozen=True)
class Workload:
    """One service as the deployment artifacts see it."""

    spec: ServiceSpec
    key: str
    system: str
    """The system's key (its DNS label)."""
    image: str
    calls: tuple[str, ...]
    """Keys of the services it calls."""
    callers: tuple[str, ...]
    env: Mapping[str, str]
    """Every variable for a cluster or compose: addresses by key, ``SERVICE_NAME`` its key."""
    database_variables: tuple[str, ...] = ()
    """Variables that hold its database URL: ``DATABASE_URL`` and the monolith's own."""
    version: str = ""

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def folder(self) -> str:
        """Its folder under OUT: the service's own name (docs/generated-system.md)."""
        return self.spec.name

    @property
    def port(self) -> int:
        return self.spec.port

    @property
    def app(self) -> str:
        return f"{self.spec.package}.main:app"

    @property
    def title(self) -> str:
        return camel(self.key)

    @property
    def db(self) -> str:
        """Its database: the database, role and host share this name."""
        return f"{self.key}-db"

    @property
    def db_identifier(self) -> str:
        return self.key.replace("-", "_")

    @property
    def password_variable(self) -> str:
        return f"{env_prefix(self.key)}_DB_PASSWORD"

    @property
    def selector(self) -> dict[str, str]:
        return {"app.kubernetes.io/name": self.key, "app.kubernetes.io/part-of": self.system}

    @property
    def labels(self) -> dict[str, str]:
        labels = {key: label_value(value) for key, value in sorted(self.spec.labels.items())}
        labels.update(self.selector)
        labels["app.kubernetes.io/instance"] = self.key
        labels.setdefault("app.kubernetes.io/component", "service")
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
class Topology:
    plan: ServicePlan
    options: DeployOptions

    @cached_property
    def system(self) -> str:
        return dns_label(self.plan.system)

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
    def broker(self) -> Broker:
        return BROKERS.get(self.plan.event_bus, BROKERS["nats"])

    @cached_property
    def workloads(self) -> tuple[Workload, ...]:
        calls = {s.name: sorted({self.keys[c.service] for c in s.clients if c.service in self.keys}) for s in self.plan.services}
        return tuple(
            Workload(
                spec=spec,
                key=self.keys[spec.name],
                system=self.system,
                image=f"{self.options.registry}/{self.system}/{self.keys[spec.name]}",
                calls=tuple(calls[spec.name]),
                callers=tuple(sorted(self.keys[s.name] for s in self.plan.services if self.keys[spec.name] in calls[s.name])),
                env=self._env(spec),
                database_variables=("DATABASE_URL", *sorted(set(self.plan.database_variables) - {"DATABASE_URL"})),
                version=label_value(self.options.image_tag),
            )
            for spec in sorted(self.plan.services, key=lambda s: s.name)
        )

    @cached_property
    def monolith(self) -> Workload | None:
        """What is not extracted yet: the gateway's default backend."""
        return next((w for w in self.workloads if w.spec.kind == MONOLITH or w.name == MONOLITH), None)

    def workload(self, name: str) -> Workload:
        return next(w for w in self.workloads if w.name == name)

    def _env(self, spec: ServiceSpec) -> dict[str, str]:
        env = dict(spec.env)
        env["SERVICE_NAME"] = self.keys[spec.name]
        env["PORT"] = str(spec.port)
        env["EVENT_BUS"] = self.plan.event_bus
        by_variable = {url_variable(s.name): s for s in self.plan.services}
        called = {url_variable(c.service) for c in spec.clients if c.service in self.keys}
        for variable in sorted(called | set(env) & set(by_variable) - SECRET_VARIABLES):
            target = by_variable[variable]
            env[variable] = f"http://{self.keys[target.name]}:{target.port}"
        env.setdefault("DATABASE_URL", "")
        env.setdefault("EVENT_BUS_URL", "")
        for variable in self.plan.database_variables:
            env[variable] = env["DATABASE_URL"]
        return dict(sorted(env.items()))
