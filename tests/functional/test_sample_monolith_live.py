"""Run the sample monolith's HTTP test-suite against a real server process.

Starts ``python -m sample_monolith --port <free port>`` on a temporary SQLite
database, waits for ``GET /healthz``, then runs ``sample_monolith/tests`` in a
separate pytest process with ``MONOLITH_BASE_URL`` pointing at the server.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from migrator.verify.adapters.loopback import free_ports

REPO_ROOT = Path(__file__).resolve().parents[2]
ADMIN_TOKEN = "functional-test-admin-token"
MIN_PASSED = 70
STARTUP_TIMEOUT_S = 60
SUITE_TIMEOUT_S = 900


def _wait_for_health(base_url: str, process: subprocess.Popen[bytes], log_file: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"server exited with {process.returncode}:\n{log_file.read_text(errors='replace')}")
        try:
            response = httpx.get(f"{base_url}/healthz", timeout=2.0)
            if response.status_code == 200 and response.json().get("status") == "ok":
                return
        except httpx.HTTPError as exc:
            last_error = exc
        time.sleep(0.2)
    pytest.fail(f"server did not become healthy ({last_error!r}):\n{log_file.read_text(errors='replace')}")


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[str]:
    port = free_ports(1)[0]
    base_url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SHOP_", "MONOLITH_"))}
    env.update(
        SHOP_DATABASE_URL=f"sqlite:///{tmp_path / 'shop.db'}",
        SHOP_ADMIN_TOKEN=ADMIN_TOKEN,
        SHOP_SCHEDULER_INTERVAL_SECONDS="2",
        PYTHONUNBUFFERED="1",
    )
    log_file = tmp_path / "server.log"
    with log_file.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "sample_monolith", "--host", "127.0.0.1", "--port", str(port)],
            cwd=REPO_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_for_health(base_url, process, log_file)
            yield base_url
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)


def test_sample_monolith_suite_passes_against_live_server(live_server: str, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SHOP_", "MONOLITH_", "PYTEST_"))}
    env.update(MONOLITH_BASE_URL=live_server, MONOLITH_ADMIN_TOKEN=ADMIN_TOKEN)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "sample_monolith/tests", "-q", "-p", "no:cacheprovider"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=SUITE_TIMEOUT_S,
    )
    output = result.stdout + result.stderr
    tail = "\n".join(output.strip().splitlines()[-40:])
    assert result.returncode == 0, f"suite failed against {live_server}:\n{tail}"

    summary = output.strip().splitlines()[-1]
    passed = re.search(r"(\d+) passed", summary)
    assert passed is not None, f"no pytest summary found:\n{tail}"
    assert int(passed.group(1)) >= MIN_PASSED, summary
    assert not re.search(r"\d+ (failed|error)", summary), summary
