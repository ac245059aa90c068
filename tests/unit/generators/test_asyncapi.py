"""Per-service AsyncAPI 3.0 documents, validated by the official parser (@asyncapi/parser)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import yaml

from generators.asyncapi import render_asyncapi
from migrator.planning.plan import build_plan
from migrator.planning.service_plan import build_service_plan
from tests.unit.planning.test_plan import DECOMPOSITION, _graph

VALIDATOR = Path(__file__).resolve().parents[3] / "tools" / "asyncapi" / "validate.mjs"


def _validate(folder: Path, files: dict[str, str]) -> list[dict]:
    for name, text in files.items():
        (folder / Path(name).name).write_text(text)
    completed = subprocess.run(
        [shutil.which("node") or "node", str(VALIDATOR), *sorted(str(p) for p in folder.iterdir())],
        cwd=VALIDATOR.parent, capture_output=True, text=True, check=False,
    )
    assert completed.stderr == "" or "Warning" in completed.stderr, completed.stderr
    return [json.loads(line) for line in completed.stdout.splitlines()]


def _plan():
    graph = _graph()
    return build_service_plan(graph, DECOMPOSITION, build_plan(graph, DECOMPOSITION), event_bus="nats")


def test_each_service_on_the_bus_sends_and_receives_what_the_plan_says(tmp_path) -> None:
    files = render_asyncapi(_plan())
    # mail reads orders, whose rows point at catalog's products: its read models of both are fed by their owners' row changes
    assert sorted(files) == ["contracts/catalog.asyncapi.yaml", "contracts/mail.asyncapi.yaml", "contracts/orders.asyncapi.yaml"]
    orders = yaml.safe_load(files["contracts/orders.asyncapi.yaml"])
    mail = yaml.safe_load(files["contracts/mail.asyncapi.yaml"])
    catalog = yaml.safe_load(files["contracts/catalog.asyncapi.yaml"])
    assert {op["action"] for op in orders["operations"].values()} == {"send"}
    assert {name: op["action"] for name, op in mail["operations"].items()} == {
        "receive_order_placed": "receive", "receive_changes_orders": "receive", "receive_changes_catalog": "receive"}
    assert {name: op["action"] for name, op in catalog["operations"].items()} == {"send_changes_catalog": "send"}
    assert orders["channels"]["order_placed"]["address"] == "{namespace}.events.order-placed"  # as the runtime publishes it
    assert orders["servers"]["nats"]["protocol"] == "nats"
    results = _validate(tmp_path, files)
    assert [r["valid"] for r in results] == [True, True, True], results


def test_the_parser_really_rejects_a_broken_document(tmp_path) -> None:
    files = render_asyncapi(_plan())
    broken = files["contracts/orders.asyncapi.yaml"].replace("#/channels/order_placed", "#/channels/nowhere")
    results = _validate(tmp_path, {"broken.asyncapi.yaml": broken})
    assert results[0]["valid"] is False and results[0]["errors"]
