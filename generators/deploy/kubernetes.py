"""Kubernetes manifests per service: a Deployment under the restricted Pod Security Standard, its
Service, ServiceAccount, ConfigMap, HorizontalPodAutoscaler, PodDisruptionBudget and the
NetworkPolicy that lets in only what it needs. Secrets are referenced, never written."""

from __future__ import annotations

from typing import Any

from migrator.model.deployment import LIVE_PATH, READY_PATH

from .docker import ENV_FILES
from migrator.model.deployment import USER, Topology, Workload

PORT_NAME = "http"
RESOURCES = {"requests": {"cpu": "100m", "memory": "192Mi"}, "limits": {"cpu": "500m", "memory": "384Mi"}}
MIN_REPLICAS = 2
MAX_REPLICAS = 6


def meta(topology: Topology, name: str, labels: dict[str, str], **extra: Any) -> dict[str, Any]:
    return {"name": name, "namespace": topology.system, "labels": labels, **extra}


def secret_name(workload: Workload) -> str:
    return f"{workload.key}-secrets"


def config_name(workload: Workload) -> str:
    return f"{workload.key}-config"


def workload_objects(topology: Topology, workload: Workload) -> dict[str, dict[str, Any]]:
    """``{file name: object}`` for one service."""
    return {
        "serviceaccount.yaml": {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": meta(topology, workload.key, workload.labels),
                                "automountServiceAccountToken": False},
        "configmap.yaml": {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta(topology, config_name(workload), workload.labels),
                           "data": dict(workload.config_env)},
        "deployment.yaml": deployment(topology, workload),
        "service.yaml": {
            "apiVersion": "v1", "kind": "Service", "metadata": meta(topology, workload.key, workload.labels),
            "spec": {"type": "ClusterIP", "selector": workload.selector,
                     "ports": [{"name": PORT_NAME, "port": workload.port, "targetPort": PORT_NAME, "protocol": "TCP", "appProtocol": "http"}]},
        },
        "hpa.yaml": {
            "apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": meta(topology, workload.key, workload.labels),
            "spec": {
                "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": workload.key},
                "minReplicas": MIN_REPLICAS, "maxReplicas": MAX_REPLICAS,
                "metrics": [
                    {"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 70}}},
                    {"type": "Resource", "resource": {"name": "memory", "target": {"type": "Utilization", "averageUtilization": 80}}},
                ],
                "behavior": {"scaleDown": {"stabilizationWindowSeconds": 300, "policies": [{"type": "Pods", "value": 1, "periodSeconds": 60}]}},
            },
        },
        "pdb.yaml": {
            "apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": meta(topology, workload.key, workload.labels),
            "spec": {"minAvailable": 1, "selector": {"matchLabels": workload.selector}},
        },
        "networkpolicy.yaml": network_policy(topology, workload),
    }


def deployment(topology: Topology, workload: Workload) -> dict[str, Any]:
    container = {
        "name": workload.key,
        "image": f"{workload.image}:{topology.options.image_tag}",
        "imagePullPolicy": "Always",
        "ports": [{"name": PORT_NAME, "containerPort": workload.port, "protocol": "TCP"}],
        "envFrom": [{"configMapRef": {"name": config_name(workload)}}],
        "resources": RESOURCES,
        "startupProbe": _probe(LIVE_PATH, period=2, timeout=2, failures=30),
        "livenessProbe": _probe(LIVE_PATH, period=10, timeout=2, failures=3),
        "readinessProbe": _probe(READY_PATH, period=5, timeout=3, failures=2),
        "securityContext": {
            "allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True, "privileged": False,
            "runAsNonRoot": True, "runAsUser": USER, "runAsGroup": USER,
            "capabilities": {"drop": ["ALL"]}, "seccompProfile": {"type": "RuntimeDefault"},
        },
        "volumeMounts": [{"name": "tmp", "mountPath": "/tmp"}, {"name": "secrets", "mountPath": ENV_FILES, "readOnly": True}],
    }
    pod = {
        "serviceAccountName": workload.key,
        "automountServiceAccountToken": False,
        "enableServiceLinks": False,
        "securityContext": {"runAsNonRoot": True, "runAsUser": USER, "runAsGroup": USER, "fsGroup": USER, "seccompProfile": {"type": "RuntimeDefault"}},
        "terminationGracePeriodSeconds": 30,
        "topologySpreadConstraints": [{"maxSkew": 1, "topologyKey": "kubernetes.io/hostname", "whenUnsatisfiable": "ScheduleAnyway",
                                       "labelSelector": {"matchLabels": workload.selector}}],
        "containers": [container],
        "volumes": [
            {"name": "tmp", "emptyDir": {"sizeLimit": "64Mi"}},
            # the image's start command exports each file as a variable (see generators/deploy/docker.py)
            {"name": "secrets", "secret": {"secretName": secret_name(workload), "defaultMode": 0o440,
                                           "items": [{"key": name, "path": name} for name in workload.secret_env]}},
        ],
    }
    # checkov's own annotation: an image is built, then pinned by digest at deploy time (the
    # Jenkinsfile's deploy stages), so no digest can be written here
    skip = {"checkov.io/skip1": "CKV_K8S_43=the pipeline deploys this image by digest (Jenkinsfile: kustomize images digest)"}
    return {
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": meta(topology, workload.key, workload.labels, annotations=skip),
        "spec": {
            "revisionHistoryLimit": 5,
            "selector": {"matchLabels": workload.selector},
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 0}},
            "template": {"metadata": {"labels": workload.labels}, "spec": pod},
        },
    }


