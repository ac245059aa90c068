"""Each rule of what crosses between services, on a small graph: the plan's crossing, and the
clients, internal endpoints and channels of the ServicePlan built from the same classification."""

from __future__ import annotations

from dataclasses import replace

import pytest

from migrator.model.decomposition import Decomposition, Service
from migrator.model.facts import Edge, EdgeKind, Node, NodeKind
from migrator.model.graph import DependencyGraph
from migrator.model.plan import Crossing, MigrationPlan
from migrator.model.service_plan import ServicePlan
from migrator.planning.plan import build_plan
from migrator.planning.service_plan import build_service_plan
from tests.plan_agreement import disagreements

FUNCTIONS = (
    "shop.orders.place", "shop.orders.cancel", "shop.orders.view",
    "shop.billing.charge", "shop.billing.get_invoice", "shop.billing.audit", "shop.billing.on_placed", "shop.billing.invoice_page",
    "shop.billing.Invoice.total", "shop.texts.render", "shop.app.setup", "shop.app.login_required",
)
DECOMPOSITION = Decomposition(
    services=(Service("orders", ("shop.orders",)), Service("billing", ("shop.billing", "shop.texts"))), infrastructure=("shop.app",),
)


def _graph(*items: Edge | Node) -> DependencyGraph:
    """orders and billing each write their table; shop.texts is billing's, without data; shop.app
    is the platform code every service carries; ``items`` adds nodes and edges."""
    g = DependencyGraph("/shop")
    for module in ("shop.orders", "shop.billing", "shop.texts", "shop.app"):
        g.add_node(Node(module, NodeKind.MODULE, module.replace(".", "/") + ".py", 1))
    for i, name in enumerate(FUNCTIONS):
        g.add_node(Node(name, NodeKind.FUNCTION, "shop/x.py", 10 + i))
    g.add_node(Node("shop.billing.InvoiceDraft", NodeKind.CLASS, "shop/billing.py", 3))
    for model, table in (("shop.orders.Order", "orders"), ("shop.billing.Invoice", "invoices")):
        g.add_node(Node(model, NodeKind.MODEL, None, None, (), {"table": table}))
        g.add_node(Node(f"table:{table}", NodeKind.TABLE))
        g.add_edge(Edge(model, f"table:{table}", EdgeKind.REFERENCES, 1, (), {"maps_to": True}))
    g.add_node(Node("route:GET /orders", NodeKind.ROUTE, None, None, (), {"handler": "shop.orders.view"}))
    g.add_node(Node("route:GET /invoices", NodeKind.ROUTE, None, None, (), {"handler": "shop.billing.invoice_page"}))
    for node in items:
        if isinstance(node, Node):
            g.add_node(node)
    for edge in (
        Edge("route:GET /orders", "shop.orders.view", EdgeKind.HANDLES),
        Edge("route:GET /invoices", "shop.billing.invoice_page", EdgeKind.HANDLES),
        Edge("shop.orders.place", "shop.orders.Order", EdgeKind.WRITES),
        Edge("shop.billing.charge", "shop.billing.Invoice", EdgeKind.WRITES),
        *(edge for edge in items if isinstance(edge, Edge)),
    ):
        g.add_edge(edge)
    return g


def _call(source: str, target: str, *, unused: bool = False, **attrs: object) -> Edge:
    return Edge(source, target, EdgeKind.CALLS, 1, ("shop/x.py:1",), {"result_unused": unused, **attrs})


def _plans(*items: Edge | Node) -> tuple[MigrationPlan, ServicePlan]:
    graph = _graph(*items)
    plan = build_plan(graph, DECOMPOSITION)
    service_plan = build_service_plan(graph, DECOMPOSITION, plan, system="shop")
    assert disagreements(plan.crossings, service_plan) == []
    return plan, service_plan


def _crossing(plan: MigrationPlan, source: str, target: str) -> Crossing:
    (found,) = [c for c in plan.crossings if (c.source, c.target) == (source, target)]
    return found


def _clients(service_plan: ServicePlan, service: str) -> set[str]:
    return {c.function for c in service_plan.service(service).clients}


def test_a_call_whose_result_is_used_is_rest_with_a_client_and_an_internal_endpoint() -> None:
    # an awaited call is one too: the symbols analyzer marks ``await billing.charge(...)`` as used
    plan, code = _plans(_call("shop.orders.place", "shop.billing.charge"))
    crossing = _crossing(plan, "shop.orders.place", "shop.billing.charge")
    assert (crossing.treatment, crossing.generated, crossing.reason) == ("rest", "client", "")
    assert _clients(code, "orders") == {"shop.billing.charge"}
    assert [(e.function, e.callers) for e in code.service("billing").internal] == [("shop.billing.charge", ("orders",))]


