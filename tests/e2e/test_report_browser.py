"""The sample monolith's report in a real browser: the system Chromium, driven by Playwright,
opens it from a file:// URL. It must draw every service and module, make no request at all,
log no error, and answer clicks and searches."""

from __future__ import annotations

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


@pytest.fixture(scope="module")
def loaded(browser: Any, decomposition_and_report: tuple[Decomposition, Path]) -> Iterator[dict[str, Any]]:
    """The report opened once; every request and console message it caused is recorded."""
    _, path = decomposition_and_report
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    seen: dict[str, Any] = {"requests": [], "errors": [], "page": page, "url": path.as_uri()}
    page.on("request", lambda request: seen["requests"].append(request.url))
    page.on("console", lambda message: seen["errors"].append(message.text) if message.type in ("error", "warning") else None)
    page.on("pageerror", lambda error: seen["errors"].append(str(error)))
    page.goto(path.as_uri())
    wait_until(page, "window.__migratorReport && window.__migratorReport.ready")
    page.locator("#boundaries").scroll_into_view_if_needed()
    yield seen
    page.close()


def click_node(page: Any, node_id: str, selects: str | None = None) -> None:
    """A real mouse click at the node's place on the canvas, which must select ``selects``
    (the node itself unless given: a service's badge selects its service's box).

    Cytoscape keeps the canvas's place on the page in a cache that a ``scroll`` event empties.
    That event comes a frame after the scroll, so a click sent at once, on a slow machine,
    would be read against the place before the scroll. The canvas is brought into view, two
    frames are let pass, and ``cy.resize()`` empties the cache before the click."""
    page.locator("#cy").scroll_into_view_if_needed()
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    page.evaluate("id => { cy.resize(); cy.center(cy.getElementById(id)); }", node_id)
    point = page.evaluate(
        """id => { const p = cy.getElementById(id).renderedPosition();
                   const box = document.getElementById('cy').getBoundingClientRect();
                   return {x: box.left + p.x, y: box.top + p.y, width: innerWidth, height: innerHeight}; }""",
        node_id,
    )
    assert 0 <= point["x"] < point["width"] and 0 <= point["y"] < point["height"], f"{node_id} is off the screen: {point}"
    page.mouse.click(point["x"], point["y"])
    wait_until(page, f"window.__migratorReport.selected === {json.dumps(selects or node_id)}", timeout=10)


def test_makes_no_request_and_logs_no_error(loaded: dict[str, Any]) -> None:
    assert loaded["requests"] == [loaded["url"]]
    assert loaded["errors"] == []


def test_draws_every_service_and_module(loaded: dict[str, Any], decomposition_and_report: tuple[Decomposition, Path]) -> None:
    decomposition, _ = decomposition_and_report
    state = loaded["page"].evaluate("({...window.__migratorReport})")
    modules = sum(len(s.units) for s in decomposition.services) + len(decomposition.shared.units if decomposition.shared else ())
    modules += len(decomposition.infrastructure)
    assert state["serviceNodes"] == len(decomposition.services) == 10
    assert state["moduleNodes"] == modules
    assert state["groupNodes"] == 12  # with the shared library and infrastructure
    drawn = loaded["page"].evaluate("[cy.nodes('.group.service').length, cy.nodes('.unit').length]")
    assert drawn == [len(decomposition.services), modules]
    names = loaded["page"].evaluate("cy.nodes('.badge').map(n => n.data('label'))")
    assert sorted(names) == sorted([s.name for s in decomposition.services] + ["shared", "infrastructure"])
    assert state["layoutMs"] < 3000


def test_clicking_a_module_shows_why_it_is_there(loaded: dict[str, Any], decomposition_and_report: tuple[Decomposition, Path]) -> None:
    decomposition, _ = decomposition_and_report
    page = loaded["page"]
    service = next(s for s in decomposition.services if s.name == "orders")
    module = next(u for u in service.units if service.reasons.get(u))
    node_id = page.evaluate("name => cy.nodes('.unit').filter(n => n.data('label') === name.replace('sample_monolith.', ''))[0].id()", module)
    click_node(page, node_id)
    panel = page.inner_text("#panel")
    assert module in panel
    assert service.reasons[module][0] in panel
    assert "Depends on" in panel and "Used by" in panel
    assert page.evaluate("window.__migratorReport.selected") == node_id


def test_clicking_a_service_badge_shows_its_dependencies(loaded: dict[str, Any]) -> None:
    page = loaded["page"]
    badge, box = page.evaluate("(b => [b.id(), 'g' + b.data('index')])(cy.nodes('.badge').filter(n => n.data('label') === 'orders')[0])")
    click_node(page, badge, selects=box)
    panel = page.inner_text("#panel")
    assert panel.startswith("orders")
    assert "Outbound: depends on" in panel and "Inbound: used by" in panel
    assert "sample_monolith.orders.models.Order" in panel  # its models


def test_search_highlights_and_zooms(loaded: dict[str, Any]) -> None:
    page = loaded["page"]
    page.evaluate("() => { cy.fit(); }")
    before = page.evaluate("cy.zoom()")
    page.fill("#search", "payments.")
    wait_until(page, "document.getElementById('search-count').textContent !== ''")
    assert page.inner_text("#search-count") == "5 matches"
    matched = page.evaluate("cy.nodes('.match').map(n => n.data('label')).sort()")
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


def test_edge_kind_checkboxes_filter_the_lines(loaded: dict[str, Any]) -> None:
    page = loaded["page"]
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


def test_the_boundaries_link_shows_its_heading_below_the_sticky_header(loaded: dict[str, Any]) -> None:
    page = loaded["page"]
    page.evaluate("() => window.scrollTo(0, 0)")
    page.click("header.top a[href='#boundaries']")
    wait_until(page, "location.hash === '#boundaries'", timeout=5)
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    header, heading = page.evaluate(
        """() => [document.querySelector('header.top').getBoundingClientRect().bottom,
                  document.querySelector('#boundaries h2').getBoundingClientRect().top]"""
    )
    assert header <= heading < header + 40


def test_screenshot(loaded: dict[str, Any]) -> None:
    """The picture in docs/images/report-sample.png: a service selected, nothing faded."""
    page = loaded["page"]
    page.fill("#search", "")
    page.select_option("#layout", "map")
    page.click("#legend button:has-text('orders')")
    page.evaluate("() => { cy.elements().removeClass('faded focus match'); cy.fit(undefined, 20); }")
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / "report-sample.png"
    page.locator("#boundaries").screenshot(path=str(target))
    assert target.stat().st_size > 10_000
    assert loaded["errors"] == []
