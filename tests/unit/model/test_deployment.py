"""One deployment view of the plan: keys, labels and variables every artifact shares."""

from __future__ import annotations

import re

from migrator.model.deployment import DeployOptions, Topology, dns_label, label_value

from tests.plans import AWKWARD_NAMES, awkward_plan, shop_plan

DNS_LABEL = re.compile(r"^[a-z]([-a-z0-9]{0,38}[a-z0-9])?$")
LABEL_VALUE = re.compile(r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")


def test_plain_names_stay_as_they_are() -> None:
    topology = Topology(shop_plan(), DeployOptions())
    assert topology.keys == {"accounts": "accounts", "catalog": "catalog", "monolith": "monolith", "orders": "orders"}
    assert topology.system == "shop"
    assert dns_label("sample_monolith") == "sample-monolith"  # snake_case folds readably


def test_awkward_names_become_distinct_dns_labels_clear_of_the_systems_own_services() -> None:
    topology = Topology(awkward_plan(), DeployOptions())
    keys = [topology.keys[name] for name in AWKWARD_NAMES]
    assert all(DNS_LABEL.match(key) for key in [*keys, topology.system]), keys
    assert len(set(keys)) == len(keys)
    assert "gateway" not in keys  # the compose gateway keeps its name; the services named so get a suffix
    assert topology.keys["Deployment"] == "deployment"
    assert Topology(awkward_plan(), DeployOptions()).keys == topology.keys  # the same on every run


def test_label_values_are_valid_whatever_the_text() -> None:
    for text in [*AWKWARD_NAMES, "x" * 80, "-a-", "ü", "0.1.0"]:
        assert LABEL_VALUE.match(label_value(text)) and len(label_value(text)) <= 63, text
    assert label_value("0.1.0") == "0.1.0"


def test_every_workload_carries_the_recommended_labels_and_a_selector_among_them() -> None:
    for workload in Topology(awkward_plan(), DeployOptions(image_tag="1.0.0+build/7")).workloads:
        labels = workload.labels
        assert {"app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/version", "app.kubernetes.io/component",
                "app.kubernetes.io/part-of", "app.kubernetes.io/managed-by"} <= set(labels)
        assert all(LABEL_VALUE.match(value) and len(value) <= 63 for value in labels.values()), labels
        assert workload.selector.items() <= labels.items()


def test_service_addresses_use_keys_and_the_service_is_named_by_its_key() -> None:
    topology = Topology(awkward_plan(), DeployOptions())
    first = topology.workload(AWKWARD_NAMES[0])
    assert first.env["DEPLOYMENT_URL"] == "http://deployment:8002"  # was http://Deployment:8002
    assert first.env["SERVICE_NAME"] == first.key
    assert first.env["LEGACY_DB"] == first.env["DATABASE_URL"]  # the monolith's own variable follows
    assert set(first.secret_env) == {"DATABASE_URL", "EVENT_BUS_URL", "LEGACY_DB", "API_TOKEN"}
    assert "GREETING" in first.config_env and "API_TOKEN" not in first.config_env
    assert first.calls == ("deployment",) and topology.workload("Deployment").callers == (first.key,)
