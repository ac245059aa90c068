"""The sample monolith's report in a real browser: the system Chromium, driven by Playwright,
opens it from a file:// URL. It must open on the services with labels large enough to read,
show a service's modules when asked, make no request at all, log no error, and answer clicks
and searches. A synthetic monolith of 1,000 modules in 11 services (the size of saleor) must
open as readably, on a few dozen elements."""

from __future__ import annotations

import importlib.util
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from migrator.boundaries.evaluation import evaluate
from migrator.boundaries.propose import ProposeSettings, propose
from migrator.engine.run import analyze_tree
from migrator.model.decomposition import Decomposition
from migrator.pipeline import summarize
from migrator.planning.plan import build_plan
from migrator.reporting.html import render_report

playwright_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright (the browser is the system Chromium)")

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "sample_monolith"
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO / "test-artifacts"
READABLE_PX = 11
"""The smallest label on the first view, in screen pixels."""

# Chromium comes from Debian (scripts/setup.sh --tests installs it): its absence is a failure, not a skip


def wait_until(page: Any, expression: str, timeout: float = 30.0) -> Any:
    """Poll ``expression`` through page.evaluate. The report's Content-Security-Policy forbids
    the eval that Playwright's wait_for_function runs inside the page."""
    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(expression)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{expression} still false after {timeout:.0f} s")
        time.sleep(0.02)


@pytest.fixture(scope="module")
def decomposition_and_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Decomposition, Path]:
    analysis = analyze_tree(SAMPLE)
    graph = analysis.graph
    decomposition = propose(graph, ProposeSettings(services=10))
    truth = json.loads((SAMPLE / "expected_boundaries.json").read_text(encoding="utf-8"))
    html = render_report(
        graph=graph,
        decomposition=decomposition,
        plan=build_plan(graph, decomposition),
        evaluation=evaluate(graph, decomposition, truth).to_dict(),
        baseline=None,
        summary=summarize(analysis),
    )
    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(html, encoding="utf-8")
    return decomposition, path


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        )
        yield launched
        launched.close()


def open_report(browser: Any, path: Path) -> dict[str, Any]:
    """The report opened in a new page; every request and console message it causes is recorded."""
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    seen: dict[str, Any] = {"requests": [], "errors": [], "page": page, "url": path.as_uri()}
    page.on("request", lambda request: seen["requests"].append(request.url))
    page.on("console", lambda message: seen["errors"].append(message.text) if message.type in ("error", "warning") else None)
    page.on("pageerror", lambda error: seen["errors"].append(str(error)))
    page.goto(path.as_uri())
    wait_until(page, "window.__migratorReport && window.__migratorReport.ready")
    page.locator("#boundaries").scroll_into_view_if_needed()
    return seen


@pytest.fixture(scope="module")
def loaded(browser: Any, decomposition_and_report: tuple[Decomposition, Path]) -> Iterator[dict[str, Any]]:
    """The sample's report, opened once for the tests of this module."""
    seen = open_report(browser, decomposition_and_report[1])
    yield seen
    seen["page"].close()


@pytest.fixture
def page(loaded: dict[str, Any]) -> Any:
    """The sample's report as it opens: no search, nothing selected, every service closed."""
    page = loaded["page"]
    page.fill("#search", "")
    wait_until(page, "document.getElementById('search-count').textContent === ''", timeout=5)
    if page.is_enabled("#collapse-all"):
        page.click("#collapse-all")
    page.evaluate("() => { cy.elements().unselect(); cy.elements().removeClass('faded focus match holds-match'); }")
    return page


def visible_labels(page: Any) -> list[dict[str, Any]]:
    """Every label drawn on the canvas: its text, its font size on screen (the style's size in
    model units times the zoom) and the height of its rendered box."""
    return page.evaluate(
        """() => cy.nodes(':visible').filter(n => n.style('label')).map(n => ({
                 id: n.id(), text: n.style('label'), px: parseFloat(n.style('font-size')) * cy.zoom(),
                 height: n.renderedBoundingBox({includeLabels: true, includeNodes: false, includeEdges: false}).h}))"""
    )


