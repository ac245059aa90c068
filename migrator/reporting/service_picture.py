"""The service graph as Graphviz DOT, for static pictures (SVG, PNG) in documents and PRs."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from migrator.model.decomposition import Decomposition
from migrator.model.graph import DependencyGraph
from migrator.model.serialization import dot_string
from migrator.reporting.html.view import build_view

MAX_EDGES = 60
"""The heaviest service-to-service dependencies drawn; a picture with more says less."""


def service_graph_dot(graph: DependencyGraph, decomposition: Decomposition) -> str:
    """Services (with their module count) and the dependency weight between them; the shared
    library and infrastructure are named in the caption, not drawn (every service uses them)."""
    view: dict[str, Any] = build_view(graph, decomposition)
    group_of = [u["group"] for u in view["units"]]
    size: dict[int, int] = defaultdict(int)
    for g in group_of:
        size[g] += 1
    weights: dict[tuple[int, int], float] = defaultdict(float)
    drawn = {i for i, group in enumerate(view["groups"]) if group["role"] == "service"}
    for a, b, kind, weight in view["edges"]:
        ga, gb = group_of[a], group_of[b]
        if ga != gb and ga in drawn and gb in drawn and view["kinds"][kind] != "co_changes":
            weights[(ga, gb)] += weight
    heaviest = sorted(weights.items(), key=lambda item: (-item[1], item[0]))[:MAX_EDGES]
    top = max((w for _, w in heaviest), default=1.0)
    others = [f"{g['name']}: {size[i]} {view['unit']}s" for i, g in enumerate(view["groups"]) if i not in drawn]
    caption = "Services and the dependency weight between them" + (f" (not drawn: {'; '.join(others)})" if others else "")
    lines = [
        "digraph services {",
        f"  label={dot_string(caption)}; labelloc=b; fontsize=11;",
        '  graph [rankdir=LR, fontname="Helvetica", bgcolor="white", pad=0.3, nodesep=0.4, ranksep=0.9];',
        '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=12, color="#444444"];',
        '  edge [color="#888888", arrowsize=0.6, fontname="Helvetica", fontsize=9];',
    ]
    for index, group in enumerate(view["groups"]):
        if index in drawn:
            label = f"{group['name']}\n{size[index]} {view['unit']}s"
            lines.append(f"  g{index} [label={dot_string(label)}, fillcolor={dot_string(group['colour'] + '55')}];")
    for (a, b), weight in heaviest:
        width = 0.6 + 3.4 * weight / top
        lines.append(f"  g{a} -> g{b} [penwidth={width:.2f}, label={dot_string(f'{weight:g}')}];")
    lines.append("}")
    return "\n".join(lines) + "\n"
