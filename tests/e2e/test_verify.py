"""``migrator verify`` on a small generated system built here: two FastAPI services, the nginx
gateway, the machine's NATS, and a tiny HTTP test suite that honours MONOLITH_BASE_URL."""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from urllib.parse import urlsplit
from pathlib import Path
from typing import Any

import httpx
import pytest

from migrator.model.service_plan import Client, Endpoint, GatewayRoute, ServicePlan, ServiceSpec
from migrator.model.deployment import BUSES
from migrator.verify.adapters import brokers
from migrator.verify.adapters.broker_probe import probe
from migrator.verify.adapters.brokers import local_server
from migrator.verify.adapters.loopback import free_ports
from tests.cli import invoke

REPO = Path(__file__).resolve().parents[2]
POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"

SERVICE = '''
import os

import httpx
from fastapi import FastAPI, Response

app = FastAPI(title="{name}")


@app.middleware("http")
async def served_by(request, call_next):  # as the generated runtime marks every answer
    response = await call_next(request)
    response.headers["X-Served-By"] = "{name}"
    return response


@app.get("/healthz/live")
def live() -> dict:
    return {{"status": "ok"}}


@app.get("/healthz/ready")
def ready(response: Response) -> dict:
    if {never_ready}:
        response.status_code = 503
        return {{"status": "failing", "checks": {{"database": "ok", "event_bus": "unreachable"}}}}
    return {{"status": "ok", "checks": {{"database": "ok", "event_bus": "ok"}}}}


@app.get("/api/{name}/config")
def config() -> dict:
    names = ("SERVICE_NAME", "PORT", "DATABASE_URL", "EVENT_BUS", "EVENT_BUS_URL", "EVENT_NAMESPACE", "EVENT_CONSISTENCY_TIMEOUT", "CATALOG_URL")
    return {{name: os.environ.get(name) for name in names}}
'''

CATALOG_ROUTE = '''

@app.get("/api/catalog/items/{item_id}")
def item(item_id: int) -> dict:
    if {broken} and item_id != 7:
        raise RuntimeError("a bug that only fuzzing finds")
    return {"id": item_id, "name": f"item {item_id}"}
'''

ORDERS_ROUTE = '''

@app.get("/api/orders/{order_id}")
def order(order_id: int) -> dict:
    item = httpx.get(os.environ["CATALOG_URL"] + "/api/catalog/items/7", timeout=5).json()
    return {"id": order_id, "item": item["name"]}
'''

SUITE = {
    "shop/__init__.py": "",
    "shop/tests/__init__.py": "",
    "shop/tests/helpers.py": """
        import os

        BASE_URL = os.environ.get("MONOLITH_BASE_URL", "http://127.0.0.1:8080")
    """,
    "shop/tests/conftest.py": """
        import httpx
        import pytest

        from shop.tests.helpers import BASE_URL  # the monolith's own package: its parent must be importable


        @pytest.fixture
        def client():
            with httpx.Client(base_url=BASE_URL, timeout=10) as remote:
                yield remote
    """,
    "shop/tests/test_shop.py": """
        def test_an_order_reaches_the_catalog_through_the_gateway(client):
            response = client.get("/api/orders/3")
            assert response.status_code == 200, response.text
            assert response.json() == {"id": 3, "item": "item 7"}


        def test_each_service_runs_with_the_configuration_of_this_run(client):
            catalog = client.get("/api/catalog/config").json()
            orders = client.get("/api/orders/config").json()
            assert orders["CATALOG_URL"] == f"http://127.0.0.1:{catalog['PORT']}"
            assert catalog["PORT"] != "8001" and orders["PORT"] != "8002"
            assert catalog["EVENT_NAMESPACE"] == orders["EVENT_NAMESPACE"]
            assert catalog["EVENT_NAMESPACE"].startswith("shop_verify_")
            assert catalog["EVENT_CONSISTENCY_TIMEOUT"] == orders["EVENT_CONSISTENCY_TIMEOUT"] == "10"
            assert catalog["EVENT_BUS"] == "nats" and catalog["EVENT_BUS_URL"].startswith("nats://127.0.0.1:")
            assert catalog["DATABASE_URL"] != orders["DATABASE_URL"]
            assert "./" not in catalog["DATABASE_URL"] + orders["DATABASE_URL"]
    """,
}

