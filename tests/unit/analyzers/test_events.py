"""Signals, in-process events and background tasks, on small trees under tests/assets/events/."""

import re
from pathlib import Path

import pytest
import yaml

from analyzers.base import AnalysisOptions
from analyzers.events import EventsAnalyzer, is_schedule_name
from analyzers.symbols import SymbolsAnalyzer
from migrator.engine.run import analyze_tree
from migrator.model.facts import EdgeKind, NodeKind
from tests.conftest import ASSETS

OPTIONS = AnalysisOptions(use_cache=False)
SAMPLE = Path(__file__).resolve().parents[3] / "sample_monolith"


def _analyze(root: Path):
    # the symbols analyzer emits the function and class nodes that event edges point to
    return analyze_tree(root, analyzers=[SymbolsAnalyzer(), EventsAnalyzer()], options=OPTIONS)


def _edges(graph, kind: EdgeKind) -> set[tuple[str, str]]:
    return {(e.source, e.target) for e in graph.edges(kind)}


def _ids(graph, kind: NodeKind) -> set[str]:
    return {n.id for n in graph.nodes(kind)}


# -- Django signals -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def django_signals():
    return _analyze(ASSETS / "events" / "django_signals")


def test_django_signal_definitions_and_model_signal_events(django_signals) -> None:
    graph = django_signals.graph
    assert _ids(graph, NodeKind.EVENT) == {
        "event:shop.orders.signals.order_placed",
        "event:shop.orders.signals.order_paid",
        "event:shop.orders.signals.plugin_hook",  # a generic subclass of a subclass of Signal
        "event:django.core.signals.request_finished",
        "event:django.db.models.signals.post_delete",  # no sender: the signal itself
        "event:post_save:shop.orders.models.Order",
        "event:post_save:shop.orders.models.Item",
        "event:m2m_changed:shop.orders.models.Order",
    }
    placed = graph.node("event:shop.orders.signals.order_placed")
    assert (placed.file, placed.line, placed.attrs) == ("shop/orders/signals.py", 8, {"framework": "django-signal"})
    assert graph.node("event:post_save:shop.orders.models.Item").attrs == {
        "framework": "django-signal",
        "signal": "django.db.models.signals.post_save",
        "sender": "shop.orders.models.Item",
    }


def test_django_signal_publishers_include_the_sender_models(django_signals) -> None:
    graph = django_signals.graph
    assert _edges(graph, EdgeKind.PUBLISHES) == {
        ("shop.orders.services.place_order", "event:shop.orders.signals.order_placed"),
        ("shop.orders.services.Checkout.finish", "event:shop.orders.signals.order_placed"),
        ("shop.orders.services.pay", "event:shop.orders.signals.order_paid"),
        ("shop.orders.services.announce", "event:shop.orders.signals.plugin_hook"),
        ("shop.orders.models.Order", "event:post_save:shop.orders.models.Order"),
        ("shop.orders.models.Order", "event:m2m_changed:shop.orders.models.Order"),
        ("shop.orders.models.Item", "event:post_save:shop.orders.models.Item"),
    }
    sent = graph.edge("shop.orders.services.place_order", "event:shop.orders.signals.order_placed", EdgeKind.PUBLISHES)
    assert sent.evidence == ("shop/orders/services.py:8",)
    implicit = graph.edge("shop.orders.models.Item", "event:post_save:shop.orders.models.Item", EdgeKind.PUBLISHES)
    assert implicit.attrs == {"implicit": True}


def test_django_receivers_decorators_and_connect_calls(django_signals) -> None:
    graph = django_signals.graph
    receivers = "shop.billing.receivers"
    assert _edges(graph, EdgeKind.SUBSCRIBES) == {
        ("event:shop.orders.signals.order_placed", f"{receivers}.on_placed"),
        ("event:shop.orders.signals.order_placed", f"{receivers}.on_both"),
        ("event:shop.orders.signals.order_paid", f"{receivers}.on_both"),
        ("event:shop.orders.signals.order_paid", f"{receivers}.on_paid"),
        ("event:post_save:shop.orders.models.Order", f"{receivers}.order_saved"),
        ("event:post_save:shop.orders.models.Item", f"{receivers}.item_saved"),  # sender="orders.Item"
        ("event:post_save:shop.orders.models.Item", f"{receivers}.item_changed"),
        ("event:m2m_changed:shop.orders.models.Order", f"{receivers}.tags_changed"),  # Order.tags.through
        ("event:django.db.models.signals.post_delete", f"{receivers}.anything_deleted"),
        ("event:django.core.signals.request_finished", f"{receivers}.flush_metrics"),
        ("event:shop.orders.signals.plugin_hook", f"{receivers}.plugin_hook"),  # shadowed name
    }
    both = graph.edge("event:shop.orders.signals.order_paid", f"{receivers}.on_both", EdgeKind.SUBSCRIBES)
    assert (both.evidence, both.attrs) == (("shop/billing/receivers.py:14",), {"sender": "shop.orders.models.Order"})


