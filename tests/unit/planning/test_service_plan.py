"""The ServicePlan: one model whose names, ports, paths and labels every artifact will share."""

from __future__ import annotations

import pytest

from migrator.model.deployment import Topology
from migrator.model.facts import Edge, EdgeKind, Node, NodeKind
from migrator.planning.plan import build_plan
from migrator.planning.service_plan import build_service_plan, internal_path, scheduled_jobs
from tests.unit.planning.test_plan import DECOMPOSITION, _graph


@pytest.fixture
def plan():
    graph = _graph()
    return build_service_plan(graph, DECOMPOSITION, build_plan(graph, DECOMPOSITION), system="shop")


def test_ports_and_packages_are_deterministic_and_distinct(plan) -> None:
    assert [(w.name, w.port, w.package) for w in Topology(plan).workloads] == [
        ("catalog", 8001, "catalog_service"), ("mail", 8002, "mail_service"), ("orders", 8003, "orders_service"),
    ]


def test_a_call_into_another_services_data_module_gives_a_client_and_an_internal_endpoint(plan) -> None:
    orders, mail = plan.service("orders"), plan.service("mail")
    # shop.mail writes data: its function is the mail service's; shop.catalog holds none, so calls
    # into it stay plain calls (its code is a library, not a service)
    assert {(c.service, c.function, c.idempotent) for c in orders.clients} == {("mail", "shop.mail.send", False)}
    assert orders.remote == ("shop.mail.send",)
    assert {(e.function, e.path, e.callers) for e in mail.internal} == {("shop.mail.send", "/internal/shop/mail/send", ("orders",))}
    assert Topology(plan).workload("orders").env["MAIL_URL"] == "http://mail:8002"  # discovery by name, from the deployment view


def test_events_with_handlers_in_another_service_become_channels(plan) -> None:
    # a fire-and-forget call stays a call (a client); only events with handlers travel on the bus
    assert {(c.name, c.publishers, c.subscribers) for c in plan.channels} == {("order.placed", ("orders",), ("mail",))}
    assert plan.service("mail").subscribes == ("order.placed",)


def test_labels_and_gateway(plan) -> None:
    assert Topology(plan).workload("orders").labels["app.kubernetes.io/name"] == "orders"  # labels come from the deployment view
    assert {(r.prefix, r.service) for r in plan.gateway} == {("/orders", "orders")}


def test_internal_paths_come_from_names_only() -> None:
    assert internal_path("shop.orders._private") == "/internal/shop/orders/private"


def test_a_job_of_the_monolith_scheduler_is_marked_on_its_clients() -> None:
    # shop.mail.send is also run by an in-house scheduler: the orders service's copy of that
    # scheduler must leave it to the mail service, or every service would run the job
    graph = _graph()
    graph.add_node(Node("task:shop.mail.send", NodeKind.TASK, None, None, (), {"framework": "scheduler", "name": "send-mail"}))
    graph.add_edge(Edge("task:shop.mail.send", "shop.mail.send", EdgeKind.HANDLES))
    plan = build_service_plan(graph, DECOMPOSITION, build_plan(graph, DECOMPOSITION), system="shop")
    assert scheduled_jobs(graph) == {"shop.mail.send"}
    assert {(c.function, c.scheduled) for c in plan.service("orders").clients} == {("shop.mail.send", True)}
    assert plan.from_dict(plan.to_dict()) == plan  # the flag survives plan.json


def test_a_celery_task_is_not_a_scheduler_job() -> None:
    # a worker runs it outside any request: its client must call the owner as usual
    graph = _graph()
    graph.add_node(Node("task:shop.mail.send", NodeKind.TASK, None, None, (), {"framework": "celery", "schedule": "crontab()"}))
    graph.add_edge(Edge("task:shop.mail.send", "shop.mail.send", EdgeKind.HANDLES))
    assert scheduled_jobs(graph) == frozenset()


def _with_job(job: str) -> object:
    graph = _graph()
    graph.add_node(Node(job, NodeKind.FUNCTION, job.rsplit(".", 1)[0].replace(".", "/") + ".py", 40))
    graph.add_edge(Edge(job, "shop.mail.send", EdgeKind.CALLS, 1, (), {"result_unused": True}))
    graph.add_node(Node(f"task:{job}", NodeKind.TASK, None, None, (), {"framework": "scheduler", "name": "nightly"}))
    graph.add_edge(Edge(f"task:{job}", job, EdgeKind.HANDLES))
    return build_service_plan(graph, DECOMPOSITION, build_plan(graph, DECOMPOSITION), system="shop")


def test_what_a_job_of_another_service_calls_is_left_to_that_service() -> None:
    # a job in shared code (shop.util runs in orders too) hands the work to the mail service: the
    # orders service's scheduler must not send it as well
    plan = _with_job("shop.util.nightly")
    assert {(c.function, c.scheduled) for c in plan.service("orders").clients} == {("shop.mail.send", True)}