REQUIREMENTS = "fastapi==0.165.0\nhttpx==0.29.0\nuvicorn==0.55.0\n"
"""What the services of the system built here import; verify adds pytest for the suite."""

FAILING_TEST = """
    def test_something_the_services_get_wrong(client):
        assert client.get("/api/catalog/items/7").json()["name"] == "a different name"
"""


def _spec(name: str, port: int, routes: tuple[Endpoint, ...], calls: tuple[str, ...] = ()) -> ServiceSpec:
    clients = tuple(Client(other, f"shop.{other}.item", f"/internal/shop/{other}/item", True) for other in calls)
    return ServiceSpec(name, port, (f"shop.{name}",), (), routes, (), clients, (), ())


def build_system(root: Path, *, broken: bool = False, failing_test: bool = False, never_ready: bool = False, crashing: bool = False) -> Path:
    """A generated system under ``root/out`` and its monolith's suite under ``root/src/shop``."""
    out, src = root / "out", root / "src"
    for relpath, text in SUITE.items():
        (src / relpath).parent.mkdir(parents=True, exist_ok=True)
        (src / relpath).write_text(textwrap.dedent(text).lstrip("\n"))
    if failing_test:
        (src / "shop/tests/test_more.py").write_text(textwrap.dedent(FAILING_TEST).lstrip("\n"))
    code = {
        "catalog": SERVICE.format(name="catalog", never_ready=never_ready) + CATALOG_ROUTE.replace("{broken}", str(broken)),
        "orders": SERVICE.format(name="orders", never_ready=False) + ORDERS_ROUTE,
    }
    envs = {
        "catalog": {"SERVICE_NAME": "catalog", "PORT": "8001", "DATABASE_URL": "sqlite:///./catalog.db", "EVENT_BUS_URL": ""},
        "orders": {"SERVICE_NAME": "orders", "PORT": "8002", "DATABASE_URL": "sqlite:///./orders.db", "EVENT_BUS_URL": "",
                   "CATALOG_URL": "http://catalog:8001"},
    }
    services = []
    for port, name in enumerate(("catalog", "orders"), start=8001):
        package = out / name / f"{name}_service"
        package.mkdir(parents=True)
        (package / "__init__.py").write_text("")
        (package / "main.py").write_text(code[name])
        (out / name / "requirements.txt").write_text(REQUIREMENTS)
        (out / "contracts").mkdir(exist_ok=True)
        (out / "contracts" / f"{name}.openapi.json").write_text(json.dumps(_openapi(package / "main.py"), indent=2))
        app = f"{name}_service.main:{'no_such_app' if crashing and name == 'catalog' else 'app'}"
        services.append({"name": name, "package": f"{name}_service", "dir": name, "app": app, "port": port,
                         "env": envs[name], "openapi": f"contracts/{name}.openapi.json", "calls": ["catalog"] if name == "orders" else []})
    plan = ServicePlan(
        "shop",
        (_spec("catalog", 8001, (Endpoint("GET", "/api/catalog/items/{item_id}", "shop.catalog.item"),)),
         _spec("orders", 8002, (Endpoint("GET", "/api/orders/{order_id}", "shop.orders.order"),), calls=("catalog",))),
        (),
        (GatewayRoute("/api/catalog", "catalog"), GatewayRoute("/api/orders", "orders")),
        (),
    )
    system = {
        "schema": "migrator.system/1", "system": "shop", "source": str(src / "shop"),
        "tests": {"path": str(src / "shop" / "tests"), "base_url_variable": "MONOLITH_BASE_URL"},
        "event_bus": "nats", "shared": "shared", "gateway": {"config": "gateway/nginx.conf", "port": 8080},
        "services": services, "plan": plan.to_dict(),
    }
    (out / "system.json").write_text(json.dumps(system, indent=2))
    return out


def _openapi(main: Path) -> dict[str, Any]:
    spec = importlib.util.spec_from_file_location(f"fixture_{main.parent.name}", main)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.app.openapi()


def _command(out: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "migrator", "verify", str(out), *args]


def _env(root: Path) -> dict[str, str]:
    # the run's folder under root, so that every process it started is recognisable by its paths
    (root / "tmp").mkdir(exist_ok=True)
    return {**os.environ, "TMPDIR": str(root / "tmp"), "PYTHONPATH": str(REPO)}


