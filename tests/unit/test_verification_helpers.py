"""The small parts of ``verify``: database names and URLs, broker addresses, log tails."""

from __future__ import annotations

import signal
import socket
import threading
import time
from pathlib import Path

import pytest

from migrator.errors import MigratorError
from migrator.pipeline.brokers import broker_address, probe
from migrator.pipeline.databases import database_name, is_postgres_url, redacted, sqlite_urls, with_database
from migrator.pipeline.processes import Supervisor, child_env, free_ports, last_traceback, tail


def test_a_database_name_is_a_safe_postgres_identifier() -> None:
    assert database_name("verify_1a2b", "order-items") == "verify_1a2b_order_items"
    assert database_name("verify_1a2b", "Ünïcode.Service") == "verify_1a2b__n_code_service"
    assert len(database_name("verify_1a2b", "x" * 100)) == 63


def test_a_service_database_url_keeps_driver_user_and_options() -> None:
    url = "postgresql+psycopg://app:s3cret@db.local:5433/postgres?sslmode=disable"
    assert with_database(url, "verify_1_orders") == "postgresql+psycopg://app:s3cret@db.local:5433/verify_1_orders?sslmode=disable"
    assert redacted(url) == "postgresql+psycopg://app:***@db.local:5433/postgres?sslmode=disable"
    assert redacted("postgresql://postgres@127.0.0.1/postgres") == "postgresql://postgres@127.0.0.1/postgres"


@pytest.mark.parametrize(
    ("url", "expected"),
    [("postgresql://u@h/db", True), ("postgresql+psycopg2://u@h/db", True), ("postgres://u@h/db", True), ("mysql://u@h/db", False),
     ("sqlite:///x.db", False)],
)
def test_only_postgres_urls_are_servers_to_create_databases_on(url: str, expected: bool) -> None:
    assert is_postgres_url(url) is expected


def test_sqlite_files_are_absolute_and_one_per_service(tmp_path: Path) -> None:
    urls = sqlite_urls(tmp_path / "db", ["orders", "order items"])
    assert urls == {"orders": f"sqlite:///{tmp_path}/db/orders.db", "order items": f"sqlite:///{tmp_path}/db/order_items.db"}
    assert urls["orders"].startswith("sqlite:////")


@pytest.mark.parametrize(
    ("bus", "url", "address"),
    [
        ("nats", "nats://127.0.0.1", ("127.0.0.1", 4222)),
        ("rabbit", "amqp://guest:guest@mq.local:5673/vhost", ("mq.local", 5673)),
        ("redis", "redis://:pw@127.0.0.1:6380/0", ("127.0.0.1", 6380)),
        ("kafka", "k1.local:9093,k2.local:9093", ("k1.local", 9093)),
        ("kafka", "k1.local", ("k1.local", 9092)),
    ],
)
def test_broker_addresses(bus: str, url: str, address: tuple[str, int]) -> None:
    assert broker_address(bus, url) == address


def test_a_bad_broker_port_is_a_user_error() -> None:
    with pytest.raises(MigratorError, match="bad nats broker URL"):
        broker_address("nats", "nats://127.0.0.1:http")


def test_a_server_of_another_kind_on_the_port_is_no_broker() -> None:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()

    def greet_like_ssh() -> None:
        connection, _ = server.accept()
        with connection:
            connection.sendall(b"SSH-2.0-OpenSSH\r\n")
            connection.recv(64)

    threading.Thread(target=greet_like_ssh, daemon=True).start()
    try:
        assert probe("nats", f"nats://127.0.0.1:{server.getsockname()[1]}") == "no NATS INFO greeting"
    finally:
        server.close()


def test_a_closed_port_is_no_broker() -> None:
    (port,) = free_ports(1)
    assert probe("redis", f"redis://127.0.0.1:{port}") == f"127.0.0.1:{port}: Connection refused"


def test_free_ports_are_distinct() -> None:
    ports = free_ports(20)
    assert len(set(ports)) == 20


def test_a_log_tail_shows_a_repeated_line_once(tmp_path: Path) -> None:
    log = tmp_path / "orders.log"
    log.write_text("started\n" + '"GET /healthz/ready" 503\n' * 40 + "stopping\n")
    assert tail(log).splitlines() == ["started", '"GET /healthz/ready" 503', "[the line above 39 more times]", "stopping"]
    assert tail(log, lines=2).splitlines() == ["[the line above 39 more times]", "stopping"]
    assert tail(tmp_path / "missing.log") == ""


def test_the_last_traceback_of_a_log_ends_at_its_exception_line(tmp_path: Path) -> None:
    log = tmp_path / "catalog.log"
    log.write_text(
        "Traceback (most recent call last):\n  File \"a.py\", line 1\nKeyError: 'old'\n"
        'INFO:     "GET /api/x HTTP/1.1" 500\n'
        "Traceback (most recent call last):\n  File \"b.py\", line 2, in item\n    raise OverflowError\n"
        "OverflowError: Python int too large to convert to SQLite INTEGER\n"
        'INFO:     "GET /api/y HTTP/1.1" 200\n'
    )
    assert last_traceback(log).splitlines() == [
        "Traceback (most recent call last):", '  File "b.py", line 2, in item', "    raise OverflowError",
        "OverflowError: Python int too large to convert to SQLite INTEGER",
    ]
    assert last_traceback(log, lines=2).splitlines() == ["    raise OverflowError", "OverflowError: Python int too large to convert to SQLite INTEGER"]
    (tmp_path / "quiet.log").write_text("INFO: started\n")
    assert last_traceback(tmp_path / "quiet.log") == ""


def test_children_reach_loopback_without_any_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.local:3128")
    monkeypatch.setenv("NO_PROXY", "intranet.local")
    monkeypatch.delenv("no_proxy", raising=False)
    env = child_env(PORT="4000")
    assert (env["PORT"], env["HTTP_PROXY"]) == ("4000", "http://proxy.local:3128")
    assert env["NO_PROXY"] == "127.0.0.1,localhost,intranet.local"
    assert env["no_proxy"] == "127.0.0.1,localhost"


def test_stopping_kills_what_ignores_sigterm_and_what_a_child_started(tmp_path: Path) -> None:
    supervisor = Supervisor(grace=0.5)
    stubborn = supervisor.start("stubborn", ["sh", "-c", "trap '' TERM; echo up; while true; do sleep 0.1; done"], cwd=tmp_path,
                                env=child_env(), log=tmp_path / "stubborn.log")
    parent = supervisor.start("parent", ["sh", "-c", "sleep 60 & echo $! > grandchild.pid; wait"], cwd=tmp_path, env=child_env(),
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
    assert supervisor.run("false", ["sh", "-c", "echo failing; exit 3"], cwd=tmp_path, env=child_env(), log=tmp_path / "run.log") == 3
    assert tail(tmp_path / "run.log") == "failing"
    assert supervisor.children == []
