"""Prometheus: scrape configurations (Kubernetes service discovery; static targets for compose),
per service RED alerts and multi-window, multi-burn-rate SLO alerts (Google's SRE workbook,
chapter 5), a ``promtool test rules`` unit test for every alert, and Alertmanager routing.

Every series is selected by the service's key: the ``service`` label its metrics carry
(``SERVICE_NAME``) and the ``job`` label of its scrape target.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from migrator.model.deployment import LIVE_PATH, METRICS_PATH, READY_PATH

from .text import promql_string, to_yaml
from migrator.model.deployment import Topology, Workload

SCRAPE_INTERVAL = "30s"
ERROR_RATIO = 0.05
LAG_OUTBOX = 100
SLO_WINDOWS = ("5m", "30m", "1h", "2h", "6h", "1d", "3d")
BURN_RATES = {  # (long window, short window, burn rate): the workbook's recommended pairs
    "Fast": (("1h", "5m", 14.4), ("6h", "30m", 6.0)),
    "Slow": (("1d", "2h", 3.0), ("3d", "6h", 1.0)),
}
SEVERITY = {"page": "page", "ticket": "ticket"}


def number(value: float) -> str:
    return f"{value:.6g}"


def selector(workload: Workload, *extra: str) -> str:
    """The request series of a service, without the health and metrics probes."""
    probes = "|".join(re.escape(p) for p in (LIVE_PATH, READY_PATH, METRICS_PATH))
    return "{" + ",".join([f"service={promql_string(workload.key)}", f"route!~{promql_string(probes)}", *extra]) + "}"


def sli_record(window: str) -> str:
    return f"service:http_request_errors:ratio_rate{window}"


def rule_groups(topology: Topology, workload: Workload) -> list[dict[str, Any]]:
    """The service's rule groups (also the body of its PrometheusRule)."""
    key, title = workload.key, workload.title
    service = promql_string(key)
    job = promql_string(key)
    errors = selector(workload, 'status=~"5.."')
    requests = selector(workload)
    opts = topology.options
    alerts: list[dict[str, Any]] = [
        _alert(f"{title}HighErrorRatio",
               f"sum by (service) (rate(http_requests_total{errors}[5m]))"
               f" / sum by (service) (rate(http_requests_total{requests}[5m])) > {number(ERROR_RATIO)}",
               "5m", "ticket", f"{key}: more than {ERROR_RATIO:.0%} of requests fail",
               "{{ $value | humanizePercentage }} of the requests to " + key + " answered 5xx over the last 5 minutes."),
        _alert(f"{title}HighLatencyP99",
               f"histogram_quantile(0.99, sum by (service, le) (rate(http_request_duration_seconds_bucket{requests}[5m])))"
               f" > {number(opts.latency_p99_seconds)}",
               "10m", "ticket", f"{key}: p99 latency above {number(opts.latency_p99_seconds)}s",
               "The 99th percentile of request duration of " + key + " is {{ $value | humanizeDuration }}."),
        _alert(f"{title}TargetDown", f"up{{job={job}}} == 0", "2m", "page", f"{key}: a target is down",
               "Prometheus cannot scrape {{ $labels.instance }} of " + key + "."),
        _alert(f"{title}TargetMissing", f"absent(up{{job={job}}})", "10m", "page", f"{key}: no target to scrape",
               "Prometheus has found no target of " + key + " for 10 minutes."),
    ]
    if workload.spec.subscribes:
        alerts.append(_alert(
            f"{title}EventConsumerLag",
            f"max by (service, channel) (events_consumer_lag_seconds{{service={service}}}) > {number(opts.consumer_lag_seconds)}",
            "10m", "ticket", f"{key}: events wait too long to be consumed",
            "Events on {{ $labels.channel }} reach " + key + " {{ $value | humanizeDuration }} after they were published."))
    if workload.spec.publishes:
        alerts.append(_alert(
            f"{title}OutboxBacklog", f"max by (service) (events_outbox_pending{{service={service}}}) > {LAG_OUTBOX}",
            "10m", "ticket", f"{key}: events are not leaving the outbox",
            "{{ $value }} events of " + key + " are written but not yet on the bus."))
    records = [
        {"record": sli_record(window),
         "expr": f"sum by (service) (rate(http_requests_total{errors}[{window}])) / sum by (service) (rate(http_requests_total{requests}[{window}]))"}
        for window in SLO_WINDOWS
    ]
    budget = 1 - opts.slo_target
    for speed, pairs in BURN_RATES.items():
        condition = " or ".join(
            f"({sli_record(long)}{{service={service}}} > {number(rate * budget)} and {sli_record(short)}{{service={service}}} > {number(rate * budget)})"
            for long, short, rate in pairs
        )
        alerts.append(_alert(
            f"{title}ErrorBudgetBurn{speed}", condition, "2m" if speed == "Fast" else "15m", "page" if speed == "Fast" else "ticket",
            f"{key}: the error budget burns {'fast' if speed == 'Fast' else 'steadily'}",
            f"At this rate {key} spends its {number(opts.slo_target * 100)}% availability objective's error budget "
            + ("within days." if speed == "Fast" else "before the 30-day window ends.")))
    return [
        {"name": f"{key}.slo-records", "interval": "1m", "rules": records},
        {"name": f"{key}.alerts", "rules": alerts},
    ]


