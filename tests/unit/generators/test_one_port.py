"""A service's port lives in one place, ``ServiceSpec.port``: change it there and every artifact that
carries it (compose, Kubernetes, the Dockerfile, the gateway, system.json, the callers' addresses,
Prometheus) carries the new one, and the old one is gone."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import yaml

from generators.system import Monolith, render_system
from migrator.model.deployment import Topology
from migrator.model.service_plan import ServicePlan
from tests.golden.render import sample_plan

SERVICE = "catalog"
NEW_PORT = 9137


def _moved(plan: ServicePlan) -> ServicePlan:
    return replace(plan, services=tuple(replace(s, port=NEW_PORT) if s.name == SERVICE else s for s in plan.services))


def _yaml(files: dict[str, str], path: str) -> list[dict]:
    return [doc for doc in yaml.safe_load_all(files[path]) if doc]


def test_the_new_port_replaces_the_old_one_everywhere_and_nothing_else_changes() -> None:
    plan = sample_plan()
    old = str(plan.service(SERVICE).port)
    before = render_system(plan, Monolith(source="sample"))
    after = render_system(_moved(plan), Monolith(source="sample"))
    assert sum(old in text for text in before.values()) > 20
    assert {path: text.replace(old, str(NEW_PORT)) for path, text in before.items()} == after
    assert not [path for path, text in after.items() if re.search(rf"\b{old}\b", text)]


def test_every_artifact_that_carries_the_port_carries_the_new_one() -> None:
    plan = _moved(sample_plan())
    files = render_system(plan, Monolith(source="sample"))
    topology = Topology(plan)
    workload = topology.workload(SERVICE)
    port, address = NEW_PORT, f"http://{workload.key}:{NEW_PORT}"
    compose = _yaml(files, "docker-compose.yml")[0]["services"]
    assert compose[workload.key]["expose"] == [str(port)] and compose[workload.key]["environment"]["PORT"] == str(port)
    (deployment,) = _yaml(files, f"k8s/base/{workload.key}/deployment.yaml")
    assert [(p["name"], p["containerPort"]) for p in deployment["spec"]["template"]["spec"]["containers"][0]["ports"]] == [("http", port)]
    (service,) = _yaml(files, f"k8s/base/{workload.key}/service.yaml")
    assert [(p["name"], p["port"], p["targetPort"]) for p in service["spec"]["ports"]] == [("http", port, "http")]
    (monitor,) = _yaml(files, f"k8s/components/prometheus-operator/{workload.key}.servicemonitor.yaml")
    assert [e["port"] for e in monitor["spec"]["endpoints"]] == ["http"]  # the Service's port of that name
    assert _yaml(files, f"k8s/base/{workload.key}/configmap.yaml")[0]["data"]["PORT"] == str(port)
    assert {f"EXPOSE {port}", f"PORT={port}"} <= {line.strip(" \\") for line in files[f"{workload.folder}/Dockerfile"].splitlines()}
    assert f"upstream {workload.upstream} {{ server {workload.key}:{port}; }}" in files["gateway/nginx.conf"]
    system = {entry["name"]: entry for entry in json.loads(files["system.json"])["services"]}
    assert system[workload.key]["port"] == port and system[workload.key]["env"]["PORT"] == str(port)
    assert workload.callers
    for caller in map(topology.by_key, workload.callers):
        assert system[caller.key]["env"][workload.url_variable] == address
        assert compose[caller.key]["environment"][workload.url_variable] == address
        assert _yaml(files, f"k8s/base/{caller.key}/configmap.yaml")[0]["data"][workload.url_variable] == address
        (policy,) = _yaml(files, f"k8s/base/{caller.key}/networkpolicy.yaml")
        assert any(rule["ports"] == [{"protocol": "TCP", "port": port}] for rule in policy["spec"]["egress"]
                   if any(peer.get("podSelector", {}).get("matchLabels", {}).get("app.kubernetes.io/name") == workload.key for peer in rule.get("to", [])))
    routes = [ref for doc in _yaml(files, "k8s/base/httproute.yaml") for rule in doc["spec"]["rules"] for ref in rule["backendRefs"]]
    assert {ref["port"] for ref in routes if ref["name"] == workload.key} == {port}
    targets = [t for job in _yaml(files, "monitoring/prometheus/prometheus.compose.yml")[0]["scrape_configs"] if job["job_name"] == workload.key
               for config in job["static_configs"] for t in config["targets"]]
    assert targets == [f"{workload.key}:{port}"]
    assert f"| {workload.key} | {port} |" in files["README.md"]
