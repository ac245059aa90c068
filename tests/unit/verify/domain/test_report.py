"""The report of a run: failed when any check failed, and as data with no password in it."""

from __future__ import annotations

from pathlib import Path

from migrator.verify.domain.report import FAILED, PASSED, SKIPPED, Broker, Excerpt, Step, VerifyReport


def _report(*steps: Step) -> VerifyReport:
    broker = Broker("rabbit", "amqp://guest:guest@127.0.0.1:5672/", started=False)
    return VerifyReport("verify_1", Path("/tmp/run"), "http://127.0.0.1:40000", {"orders": "http://127.0.0.1:40001"}, broker,
                        {"orders": "postgresql://app:s3cret@db/verify_1_orders"}, list(steps))


def test_a_report_is_ok_unless_a_check_failed() -> None:
    assert _report(Step("a", PASSED, ""), Step("b", SKIPPED, "")).ok
    assert not _report(Step("a", PASSED, ""), Step("b", FAILED, "")).ok


def test_the_report_as_data_shows_no_password_and_leaves_out_empty_excerpts() -> None:
    step = Step("orders ready", FAILED, "exited", log="/tmp/run/logs/orders.log",
                excerpts=(Excerpt("/tmp/run/logs/orders.log", "the end of", "boom"), Excerpt("/x.log", "the end of", "")))
    data = _report(step).to_dict()
    assert data["broker"] == {"bus": "rabbit", "url": "amqp://guest:***@127.0.0.1:5672/", "started": False}
    assert data["databases"] == {"orders": "postgresql://app:***@db/verify_1_orders"}
    assert (data["ok"], data["run_dir"], data["gateway"]) == (False, "/tmp/run", "http://127.0.0.1:40000")
    assert data["steps"][0]["excerpts"] == [{"source": "/tmp/run/logs/orders.log", "what": "the end of", "text": "boom"}]