def drawn(page: Any) -> dict[str, int]:
    return page.evaluate(
        """() => ({nodes: cy.nodes(':visible').length, edges: cy.edges(':visible').length,
                  units: cy.nodes('.unit:visible').length, unitElements: cy.nodes('.unit').length})"""
    )


def badge_of(page: Any, service: str) -> str:
    return page.evaluate("name => cy.nodes('.badge').filter(n => n.data('label').split('\\n')[0] === name)[0].id()", service)


def box_of(page: Any, badge: str) -> str:
    """The id of the box behind a service's badge, which a click on either selects."""
    return page.evaluate("id => 'g' + cy.getElementById(id).data('index')", badge)


def node_point(page: Any, node_id: str) -> tuple[float, float]:
    """Where the node is on the page, once centred in the canvas.

    Cytoscape keeps the canvas's place on the page in a cache that a ``scroll`` event empties.
    That event comes a frame after the scroll, so a click sent at once, on a slow machine,
    would be read against the place before the scroll. The canvas is brought into view, two
    frames are let pass, and ``cy.resize()`` empties the cache before the click."""
    page.locator("#cy").scroll_into_view_if_needed()
    next_frames(page)
    page.evaluate("id => { cy.resize(); cy.center(cy.getElementById(id)); }", node_id)
    point = page.evaluate(
        """id => { const p = cy.getElementById(id).renderedPosition();
                   const box = document.getElementById('cy').getBoundingClientRect();
                   return {x: box.left + p.x, y: box.top + p.y, width: innerWidth, height: innerHeight}; }""",
        node_id,
    )
    assert 0 <= point["x"] < point["width"] and 0 <= point["y"] < point["height"], f"{node_id} is off the screen: {point}"
    return point["x"], point["y"]


def click_node(page: Any, node_id: str, selects: str | None = None) -> None:
    """A real mouse click at the node's place on the canvas, which must select ``selects``
    (the node itself unless given: a service's badge selects its service's box)."""
    page.mouse.click(*node_point(page, node_id))
    wait_until(page, f"window.__migratorReport.selected === {json.dumps(selects or node_id)}", timeout=10)


def open_service(page: Any, service: str) -> None:
    """A real double click on the service's card, which opens it."""
    opened = page.evaluate("window.__migratorReport.open")
    page.mouse.dblclick(*node_point(page, badge_of(page, service)))
    wait_until(page, f"window.__migratorReport.open === {opened + 1}", timeout=10)
    next_frames(page)


def next_frames(page: Any) -> None:
    """Two frames let pass: Cytoscape brings what ``:visible`` reads up to date as it draws."""
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")


def test_makes_no_request_and_logs_no_error(loaded: dict[str, Any]) -> None:
    assert loaded["requests"] == [loaded["url"]]
    assert loaded["errors"] == []


def module_count(decomposition: Decomposition) -> int:
    modules = sum(len(s.units) for s in decomposition.services) + len(decomposition.shared.units if decomposition.shared else ())
    return modules + len(decomposition.infrastructure)


def test_opens_on_the_services_with_readable_labels(loaded: dict[str, Any], decomposition_and_report: tuple[Decomposition, Path]) -> None:
    decomposition, _ = decomposition_and_report
    page = loaded["page"]
    state = page.evaluate("({...window.__migratorReport})")
    assert state["serviceNodes"] == len(decomposition.services) == 10
    assert state["moduleNodes"] == module_count(decomposition)
    assert state["groupNodes"] == 12  # with the shared library and infrastructure
    assert state["open"] == 0 and state["layoutMs"] < 3000
    # a card (box and badge) per group and the ties between them, no module yet
    first = drawn(page)
    assert first["nodes"] == 2 * 12 and first["units"] == 0
    assert 0 < first["edges"] <= 12 * 11
    labels = visible_labels(page)
    names = sorted(label["text"].split("\n")[0] for label in labels)
    assert names == sorted([s.name for s in decomposition.services] + ["shared", "infrastructure"])
    assert all(label["text"].endswith(" modules") for label in labels)  # each card says how big it is
    small = [label for label in labels if label["px"] < READABLE_PX or label["height"] < READABLE_PX]
    assert not small, f"labels under {READABLE_PX} px at zoom {page.evaluate('cy.zoom()'):.2f}: {small}"


