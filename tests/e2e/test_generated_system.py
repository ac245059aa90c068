"""The generated system of the sample monolith, booted for real: every service, NATS on the
machine, the nginx gateway; the monolith's own HTTP suite run through the gateway by `migrator verify`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli import invoke

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def system(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("migrate")
    result = invoke("migrate", str(ROOT / "sample_monolith"), "-o", str(out), "--services", "10")
    assert result.exit_code == 0, result.output
    return out / "system"


def test_every_generated_python_file_compiles(system: Path) -> None:
    files = sorted(system.rglob("*.py"))
    assert len(files) > 400
    for path in files:
        compile(path.read_text(encoding="utf-8"), str(path), "exec")


@pytest.mark.parametrize("bus", ["nats", "rabbit", "redis"])  # all three run on the machine
def test_the_system_boots_and_passes_the_monolith_suite_through_the_gateway(system: Path, bus: str) -> None:
    from migrator.pipeline.verification import VerifyRequest, verify  # the pipeline behind `migrator verify`

    report = verify(VerifyRequest(out=system, examples=2, event_bus=bus))
    steps = {step.name: step for step in report.steps}
    for service in json.loads((system / "system.json").read_text())["services"]:
        assert steps[f"{service['name']} ready"].status == "passed", steps[f"{service['name']} ready"].detail
    assert steps["gateway ready"].status == "passed"
    suite = steps["monolith test suite"]
    assert suite.counts["tests"] == 149
    assert suite.counts["passed"] == 149, (suite.detail, suite.failures)
    fuzz = [step for name, step in steps.items() if name.startswith("schemathesis ")]
    assert len(fuzz) == 11 and all(step.status == "passed" for step in fuzz), [(s.name, s.detail) for s in fuzz]


def _children(pid: int) -> set[int]:
    """Every process descended from ``pid`` now (the supervisor's children lead sessions of their own)."""
    parents = {}
    for entry in Path("/proc").iterdir():
        try:
            status = (entry / "status").read_text() if entry.name.isdigit() else ""
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("PPid:"):
                parents[int(entry.name)] = int(line.split()[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _argv(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")


def _running(pid: int) -> bool:
    try:
        return not Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1].startswith("Z")
    except OSError:
        return False


def test_keep_running_in_the_background_says_what_died_and_stops_everything_on_sigint(system: Path, tmp_path: Path) -> None:
    """As a script runs it (`migrator verify --keep-running &`, no terminal): a non-interactive shell
    starts a background job with SIGINT ignored, and `kill -INT` must still stop the whole system."""
    import os
    import signal
    import subprocess
    import sys
    import time

    command = [sys.executable, "-m", "migrator", "verify", str(system), "--keep-running", "--no-fuzz", "--json"]
    shell = subprocess.Popen(["sh", "-c", '"$@" & echo $!; wait $!', "sh", *command], cwd=tmp_path, stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env={**os.environ, "TMPDIR": str(tmp_path), "PYTHONPATH": str(ROOT)})
    assert shell.stdout is not None and shell.stderr is not None
    pid = int(shell.stdout.readline())
    started: set[int] = set()
    try:
        headline = shell.stderr.readline()
        assert headline == "The system is up; Ctrl-C stops it.\n", headline + shell.stderr.read()
        names = json.loads((system / "system.json").read_text())["services"]
        lines = [shell.stderr.readline().split() for _ in range(len(names) + 1)]
        assert all(line[-1] == "up" for line in lines), lines
        started = _children(pid)
        victim, port = next((name, url.rsplit(":", 1)[1].split("/")[0]) for name, url, *_ in lines if name not in ("gateway", "monolith"))
        [leader] = [p for p in started if os.getpgid(p) == p and {port, f"127.0.0.1:{port}"} & set(_argv(p))]  # gunicorn or uvicorn
        os.killpg(leader, signal.SIGKILL)
        said = shell.stderr.readline()
        assert said.startswith(f"{victim} exited with code -9; its log: "), said  # dead, not "up"
    finally:
        os.kill(pid, signal.SIGINT)
        stdout, stderr = shell.communicate(timeout=120)
    assert "Stopping." in stderr, stderr
    assert shell.returncode == 0, stderr
    assert json.loads(stdout)["ok"]
    deadline = time.monotonic() + 5
    while any(_running(p) for p in started) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(started) > len(names) and [p for p in started if _running(p)] == []
