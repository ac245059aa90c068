"""Prometheus and Grafana: rules per service with a unit test for every alert, scrape targets that
are the compose services, dashboards with stable uids on the provisioned datasource."""

from __future__ import annotations

import json

import pytest
import yaml

from generators.deploy.grafana import DATASOURCE
from generators.deploy.prometheus import static_config
from migrator.model.deployment import DeployOptions, Topology

from .conftest import awkward_plan, shop_plan


def _alerts(files: dict[str, str]) -> dict[str, dict]:
    return {rule["alert"]: rule for path, text in files.items() if path.startswith("monitoring/prometheus/rules/")
            for group in yaml.safe_load(text)["groups"] for rule in group["rules"] if "alert" in rule}


def test_each_service_has_red_slo_and_event_alerts_keyed_by_its_service_label(shop) -> None:
    alerts = _alerts(shop)
    for title in ("Accounts", "Catalog", "Orders", "Monolith"):
        for kind in ("HighErrorRatio", "HighLatencyP99", "TargetDown", "TargetMissing", "ErrorBudgetBurnFast", "ErrorBudgetBurnSlow"):
            assert f"{title}{kind}" in alerts
    assert "CatalogEventConsumerLag" in alerts and "OrdersEventConsumerLag" not in alerts  # catalog consumes, orders does not
    assert "OrdersOutboxBacklog" in alerts and "CatalogOutboxBacklog" not in alerts
    assert 'service="orders"' in alerts["OrdersHighErrorRatio"]["expr"] and 'job="orders"' in alerts["OrdersTargetDown"]["expr"]
    fast = alerts["OrdersErrorBudgetBurnFast"]["expr"]  # the workbook's two windows per burn rate
    assert "ratio_rate1h" in fast and "ratio_rate5m" in fast and "ratio_rate6h" in fast and "ratio_rate30m" in fast and "0.0144" in fast
    assert {alerts[a]["labels"]["severity"] for a in alerts} == {"page", "ticket"}


@pytest.mark.parametrize("plan", ["shop", "awkward"])
def test_every_alert_has_a_promtool_test_that_expects_it_to_fire_and_one_where_it_stays_silent(plan: str, request: pytest.FixtureRequest) -> None:
    files = request.getfixturevalue(plan)
    fired, silent = set(), set()
    for path, text in files.items():
        if path.startswith("monitoring/prometheus/tests/"):
            document = yaml.safe_load(text)
            rules = path.replace("/tests/", "/rules/").replace(".test.yml", ".rules.yml")
            assert document["rule_files"] == ["../rules/" + rules.rsplit("/", 1)[1]] and rules in files
            for test in document["tests"]:
                for check in test["alert_rule_test"]:
                    (fired if check["exp_alerts"] else silent).add(check["alertname"])
    assert fired == set(_alerts(files))
    assert silent == set(_alerts(files))


def test_compose_targets_are_the_compose_services_on_their_ports(shop) -> None:
    config = yaml.safe_load(shop["monitoring/prometheus/prometheus.compose.yml"])
    compose = yaml.safe_load(shop["docker-compose.yml"])["services"]
    for job in config["scrape_configs"]:
        host, port = job["static_configs"][0]["targets"][0].split(":")
        assert host == job["job_name"] and port in compose[host]["expose"] and job["metrics_path"] == "/metrics"
    assert config["rule_files"] == ["rules/*.rules.yml"]
    override = static_config(Topology(shop_plan(), DeployOptions()), {"orders": "127.0.0.1:9999"})
    assert {"job_name": "orders", "metrics_path": "/metrics", "static_configs": [{"targets": ["127.0.0.1:9999"]}]} in override["scrape_configs"]


def test_in_a_cluster_services_are_discovered_by_their_labels_and_named_port(shop) -> None:
    config = yaml.safe_load(shop["monitoring/prometheus/prometheus.yml"])
    job = config["scrape_configs"][0]
    assert job["kubernetes_sd_configs"] == [{"role": "endpoints"}]
    relabel = {tuple(r["source_labels"]): r for r in job["relabel_configs"]}
    assert relabel[("__meta_kubernetes_service_label_app_kubernetes_io_part_of",)] == {
        "source_labels": ["__meta_kubernetes_service_label_app_kubernetes_io_part_of"], "regex": "shop", "action": "keep"}
    assert relabel[("__meta_kubernetes_endpoint_port_name",)]["regex"] == "http"
    assert relabel[("__meta_kubernetes_service_label_app_kubernetes_io_name",)]["target_label"] == "job"  # job = the service, as in compose


def test_alertmanager_pages_and_tickets_by_severity(shop) -> None:
    config = yaml.safe_load(shop["monitoring/alertmanager/alertmanager.yml"])
    routes = {tuple(r["matchers"]): r["receiver"] for r in config["route"]["routes"]}
    assert routes == {('severity="page"',): "shop-pager", ('severity="ticket"',): "shop-tickets"}
    assert {r["name"] for r in config["receivers"]} == {config["route"]["receiver"], *routes.values()}
    assert config["inhibit_rules"][0]["equal"] == ["service"]


@pytest.mark.parametrize("plan", ["shop", "awkward"])
def test_dashboards_have_stable_unique_uids_and_query_the_provisioned_datasource(plan: str, request: pytest.FixtureRequest) -> None:
    files = request.getfixturevalue(plan)
    boards = {path: json.loads(text) for path, text in files.items() if path.startswith("monitoring/grafana/dashboards/")}
    uids = [board["uid"] for board in boards.values()]
    assert len(set(uids)) == len(uids) and all(len(uid) <= 40 for uid in uids)
    datasource = yaml.safe_load(files["monitoring/grafana/provisioning/datasources/prometheus.yml"])["datasources"][0]
    assert datasource["uid"] == DATASOURCE["uid"] and datasource["url"] == "http://prometheus:9090"
    for board in boards.values():
        ids = [panel["id"] for panel in board["panels"]]
        assert len(set(ids)) == len(ids)
        for panel in board["panels"]:
            if panel["type"] != "row":
                assert panel["datasource"] == DATASOURCE and panel["targets"] and all(t["expr"] for t in panel["targets"])


def test_a_service_dashboard_covers_red_saturation_and_events(shop) -> None:
    board = json.loads(shop["monitoring/grafana/dashboards/orders.json"])
    titles = [panel["title"] for panel in board["panels"]]
    for expected in ("Request rate by route", "Errors (5xx share)", "Latency percentiles", "CPU against requests and limits",
                     "Memory against requests and limits", "Events published", "Events consumed", "Consumer lag and outbox"):
        assert expected in titles
    exprs = " ".join(t["expr"] for p in board["panels"] for t in p.get("targets", []))
    for metric in ("http_requests_total", "http_request_duration_seconds_bucket", "kube_pod_container_resource_requests",
                   "kube_pod_container_resource_limits", "events_published_total", "events_consumed_total", "events_consumer_lag_seconds",
                   "events_outbox_pending"):
        assert metric in exprs
    assert board["uid"] == "shop-orders"
    overview = json.loads(shop["monitoring/grafana/dashboards/overview.json"])
    assert {link["url"] for link in overview["links"]} == {f"/d/shop-{name}" for name in ("accounts", "catalog", "monolith", "orders")}


def test_awkward_names_reach_promql_only_as_keys(awkward) -> None:
    topology = Topology(awkward_plan(), DeployOptions())
    keys = {w.key for w in topology.workloads}
    for path, text in awkward.items():
        if path.startswith("monitoring/prometheus/rules/"):
            assert path.split("/")[-1].removesuffix(".rules.yml") in keys
            assert "Crème" not in text and "$HOME" not in text
