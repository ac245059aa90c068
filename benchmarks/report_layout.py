"""Benchmark: the HTML report's boundary view on a synthetic 5,000-module graph, in headless Chromium.

    python benchmarks/report_layout.py                      # 5,000 modules, 3 page loads
    python benchmarks/report_layout.py --modules 1000 --per-service 91 --fan-out 6   # saleor's size
    python benchmarks/report_layout.py --modules 10000 --runs 5 --keep big-report.html

Builds the graph from Node and Edge objects directly (services of about 100 modules, mostly
calling inside their service, some calls across, a shared library everyone imports), renders
the report with ``render_report``, opens it from a file:// URL in the system Chromium
(/usr/bin/chromium, driven by Playwright) and reads ``window.__migratorReport.layoutMs``: the
time from the start of the report's script to the end of the first layout, which includes
parsing the embedded data and building every node and edge. Prints the figures beside the
3 s target; never fails on a miss (exit 1 only when the page breaks or Chromium is missing).

After the layout the page draws its first frame; Playwright's calls wait while it does, so
"navigation -> ready, seen from Python" includes loading, parsing and that first frame.

It also prints what that first frame shows: the zoom, how many nodes and edges are drawn, how
many labels Cytoscape draws (it leaves out a label whose font size times the zoom, rounded up
to a power of two, is under the label's min-zoomed-font-size) and the smallest of those on
screen (font size times zoom), beside the 11 px the view aims at.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from migrator.model.decomposition import Decomposition, Service  # noqa: E402
from migrator.model.facts import Edge, EdgeKind, Node, NodeKind  # noqa: E402
from migrator.model.graph import DependencyGraph  # noqa: E402
from migrator.reporting.html import render_report  # noqa: E402

TARGET_MS = 3000
READABLE_PX = 11
FIRST_VIEW = """() => {
  const zoom = cy.zoom(), scale = Math.pow(2, Math.ceil(Math.log2(zoom * (window.devicePixelRatio || 1))));
  const labelled = cy.nodes(':visible').filter(n => n.style('label'));
  const drawn = labelled.filter(n => parseFloat(n.style('font-size')) * scale >= parseFloat(n.style('min-zoomed-font-size')));
  const sizes = drawn.map(n => parseFloat(n.style('font-size')) * zoom);
  return {zoom: zoom, nodesDrawn: cy.nodes(':visible').length, edgesDrawn: cy.edges(':visible').length,
          labelsDrawn: drawn.length, labelsLeftOut: labelled.length - drawn.length,
          smallestLabelPx: sizes.length ? Math.min(...sizes) : null};
}"""
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def synthetic(modules: int, per_service: int, fan_out: int, seed: int) -> tuple[DependencyGraph, Decomposition]:
    """A monolith of ``modules`` modules in services of ``per_service``, a shared library of 2%
    and infrastructure of 0.5% of them; each module has ``fan_out`` calls and as many imports."""
    rng = random.Random(seed)
    graph = DependencyGraph("synthetic")
    graph.add_node(Node("mono", NodeKind.PACKAGE, "mono/__init__.py", 1))
    shared_count, infra_count = max(1, modules // 50), max(1, modules // 200)
    rest = modules - shared_count - infra_count
    services: dict[str, list[str]] = {}
    for i in range(rest):
        name = f"svc{i // per_service:03d}"
        services.setdefault(name, []).append(f"mono.{name}.m{i % per_service:03d}")
    shared = [f"mono.lib.util{i:03d}" for i in range(shared_count)]
    infra = ["mono"] + [f"mono.platform.part{i:02d}" for i in range(infra_count)]
    everything = [m for ms in services.values() for m in ms] + shared + infra
    for module in everything[:-len(infra)] + infra[1:]:
        graph.add_node(Node(module, NodeKind.MODULE, module.replace(".", "/") + ".py", 1))
    for units in services.values():
        for module in units:
            for _ in range(fan_out):
                across = rng.random() < 0.15
                target = rng.choice(rng.choice(list(services.values())) if across else units)
                weight = float(rng.randint(1, 6))
                graph.add_edge(Edge(module, target, EdgeKind.CALLS, weight, (f"{module}.py:{rng.randint(1, 400)}",)))
                graph.add_edge(Edge(module, target, EdgeKind.IMPORTS, 1.0))
            graph.add_edge(Edge(module, rng.choice(shared), EdgeKind.IMPORTS, 1.0))
            graph.add_edge(Edge(module, rng.choice(shared), EdgeKind.REFERENCES, 2.0))
    for module in infra:
        for _ in range(fan_out * 3):
            graph.add_edge(Edge(module, rng.choice(everything), EdgeKind.IMPORTS, 1.0))

    def reasons(units: list[str], name: str) -> dict[str, tuple[str, ...]]:
        return {u: (f"ties to {name}: {rng.randint(3, 40)}.0 (calls, imports); no ties to other services",) for u in units}

    decomposition = Decomposition(
        services=tuple(Service(name, tuple(units), reasons(units, name)) for name, units in services.items()),
        shared=Service("shared", tuple(shared), {u: ("shared library: used by most services",) for u in shared}),
        infrastructure=tuple(infra),
    )
    return graph, decomposition


def wait_until(page, expression: str, timeout: float = 120.0) -> None:
    """Poll ``expression`` with page.evaluate: the report's Content-Security-Policy forbids the
    eval that Playwright's wait_for_function runs in the page."""
    deadline = time.perf_counter() + timeout
    while not page.evaluate(expression):
        if time.perf_counter() > deadline:
            raise TimeoutError(f"{expression} still false after {timeout:.0f} s")
        time.sleep(0.01)


