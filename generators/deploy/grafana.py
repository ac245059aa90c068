"""Grafana: a dashboard per service (RED, saturation against requests and limits, events) and an
overview of the system, with provisioning files for the datasource and the dashboards. Dashboards
have stable uids, so links and provisioning survive regeneration."""

from __future__ import annotations

from typing import Any

from .prometheus import selector, sli_record
from .text import promql_string, to_json, to_yaml
from migrator.model.deployment import Topology, Workload, digest

DATASOURCE = {"type": "prometheus", "uid": "prometheus"}
RATE = "$__rate_interval"
SCHEMA_VERSION = 39


def uid(topology: Topology, name: str) -> str:
    """At most 40 characters (Grafana's limit), the same on every run."""
    text = f"{topology.system}-{name}"
    return text if len(text) <= 40 else f"{text[:31]}-{digest(text)}"


def _panel(panel_id: int, title: str, targets: list[tuple[str, str]], *, unit: str, x: int, y: int, w: int = 12, h: int = 8,
           description: str = "") -> dict[str, Any]:
    return {
        "id": panel_id, "type": "timeseries", "title": title, "description": description, "datasource": DATASOURCE,
        "gridPos": {"h": h, "w": w, "x": x, "y": y},
        "fieldConfig": {"defaults": {"unit": unit, "custom": {"lineWidth": 1, "fillOpacity": 10}}, "overrides": []},
        "options": {"legend": {"displayMode": "list", "placement": "bottom", "showLegend": True}, "tooltip": {"mode": "multi", "sort": "desc"}},
        "targets": [{"refId": chr(ord("A") + i), "datasource": DATASOURCE, "expr": expr, "legendFormat": legend, "range": True}
                    for i, (expr, legend) in enumerate(targets)],
    }


def _row(panel_id: int, title: str, y: int) -> dict[str, Any]:
    return {"id": panel_id, "type": "row", "title": title, "collapsed": False, "gridPos": {"h": 1, "w": 24, "x": 0, "y": y}, "panels": []}


def service_panels(workload: Workload) -> list[dict[str, Any]]:
    key = promql_string(workload.key)
    requests = selector(workload)
    errors = selector(workload, 'status=~"5.."')
    container = f"container={key}"
    buckets = f"sum by (le) (rate(http_request_duration_seconds_bucket{requests}[{RATE}]))"
    return [
        _row(1, "Requests (RED)", 0),
        _panel(2, "Request rate by route", [(f"sum by (route) (rate(http_requests_total{requests}[{RATE}]))", "{{route}}")], unit="reqps", x=0, y=1),
        _panel(3, "Errors (5xx share)", [
            (f"sum(rate(http_requests_total{errors}[{RATE}])) / sum(rate(http_requests_total{requests}[{RATE}]))", "5xx ratio"),
            (f"{sli_record('1h')}{{service={key}}}", "5xx ratio, 1h (SLO)"),
        ], unit="percentunit", x=12, y=1),
        _panel(4, "Latency percentiles", [
            (f"histogram_quantile({q}, {buckets})", f"p{int(q * 100)}") for q in (0.5, 0.9, 0.99)
        ], unit="s", x=0, y=9, w=24),
        _row(5, "Saturation", 17),
        _panel(6, "CPU against requests and limits", [
            (f"sum(rate(process_cpu_seconds_total{{job={key}}}[{RATE}]))", "used (all pods)"),
            (f'sum(kube_pod_container_resource_requests{{{container},resource="cpu"}})', "requests"),
            (f'sum(kube_pod_container_resource_limits{{{container},resource="cpu"}})', "limits"),
        ], unit="cores", x=0, y=18, description="Requests and limits come from kube-state-metrics (empty under compose)."),
        _panel(7, "Memory against requests and limits", [
            (f"sum(process_resident_memory_bytes{{job={key}}})", "resident (all pods)"),
            (f'sum(kube_pod_container_resource_requests{{{container},resource="memory"}})', "requests"),
            (f'sum(kube_pod_container_resource_limits{{{container},resource="memory"}})', "limits"),
        ], unit="bytes", x=12, y=18, description="Requests and limits come from kube-state-metrics (empty under compose)."),
        _row(8, "Events", 26),
        _panel(9, "Events published", [(f"sum by (channel) (rate(events_published_total{{service={key}}}[{RATE}]))", "{{channel}}")], unit="ops", x=0, y=27, w=8),
        _panel(10, "Events consumed", [(f"sum by (channel, outcome) (rate(events_consumed_total{{service={key}}}[{RATE}]))", "{{channel}} {{outcome}}")],
               unit="ops", x=8, y=27, w=8),
        _panel(11, "Consumer lag and outbox", [
            (f"max by (channel) (events_consumer_lag_seconds{{service={key}}})", "lag {{channel}}"),
            (f"sum(events_outbox_pending{{service={key}}})", "outbox pending"),
        ], unit="s", x=16, y=27, w=8),
    ]