def test_what_a_services_own_job_calls_is_called_from_its_scheduler() -> None:
    plan = _with_job("shop.orders.nightly")
    assert {(c.function, c.scheduled) for c in plan.service("orders").clients} == {("shop.mail.send", False)}


def _replicas(graph) -> dict[str, tuple[str, ...]]:
    plan = build_service_plan(graph, DECOMPOSITION, build_plan(graph, DECOMPOSITION), system="shop")
    return {s.name: s.replicas for s in plan.services}


def test_a_read_model_brings_the_tables_its_rows_reference_but_a_services_own_foreign_keys_do_not() -> None:
    # orders.product_id references products: a foreign key of its own table, checked in code, no
    # read model; mail reads orders, whose rows' relationships load products: both kept in mail
    replicas = _replicas(_graph())
    assert replicas["mail"] == ("orders", "products")
    assert replicas["orders"] == () and replicas["catalog"] == ()


def test_a_framework_hook_of_another_service_reads_in_every_service() -> None:
    # a user_loader registered on an object runs in every service that carries the application,
    # whoever holds its module, and nothing calls it: what it reads needs a read model everywhere
    graph = _graph()
    graph.add_node(Node("shop.mail.load_user", NodeKind.FUNCTION, "shop/mail.py", 40, (), {"decorators": ["login_manager.user_loader"]}))
    graph.add_edge(Edge("shop.mail.load_user", "shop.mail.Outbox", EdgeKind.READS))
    replicas = _replicas(graph)
    assert "outbox" in replicas["orders"] and "outbox" in replicas["catalog"]
    assert "outbox" not in replicas["mail"]  # its own table


def test_a_route_property_or_command_line_decorator_is_no_hook() -> None:
    for decorator in ("bp.route('/inbox')", "app.shell_context_processor", "app.cli.command()", "functools.cached_property"):
        graph = _graph()
        graph.add_node(Node("shop.mail.inbox", NodeKind.FUNCTION, "shop/mail.py", 40, (), {"decorators": [decorator]}))
        graph.add_edge(Edge("shop.mail.inbox", "shop.mail.Outbox", EdgeKind.READS))
        assert "outbox" not in _replicas(graph)["orders"], decorator


def test_code_a_service_runs_in_its_process_reads_there_but_not_what_it_calls_through_a_client() -> None:
    graph = _graph()
    # the shared library's slug, which orders calls in process, reads the outbox: orders reads it
    graph.add_edge(Edge("shop.util.slug", "shop.mail.Outbox", EdgeKind.READS))
    assert "outbox" in _replicas(graph)["orders"]
    graph = _graph()
    # mail.send is called through a client: what it reads is read in the mail service, not in orders
    graph.add_node(Node("shop.catalog.Tag", NodeKind.MODEL, None, None, (), {"table": "tags"}))
    graph.add_node(Node("table:tags", NodeKind.TABLE))
    graph.add_edge(Edge("shop.catalog.Tag", "table:tags", EdgeKind.REFERENCES, 1, (), {"maps_to": True}))
    graph.add_edge(Edge("shop.mail.send", "shop.catalog.Tag", EdgeKind.READS))
    replicas = _replicas(graph)
    assert "tags" in replicas["mail"] and "tags" not in replicas["orders"]


def test_a_dependency_passed_by_reference_runs_in_the_callers_process() -> None:
    # FastAPI: a route of orders depends on a function of the shared library (Depends(get_current_user))
    graph = _graph()
    graph.add_node(Node("shop.util.current_user", NodeKind.FUNCTION, "shop/util.py", 30))
    graph.add_edge(Edge("shop.orders.place", "shop.util.current_user", EdgeKind.REFERENCES))
    graph.add_edge(Edge("shop.util.current_user", "shop.mail.Outbox", EdgeKind.READS))
    assert "outbox" in _replicas(graph)["orders"]


def test_code_that_refers_to_a_model_of_another_service_reads_its_table() -> None:
    # a form's Meta names the model it loads and saves (Django's ModelForm): a read of its table
    graph = _graph()
    graph.add_node(Node("shop.orders.OrderForm", NodeKind.CLASS, "shop/orders.py", 50))
    graph.add_edge(Edge("shop.orders.OrderForm", "shop.mail.Outbox", EdgeKind.REFERENCES))
    assert "outbox" in _replicas(graph)["orders"]


def test_a_write_of_another_services_table_by_code_running_in_a_service_is_a_write_across_services() -> None:
    # orders builds a class of the mail service whose constructor writes the outbox: the write
    # happens in orders' process, as a write of another service's table (switch write ownership)
    graph = _graph()
    graph.add_node(Node("shop.mail.Letter", NodeKind.CLASS, "shop/mail.py", 60))
    graph.add_node(Node("shop.mail.Letter.__init__", NodeKind.FUNCTION, "shop/mail.py", 61))
    graph.add_edge(Edge("shop.orders.place", "shop.mail.Letter", EdgeKind.CALLS, 1, (), {"result_unused": False}))
    graph.add_edge(Edge("shop.mail.Letter.__init__", "shop.mail.Outbox", EdgeKind.WRITES))
    issues = {(d.table, d.treatment, d.owner, d.services) for d in build_plan(graph, DECOMPOSITION).data}
    assert ("outbox", "switch_write_ownership", "mail", ("orders",)) in issues


