"""``migrator trace`` on real runs: a tiny shop's pytest suite (tests/assets/trace_shop) traced on
migrator's interpreter and, with sys.monitoring, on Python 3.12 or later; the sample monolith's
suite in the environment trace builds as verify does; the trace merged by ``analyze --trace``,
read by ``plan``; bad input refused with a reason."""

from __future__ import annotations

import glob
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from migrator.boundaries.runtime import evidence_graph
from migrator.model.facts import EdgeKind
from migrator.model.serialization import loads_json
from migrator.verify.adapters.environments import find_uv
from tests.cli import run

ASSET = Path(__file__).resolve().parents[1] / "assets" / "trace_shop"
SCHEMAS = Path(__file__).resolve().parents[2] / "migrator" / "model"
SAMPLE = Path(__file__).resolve().parents[2] / "sample_monolith"


def _valid(path: Path, schema: str) -> dict:
    data = json.loads(path.read_text(encoding="utf-8"))
    errors = list(Draft202012Validator(json.loads((SCHEMAS / schema).read_text(encoding="utf-8"))).iter_errors(data))
    assert not errors, errors[0].message
    return data


def _use_case(data: dict, test: str) -> dict:
    return next(u for u in data["use_cases"] if u["id"].endswith(test))


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    return Path(shutil.copytree(ASSET, tmp_path / "shop"))


def test_the_suite_traced_per_test_with_calls_sql_and_transactions(shop: Path, tmp_path: Path) -> None:
    code, out, err = run("trace", str(shop), "--python", sys.executable, "-o", str(tmp_path / "trace.json"))
    assert code == 0, err
    data = _valid(tmp_path / "trace.json", "trace.schema.json")
    assert data["tracer"] == ("sys.monitoring" if sys.version_info >= (3, 12) else "sys.setprofile")
    placed = _use_case(data, "test_place_order")
    assert placed["outcome"] == "passed"
    calls = {(c["source"], c["target"]): c["count"] for c in placed["calls"]}
    assert calls[("shop.orders.place", "shop.catalog.price")] == 2
    assert calls[("shop.events.dispatch", "shop.inventory.note_sale")] == 2  # wired at run time
    assert calls[(None, "shop.orders.place")] == 2  # from the test, outside the project's code
    assert {"function": "shop.orders.place", "writes": ["orders", "stock"], "reads": [], "outcome": "commit", "count": 2} in placed["transactions"]
    read = {s["statement"]: s for s in data["statements"]}
    assert read["SELECT stock.qty FROM stock WHERE stock.sku = ?"]["reads"] == ["stock"]
    assert not any(c["target"].startswith(("sqlalchemy", "tests", "_pytest")) for u in data["use_cases"] for c in u["calls"])
    # a transaction is its first writer's, not the function's that began it with a read
    returned = _use_case(data, "test_return_restocks")["transactions"]
    assert [(t["function"], t["writes"], t["reads"]) for t in returned] == [("shop.returns.take_back", ["orders", "stock"], [])]
    assert "Traced 3 tests (3 passed)" in out


def test_analyze_merges_the_trace_and_plan_reads_its_volumes(shop: Path, tmp_path: Path) -> None:
    assert run("trace", str(shop), "--python", sys.executable, "-o", str(tmp_path / "trace.json"))[0] == 0
    code, out, err = run("analyze", str(shop), "--trace", str(tmp_path / "trace.json"), "-o", str(tmp_path / "graph.json"))
    assert code == 0, err
    assert "run time: " in out and "call edges static analysis missed" in out
    graph = _valid(tmp_path / "graph.json", "graph.schema.json")
    edges = {(e["source"], e["target"], e["kind"]): e for e in graph["edges"]}
    assert edges[("shop.orders.place", "shop.catalog.price", "calls")]["attrs"]["runtime_calls"] == 3
    dynamic = edges[("shop.events.dispatch", "shop.inventory.note_sale", "calls")]
    assert dynamic["attrs"]["dynamic"] is True and dynamic["evidence"] == ["trace"]
    assert edges[("shop.orders.place", "table:orders", "writes")]["attrs"]["runtime_statements"] == 2
    nodes = {n["id"]: n for n in graph["nodes"]}
    assert "test:tests/test_orders.py::test_unknown_sku_is_no_order" in nodes["shop.catalog.price"]["contexts"]
    assert nodes["shop.orders.place"]["attrs"]["transactions"] == [{"writes": ["orders", "stock"], "count": 2}]
    # propose's view: the event bus running the handler @on registered is no dependency of the bus
    weighed = evidence_graph(loads_json((tmp_path / "graph.json").read_text(encoding="utf-8")))
    assert weighed.edge("shop.events.dispatch", "shop.inventory.note_sale", EdgeKind.CALLS) is None
    assert weighed.edge("shop.orders.place", "shop.catalog.price", EdgeKind.CALLS) is not None

    decomposition = tmp_path / "decomposition.yaml"
    decomposition.write_text("services:\n  sales:\n    modules: [shop.orders, shop.events, shop.db]\n"
                             "  catalog:\n    modules: [shop.catalog]\n  stock:\n    modules: [shop.inventory]\n", encoding="utf-8")
    code, _, err = run("plan", str(decomposition), "--graph", str(tmp_path / "graph.json"), "--format", "json", "-o", str(tmp_path / "plan.json"))
    assert code == 0, err
    runtime = json.loads((tmp_path / "plan.json").read_text(encoding="utf-8"))["runtime"]
    # the call only the trace saw crosses to the handler's service: a REST call, with its volume
    crossing = next(c for c in runtime["calls"] if c["target"] == "shop.inventory.note_sale")
    assert (crossing["source"], crossing["target_service"], crossing["calls"], crossing["hot"]) == ("shop.events.dispatch", "stock", 2, False)
    seen = next(t for t in runtime["transactions"] if t["function"] == "shop.orders.place")
    assert seen["tables"] == ["orders", "stock"] and seen["count"] == 2
    assert run("plan", str(decomposition), "--graph", str(tmp_path / "graph.json"), "-o", str(tmp_path / "plan.md"))[0] == 0
    markdown = (tmp_path / "plan.md").read_text(encoding="utf-8")
    assert "## Run time: volumes and observed transactions" in markdown and "`shop.events.dispatch`" in markdown