def test_a_fire_and_forget_call_is_an_event_the_code_still_makes_through_a_client() -> None:
    plan, code = _plans(_call("shop.orders.cancel", "shop.billing.audit", unused=True))
    crossing = _crossing(plan, "shop.orders.cancel", "shop.billing.audit")
    assert (crossing.treatment, crossing.generated) == ("event", "client")
    assert crossing.reason.startswith("fire-and-forget: the generated code still calls it through its client")
    assert _clients(code, "orders") == {"shop.billing.audit"}


def test_a_dropped_result_of_a_check_stays_rest() -> None:
    plan, _ = _plans(_call("shop.orders.cancel", "shop.billing.get_invoice", unused=True))
    assert _crossing(plan, "shop.orders.cancel", "shop.billing.get_invoice").treatment == "rest"


@pytest.mark.parametrize(("target", "reason"), [
    ("shop.billing.InvoiceDraft", "a class: constructing a data object is not a call"),
    ("shop.billing.Invoice", "a model: building or querying it runs in the caller's process"),
])
def test_building_a_data_object_or_a_model_is_not_a_call(target: str, reason: str) -> None:
    plan, code = _plans(_call("shop.orders.place", target))
    crossing = _crossing(plan, "shop.orders.place", target)
    assert (crossing.treatment, crossing.generated) == ("in_process", "")
    assert crossing.reason.startswith(reason)
    assert _clients(code, "orders") == set() and code.service("billing").internal == ()


def test_a_function_of_a_module_without_data_runs_as_a_copy_and_what_it_calls_crosses() -> None:
    plan, code = _plans(_call("shop.orders.place", "shop.texts.render"), _call("shop.texts.render", "shop.billing.get_invoice"))
    copy = _crossing(plan, "shop.orders.place", "shop.texts.render")
    assert (copy.treatment, copy.generated) == ("in_process", "")
    assert copy.reason.startswith("shop.texts holds no data: the function runs in the caller's process as a copy")
    through = _crossing(plan, "shop.texts.render", "shop.billing.get_invoice")
    assert (through.source_service, through.target_service, through.treatment, through.generated) == ("orders", "billing", "rest", "client")
    assert _clients(code, "orders") == {"shop.billing.get_invoice"}


def test_a_method_runs_with_its_class() -> None:
    plan, code = _plans(_call("shop.orders.place", "shop.billing.Invoice.total"))
    crossing = _crossing(plan, "shop.orders.place", "shop.billing.Invoice.total")
    assert crossing.treatment == "in_process" and crossing.reason.startswith("a method of Invoice: runs in the caller's process with its class")
    assert _clients(code, "orders") == set()


def test_a_callee_moved_to_the_shared_library_is_said_so() -> None:
    # shop.texts holds no data and orders imports it: it joins the shared library
    imports = Edge("shop.orders", "shop.texts", EdgeKind.IMPORTS, 1, ("shop/orders.py:1",))
    plan, code = _plans(imports, _call("shop.orders.place", "shop.texts.render"))
    assert code.shared_modules == ("shop.texts",)
    crossing = _crossing(plan, "shop.orders.place", "shop.texts.render")
    assert (crossing.source_service, crossing.target_service, crossing.treatment) == ("orders", "billing", "in_process")
    assert crossing.reason.startswith("the callee moved to the shared library: shop.texts holds no data, routes or handlers")


def test_a_module_that_imports_its_services_code_is_not_shared() -> None:
    # as a blueprint package's __init__ that imports its views: shared, it would import billing back
    uses = Edge("shop.orders", "shop.texts", EdgeKind.IMPORTS, 1, ("shop/orders.py:1",))
    back = Edge("shop.texts", "shop.billing", EdgeKind.IMPORTS, 1, ("shop/texts.py:1",))
    plan, code = _plans(uses, back, _call("shop.orders.place", "shop.texts.render"))
    assert code.shared_modules == ()
    assert "shop.texts" in code.service("billing").modules
    crossing = _crossing(plan, "shop.orders.place", "shop.texts.render")
    assert crossing.treatment == "in_process" and "shop.texts holds no data" in crossing.reason
    assert "not shared: shop.texts imports shop.billing, which billing holds" in crossing.reason


def test_an_import_inside_a_function_does_not_keep_a_module_out_of_the_shared_library() -> None:
    uses = Edge("shop.orders", "shop.texts", EdgeKind.IMPORTS, 1, ("shop/orders.py:1",))
    lazy = Edge("shop.texts", "shop.billing", EdgeKind.IMPORTS, 1, ("shop/texts.py:9",), {"in_function": True})
    _, code = _plans(uses, lazy, _call("shop.orders.place", "shop.texts.render"))
    assert code.shared_modules == ("shop.texts",)