def overview_panels(topology: Topology) -> list[dict[str, Any]]:
    keys = "|".join(w.key for w in topology.workloads)
    services = f"service=~{promql_string(keys)}"
    return [
        _panel(1, "Request rate by service", [(f"sum by (service) (rate(http_requests_total{{{services}}}[{RATE}]))", "{{service}}")], unit="reqps", x=0, y=0),
        _panel(2, "5xx share by service", [
            (f'sum by (service) (rate(http_requests_total{{{services},status=~"5.."}}[{RATE}])) / sum by (service) (rate(http_requests_total{{{services}}}[{RATE}]))',
             "{{service}}")], unit="percentunit", x=12, y=0),
        _panel(3, "p99 latency by service", [
            (f"histogram_quantile(0.99, sum by (service, le) (rate(http_request_duration_seconds_bucket{{{services}}}[{RATE}])))", "{{service}}")],
            unit="s", x=0, y=8),
        _panel(4, "Targets up", [(f"sum by (job) (up{{job=~{promql_string(keys)}}})", "{{job}}")], unit="short", x=12, y=8),
        _panel(5, "Events published by channel", [(f"sum by (channel) (rate(events_published_total{{{services}}}[{RATE}]))", "{{channel}}")],
               unit="ops", x=0, y=16),
        _panel(6, "Consumer lag by service", [(f"max by (service, channel) (events_consumer_lag_seconds{{{services}}})", "{{service}} {{channel}}")],
               unit="s", x=12, y=16),
    ]


def dashboard(topology: Topology, title: str, dashboard_uid: str, panels: list[dict[str, Any]], links: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "uid": dashboard_uid, "title": title, "tags": ["migrator", topology.system], "timezone": "browser", "editable": True,
        "schemaVersion": SCHEMA_VERSION, "version": 1, "refresh": "30s", "time": {"from": "now-3h", "to": "now"},
        "templating": {"list": []}, "annotations": {"list": []}, "links": links, "panels": panels,
    }


def dashboards(topology: Topology) -> dict[str, dict[str, Any]]:
    """``{file name: dashboard}``: the overview and one per service."""
    overview_uid = uid(topology, "overview")
    back = [{"title": "System overview", "type": "link", "url": f"/d/{overview_uid}", "icon": "dashboard"}]
    result = {"overview.json": dashboard(topology, f"{topology.system}: overview", overview_uid, overview_panels(topology),
                                         [{"title": w.key, "type": "link", "url": f"/d/{uid(topology, w.key)}"} for w in topology.workloads])}
    for workload in topology.workloads:
        result[f"{workload.key}.json"] = dashboard(topology, f"{topology.system}: {workload.key}", uid(topology, workload.key), service_panels(workload), back)
    return result


def render_grafana(topology: Topology) -> dict[str, str]:
    datasource = {"apiVersion": 1, "datasources": [{
        "name": "Prometheus", "uid": DATASOURCE["uid"], "type": "prometheus", "access": "proxy", "url": "http://prometheus:9090", "isDefault": True,
        "editable": False, "jsonData": {"timeInterval": "30s"},
    }]}
    provider = {"apiVersion": 1, "providers": [{
        "name": topology.system, "folder": topology.system, "type": "file", "disableDeletion": True, "allowUiUpdates": False,
        "updateIntervalSeconds": 60, "options": {"path": "/var/lib/grafana/dashboards"},
    }]}
    files = {
        "monitoring/grafana/provisioning/datasources/prometheus.yml": to_yaml(datasource, header="Generated by migrator: the Prometheus of docker-compose."),
        "monitoring/grafana/provisioning/dashboards/migrator.yml": to_yaml(provider, header="Generated by migrator: the dashboards of monitoring/grafana/dashboards."),
    }
    files.update({f"monitoring/grafana/dashboards/{name}": to_json(board) for name, board in dashboards(topology).items()})
    return files