def test_expanding_a_service_shows_its_modules(page: Any, decomposition_and_report: tuple[Decomposition, Path]) -> None:
    decomposition, _ = decomposition_and_report
    orders = next(s for s in decomposition.services if s.name == "orders")
    open_service(page, "orders")
    shown = sorted(page.evaluate("cy.nodes('.unit:visible').map(n => n.data('label'))"))
    assert shown == sorted(u.replace("sample_monolith.", "") for u in orders.units)
    small = [label for label in visible_labels(page) if label["px"] < 10]
    assert not small, f"labels under 10 px once orders is open: {small}"
    # its panel closes it again
    badge = badge_of(page, "orders")
    click_node(page, badge, selects=box_of(page, badge))
    page.click("#panel button.toggle-group")
    wait_until(page, "window.__migratorReport.open === 0 && cy.nodes('.unit:visible').length === 0", timeout=5)
    assert page.inner_text("#panel button.toggle-group") == f"Show its {len(orders.units)} modules"
    # and a button opens every service
    page.click("#expand-all")
    wait_until(page, f"cy.nodes('.unit:visible').length === {module_count(decomposition)}", timeout=10)
    assert page.evaluate("window.__migratorReport.open") == 12
    page.click("#collapse-all")
    wait_until(page, "cy.nodes('.unit:visible').length === 0", timeout=10)


def test_clicking_a_module_shows_why_it_is_there(page: Any, decomposition_and_report: tuple[Decomposition, Path]) -> None:
    decomposition, _ = decomposition_and_report
    service = next(s for s in decomposition.services if s.name == "orders")
    module = next(u for u in service.units if service.reasons.get(u))
    open_service(page, "orders")
    node_id = page.evaluate("name => cy.nodes('.unit').filter(n => n.data('label') === name.replace('sample_monolith.', ''))[0].id()", module)
    click_node(page, node_id)
    panel = page.inner_text("#panel")
    assert module in panel
    assert service.reasons[module][0] in panel
    assert "Depends on" in panel and "Used by" in panel
    assert page.evaluate("window.__migratorReport.selected") == node_id


def test_clicking_a_module_in_the_panel_opens_its_service(page: Any) -> None:
    page.click("#legend button:has-text('payments')")
    page.click("#panel li a >> text=payments.models")
    wait_until(page, "cy.nodes('.unit:selected').length === 1", timeout=5)
    assert page.inner_text("#panel").startswith("sample_monolith.payments.models")
    assert page.evaluate("cy.nodes('.unit:selected')[0].visible()")


def test_clicking_a_service_card_shows_its_dependencies(page: Any) -> None:
    badge = badge_of(page, "orders")
    box = box_of(page, badge)
    click_node(page, badge, selects=box)
    panel = page.inner_text("#panel")
    assert panel.startswith("orders")
    assert "Outbound: depends on" in panel and "Inbound: used by" in panel
    assert "sample_monolith.orders.models.Order" in panel  # its models


def test_search_highlights_and_zooms(page: Any) -> None:
    page.click("#fit")
    before = page.evaluate("cy.zoom()")
    page.fill("#search", "payments.")
    wait_until(page, "document.getElementById('search-count').textContent !== ''")
    assert page.inner_text("#search-count") == "5 matches"
    # the service holding them opens while the search lasts
    matched = page.evaluate("cy.nodes('.match:visible').map(n => n.data('label')).sort()")
    assert matched == ["payments.models", "payments.provider", "payments.routes", "payments.schemas", "payments.services"]
    assert page.evaluate("cy.nodes('.unit.faded').length") > 0
    assert page.evaluate("cy.zoom()") > before
    # a service's name matches its badge, and its whole box stays lit
    page.fill("#search", "inventory")
    wait_until(page, "cy.nodes('.badge.match').length === 1")
    inventory = page.evaluate("cy.nodes('.badge.match')[0].data('index')")
    assert page.evaluate(f"cy.getElementById('g{inventory}').hasClass('faded')") is False
    page.press("#search", "Enter")
    assert page.inner_text("#panel").startswith("inventory")
    page.fill("#search", "")
    wait_until(page, "cy.nodes('.match').length === 0 && cy.nodes('.faded').length === 0")
    wait_until(page, "cy.nodes('.unit:visible').length === 0", timeout=5)  # the service it opened closes again