def test_a_module_level_dependency_a_function_refers_to_runs_in_its_process() -> None:
    # FastAPI: ``CurrentUser = Annotated[User, Depends(get_current_user)]`` at module level of a module
    # of the shared library; a route of orders refers to the name (an edge to the module)
    graph = _graph()
    graph.add_node(Node("shop.util.current_user", NodeKind.FUNCTION, "shop/util.py", 30))
    graph.add_edge(Edge("shop.util", "shop.util.current_user", EdgeKind.REFERENCES))
    graph.add_edge(Edge("shop.orders.place", "shop.util", EdgeKind.REFERENCES))
    graph.add_edge(Edge("shop.util.current_user", "shop.mail.Outbox", EdgeKind.READS))
    assert "outbox" in _replicas(graph)["orders"]


def test_a_service_keeps_a_read_model_of_what_it_writes_and_of_what_djangos_deletion_collector_reads_with_it() -> None:
    # mail writes orders (a Django model, whose table line items of catalog reference): it numbers
    # the rows it adds from its read model of orders, and deleting an order there, Django's
    # collector reads (and deletes) its lines, which the runtime sends on to catalog
    graph = _graph()
    for model, table in (("shop.orders.Order", "orders"), ("shop.catalog.Product", "products")):
        graph.node(model).attrs["framework"] = "django"
    graph.add_node(Node("shop.catalog.Line", NodeKind.MODEL, None, None, (), {"table": "lines", "framework": "django"}))
    graph.add_node(Node("table:lines", NodeKind.TABLE))
    graph.add_edge(Edge("shop.catalog.Line", "table:lines", EdgeKind.REFERENCES, 1, (), {"maps_to": True}))
    graph.add_edge(Edge("shop.catalog.Line", "shop.orders.Order", EdgeKind.FOREIGN_KEY, 1, (), {"column": "order_id", "references": "orders.id"}))
    graph.add_edge(Edge("shop.mail.send", "shop.orders.Order", EdgeKind.WRITES))
    replicas = _replicas(graph)
    assert {"orders", "lines"} <= set(replicas["mail"])
    assert "lines" in replicas["orders"]  # deleting one of its own orders, the collector reads catalog's lines too
    assert "lines" not in replicas["catalog"] and "orders" not in replicas["catalog"]  # catalog writes neither


def test_a_one_to_one_to_the_frameworks_user_is_read_in_every_service() -> None:
    # Django's User (outside the analysed code, in every service's database) reaches the profile
    # through its reverse accessor (``user.profile``) in any view or template, and its methods with
    # it (``user.profile.get_following``)
    graph = _graph()
    graph.node("shop.mail.Outbox").attrs["one_to_one_outside"] = ["user"]
    graph.add_node(Node("shop.mail.Outbox.recent_orders", NodeKind.FUNCTION, "shop/mail.py", 70))
    graph.add_edge(Edge("shop.mail.Outbox.recent_orders", "shop.orders.Order", EdgeKind.READS))
    replicas = _replicas(graph)
    assert "outbox" in replicas["orders"] and "outbox" in replicas["catalog"] and "outbox" not in replicas["mail"]
    assert "orders" in replicas["catalog"]


def _users_table(graph, referenced_by: list[str]) -> None:
    """Django's own auth_user, as the data analyzer gives it (no model of the code maps it)."""
    graph.add_node(Node("table:auth_user", NodeKind.TABLE, "shop/mail.py", 1, (), {"models": [], "framework": "django", "framework_user": True,
                                                                                   "referenced_by": referenced_by}))


@pytest.mark.parametrize(("writes", "owner"), [(True, "mail"), (False, "orders")])
def test_djangos_users_table_goes_to_the_service_writing_users_else_the_one_pointing_at_them_most(writes: bool, owner: str) -> None:
    # every other service keeps a read model of it (each request's user is read from it) and sends its writes to the owner
    graph = _graph()
    _users_table(graph, ["shop.orders.Order", "shop.orders.Order", "shop.catalog.Product"])
    if writes:
        graph.add_edge(Edge("shop.mail.send", "table:auth_user", EdgeKind.WRITES, 1, ("shop/mail.py:9",)))
    plan = build_service_plan(graph, DECOMPOSITION, build_plan(graph, DECOMPOSITION), system="shop")
    holders = {s.name: ("auth_user" in s.tables, "auth_user" in s.replicas) for s in plan.services}
    assert holders == {name: (name == owner, name != owner) for name in holders}
