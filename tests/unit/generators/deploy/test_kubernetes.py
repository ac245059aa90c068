"""Kubernetes manifests: each object right on its own, and every reference between objects resolves
(selectors to pod labels, named ports, probes and metrics paths, routes to services, files)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from migrator.model.deployment import LIVE_PATH, METRICS_PATH, READY_PATH
from tests.conftest import write_tree
from tests.kustomize_build import build

from .conftest import awkward_plan, find, manifests, shop_plan

GATEWAY_PATH = re.compile(r"^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|%[0-9a-fA-F]{2})+$")
"""The value rule Gateway API's CRD enforces (with CEL) for PathPrefix and Exact matches."""


def _pods(objects: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {o["metadata"]["name"]: o["spec"]["template"] for o in objects if o["kind"] == "Deployment"}


@pytest.mark.parametrize("plan", ["shop", "awkward"])
def test_every_selector_matches_the_pods_it_must_and_every_named_port_exists(plan: str, request: pytest.FixtureRequest) -> None:
    objects = manifests(request.getfixturevalue(plan), "k8s/base/")
    pods = _pods(objects)
    services = find(objects, "Service")
    for name, pod in pods.items():
        labels = pod["metadata"]["labels"]
        deployment = find(objects, "Deployment")(name)
        assert deployment["spec"]["selector"]["matchLabels"].items() <= labels.items()
        assert find(objects, "PodDisruptionBudget")(name)["spec"]["selector"] == deployment["spec"]["selector"]
        assert find(objects, "NetworkPolicy")(name)["spec"]["podSelector"] == deployment["spec"]["selector"]
        assert services(name)["spec"]["selector"].items() <= labels.items()
        assert find(objects, "HorizontalPodAutoscaler")(name)["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": name}
        container = pod["spec"]["containers"][0]
        ports = {p["name"]: p["containerPort"] for p in container["ports"]}
        for service_port in services(name)["spec"]["ports"]:
            assert service_port["targetPort"] in ports and service_port["port"] == ports[service_port["targetPort"]]
        for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
            assert container[probe]["httpGet"]["port"] in ports
        assert container["envFrom"][0]["configMapRef"]["name"] in {o["metadata"]["name"] for o in objects if o["kind"] == "ConfigMap"}
        assert pod["spec"]["serviceAccountName"] in {o["metadata"]["name"] for o in objects if o["kind"] == "ServiceAccount"}
        mounts = {m["name"] for m in container["volumeMounts"]}
        assert mounts == {v["name"] for v in pod["spec"]["volumes"]}
    for policy in (o for o in objects if o["kind"] == "NetworkPolicy" and o["metadata"]["name"] in pods):
        for rule in policy["spec"]["ingress"]:
            assert all(p["port"] == "http" for p in rule["ports"])
            for peer in rule["from"]:
                selected = peer["podSelector"]["matchLabels"]
                if "namespaceSelector" not in peer:  # a caller in the namespace: one of our pods
                    assert any(selected.items() <= pod["metadata"]["labels"].items() for pod in pods.values())
        for rule in policy["spec"]["egress"]:
            for peer in rule["to"]:
                selected = peer["podSelector"]["matchLabels"]
                if selected.get("app.kubernetes.io/part-of"):  # a service it calls
                    target = next(n for n, pod in pods.items() if selected.items() <= pod["metadata"]["labels"].items())
                    assert rule["ports"] == [{"protocol": "TCP", "port": _pod_port(pods[target])}]


def _pod_port(pod: dict[str, Any]) -> int:
    return pod["spec"]["containers"][0]["ports"][0]["containerPort"]


def test_probes_are_distinct_and_use_the_paths_every_service_serves(shop) -> None:
    container = _pods(manifests(shop, "k8s/base/"))["orders"]["spec"]["containers"][0]
    assert container["livenessProbe"]["httpGet"]["path"] == LIVE_PATH
    assert container["readinessProbe"]["httpGet"]["path"] == READY_PATH
    assert container["startupProbe"]["httpGet"]["path"] == LIVE_PATH
    assert len({yaml.safe_dump(container[p]) for p in ("startupProbe", "livenessProbe", "readinessProbe")}) == 3
    monitors = manifests(shop, "k8s/components/")
    assert {e["path"] for m in monitors if m["kind"] == "ServiceMonitor" for e in m["spec"]["endpoints"]} == {METRICS_PATH}


def test_pods_meet_the_restricted_pod_security_standard(awkward) -> None:
    for pod in _pods(manifests(awkward, "k8s/base/")).values():
        spec = pod["spec"]
        assert spec["automountServiceAccountToken"] is False
        assert spec["securityContext"]["runAsNonRoot"] and spec["securityContext"]["runAsUser"] >= 10000 and spec["securityContext"]["runAsGroup"] >= 10000
        assert spec["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
        for container in spec["containers"]:
            context = container["securityContext"]
            assert context["readOnlyRootFilesystem"] and not context["allowPrivilegeEscalation"] and context["capabilities"] == {"drop": ["ALL"]}
            assert {"cpu", "memory"} <= set(container["resources"]["requests"]) and {"cpu", "memory"} <= set(container["resources"]["limits"])
            assert {"name": "tmp", "mountPath": "/tmp"} in container["volumeMounts"]
            assert "env" not in container  # secrets arrive as files, never as values or env references
        assert {"name": "tmp", "emptyDir": {"sizeLimit": "64Mi"}} in spec["volumes"]


def test_secrets_are_referenced_by_name_and_key_never_written(shop) -> None:
    objects = manifests(shop)
    assert not [o for o in objects if o["kind"] == "Secret"]
    pod = _pods(objects)["orders"]
    secret = next(v["secret"] for v in pod["spec"]["volumes"] if "secret" in v)
    assert secret["secretName"] == "orders-secrets"
    assert {item["key"] for item in secret["items"]} == {"DATABASE_URL", "EVENT_BUS_URL", "SHOP_DATABASE_URL", "SHOP_ADMIN_TOKEN"}
    config = find(objects, "ConfigMap")("orders-config")["data"]
    assert "SHOP_ADMIN_TOKEN" not in config and "DATABASE_URL" not in config and config["CATALOG_URL"] == "http://catalog:8002"
    assert "`orders-secrets` | `DATABASE_URL`" in shop["k8s/README.md"]


def test_the_autoscaler_keeps_at_least_two_replicas_and_the_deployment_leaves_replicas_to_it(shop) -> None:
    objects = manifests(shop, "k8s/base/")
    for hpa in (o for o in objects if o["kind"] == "HorizontalPodAutoscaler"):
        assert hpa["apiVersion"] == "autoscaling/v2" and hpa["spec"]["minReplicas"] >= 2
    assert all("replicas" not in o["spec"] for o in objects if o["kind"] == "Deployment")


@pytest.mark.parametrize("plan", ["shop", "awkward"])
def test_routes_reach_existing_services_on_their_ports_with_weights_that_add_up(plan: str, request: pytest.FixtureRequest) -> None:
    objects = manifests(request.getfixturevalue(plan), "k8s/base/")
    services = {o["metadata"]["name"]: o for o in objects if o["kind"] == "Service"}
    gateways = {o["metadata"]["name"] for o in objects if o["kind"] == "Gateway"}
    routes = [o for o in objects if o["kind"] == "HTTPRoute"]
    assert routes
    for route in routes:
        assert all(parent["name"] in gateways for parent in route["spec"]["parentRefs"])
        assert len(route["spec"]["rules"]) <= 16
        for rule in route["spec"]["rules"]:
            for ref in rule["backendRefs"]:
                assert ref["port"] in [p["port"] for p in services[ref["name"]]["spec"]["ports"]]
            if len(rule["backendRefs"]) > 1:
                assert sum(ref["weight"] for ref in rule["backendRefs"]) == 100
                assert rule["backendRefs"][-1]["name"] == "monolith"  # the rollback lever
            for match in rule["matches"]:
                path = match["path"]
                if path["type"] == "PathPrefix":
                    assert GATEWAY_PATH.match(path["value"]), path
                else:
                    re.compile(path["value"])
    assert routes[-1]["spec"]["rules"][-1] == {"matches": [{"path": {"type": "PathPrefix", "value": "/"}}],
                                               "backendRefs": [{"name": "monolith", "port": 8000}]}


def test_a_templated_prefix_becomes_a_regular_expression_that_matches_real_paths(awkward) -> None:
    rules = [r for o in manifests(awkward, "k8s/base/") if o["kind"] == "HTTPRoute" for r in o["spec"]["rules"]]
    patterns = [m["path"]["value"] for r in rules for m in r["matches"] if m["path"]["type"] == "RegularExpression"]
    assert patterns == ["^/api/caf%C3%A9/[^/]+:publish(/.*)?$"]
    assert re.match(patterns[0], "/api/caf%C3%A9/42:publish") and not re.match(patterns[0], "/api/caf%C3%A9/42:other")


def test_cut_over_weights_come_from_the_options() -> None:
    from generators.deploy import DeployOptions, render_deployment

    files = render_deployment(shop_plan(), DeployOptions(cutover={"orders": 10}))
    rule = next(r for o in manifests(files, "k8s/base/") if o["kind"] == "HTTPRoute" for r in o["spec"]["rules"]
                if r["backendRefs"][0]["name"] == "orders")
    assert [(ref["name"], ref["weight"]) for ref in rule["backendRefs"]] == [("orders", 10), ("monolith", 90)]


def test_monitors_select_the_services_and_carry_the_configurable_selector_label() -> None:
    from generators.deploy import DeployOptions, render_deployment

    files = render_deployment(shop_plan(), DeployOptions(monitor_labels={"prometheus": "platform"}))
    services = {o["metadata"]["name"]: o for o in manifests(files, "k8s/base/") if o["kind"] == "Service"}
    monitors = [o for o in manifests(files, "k8s/components/") if o["kind"] in ("ServiceMonitor", "PrometheusRule")]
    assert len(monitors) == 2 * len(services)
    for monitor in monitors:
        assert monitor["metadata"]["labels"]["prometheus"] == "platform"
        if monitor["kind"] == "ServiceMonitor":
            service = services[monitor["metadata"]["name"]]
            assert monitor["spec"]["selector"]["matchLabels"].items() <= service["metadata"]["labels"].items()
            assert {e["port"] for e in monitor["spec"]["endpoints"]} <= {p["name"] for p in service["spec"]["ports"]}


def _write_k8s(files: dict[str, str], folder: Path) -> None:
    """The generated ``k8s/`` tree on disk, as kustomize reads it."""
    write_tree(folder, {path: text for path, text in files.items() if path.startswith("k8s/")})


@pytest.mark.parametrize("plan", ["shop", "awkward"])
def test_every_file_a_kustomization_names_exists_and_every_manifest_is_in_one(plan: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    files = request.getfixturevalue(plan)
    _write_k8s(files, tmp_path)
    listed = set()
    for path in (p for p in files if p.endswith("kustomization.yaml")):
        for entry in yaml.safe_load(files[path]).get("resources", []):
            target = (tmp_path / path).parent / entry
            assert target.exists(), f"{path}: {entry}"
            listed.add(target.resolve())
    manifests_on_disk = {p.resolve() for p in tmp_path.glob("k8s/**/*.yaml") if p.name != "kustomization.yaml"}
    assert manifests_on_disk <= listed


@pytest.mark.parametrize("plan", ["shop", "awkward"])
def test_the_overlays_build_and_change_what_they_say(plan: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    files = request.getfixturevalue(plan)
    _write_k8s(files, tmp_path)
    base = manifests(files, "k8s/base/")
    dev = build(tmp_path / "k8s/overlays/dev")
    prod = build(tmp_path / "k8s/overlays/prod")
    system = next(o["metadata"]["name"] for o in base if o["kind"] == "Namespace")
    assert {o["metadata"].get("namespace", o["metadata"]["name"]) for o in dev} == {f"{system}-dev"}
    assert {o["metadata"].get("namespace", o["metadata"]["name"]) for o in prod} == {system}
    assert len(dev) == len(base) and len(prod) > len(base)  # prod adds the prometheus-operator component
    for deployment in (o for o in dev if o["kind"] == "Deployment"):
        assert deployment["spec"]["template"]["spec"]["containers"][0]["image"].endswith(":dev")
        assert deployment["spec"]["template"]["metadata"]["labels"]["app.kubernetes.io/version"] == "dev"
        assert deployment["spec"]["selector"]["matchLabels"].items() <= deployment["spec"]["template"]["metadata"]["labels"].items()
    assert all(o["spec"]["maxReplicas"] == 10 for o in prod if o["kind"] == "HorizontalPodAutoscaler")
    assert all(o["data"]["EVENT_NAMESPACE"] == f"{system}-dev" for o in dev if o["kind"] == "ConfigMap" and o["metadata"]["name"].endswith("-config"))


def test_the_awkward_plan_still_names_everything_validly(awkward) -> None:
    name = re.compile(r"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
    for obj in manifests(awkward):
        assert name.match(obj["metadata"]["name"]) and len(obj["metadata"]["name"]) <= 63, obj["metadata"]["name"]
    text = "".join(awkward[p] for p in awkward if p.startswith("k8s/base/"))
    assert not [s.name for s in awkward_plan().services if s.name in ('Café "Crème" $HOME', "o'reilly \\ ${PATH}") and s.name in text]
