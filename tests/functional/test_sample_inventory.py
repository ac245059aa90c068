"""`migrator analyze sample_monolith` finds everything the sample's README inventory lists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from analyzers.base import AnalysisOptions
from migrator.engine.run import analyze_tree
from migrator.model.facts import EdgeKind, NodeKind

SAMPLE = Path(__file__).resolve().parents[2] / "sample_monolith"


def _inventory() -> dict:
    text = (SAMPLE / "README.md").read_text(encoding="utf-8")
    section = text.split("## Inventory (machine-checked)", 1)[1]
    block = re.search(r"```yaml\n(.*?)```", section, re.DOTALL)
    assert block, "the README's inventory has no yaml block"
    return yaml.safe_load(block.group(1))


@pytest.fixture(scope="module")
def graph():
    return analyze_tree(SAMPLE, options=AnalysisOptions(use_cache=False)).graph


@pytest.fixture(scope="module")
def inventory():
    return _inventory()


def test_every_route(graph, inventory) -> None:
    found = {n.id.removeprefix("route:") for n in graph.nodes(NodeKind.ROUTE)}
    assert found == set(inventory["routes"])


def test_every_model_and_its_table(graph, inventory) -> None:
    found = {n.id: n.attrs.get("table") for n in graph.nodes(NodeKind.MODEL) if not n.attrs.get("abstract")}
    assert found == inventory["models"]


def test_every_cross_domain_foreign_key(graph, inventory) -> None:
    table_of = {n.id: n.attrs["table"] for n in graph.nodes(NodeKind.MODEL) if n.attrs.get("table")}
    found = set()
    for edge in graph.edges(EdgeKind.FOREIGN_KEY):
        if edge.source in table_of and edge.target in table_of and edge.attrs.get("column"):
            found.add(f"{table_of[edge.source]}.{edge.attrs['column']} -> {edge.attrs.get('references')}")
    assert set(inventory["cross_domain_foreign_keys"]) <= found


def test_every_event_with_its_publishers_and_subscribers(graph, inventory) -> None:
    for name, ends in inventory["events"].items():
        event = f"event:{name}"
        assert event in graph, name
        assert set(ends["publishers"]) <= set(graph.find_predecessors(event, EdgeKind.PUBLISHES)), name
        assert set(ends["subscribers"]) <= set(graph.find_successors(event, EdgeKind.SUBSCRIBES)), name


def test_every_background_job(graph, inventory) -> None:
    for job in inventory["background_jobs"]:
        assert f"task:{job}" in graph, job
        assert graph.find_successors(f"task:{job}", EdgeKind.HANDLES) == [job]


def test_direct_table_access_and_the_synchronous_and_fire_and_forget_calls(graph, inventory) -> None:
    couplings = {c["kind"]: c for c in inventory["couplings"]}
    sync = couplings["sync_call"]
    edge = graph.edge(sync["source"], sync["target"], EdgeKind.CALLS)
    assert edge is not None and edge.attrs["result_unused"] is False
    fire = couplings["fire_and_forget"]
    edge = graph.edge(fire["source"], fire["target"], EdgeKind.CALLS)
    assert edge is not None and edge.attrs["result_unused"] is True
    direct = couplings["direct_table_access"]
    read = [e for e in graph.edges(EdgeKind.READS) if e.source == direct["source"] and e.target.startswith(direct["target"] + ".")]
    assert read, "reporting reads the orders tables directly"