def _probe(path: str, *, period: int, timeout: int, failures: int) -> dict[str, Any]:
    return {"httpGet": {"path": path, "port": PORT_NAME}, "periodSeconds": period, "timeoutSeconds": timeout, "failureThreshold": failures}


def network_policy(topology: Topology, workload: Workload) -> dict[str, Any]:
    """In: the gateway's proxies, Prometheus and the services that call it. Out: DNS, its own
    database, the broker and the services it calls."""
    options = topology.options
    from_gateway = {"namespaceSelector": {}, "podSelector": {"matchLabels": {"gateway.networking.k8s.io/gateway-name": gateway_name(topology)}}}
    from_prometheus = {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": options.prometheus_namespace}},
                       "podSelector": {"matchLabels": dict(options.prometheus_pod_labels)}}
    http = [{"protocol": "TCP", "port": PORT_NAME}]
    ingress = [{"from": [from_gateway], "ports": http}, {"from": [from_prometheus], "ports": http}]
    if workload.callers:
        ingress.append({"from": [{"podSelector": {"matchLabels": topology_selector(topology, caller)}} for caller in workload.callers], "ports": http})
    egress = [
        {"to": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}},
                 "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}}}],
         "ports": [{"protocol": "UDP", "port": 53}, {"protocol": "TCP", "port": 53}]},
        {"to": [{"podSelector": {"matchLabels": {"app.kubernetes.io/name": workload.db}}}], "ports": [{"protocol": "TCP", "port": 5432}]},
        {"to": [{"podSelector": {"matchLabels": {"app.kubernetes.io/name": topology.broker.selector}}}],
         "ports": [{"protocol": "TCP", "port": topology.broker.port}]},
    ]
    for callee in workload.calls:
        target = next(w for w in topology.workloads if w.key == callee)
        egress.append({"to": [{"podSelector": {"matchLabels": target.selector}}], "ports": [{"protocol": "TCP", "port": target.port}]})
    return {
        "apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": meta(topology, workload.key, workload.labels),
        "spec": {"podSelector": {"matchLabels": workload.selector}, "policyTypes": ["Ingress", "Egress"], "ingress": ingress, "egress": egress},
    }


def topology_selector(topology: Topology, key: str) -> dict[str, str]:
    return next(w.selector for w in topology.workloads if w.key == key)


def gateway_name(topology: Topology) -> str:
    return f"{topology.system}-gateway"


def system_labels(topology: Topology, component: str) -> dict[str, str]:
    return {"app.kubernetes.io/component": component, "app.kubernetes.io/managed-by": "migrator", "app.kubernetes.io/part-of": topology.system}


def namespace(topology: Topology) -> dict[str, Any]:
    labels = {**system_labels(topology, "namespace"), "pod-security.kubernetes.io/enforce": "restricted", "pod-security.kubernetes.io/enforce-version": "latest",
              "pod-security.kubernetes.io/warn": "restricted", "pod-security.kubernetes.io/audit": "restricted"}
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": topology.system, "labels": dict(sorted(labels.items()))}}


def default_deny(topology: Topology) -> dict[str, Any]:
    return {
        "apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
        "metadata": meta(topology, "default-deny", system_labels(topology, "network-policy")),
        "spec": {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]},
    }