def measure(path: Path, runs: int) -> list[dict]:
    from playwright.sync_api import sync_playwright

    results = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            for _ in range(runs):
                page = browser.new_page(viewport={"width": 1600, "height": 1000})
                errors: list[str] = []
                page.on("pageerror", lambda error, errors=errors: errors.append(str(error)))
                page.on("console", lambda message, errors=errors: errors.append(message.text) if message.type == "error" else None)
                started = time.perf_counter()
                page.goto(path.as_uri())
                wait_until(page, "window.__migratorReport && window.__migratorReport.ready")
                wall = (time.perf_counter() - started) * 1000
                state = page.evaluate("({...window.__migratorReport})")
                first = page.evaluate(FIRST_VIEW)
                started = time.perf_counter()
                page.click("#kinds input[data-kind=calls]")
                page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
                toggle = (time.perf_counter() - started) * 1000
                started = time.perf_counter()
                page.fill("#search", "svc007.m01")
                wait_until(page, "document.getElementById('search-count').textContent !== ''")
                search = (time.perf_counter() - started) * 1000
                started = time.perf_counter()
                page.click("#legend button >> nth=7")
                page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
                select = (time.perf_counter() - started) * 1000
                open_one = timed_click(page, "#panel button.toggle-group")
                started = time.perf_counter()
                page.select_option("#layout", "grid")
                page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
                relayout = (time.perf_counter() - started) * 1000
                open_all = timed_click(page, "#expand-all")
                results.append({**state, **first, "wallMs": wall, "toggleMs": toggle, "searchMs": search, "selectMs": select,
                                "openMs": open_one, "relayoutMs": relayout, "openAllMs": open_all, "errors": errors})
                page.close()
        finally:
            browser.close()
    return results


def timed_click(page, selector: str) -> float | None:
    """Milliseconds from a click to two frames later; None when the page has no such control
    (a report from before groups opened and closed)."""
    if not page.locator(selector).count():
        return None
    started = time.perf_counter()
    page.click(selector)
    page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    return (time.perf_counter() - started) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--modules", type=int, default=5000)
    parser.add_argument("--per-service", type=int, default=100)
    parser.add_argument("--fan-out", type=int, default=4)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="also write the report here")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} not found: apt-get install -y chromium", file=sys.stderr)
        return 1
    graph, decomposition = synthetic(args.modules, args.per_service, args.fan_out, args.seed)
    started = time.perf_counter()
    html = render_report(graph=graph, decomposition=decomposition, plan=None, evaluation=None, baseline=None, summary=None)
    render_ms = (time.perf_counter() - started) * 1000
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report.html"
        path.write_text(html, encoding="utf-8")
        if args.keep:
            args.keep.write_text(html, encoding="utf-8")
        results = measure(path, args.runs)
    first = results[0]
    layout = statistics.median(r["layoutMs"] for r in results)
    print(f"graph: {first['moduleNodes']:,} modules in {first['serviceNodes']} services (+ {first['groupNodes'] - first['serviceNodes']} other groups), "
          f"{first['edges']:,} module-to-module dependencies by kind; page {len(html.encode()) / 1e6:.1f} MB, rendered in {render_ms:.0f} ms")
    print(f"Chromium {CHROMIUM}, {args.runs} loads, layout '{first['layout']}', load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    smallest = first["smallestLabelPx"]
    print(f"first view: zoom {first['zoom']:.2f}, {first['nodesDrawn']:,} nodes and {first['edgesDrawn']:,} edges drawn, "
          f"{first['labelsDrawn']} labels drawn ({first['labelsLeftOut']} left out as too small), "
          f"smallest drawn {'none' if smallest is None else f'{smallest:.1f} px'} (aim: >= {READABLE_PX} px)")
    print(f"{'measure':<42}{'median':>10}{'min':>10}{'max':>10}")
    for key, label in (("layoutMs", "script start -> first layout done (ms)"), ("paintedMs", "script start -> first frame drawn (ms)"),
                       ("wallMs", "navigation -> ready, seen from Python (ms)"),
                       ("toggleMs", "untick one edge kind, two frames (ms)"), ("searchMs", "type a search, matches shown (ms)"),
                       ("selectMs", "select a service, two frames (ms)"), ("openMs", "open that service, two frames (ms)"),
                       ("relayoutMs", "switch to the name-order layout (ms)"), ("openAllMs", "expand all, two frames (ms)")):
        values = [r[key] for r in results if r[key] is not None]
        if values:
            print(f"{label:<42}{statistics.median(values):>10.0f}{min(values):>10.0f}{max(values):>10.0f}")
        else:
            print(f"{label:<42}{'n/a':>10}")
    print(f"target: layout done in < {TARGET_MS} ms: {'met' if layout < TARGET_MS else 'MISSED'} ({layout:.0f} ms median)")
    broken = [e for r in results for e in r["errors"]]
    if broken:
        print("page errors:", *sorted(set(broken)), sep="\n  ")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