def _alert(name: str, expr: str, for_: str, severity: str, summary: str, description: str) -> dict[str, Any]:
    return {"alert": name, "expr": expr, "for": for_, "labels": {"severity": SEVERITY[severity]},
            "annotations": {"summary": summary, "description": description}}


def render_prometheus(topology: Topology) -> dict[str, str]:
    files = {
        "monitoring/prometheus/prometheus.yml":
            to_yaml(kubernetes_config(topology), header="Generated by migrator: Prometheus in a cluster (Kubernetes service discovery)."),
        "monitoring/prometheus/prometheus.compose.yml":
            to_yaml(static_config(topology), header="Generated by migrator: Prometheus in docker-compose (static targets)."),
        "monitoring/alertmanager/alertmanager.yml":
            to_yaml(alertmanager_config(topology), header="Generated by migrator: an example of Alertmanager routing; point the receivers at your pager."),
    }
    for workload in topology.workloads:
        rules = f"monitoring/prometheus/rules/{workload.key}.rules.yml"
        files[rules] = to_yaml({"groups": rule_groups(topology, workload)}, header=f"Generated by migrator: RED and SLO rules of {workload.key}.")
    return files


def _common(topology: Topology, alertmanager: str) -> dict[str, Any]:
    return {
        "global": {"scrape_interval": SCRAPE_INTERVAL, "evaluation_interval": SCRAPE_INTERVAL, "external_labels": {"system": topology.system}},
        "rule_files": ["rules/*.rules.yml"],
        "alerting": {"alertmanagers": [{"static_configs": [{"targets": [alertmanager]}]}]},
    }


def kubernetes_config(topology: Topology) -> dict[str, Any]:
    """Every Service labelled part-of the system, on its ``http`` port; ``job`` is the service."""
    relabel = [
        {"source_labels": ["__meta_kubernetes_service_label_app_kubernetes_io_part_of"], "regex": re.escape(topology.system), "action": "keep"},
        {"source_labels": ["__meta_kubernetes_endpoint_port_name"], "regex": "http", "action": "keep"},
        {"source_labels": ["__meta_kubernetes_service_label_app_kubernetes_io_name"], "target_label": "job"},
        {"source_labels": ["__meta_kubernetes_namespace"], "target_label": "namespace"},
        {"source_labels": ["__meta_kubernetes_pod_name"], "target_label": "pod"},
        {"source_labels": ["__meta_kubernetes_pod_container_name"], "target_label": "container"},
    ]
    return {
        **_common(topology, f"alertmanager-operated.{topology.options.prometheus_namespace}.svc:9093"),
        "scrape_configs": [{"job_name": f"{topology.system}-services", "metrics_path": METRICS_PATH, "kubernetes_sd_configs": [{"role": "endpoints"}],
                            "relabel_configs": relabel}],
    }


def static_config(topology: Topology, addresses: Mapping[str, str] | None = None, *, alertmanager: str = "alertmanager:9093") -> dict[str, Any]:
    """Static targets: ``addresses`` maps a service key to ``host:port`` (default: its compose name)."""
    addresses = addresses or {}
    jobs = [
        {"job_name": w.key, "metrics_path": METRICS_PATH, "static_configs": [{"targets": [addresses.get(w.key, f"{w.key}:{w.port}")]}]}
        for w in topology.workloads
    ]
    return {**_common(topology, alertmanager), "scrape_configs": jobs}


def alertmanager_config(topology: Topology) -> dict[str, Any]:
    team = f"{topology.system}-team"
    return {
        "route": {
            "receiver": team, "group_by": ["alertname", "service", "job"], "group_wait": "30s", "group_interval": "5m", "repeat_interval": "4h",
            "routes": [
                {"receiver": f"{topology.system}-pager", "matchers": ['severity="page"'], "repeat_interval": "1h"},
                {"receiver": f"{topology.system}-tickets", "matchers": ['severity="ticket"'], "repeat_interval": "24h"},
            ],
        },
        "inhibit_rules": [{"source_matchers": ['severity="page"'], "target_matchers": ['severity="ticket"'], "equal": ["service"]}],
        "receivers": [
            {"name": team, "webhook_configs": [{"url": "https://alerts.example.com/hooks/team", "send_resolved": True}]},
            {"name": f"{topology.system}-pager", "webhook_configs": [{"url": "https://alerts.example.com/hooks/pager", "send_resolved": True}]},
            {"name": f"{topology.system}-tickets", "webhook_configs": [{"url": "https://alerts.example.com/hooks/tickets", "send_resolved": False}]},
        ],
    }