def test_edge_kind_checkboxes_filter_the_lines(page: Any) -> None:
    page.click("#expand-all")
    page.check("#show-across-edges")
    visible = page.evaluate("cy.edges(':visible').length")
    assert visible > 0
    boxes = page.locator("#kinds input")
    for i in range(boxes.count()):
        boxes.nth(i).uncheck()
    wait_until(page, "cy.edges(':visible').length === 0", timeout=5)
    page.check("#kinds input[data-kind=calls]")
    calls_only = wait_until(page, "cy.edges(':visible').length", timeout=5)
    assert 0 < calls_only < visible
    assert page.evaluate("cy.edges(':visible').every(e => e.data('w') > 0)")
    for i in range(boxes.count()):
        boxes.nth(i).check()
    page.uncheck("#show-across-edges")


def test_the_boundaries_link_shows_its_heading_below_the_sticky_header(page: Any) -> None:
    page.evaluate("() => window.scrollTo(0, 0)")
    page.click("header.top a[href='#boundaries']")
    wait_until(page, "location.hash === '#boundaries'", timeout=5)
    next_frames(page)
    header, heading = page.evaluate(
        """() => [document.querySelector('header.top').getBoundingClientRect().bottom,
                  document.querySelector('#boundaries h2').getBoundingClientRect().top]"""
    )
    assert header <= heading < header + 40


def test_screenshot(page: Any, loaded: dict[str, Any]) -> None:
    """The picture in docs/images/report-sample.png: the services, orders open and selected,
    nothing faded."""
    page.select_option("#layout", "map")
    open_service(page, "orders")
    page.click("#legend button:has-text('orders')")
    page.evaluate("() => { cy.elements().removeClass('faded focus match'); }")
    page.click("#fit")
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / "report-sample.png"
    page.locator("#boundaries").screenshot(path=str(target))
    assert target.stat().st_size > 10_000
    assert loaded["errors"] == []


@pytest.fixture(scope="module")
def large_report(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The report of a synthetic monolith the size of saleor: 1,000 modules, 11 services of 91
    (and one of 65), a shared library and infrastructure, about 13,400 dependencies by kind,
    built by the report benchmark's generator."""
    spec = importlib.util.spec_from_file_location("report_layout", REPO / "benchmarks" / "report_layout.py")
    benchmark = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(benchmark)
    graph, decomposition = benchmark.synthetic(1000, per_service=91, fan_out=6, seed=1)
    html = render_report(graph=graph, decomposition=decomposition, plan=None, evaluation=None, baseline=None, summary=None)
    path = tmp_path_factory.mktemp("large") / "report.html"
    path.write_text(html, encoding="utf-8")
    seen = open_report(browser, path)
    yield seen
    seen["page"].close()


def test_a_large_monolith_opens_readable_on_its_services(large_report: dict[str, Any]) -> None:
    page = large_report["page"]
    state = page.evaluate("({...window.__migratorReport})")
    assert (state["moduleNodes"], state["serviceNodes"], state["groupNodes"]) == (1001, 11, 13)
    assert state["edges"] > 13_000
    first = drawn(page)
    assert first["unitElements"] == 0  # modules become elements when their service opens
    assert first["nodes"] == 2 * 13
    assert 0 < first["edges"] <= 4 * 13 + 13  # the heaviest ties, four per group (and those as heavy)
    labels = visible_labels(page)
    assert len(labels) == 13
    small = [label for label in labels if label["px"] < READABLE_PX or label["height"] < READABLE_PX]
    assert not small, f"labels under {READABLE_PX} px at zoom {page.evaluate('cy.zoom()'):.2f}: {small}"
    assert large_report["errors"] == []


def test_a_large_service_opens_on_readable_modules(large_report: dict[str, Any]) -> None:
    page = large_report["page"]
    open_service(page, "svc003")
    assert drawn(page)["units"] == 91
    units = [label for label in visible_labels(page) if label["id"].startswith("u")]
    assert units, "the open service's modules are drawn without labels"
    small = [label for label in units if label["px"] < 10]
    assert not small, f"module labels under 10 px once svc003 is open: {small[:5]}"
    assert large_report["errors"] == []