def test_a_shared_unit_that_reaches_a_service_through_other_modules_is_a_copy_in_every_service_with_the_reason() -> None:
    util = Node("shop.util", NodeKind.MODULE, "shop/util.py", 1)
    helper = Node("shop.util.fmt", NodeKind.FUNCTION, "shop/util.py", 2)
    chain = (Edge("shop.util", "shop.app", EdgeKind.IMPORTS, 1, ("shop/util.py:1",)),
             Edge("shop.app", "shop.billing", EdgeKind.IMPORTS, 1, ("shop/app.py:1",)))
    decomposition = replace(DECOMPOSITION, shared=Service("shared", ("shop.util",)))
    graph = _graph(util, helper, *chain, _call("shop.util.fmt", "shop.orders.cancel"))
    plan = build_plan(graph, decomposition)
    code = build_service_plan(graph, decomposition, plan, system="shop")
    assert code.shared_modules == ()
    assert disagreements(plan.crossings, code) == []
    crossing = _crossing(plan, "shop.util.fmt", "shop.orders.cancel")
    assert crossing.source_service == "shared"  # every service carries it: each but the owner calls through a client
    assert _clients(code, "billing") == {"shop.orders.cancel"}


def test_what_infrastructure_calls_is_called_from_every_service_but_the_owner() -> None:
    plan, code = _plans(_call("shop.app.setup", "shop.billing.charge"))
    crossing = _crossing(plan, "shop.app.setup", "shop.billing.charge")
    assert (crossing.source_service, crossing.treatment, crossing.generated) == ("infrastructure", "rest", "client")
    assert _clients(code, "orders") == _clients(code, "monolith") == {"shop.billing.charge"} and _clients(code, "billing") == set()
    assert [e.callers for e in code.service("billing").internal] == [("monolith", "orders")]


def test_a_route_handler_passed_by_reference_is_served_by_its_owner() -> None:
    # a URLconf of the platform names billing's view: the gateway sends its requests to billing
    url = Edge("shop.app.setup", "shop.billing.invoice_page", EdgeKind.REFERENCES, 1, ("shop/app.py:3",))
    plan, code = _plans(url)
    assert [c for c in plan.crossings if c.target == "shop.billing.invoice_page"] == []
    assert all(s.clients == () for s in code.services)


def test_a_decorator_runs_where_it_decorates() -> None:
    decorator = Edge("shop.orders.view", "shop.billing.get_invoice", EdgeKind.REFERENCES, 1, ("shop/orders.py:4",), {"decorator": True})
    plan, code = _plans(decorator)
    crossing = _crossing(plan, "shop.orders.view", "shop.billing.get_invoice")
    assert crossing.treatment == "in_process" and crossing.reason.startswith("a decorator")
    assert _clients(code, "orders") == set()


def _published(kind: NodeKind, node_id: str, framework: str) -> tuple[Node, Edge, Edge]:
    """orders.place publishes an event (or sends a task) that billing.on_placed receives."""
    receives = EdgeKind.HANDLES if kind is NodeKind.TASK else EdgeKind.SUBSCRIBES
    return (Node(node_id, kind, None, None, (), {"framework": framework}),
            Edge("shop.orders.place", node_id, EdgeKind.PUBLISHES, 1, ("shop/orders.py:7",)), Edge(node_id, "shop.billing.on_placed", receives))


def test_an_event_with_a_handler_in_another_service_gets_a_channel() -> None:
    plan, code = _plans(*_published(NodeKind.EVENT, "event:order.placed", "dispatcher"))
    crossing = _crossing(plan, "shop.orders.place", "shop.billing.on_placed")
    assert (crossing.treatment, crossing.via, crossing.generated, crossing.event) == ("event", "event", "channel", "order.placed")
    assert [(c.name, c.publishers, c.handlers) for c in code.channels] == [("order.placed", ("orders",), (("billing", "shop.billing.on_placed"),))]


def test_a_task_stays_on_the_monolith_queue() -> None:
    plan, code = _plans(*_published(NodeKind.TASK, "task:shop.billing.on_placed", "celery"))
    crossing = _crossing(plan, "shop.orders.place", "shop.billing.on_placed")
    assert (crossing.treatment, crossing.via, crossing.generated) == ("event", "task", "")
    assert crossing.reason.startswith("a task: it stays on the monolith's own task queue")
    assert code.channels == ()


def test_disagreements_are_found() -> None:
    plan, code = _plans(_call("shop.orders.place", "shop.billing.charge"))
    (crossing,) = [c for c in plan.crossings if c.generated == "client"]
    unexplained = Crossing("rest", "call", "shop.orders.cancel", "shop.billing.audit", "orders", "billing")
    assert disagreements([crossing, unexplained], code) == [
        "rest orders -> billing shop.orders.cancel -> shop.billing.audit: a REST call without a client, and no reason",
    ]
    assert disagreements([], code) == ["orders has a client for shop.billing.charge that no crossing names"]