def test_a_lambda_receiver_is_reported_not_guessed(django_signals) -> None:
    reasons = [str(s) for s in django_signals.skipped if "events:" in s.reason]
    assert reasons == [
        "shop/billing/receivers.py:60: events: the receiver connected to event:shop.orders.signals.order_paid could not be resolved"
    ]


# -- blinker --------------------------------------------------------------------------------------


def test_blinker_named_namespaced_and_anonymous_signals() -> None:
    graph = _analyze(ASSETS / "events" / "blinker_signals").graph
    assert _ids(graph, NodeKind.EVENT) == {
        "event:user-created",
        "event:order-done",
        "event:app.signals.audit_trail",  # Signal() has no name
        # "created" exists in two namespaces: two signals, named by their variables
        "event:app.signals.created",
        "event:admin.signals.created",
    }
    assert graph.node("event:user-created").attrs == {"framework": "blinker", "name": "user-created"}
    assert _edges(graph, EdgeKind.PUBLISHES) == {
        ("app.users.Accounts.register", "event:user-created"),
        ("app.users.Accounts.register", "event:app.signals.created"),
        ("app.users.Accounts.close", "event:order-done"),  # signal("order-done").send(...)
        ("app.users.Accounts.close", "event:app.signals.audit_trail"),
        ("admin.views.create_admin", "event:admin.signals.created"),
    }
    assert _edges(graph, EdgeKind.SUBSCRIBES) == {
        ("event:user-created", "app.users.welcome"),
        ("event:user-created", "app.users.audit"),
        ("event:order-done", "app.users.archive"),
        ("event:app.signals.audit_trail", "app.users.audit"),
        ("event:admin.signals.created", "admin.views.notify_admins"),
    }
    via = graph.edge("event:order-done", "app.users.archive", EdgeKind.SUBSCRIBES)
    assert via.attrs == {"sender": "app.users.Accounts"}


# -- in-process dispatchers -------------------------------------------------------------------------


def test_in_process_dispatcher_and_no_look_alikes() -> None:
    graph = _analyze(ASSETS / "events" / "dispatcher").graph
    assert _ids(graph, NodeKind.EVENT) == {
        "event:order.placed",
        "event:order.shipped",
        "event:order.cancelled",
        "event:shop.started",
        "event:shop.events.OrderPlaced",
        "event:order.refunded",
    }
    assert graph.node("event:order.placed").attrs == {"framework": "dispatcher", "name": "order.placed"}
    assert graph.node("event:shop.events.OrderPlaced").attrs == {"framework": "dispatcher", "class": "shop.events.OrderPlaced"}
    assert _edges(graph, EdgeKind.PUBLISHES) == {
        ("shop.orders.place_order", "event:order.placed"),
        ("shop.orders.place_order", "event:shop.events.OrderPlaced"),
        ("shop.orders.ship", "event:order.shipped"),
        ("shop.orders.cancel", "event:order.cancelled"),
        ("shop.orders", "event:shop.started"),  # module-level code publishes as the module
    }
    assert _edges(graph, EdgeKind.SUBSCRIBES) == {
        ("event:order.placed", "shop.handlers.reserve_stock"),
        ("event:shop.events.OrderPlaced", "shop.handlers.send_confirmation"),
        ("event:order.shipped", "shop.handlers.on_shipped"),
        ("event:order.cancelled", "shop.handlers.on_cancelled"),
        ("event:order.refunded", "shop.handlers.install_refunds"),  # a nested handler: its registrar
    }
    shipped = graph.edge("shop.orders.ship", "event:order.shipped", EdgeKind.PUBLISHES)
    assert shipped.evidence == ("shop/orders.py:20",)


# -- tasks ------------------------------------------------------------------------------------------


def test_celery_tasks_callers_and_schedules() -> None:
    graph = _analyze(ASSETS / "events" / "celery_tasks").graph
    assert _ids(graph, NodeKind.TASK) == {
        "task:proj.tasks.cleanup",
        "task:proj.tasks.send_mail",
        "task:proj.tasks.charge",
        "task:proj.tasks.refresh",
        "task:proj.tasks.reindex",
        "task:billing.tasks.invoice",  # sent by name to another code base
    }
    assert graph.node("task:proj.tasks.cleanup").attrs == {
        "framework": "celery", "schedule": "crontab(hour=3, minute=0)", "beat": "nightly-cleanup",
    }
    assert graph.node("task:proj.tasks.charge").attrs == {
        "framework": "celery", "name": "custom.charge", "schedule": "60.0", "beat": "charge-every-minute",
    }
    assert graph.node("task:proj.tasks.refresh").attrs == {"framework": "celery", "schedule": "300.0"}
    assert graph.node("task:proj.tasks.reindex").attrs == {"framework": "celery", "inferred": True}
    cleanup = graph.node("task:proj.tasks.cleanup")
    assert (cleanup.file, cleanup.line) == ("proj/tasks.py", 8)
    assert _edges(graph, EdgeKind.HANDLES) == {
        (f"task:proj.tasks.{name}", f"proj.tasks.{name}") for name in ("cleanup", "send_mail", "charge", "refresh", "reindex")
    }
    assert _edges(graph, EdgeKind.PUBLISHES) == {
        ("proj.views.checkout", "task:proj.tasks.send_mail"),
        ("proj.views.checkout", "task:proj.tasks.charge"),
        ("proj.views.checkout", "task:proj.tasks.reindex"),
        ("proj.views.pipeline", "task:proj.tasks.cleanup"),
        ("proj.views.pipeline", "task:proj.tasks.send_mail"),
        ("proj.views.remote", "task:proj.tasks.charge"),  # send_task("custom.charge")
        ("proj.views.remote", "task:proj.tasks.cleanup"),  # send_task("proj.tasks.cleanup")
        ("proj.views.remote", "task:billing.tasks.invoice"),
        ("proj.celery.setup_periodic_tasks", "task:proj.tasks.refresh"),
    }
    delay = graph.edge("proj.views.checkout", "task:proj.tasks.send_mail", EdgeKind.PUBLISHES)
    assert (delay.evidence, delay.attrs) == (("proj/views.py:9",), {"via": "delay"})