def verify(root: Path, out: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(_command(out, *args), cwd=root, env=_env(root), capture_output=True, text=True, timeout=300, check=False)


def processes_under(root: Path) -> list[str]:
    """Processes still running whose working folder or command line is under ``root``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            cwd = os.readlink(entry / "cwd")
            if (entry / "stat").read_text().split(") ")[-1].startswith("Z"):
                continue  # a zombie is no running process
        except OSError:
            continue
        if str(root) in cmdline or cwd.startswith(str(root)):
            found.append(f"{entry.name}: {cmdline} (in {cwd})")
    return found


def steps(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {step["name"]: step for step in report["steps"]}


def _excerpt(step: dict[str, Any], what: str) -> str:
    (text,) = [excerpt["text"] for excerpt in step["excerpts"] if excerpt["what"] == what]
    return text


def test_a_working_system_passes_every_check_and_leaves_nothing_behind(tmp_path: Path) -> None:
    out = build_system(tmp_path)
    completed = verify(tmp_path, out, "--json", "--examples", "5")
    assert completed.returncode == 0, completed.stdout + completed.stderr
    report = json.loads(completed.stdout)
    rows = steps(report)
    assert [name for name in rows] == [
        "environment", "event bus", "database schema", "catalog ready", "orders ready", "gateway ready", "routes through the gateway",
        "monolith test suite", "schemathesis catalog", "schemathesis orders", "monolith's own test suite", "processes still up",
    ]
    skipped = {"database schema", "monolith's own test suite"}  # these stand-ins make no schema; their suite runs over HTTP already
    assert all(step["status"] == ("skipped" if name in skipped else "passed") for name, step in rows.items()), rows
    assert rows["monolith test suite"]["counts"] == {"tests": 2, "passed": 2, "failed": 0, "errors": 0, "skipped": 0}
    assert rows["monolith test suite"]["detail"] == "2/2 passed"
    assert rows["schemathesis catalog"]["counts"]["operations"] == 4  # live, ready, config, item
    assert rows["schemathesis catalog"]["counts"]["server_errors"] == 0
    assert report["run_dir"] is None and not list((tmp_path / "tmp").iterdir())  # a passing run cleans up
    assert processes_under(tmp_path) == []


def test_a_server_error_that_schemathesis_finds_fails_the_run(tmp_path: Path) -> None:
    out = build_system(tmp_path, broken=True)
    completed = verify(tmp_path, out, "--examples", "5")
    assert completed.returncode == 1, completed.stdout + completed.stderr
    table, details = completed.stdout.split("\n---", 1)
    assert re.search(r"│ schemathesis catalog\s+│ FAIL   │ 4 operations tested, \d+ server errors?:", table), table
    assert re.search(r"│ schemathesis orders\s+│ PASS   │ 4 operations tested, 0 server errors", table), table
    assert re.match(r" schemathesis catalog: 4 operations tested, \d+ server errors?: GET /api/catalog/items/\{item_id\}\n", details), details
    assert re.search(r"the failures in .*/schemathesis-catalog\.log:\n", details)
    assert re.search(r"curl -X GET .*/api/catalog/items/", details)  # how to reproduce it
    traceback = details.split("the last traceback in ", 1)[1]
    assert re.match(r".*/logs/catalog\.log:\n", traceback)
    assert traceback.rstrip().endswith("RuntimeError: a bug that only fuzzing finds")  # the service's side of it
    assert re.match(r"error: 1 of \d+ checks failed; logs and reports kept in ", completed.stderr), completed.stderr
    assert "Traceback" not in completed.stderr
    assert processes_under(tmp_path) == []


def test_a_failing_test_of_the_monolith_fails_the_run(tmp_path: Path) -> None:
    out = build_system(tmp_path, failing_test=True)
    completed = verify(tmp_path, out, "--json", "--examples", "2")
    assert completed.returncode == 1, completed.stdout + completed.stderr
    rows = steps(json.loads(completed.stdout))
    suite = rows["monolith test suite"]
    assert (suite["status"], suite["detail"]) == ("failed", "2/3 passed, 1 failed")
    assert suite["failures"] == ["shop.tests.test_more::test_something_the_services_get_wrong"]
    assert "a different name" in _excerpt(suite, "the end of")
    assert rows["schemathesis catalog"]["status"] == rows["schemathesis orders"]["status"] == "passed"
    assert processes_under(tmp_path) == []


def test_a_service_that_never_gets_ready_times_out_and_everything_is_stopped(tmp_path: Path) -> None:
    out = build_system(tmp_path, never_ready=True)
    started = time.monotonic()
    completed = verify(tmp_path, out, "--json", "--timeout", "4")
    assert completed.returncode == 1, completed.stdout + completed.stderr
    assert time.monotonic() - started < 30
    rows = steps(json.loads(completed.stdout))
    catalog = rows["catalog ready"]
    assert catalog["status"] == "failed"
    assert catalog["detail"].startswith("not ready within 4 s (last answer: 503 ")
    assert '"event_bus":"unreachable"' in catalog["detail"]
    assert "GET /healthz/ready HTTP/1.1\" 503" in _excerpt(catalog, "the end of")  # uvicorn's access log
    assert rows["orders ready"]["status"] == rows["gateway ready"]["status"] == "passed"
    assert rows["monolith test suite"]["status"] == "skipped"
    [error] = [json.loads(line)["error"] for line in completed.stderr.splitlines() if '"error"' in line]
    assert re.match(r"1 of \d+ checks failed", error), error
    assert processes_under(tmp_path) == []


def test_a_service_that_cannot_start_fails_at_once_with_the_end_of_its_log(tmp_path: Path) -> None:
    out = build_system(tmp_path, crashing=True)
    started = time.monotonic()
    completed = verify(tmp_path, out, "--json", "--timeout", "60")
    assert completed.returncode == 1, completed.stdout + completed.stderr
    assert time.monotonic() - started < 30  # not the whole timeout
    catalog = steps(json.loads(completed.stdout))["catalog ready"]
    assert (catalog["status"], catalog["detail"]) == ("failed", "exited with code 3 before it was ready")  # uvicorn: cannot load the app
    assert 'Attribute "no_such_app" not found in module "catalog_service.main"' in _excerpt(catalog, "the end of")
    assert processes_under(tmp_path) == []


def test_ctrl_c_stops_everything_it_started(tmp_path: Path) -> None:
    out = build_system(tmp_path, never_ready=True)
    process = subprocess.Popen(_command(out, "--timeout", "120"), cwd=tmp_path, env=_env(tmp_path), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while sum("uvicorn" in p for p in processes_under(tmp_path)) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert sum("uvicorn" in p for p in processes_under(tmp_path)) == 2
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 1
    assert stderr.strip() == "error: interrupted"
    assert processes_under(tmp_path) == []


def _databases(prefix: str) -> list[str]:
    psql = shutil.which("psql")
    assert psql, "psql (PostgreSQL's client) is needed"
    query = f"SELECT datname FROM pg_database WHERE datname LIKE '{prefix}%' ORDER BY datname"
    completed = subprocess.run([psql, POSTGRES, "-Atc", query], capture_output=True, text=True, check=True)
    return completed.stdout.split()


def test_keep_running_with_postgres_databases_then_ctrl_c(tmp_path: Path) -> None:
    out = build_system(tmp_path)
    process = subprocess.Popen(_command(out, "--json", "--keep-running", "--examples", "2", "--database-url", POSTGRES), cwd=tmp_path,
                               env=_env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stderr is not None
        lines = [process.stderr.readline() for _ in range(4)]
        assert lines[0] == "The system is up; Ctrl-C stops it.\n", "".join(lines) + process.stderr.read()
        # name, the address it was found ready at, state
        urls = {name: "{0.scheme}://{0.netloc}".format(urlsplit(url)) for name, url, *_ in (line.split() for line in lines[1:])}
        assert httpx.get(urls["gateway"] + "/api/orders/5", timeout=5).json() == {"id": 5, "item": "item 7"}
        database = httpx.get(urls["catalog"] + "/api/catalog/config", timeout=5).json()["DATABASE_URL"]
        run_id = database.rsplit("/", 1)[1].removesuffix("_catalog")
        assert database == f"postgresql://postgres@127.0.0.1:5432/{run_id}_catalog"
        assert _databases(run_id) == [f"{run_id}_catalog", f"{run_id}_orders"]
    finally:
        process.send_signal(signal.SIGINT)
        stdout, _ = process.communicate(timeout=60)
    assert process.returncode == 0
    report = json.loads(stdout)
    assert report["run_id"] == run_id and report["ok"]
    assert _databases(run_id) == []
    assert processes_under(tmp_path) == []


def test_the_system_runs_on_an_environment_of_its_own_built_once_from_its_requirements(tmp_path: Path) -> None:
    out = build_system(tmp_path)
    (tmp_path / "src" / "shop" / "tests" / "test_environment.py").write_text(textwrap.dedent("""
        import sys


        def test_the_suite_runs_on_the_systems_environment():
            assert "/migrator/envs/" in sys.executable
    """))
    rows = steps(json.loads(verify(tmp_path, out, "--json", "--examples", "2").stdout))
    assert rows["environment"]["status"] == "passed"
    # fastapi, httpx, uvicorn; pytest for the suite; faststream with the client of the run's bus
    assert re.fullmatch(r"CPython 3\.\d+\.\d+ \(\w+\), 5 requirements, (reused|built in [\d.]+ s): .*/migrator/envs/[0-9a-f]{16}",
                        rows["environment"]["detail"]), rows["environment"]["detail"]
    assert rows["monolith test suite"]["detail"] == "3/3 passed"
    again = steps(json.loads(verify(tmp_path, out, "--json", "--examples", "2").stdout))
    assert again["environment"]["detail"] == re.sub(r"built in [\d.]+ s", "reused", rows["environment"]["detail"])


def test_requirements_that_cannot_be_installed_are_a_clear_error_before_anything_starts(tmp_path: Path) -> None:
    out = build_system(tmp_path)
    (out / "orders" / "requirements.txt").write_text(REQUIREMENTS + "fastapi==0.1.0\n")  # edited by hand, at odds with the catalog's
    started = time.monotonic()
    completed = verify(tmp_path, out)
    assert completed.returncode == 1
    assert completed.stdout == ""
    error, hint = completed.stderr.splitlines()
    assert error.startswith("error: cannot install fastapi==0.1.0,==0.165.0 on CPython 3.") and "(uv: No solution found" in error, error
    assert hint.startswith("hint: pin versions that install on this Python in the monolith's own requirements") and ".failed.log" in hint
    assert time.monotonic() - started < 60 and processes_under(tmp_path) == []
    assert not list((tmp_path / "tmp").iterdir())


def test_a_broker_that_does_not_answer_is_a_clear_error_before_anything_starts(tmp_path: Path) -> None:
    out = build_system(tmp_path)
    completed = verify(tmp_path, out, "--event-bus", "redis", "--bus-url", "redis://127.0.0.1:1")
    assert completed.returncode == 1
    assert completed.stdout == ""
    assert completed.stderr.splitlines() == [
        "error: the redis broker at redis://127.0.0.1:1 does not answer (127.0.0.1:1: Connection refused)",
        "hint: start one (redis-server), give its address with --bus-url, or pick another bus with --event-bus",
    ]
    assert not list((tmp_path / "tmp").iterdir())


def test_without_a_broker_at_the_default_address_verify_starts_its_own_and_stops_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert local_server("nats") is not None, "nats-server is needed"
    (closed,) = free_ports(1)
    nowhere = dataclasses.replace(BUSES["nats"], local_url=f"nats://127.0.0.1:{closed}")  # as on a machine where no NATS runs
    monkeypatch.setattr(brokers, "BUSES", {**BUSES, "nats": nowhere})
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    out = build_system(tmp_path)
    result = invoke("verify", str(out), "--json", "--examples", "2")
    assert result.exit_code == 0, result.output + result.stderr
    report = json.loads(result.stdout)
    assert report["broker"]["started"] is True
    assert report["broker"]["url"].startswith("nats://127.0.0.1:") and report["broker"]["url"] != f"nats://127.0.0.1:{closed}"
    assert steps(report)["event bus"]["detail"] == f"nats at {report['broker']['url']} (started by this run)"
    assert probe("nats", report["broker"]["url"]) is not None  # stopped again
    assert processes_under(tmp_path) == []


def test_a_folder_without_a_generated_system_is_a_user_error(tmp_path: Path) -> None:
    result = invoke("verify", str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"error: {tmp_path} holds no generated system (system.json is missing)",
        "hint: generate it again: migrator generate SRC --decomposition D -o OUT",
    ]


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [("--header", "X-Admin-Token dev", "is not 'Name: value'"), ("--database-url", "mysql://root@127.0.0.1/db", "is not a postgresql:// URL"),
     ("--timeout", "0", "0.0 is not in the range x>=1")],
)
def test_bad_options_are_usage_errors(tmp_path: Path, option: str, value: str, message: str) -> None:
    result = invoke("verify", str(tmp_path), option, value)
    assert result.exit_code == 2
    assert message in result.stderr
