"""The HTML report, rendered from small hand-built model objects: one self-contained file that
names no address, escapes every name from the monolith, and gives the same bytes for the same
input."""

from __future__ import annotations

import hashlib
import json
import re
from html.parser import HTMLParser
from importlib import resources

import pytest

from migrator.model.decomposition import Decomposition, Service
from migrator.model.facts import Edge, EdgeKind, Node, NodeKind
from migrator.model.graph import DependencyGraph
from migrator.model.plan import Crossing, DataIssue, MigrationPlan, ServiceScope, Transaction, Violation, Wave
from migrator.model.summary import AnalysisSummary, SkippedFile
from migrator.reporting.html import render_report
from migrator.reporting.html.page import inline_script, script_json, vendor_manifest

EVIL_MODULE = 'shop.evil</script><img src=x onerror="alert(1)">'
EVIL_SERVICE = "<script>alert('svc')</script>"
EVIL_REASON = "ties to </script><!-- & \u2028 <b>bold</b>"

NODES = [
    ("shop", NodeKind.PACKAGE),
    ("shop.orders", NodeKind.MODULE),
    ("shop.orders.place", NodeKind.FUNCTION),
    ("shop.orders.Order", NodeKind.MODEL),
    ("shop.billing", NodeKind.MODULE),
    ("shop.billing.charge", NodeKind.FUNCTION),
    ("shop.utils", NodeKind.MODULE),
    (EVIL_MODULE, NodeKind.MODULE),
    ("shop.settings", NodeKind.MODULE),
    ("route:POST /orders", NodeKind.ROUTE),
    ("table:orders", NodeKind.TABLE),
    ("event:order_placed", NodeKind.EVENT),
]
EDGES = [
    Edge("route:POST /orders", "shop.orders.place", EdgeKind.HANDLES),
    Edge("shop.orders.place", "shop.billing.charge", EdgeKind.CALLS, 3, ("shop/orders.py:12",)),
    Edge("shop.orders", "shop.billing", EdgeKind.IMPORTS),
    Edge("shop.orders", "shop.utils", EdgeKind.IMPORTS),
    Edge("shop.billing", "shop.utils", EdgeKind.IMPORTS, 2),
    Edge(EVIL_MODULE, "shop.orders", EdgeKind.REFERENCES),
    Edge("shop.orders.Order", "table:orders", EdgeKind.REFERENCES),
    Edge("shop.orders.place", "table:orders", EdgeKind.WRITES),
    Edge("shop.orders.place", "event:order_placed", EdgeKind.PUBLISHES),
    Edge("event:order_placed", "shop.billing.charge", EdgeKind.SUBSCRIBES),
    Edge("shop.billing", "shop.orders", EdgeKind.CO_CHANGES, 5),
]


def make_graph(order: int = 1) -> DependencyGraph:
    graph = DependencyGraph("/src/shop")
    nodes = NODES if order > 0 else list(reversed(NODES))
    edges = EDGES if order > 0 else list(reversed(EDGES))
    graph.add_all((Node(i, k, f"{i.split('.')[-1]}.py", 1) for i, k in nodes), edges)
    return graph


def make_decomposition() -> Decomposition:
    return Decomposition(
        services=(
            Service("orders", ("shop.orders",), {"shop.orders": ("ties to orders: 4.0 (calls 3.0)", EVIL_REASON)}),
            Service(EVIL_SERVICE, ("shop.billing", EVIL_MODULE), {"shop.billing": ("ties to billing: 2.0",)}),
        ),
        shared=Service("shared", ("shop.utils",), {"shop.utils": ("shared library: used by 2 of 2 groups",)}),
        infrastructure=("shop", "shop.settings"),
    )


