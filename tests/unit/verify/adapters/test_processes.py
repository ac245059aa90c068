"""Child processes: started with our variables and loopback off any proxy, stopped with whatever
they started, even when they ignore SIGTERM."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest

from migrator.verify.adapters.logs import tail
from migrator.verify.adapters.processes import Supervisor, child_env


def test_children_reach_loopback_without_any_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.local:3128")
    monkeypatch.setenv("NO_PROXY", "intranet.local")
    monkeypatch.delenv("no_proxy", raising=False)
    env = child_env(PORT="4000")
    assert (env["PORT"], env["HTTP_PROXY"]) == ("4000", "http://proxy.local:3128")
    assert env["NO_PROXY"] == "127.0.0.1,localhost,intranet.local"
    assert env["no_proxy"] == "127.0.0.1,localhost"


def test_a_child_gets_our_variables_and_its_own_or_only_its_own(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OURS", "inherited")
    supervisor = Supervisor()
    show = ["sh", "-c", 'echo "${OURS:-none} ${THEIRS:-none}"']
    supervisor.run("inherits", show, cwd=tmp_path, env={"THEIRS": "given"}, log=tmp_path / "inherits.log")
    assert tail(tmp_path / "inherits.log") == "inherited given"
    child = supervisor.start("clean", show, cwd=tmp_path, env={"THEIRS": "given"}, log=tmp_path / "clean.log", inherit=False)
    assert child.process.wait(10) == 0
    assert tail(tmp_path / "clean.log") == "none given"
    supervisor.stop_all()


def test_stopping_kills_what_ignores_sigterm_and_what_a_child_started(tmp_path: Path) -> None:
    supervisor = Supervisor(grace=0.5)
    stubborn = supervisor.start("stubborn", ["sh", "-c", "trap '' TERM; echo up; while true; do sleep 0.1; done"], cwd=tmp_path,
                                env={}, log=tmp_path / "stubborn.log")
    parent = supervisor.start("parent", ["sh", "-c", "sleep 60 & echo $! > grandchild.pid; wait"], cwd=tmp_path, env={},
                              log=tmp_path / "parent.log")
    deadline = time.monotonic() + 5
    while not ((tmp_path / "grandchild.pid").is_file() and tail(tmp_path / "stubborn.log") == "up") and time.monotonic() < deadline:
        time.sleep(0.05)
    grandchild = int((tmp_path / "grandchild.pid").read_text())
    started = time.monotonic()
    supervisor.stop_all()
    assert time.monotonic() - started < 3
    assert stubborn.exit_code() == -signal.SIGKILL  # it ignored SIGTERM: killed after the grace period
    assert parent.exit_code() == -signal.SIGTERM
    assert not _running(grandchild)
    assert supervisor.children == []


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1][0]
    except FileNotFoundError:
        return False
    return state != "Z"  # a zombie waits for its new parent (init) to reap it


def test_a_run_returns_the_exit_code_and_leaves_no_child(tmp_path: Path) -> None:
    supervisor = Supervisor()
    assert supervisor.run("false", ["sh", "-c", "echo failing; exit 3"], cwd=tmp_path, env={}, log=tmp_path / "run.log") == 3
    assert tail(tmp_path / "run.log") == "failing"
    assert supervisor.children == []