def test_rq_dramatiq_huey_apscheduler_schedule_and_in_house_jobs() -> None:
    graph = _analyze(ASSETS / "events" / "task_frameworks").graph
    tasks = {n.id.removeprefix("task:jobs."): n.attrs for n in graph.nodes(NodeKind.TASK)}
    assert tasks == {
        "rq_jobs.resize": {"framework": "rq"},
        "rq_jobs.thumbnail": {"framework": "rq"},
        "rq_jobs.report": {"framework": "rq"},
        "actors.fetch": {"framework": "dramatiq"},
        "actors.make_thumbnail": {"framework": "huey"},
        "actors.every_three_hours": {"framework": "huey", "schedule": "crontab(minute='0', hour='*/3')"},
        "scheduling.nightly": {"framework": "apscheduler", "schedule": "cron hour=3", "name": "nightly"},
        "scheduling.backup": {"framework": "apscheduler", "schedule": "interval minutes=5", "name": "backup"},
        "scheduling.poll_feeds": {"framework": "schedule", "schedule": "schedule.every(10).minutes"},
        "inhouse.release_expired": {"framework": "scheduler", "name": "release-expired"},
        "inhouse.tick": {"framework": "scheduler", "schedule": "minutes=5"},
    }
    assert all(graph.find_successors(f"task:jobs.{t}", EdgeKind.HANDLES) == [f"jobs.{t}"] for t in tasks)
    assert _edges(graph, EdgeKind.PUBLISHES) == {
        ("jobs.rq_jobs.upload", "task:jobs.rq_jobs.resize"),
        ("jobs.rq_jobs.upload", "task:jobs.rq_jobs.thumbnail"),
        ("jobs.rq_jobs.upload", "task:jobs.rq_jobs.report"),
        ("jobs.actors.trigger", "task:jobs.actors.fetch"),  # dramatiq's fetch.send(...); sock.send is not
    }
    enqueued = graph.edge("jobs.rq_jobs.upload", "task:jobs.rq_jobs.resize", EdgeKind.PUBLISHES)
    assert enqueued.evidence == ("jobs/rq_jobs.py:22", "jobs/rq_jobs.py:24")  # a reference and a dotted string


@pytest.mark.parametrize(
    ("name", "expected"),
    [("ScheduledJob", True), ("add_job", True), ("periodic_task", True), ("every", True), ("cron", True),
     ("register_job", True), ("job_view", False), ("everyone", False), ("run_task", False), ("Scheduler", False)],
)
def test_schedule_like_names(name: str, expected: bool) -> None:
    assert is_schedule_name(name) is expected


# -- the bundled sample ----------------------------------------------------------------------------


def _sample_inventory() -> dict | None:
    readme = SAMPLE / "README.md"
    if not readme.is_file() or "## Inventory (machine-checked)" not in readme.read_text(encoding="utf-8"):
        return None
    section = readme.read_text(encoding="utf-8").split("## Inventory (machine-checked)", 1)[1]
    block = re.search(r"```yaml\n(.*?)```", section, re.DOTALL)
    return yaml.safe_load(block.group(1)) if block else None


def test_every_event_and_job_of_the_sample_monolith_inventory() -> None:
    inventory = _sample_inventory()
    assert inventory is not None, "sample_monolith/README.md has no inventory"
    graph = _analyze(SAMPLE).graph
    events = {name: ends for name, ends in inventory["events"].items()}
    assert _ids(graph, NodeKind.EVENT) == {f"event:{name}" for name in events}
    for name, ends in events.items():
        assert set(graph.find_predecessors(f"event:{name}", EdgeKind.PUBLISHES)) == set(ends["publishers"]), name
        assert set(graph.find_successors(f"event:{name}", EdgeKind.SUBSCRIBES)) == set(ends["subscribers"]), name
    assert _ids(graph, NodeKind.TASK) == {f"task:{job}" for job in inventory["background_jobs"]}
    for job in inventory["background_jobs"]:
        assert graph.find_successors(f"task:{job}", EdgeKind.HANDLES) == [job]