def make_plan() -> MigrationPlan:
    return MigrationPlan(
        services=(
            ServiceScope("orders", ("shop.orders",), ("shop.orders.Order",), ("orders",), ("POST /orders",), ("event:order_placed",), (), ()),
            ServiceScope(EVIL_SERVICE, ("shop.billing",), (), (), (), (), ("event:order_placed",), ()),
        ),
        shared=("shop.utils",),
        infrastructure=("shop", "shop.settings"),
        crossings=(Crossing("rest", "call", "shop.orders.place", "shop.billing.charge", "orders", EVIL_SERVICE, ("shop/orders.py:12",), "result used"),),
        data=(DataIssue("api_or_read_model", "orders", "orders", (EVIL_SERVICE,), ((EVIL_MODULE, "shop.orders.Order"),), ("read through an API",)),),
        transactions=(Transaction("shop.orders.place", ("orders", EVIL_SERVICE), ("orders", "payments"), ("shop.orders.place", "shop.billing.charge")),),
        waves=(Wave(1, ("orders",), 2, 3, ("first wave reason",), ("POST /orders",)), Wave(2, (EVIL_SERVICE,), 1, 1, ("second",), ())),
        violations=(Violation(EVIL_MODULE, "shop.orders", "orders", ("evil.py:1",)),),
        couplings=(),
        importlinter="[importlinter]\nroot_packages = shop\n",
        tach="",
    )


EVALUATION = {"services": 2, "units": 6, "assigned_share": 0.5, "scores": {"sm": 0.25, "icp": 0.1, "mq": 1.5, "mojofm": 80.0, "bcp": None}}
BASELINE = {"services": 3, "units": 6, "assigned_share": 0.6, "scores": {"sm": 0.1, "icp": 0.3, "mq": 1.8, "mojofm": float("nan")}}
SUMMARY = AnalysisSummary(
    root="/src/shop", files=7, lines=321, reused=0, roots=("shop",),
    nodes={"module": 5, "package": 1, "function": 2, "model": 1, "route": 1, "table": 1, "event": 1},
    edges={"calls": 1, "imports": 3}, routes=("POST /orders",), models=("shop.orders.Order",), events=("order_placed",), tasks=(),
    skipped=(SkippedFile("shop/broken.py", "syntax error: invalid syntax", 3), SkippedFile("shop/<weird>.py", "not UTF-8")),
    notes=("git history not found",),
)