def _python_312() -> str | None:
    """An interpreter with sys.monitoring: this one, else one pyenv or the PATH has."""
    if sys.version_info >= (3, 12):
        return sys.executable
    candidates = sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.1[2-9]*/bin/python3")), reverse=True)
    candidates += [p for p in (shutil.which("python3.13"), shutil.which("python3.12")) if p]
    for candidate in candidates:
        if subprocess.run([candidate, "-c", "import sys; sys.monitoring"], capture_output=True).returncode == 0:
            return candidate
    return None


def test_sys_monitoring_records_the_exceptions_that_cross_a_module(shop: Path, tmp_path: Path) -> None:
    python = _python_312()
    if python is None:
        pytest.fail("no Python 3.12 or later on this machine (PATH, ~/.pyenv/versions): sys.monitoring, the tracer's own path there, is not tested")
    env = tmp_path / "env"
    uv = find_uv()
    subprocess.run([uv, "venv", "-q", "--python", python, str(env)], check=True)
    subprocess.run([uv, "pip", "install", "-q", "--python", str(env / "bin" / "python"), "sqlalchemy", "pytest"], check=True)
    code, _, err = run("trace", str(shop), "--python", str(env / "bin" / "python"), "-o", str(tmp_path / "trace.json"))
    assert code == 0, err
    data = _valid(tmp_path / "trace.json", "trace.schema.json")
    assert data["tracer"] == "sys.monitoring"
    assert _use_case(data, "test_unknown_sku_is_no_order")["exceptions"] == [
        {"type": "shop.catalog.UnknownSku", "raised_in": "shop.catalog.price", "caught_in": "shop.orders.place", "count": 1}]
    calls = {(c["source"], c["target"]) for c in _use_case(data, "test_place_order")["calls"]}
    assert ("shop.events.dispatch", "shop.inventory.note_sale") in calls


def test_a_command_instead_of_the_suite(shop: Path, tmp_path: Path) -> None:
    code, out, err = run("trace", str(shop), "--python", sys.executable, "-o", str(tmp_path / "trace.json"), "--",
                         "python", "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests", "-k", "unknown")
    assert code == 0, err
    data = _valid(tmp_path / "trace.json", "trace.schema.json")
    assert [u["id"] for u in data["use_cases"] if u["kind"] == "test"] == ["test:tests/test_orders.py::test_unknown_sku_is_no_order"]
    assert data["suite"] == "" and data["command"][:2] == ["-m", "pytest"]
    # a script of the environment (pytest, flask) runs from it, not from the PATH
    code, _, err = run("trace", str(shop), "--python", sys.executable, "-o", str(tmp_path / "script.json"), "--force", "--",
                       "pytest", "-q", "-p", "no:cacheprovider", "tests", "-k", "place")
    assert code == 0, err
    script = _valid(tmp_path / "script.json", "trace.schema.json")
    assert script["command"][0] == str(Path(sys.executable).parent / "pytest")
    assert [u["id"] for u in script["use_cases"] if u["kind"] == "test"] == ["test:tests/test_orders.py::test_place_order"]


def test_bad_input_is_refused_with_what_to_do(shop: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "app.py").write_text("x = 1\n", encoding="utf-8")
    code, _, err = run("trace", str(empty), "--python", sys.executable)
    assert code == 1 and f"no test suite found under {empty}" in err and "hint: name what to trace after --" in err

    code, _, err = run("trace", str(shop), "--python", sys.executable, "-o", str(tmp_path / "t.json"), "--", "python", "-c", "raise SystemExit(3)")
    assert code == 1 and "failed with exit code 3" in err and "its whole output:" in err
    assert not (tmp_path / "t.json").exists()

    broken = tmp_path / "broken.json"
    broken.write_text('{"schema": "migrator.trace/1", "use_cases": [{"id": "x", "kind": "story"}]}', encoding="utf-8")
    code, _, err = run("analyze", str(shop), "--trace", str(broken))
    assert code == 1 and f"{broken}: use_cases[0].kind: 'story' is not one of" in err
    code, _, err = run("analyze", str(shop), "--trace", str(tmp_path / "missing.json"))
    assert code == 1 and "no such trace file" in err


def test_the_sample_monolith_suite_in_the_environment_trace_builds(tmp_path: Path) -> None:
    code, out, err = run("trace", str(SAMPLE), "-o", str(tmp_path / "trace.json"), "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert summary["tests"] == summary["passed"] >= 140
    assert summary["routes"] >= 60 and summary["transactions"] > 0
    code, out, err = run("analyze", str(SAMPLE), "--trace", str(tmp_path / "trace.json"), "-o", str(tmp_path / "graph.json"), "--json")
    assert code == 0, err
    note = next(n for n in json.loads(out)["notes"] if n.startswith("run time:"))
    matched = re.search(r"(\d+) of (\d+) traced routes matched", note)
    assert matched is not None and int(matched.group(1)) >= 60, note  # FastAPI's paths are the graph's route ids
