"""What --keep-running says: the real state of each process, never 'up' when it is not."""

from __future__ import annotations

from migrator.verify.domain.processes import ProcessState, held_lines, newly_exited

UP = ProcessState("catalog", "http://127.0.0.1:4001/healthz/ready", None, "/run/logs/catalog.log")
DOWN = ProcessState("orders", "http://127.0.0.1:4002/healthz/ready", 3, "/run/logs/orders.log")


def test_a_system_whose_processes_all_run_is_up() -> None:
    assert held_lines([UP])[0] == "The system is up; Ctrl-C stops it."


def test_exited_processes_are_named_with_their_code_and_log() -> None:
    lines = held_lines([UP, DOWN])
    assert lines[0] == "The system is partly up: 1 of 2 processes have exited (orders); Ctrl-C stops the rest."
    assert lines[2].endswith("exited with code 3, log /run/logs/orders.log")
    assert held_lines([DOWN])[0] == "Every process of the system has exited; there is nothing to hold up."


def test_a_process_that_exits_while_held_is_told() -> None:
    running = ProcessState("orders", DOWN.url, None, DOWN.log)
    assert newly_exited([UP, running], [UP, DOWN]) == [DOWN]
    assert newly_exited([UP, DOWN], [UP, DOWN]) == []