def render(**overrides) -> str:
    arguments = {"graph": make_graph(), "decomposition": make_decomposition(), "plan": make_plan(),
                 "evaluation": EVALUATION, "baseline": BASELINE, "summary": SUMMARY}
    arguments.update(overrides)
    return render_report(**arguments)


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text of each script element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._in_script: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = dict(attrs)
            self.scripts.append((self._in_script, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = None

    def handle_data(self, data: str) -> None:
        if self._in_script is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)


def parse(html: str) -> Tags:
    tags = Tags()
    tags.feed(html)
    tags.close()
    return tags


def embedded_data(html: str) -> dict:
    for attrs, text in parse(html).scripts:
        if attrs.get("id") == "report-data":
            return json.loads(text)
    raise AssertionError("no report-data script")


@pytest.fixture(scope="module")
def page() -> str:
    return render()


# -- one file, no address ---------------------------------------------------------------------


def test_one_html_document(page: str) -> None:
    assert page.startswith("<!DOCTYPE html>")
    assert page.count("<html") == 1 and page.rstrip().endswith("</html>")
    tags = [tag for tag, _ in parse(page).tags]
    assert tags.count("body") == 1 and tags.count("head") == 1


def test_names_no_address_at_all(page: str) -> None:
    lowered = page.lower()
    for marker in ("http://", "https://", "//cdn", "ftp://"):
        assert marker not in lowered, marker
    assert not re.search(r"\bwww\.", lowered)
    style = page.split("<style>", 1)[1].split("</style>", 1)[0]
    assert "url(" not in style and "@import" not in style and "@font-face" not in style


def test_no_tag_loads_anything(page: str) -> None:
    for tag, attrs in parse(page).tags:
        assert tag not in ("link", "img", "iframe", "object", "embed", "base", "source", "video", "audio"), tag
        assert "src" not in attrs, (tag, attrs)
        for name in ("href", "action", "srcset", "poster", "data"):
            value = attrs.get(name)
            assert value is None or value.startswith("#"), (tag, name, value)


def test_every_script_and_style_is_inline(page: str) -> None:
    scripts = parse(page).scripts
    assert len(scripts) == 3  # the data, the vendored libraries, the view
    assert all("src" not in attrs for attrs, _ in scripts)
    assert "cytoscape" in scripts[1][1] and "cytoscapeFcose" in scripts[1][1]
    assert "__migratorReport" in scripts[2][1]


def test_content_security_policy_forbids_requests(page: str) -> None:
    policy = next(attrs["content"] for tag, attrs in parse(page).tags if tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy")
    assert policy is not None and "default-src 'none'" in policy
    assert "connect-src" not in policy and "http" not in policy


# -- names from the monolith are data, never markup -------------------------------------------


def test_names_cannot_break_out_of_markup_or_script(page: str) -> None:
    assert "<img" not in page
    assert "<script>alert" not in page
    assert "<b>bold</b>" not in page
    assert "\u2028" not in page
    tags = [tag for tag, _ in parse(page).tags]
    assert tags.count("script") == 3


def test_names_are_shown_escaped_in_tables(page: str) -> None:
    assert "&lt;script&gt;alert(&#39;svc&#39;)&lt;/script&gt;" in page
    assert "shop/&lt;weird&gt;.py" in page


def test_embedded_data_round_trips_the_names(page: str) -> None:
    data = embedded_data(page)
    assert EVIL_MODULE in [u["name"] for u in data["units"]]
    assert EVIL_SERVICE in [g["name"] for g in data["groups"]]
    orders = next(u for u in data["units"] if u["name"] == "shop.orders")
    assert orders["reasons"] == ["ties to orders: 4.0 (calls 3.0)", EVIL_REASON]


def test_script_json_escapes_what_could_end_a_script() -> None:
    text = str(script_json({"a": "</script><!-- & \u2028\u2029 >"}))
    assert not set(text) & {"<", ">", "&", "\u2028", "\u2029"}
    assert json.loads(text) == {"a": "</script><!-- & \u2028\u2029 >"}


def test_inline_script_cannot_close_its_element() -> None:
    text = str(inline_script('var a = "</SCRIPT>"; /* see http://example.org */ b = "<!--";'))
    assert "</script" not in text.lower() and "<!--" not in text and "http://" not in text


# -- what the page shows ----------------------------------------------------------------------


def test_groups_services_then_shared_then_infrastructure(page: str) -> None:
    data = embedded_data(page)
    assert [(g["name"], g["role"]) for g in data["groups"]] == [
        (EVIL_SERVICE, "service"), ("orders", "service"), ("shared", "shared"), ("infrastructure", "infrastructure"),
    ]
    by_group = {g["name"]: sorted(u["name"] for u in data["units"] if data["groups"][u["group"]]["name"] == g["name"]) for g in data["groups"]}
    assert by_group == {
        EVIL_SERVICE: sorted(["shop.billing", EVIL_MODULE]),
        "orders": ["shop.orders"],
        "shared": ["shop.utils"],
        "infrastructure": ["shop", "shop.settings"],
    }


def test_module_edges_are_lifted_and_summed_by_kind(page: str) -> None:
    data = embedded_data(page)
    name = [u["name"] for u in data["units"]]
    edges = {(name[a], name[b], data["kinds"][k]): w for a, b, k, w in data["edges"]}
    assert edges[("shop.orders", "shop.billing", "calls")] == 3
    assert edges[("shop.orders", "shop.billing", "imports")] == 1
    assert edges[("shop.billing", "shop.utils", "imports")] == 2
    assert edges[("shop.billing", "shop.orders", "co_changes")] == 5
    # an event ties its publisher to its receiver
    assert edges[("shop.orders", "shop.billing", "events")] == 1


def test_units_and_services_carry_what_they_hold(page: str) -> None:
    data = embedded_data(page)
    orders_unit = next(u for u in data["units"] if u["name"] == "shop.orders")
    assert orders_unit["routes"] == ["POST /orders"]
    assert orders_unit["models"] == ["shop.orders.Order"]
    assert orders_unit["tables"] == ["orders"]
    assert orders_unit["publishes"] == ["order_placed"]
    orders_service = next(g for g in data["groups"] if g["name"] == "orders")
    assert orders_service["routes"] == ["POST /orders"] and orders_service["tables"] == ["orders"]


def test_overview_counts_and_scores_beside_the_baseline(page: str) -> None:
    assert re.search(r'<div class="value">321</div><div class="label">lines</div>', page)
    assert re.search(r'<div class="value">6</div><div class="label">modules</div>', page)
    assert re.search(r'<div class="value">2</div><div class="label">services</div>', page)
    row = re.search(r"<tr><td>Structural Modularity</td>(.*?)</tr>", page).group(1)
    assert '<td class="num win">0.250</td><td class="num">0.100</td>' in row
    row = re.search(r"<tr><td>Modularization Quality</td>(.*?)</tr>", page).group(1)
    assert '<td class="num">1.500</td><td class="num win">1.800</td>' in row
    row = re.search(r"<tr><td>MoJoFM vs truth</td>(.*?)</tr>", page).group(1)
    assert "80.0%" in row and "n/a" in row  # NaN is shown as missing, not as a number


def test_coupling_matrix_sums_crossings_without_co_change(page: str) -> None:
    matrix = page.split('id="matrix"', 1)[1].split("</section>", 1)[0]
    orders_row = re.search(r"orders</th>(.*?)</tr>", matrix, re.DOTALL).group(1)
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", orders_row)
    # columns: the evil service, orders, shared, infrastructure
    assert cells == ["5", "", "1", ""]


def test_plan_tables_and_skipped_files(page: str) -> None:
    plan = page.split('id="plan"', 1)[1].split("</section>", 1)[0]
    assert "first wave reason" in plan and "synchronous REST call" in plan and "saga or transactional outbox" in plan
    assert "read through an API" in plan and "root_packages = shop" in plan
    skipped = page.split('id="skipped"', 1)[1].split("</section>", 1)[0]
    assert "shop/broken.py:3" in skipped and "syntax error: invalid syntax" in skipped and "git history not found" in skipped


def test_sections_without_their_input_are_left_out() -> None:
    html = render(decomposition=None, plan=None, evaluation=None, baseline=None, summary=None)
    for section in ('id="matrix"', 'id="plan"', 'id="skipped"', "<h3>Scores</h3>"):
        assert section not in html
    data = embedded_data(html)
    assert {g["role"] for g in data["groups"]} == {"package"}
    # every module here sits in the package shop
    assert [g["name"] for g in data["groups"]] == ["shop"] and len(data["units"]) == 6


def test_units_the_decomposition_does_not_place_are_drawn_apart() -> None:
    decomposition = Decomposition(services=(Service("orders", ("shop.orders",)),))
    data = embedded_data(render(decomposition=decomposition, plan=None))
    unassigned = next(g for g in data["groups"] if g["role"] == "unassigned")
    assert sorted(u["name"] for u in data["units"] if data["groups"][u["group"]] is unassigned) == sorted(
        ["shop", "shop.billing", "shop.settings", "shop.utils", EVIL_MODULE]
    )


def test_an_empty_graph_renders() -> None:
    html = render_report(graph=DependencyGraph(), decomposition=None, plan=None, evaluation=None, baseline=None, summary=None)
    assert embedded_data(html)["units"] == []


# -- same input, same bytes ---------------------------------------------------------------------


def test_output_is_deterministic(page: str) -> None:
    assert render() == page
    assert render(graph=make_graph(order=-1)) == page


# -- the vendored libraries ---------------------------------------------------------------------


def test_vendored_files_match_their_manifest() -> None:
    folder = resources.files("migrator.reporting.html").joinpath("vendor")
    names = [p["name"] for p in vendor_manifest()]
    assert names == ["cytoscape", "layout-base", "cose-base", "cytoscape-fcose"]
    for package in vendor_manifest():
        assert package["license"] == "MIT"
        for file, digest in package["sha256"].items():
            assert hashlib.sha256(folder.joinpath(file).read_bytes()).hexdigest() == digest, f"{file} changed: re-run vendor/update.sh"


def test_licences_travel_with_the_page(page: str) -> None:
    footer = page.split("<footer>", 1)[1].split("</footer>", 1)[0]
    for package in vendor_manifest():
        assert f"{package['name']} {package['version']} (MIT)" in footer
    assert footer.count("Permission is hereby granted, free of charge") == 4


def test_without_services_units_are_grouped_by_package() -> None:
    graph = DependencyGraph("/src")
    for node_id, kind in [("app", NodeKind.PACKAGE), ("app.main", NodeKind.MODULE), ("app.orders", NodeKind.PACKAGE),
                          ("app.orders.services", NodeKind.MODULE), ("app.orders.api.v1", NodeKind.MODULE), ("tool", NodeKind.MODULE)]:
        graph.add_node(Node(node_id, kind))
    data = embedded_data(render_report(graph=graph, decomposition=None, plan=None, evaluation=None, baseline=None, summary=None))
    grouped = {g["name"]: [u["name"] for u in data["units"] if u["group"] == i] for i, g in enumerate(data["groups"])}
    assert grouped == {"app": ["app", "app.main"], "app.orders": ["app.orders", "app.orders.api.v1", "app.orders.services"], "tool": ["tool"]}
