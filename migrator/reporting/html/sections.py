"""The static parts of the report as table-ready data: overview, scores, coupling matrix,
migration plan and skipped files. The template only lays them out."""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

from migrator.model.graph import DependencyGraph
from migrator.model.plan import Coupling, Crossing, DataIssue, MigrationPlan, Transaction, Violation, Wave
from migrator.model.summary import AnalysisSummary
from migrator.reporting.evaluation_text import METRICS
from migrator.reporting.plan_markdown import TREATMENT_TEXT, generated_text

ROW_CAP = 500
"""Rows shown per plan table; the full lists are in ``migrator plan`` output."""
EVIDENCE_SHOWN = 3
PERCENT_SCORES = frozenset({"mojofm", "a2a"})


def overview(graph: DependencyGraph, view: dict[str, Any], summary: AnalysisSummary | None) -> dict[str, Any]:
    """The size of the monolith and of the proposal, as (label, value) cards."""
    nodes = summary.nodes if summary is not None else graph.count_nodes_by_kind()
    edges = summary.edges if summary is not None else graph.count_edges_by_kind()
    files = summary.files if summary is not None else len({n.file for n in graph.nodes() if n.file})
    roles = [g["role"] for g in view["groups"]]
    sizes = [0] * len(view["groups"])
    for unit in view["units"]:
        sizes[unit["group"]] += 1
    cards = [
        ("files", _number(files)),
        ("lines", _number(summary.lines) if summary is not None else "n/a"),
        ("modules", _number(nodes.get("module", 0) + nodes.get("package", 0))),
        ("classes", _number(nodes.get("class", 0) + nodes.get("model", 0))),
        ("functions", _number(nodes.get("function", 0))),
        ("routes", _number(nodes.get("route", 0))),
        ("models", _number(nodes.get("model", 0))),
        ("tables", _number(nodes.get("table", 0))),
        ("events", _number(nodes.get("event", 0))),
        ("tasks", _number(nodes.get("task", 0))),
        ("services", _number(roles.count("service")) if "package" not in roles else "none proposed"),
    ]
    return {
        "root": summary.root if summary is not None else graph.root,
        "cards": cards,
        "edges": sorted(edges.items()),
        "groups": [(g["name"], g["role"], g["colour"], sizes[i]) for i, g in enumerate(view["groups"])],
    }


def _number(value: int) -> str:
    return f"{value:,}"


def metrics(evaluation: dict[str, Any] | None, baseline: dict[str, Any] | None) -> dict[str, Any] | None:
    """Each score beside the baseline's, with which way is better and which side wins."""
    if evaluation is None and baseline is None:
        return None
    ours = (evaluation or {}).get("scores", {})
    theirs = (baseline or {}).get("scores", {})
    rows = []
    for key, name, better, meaning in METRICS:
        a, b = _finite(ours.get(key)), _finite(theirs.get(key))
        if a is None and b is None:
            continue
        winner = ""
        if a is not None and b is not None and a != b:
            winner = "ours" if (a > b) == (better == "higher") else "baseline"
        rows.append({"name": name, "key": key, "better": better, "meaning": meaning,
                     "value": _score(key, a), "baseline": _score(key, b), "winner": winner})
    coverage = [
        ("services", _plain((evaluation or {}).get("services")), _plain((baseline or {}).get("services"))),
        ("units", _plain((evaluation or {}).get("units")), _plain((baseline or {}).get("units"))),
        ("share of units in services", _share((evaluation or {}).get("assigned_share")), _share((baseline or {}).get("assigned_share"))),
    ]
    return {"rows": rows, "coverage": coverage, "has_baseline": baseline is not None, "has_evaluation": evaluation is not None}


def _finite(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return float(value)


def _score(key: str, value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value:.1f}%" if key in PERCENT_SCORES else f"{value:.3f}"


def _plain(value: Any) -> str:
    return "n/a" if value is None else str(value)


def _share(value: Any) -> str:
    number = _finite(value)
    return "n/a" if number is None else f"{100 * number:.1f}%"


def coupling_matrix(view: dict[str, Any]) -> dict[str, Any]:
    """Dependency weight from each group (row) to each group (column), all kinds but co-change,
    with a colour per cell on a log scale."""
    group_of = [u["group"] for u in view["units"]]
    kinds = view["kinds"]
    weights: dict[tuple[int, int], float] = defaultdict(float)
    by_kind: dict[tuple[int, int], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for a, b, k, w in view["edges"]:
        if kinds[k] == "co_changes":
            continue
        cell = (group_of[a], group_of[b])
        weights[cell] += w
        by_kind[cell][kinds[k]] += w
    top = max((w for (i, j), w in weights.items() if i != j), default=0.0)
    groups = view["groups"]
    rows = []
    for i, group in enumerate(groups):
        cells = []
        for j in range(len(groups)):
            w = weights.get((i, j), 0.0)
            detail = ", ".join(f"{kind} {_weight(v)}" for kind, v in sorted(by_kind[(i, j)].items())) if w else ""
            inside = i == j
            cells.append({"weight": _weight(w) if w else "", "style": "" if inside else _heat(w, top), "inside": inside,
                          "dark": not inside and w > 0 and _level(w, top) > 0.55, "detail": detail})
        rows.append({"name": group["name"], "colour": group["colour"], "cells": cells})
    return {"columns": [(g["name"], g["colour"]) for g in groups], "rows": rows}


def _weight(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _level(weight: float, top: float) -> float:
    return math.log1p(weight) / math.log1p(top) if top > 0 else 0.0


def _heat(weight: float, top: float) -> str:
    """A CSS background from white to deep red, on a log scale of the strongest crossing."""
    if weight <= 0:
        return ""
    level = _level(weight, top)
    lightness = round(96 - 58 * level)
    return f"background-color: hsl(8, 75%, {lightness}%)"


def plan_tables(plan: MigrationPlan | None) -> dict[str, Any] | None:
    """The migration plan's lists, capped at ``ROW_CAP`` rows each."""
    if plan is None:
        return None
    crossings = sorted(plan.crossings, key=lambda c: (c.source_service, c.target_service, c.source, c.target, c.via))
    return {
        "waves": _capped([_wave(w) for w in plan.waves]),
        "crossings": _capped([_crossing(c) for c in crossings]),
        "data": _capped([_data_issue(d) for d in plan.data]),
        "transactions": _capped([_transaction(t) for t in plan.transactions]),
        "violations": _capped([_violation(v) for v in plan.violations]),
        "couplings": _capped([_coupling(c) for c in plan.couplings]),
        "database_steps": list(plan.database_steps),
        "importlinter": plan.importlinter,
    }


def _capped(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {"rows": rows[:ROW_CAP], "total": len(rows), "hidden": max(0, len(rows) - ROW_CAP)}


def _treatment(treatment: str) -> str:
    return TREATMENT_TEXT.get(treatment, treatment)


def _evidence(places: tuple[str, ...]) -> str:
    more = f" (+{len(places) - EVIDENCE_SHOWN})" if len(places) > EVIDENCE_SHOWN else ""
    return ", ".join(places[:EVIDENCE_SHOWN]) + more


def _wave(w: Wave) -> dict[str, Any]:
    return {"number": w.number, "services": ", ".join(w.services), "risk": w.risk, "effort": w.effort,
            "routes": list(w.routes), "reasons": list(w.reasons)}


def _crossing(c: Crossing) -> dict[str, Any]:
    return {"services": f"{c.source_service} → {c.target_service}", "treatment": _treatment(c.treatment), "via": c.via,
            "source": c.source, "target": c.target, "detail": c.detail, "generated": generated_text(c), "evidence": _evidence(c.evidence)}


def _data_issue(d: DataIssue) -> dict[str, Any]:
    return {"table": d.table, "owner": d.owner, "services": ", ".join(d.services), "treatment": _treatment(d.treatment),
            "links": [f"{a} → {b}" for a, b in d.links], "steps": list(d.steps), "detail": d.detail,
            "evidence": _evidence(d.evidence)}


def _transaction(t: Transaction) -> dict[str, Any]:
    return {"root": t.root, "services": ", ".join(t.services), "tables": ", ".join(t.tables), "path": " → ".join(t.path),
            "treatment": _treatment(t.treatment), "evidence": _evidence(t.evidence)}


def _violation(v: Violation) -> dict[str, Any]:
    return {"importer": v.importer, "imported": v.imported, "contract": v.contract, "evidence": _evidence(v.evidence)}


def _coupling(c: Coupling) -> dict[str, Any]:
    return {"kind": c.kind, "source": c.source, "target": c.target, "treatment": _treatment(c.treatment),
            "evidence": _evidence(c.evidence)}


def skipped_files(summary: AnalysisSummary | None) -> dict[str, Any] | None:
    """The files the analyzers could not read, with why, and the analysis notes."""
    if summary is None:
        return None
    ordered = sorted(summary.skipped, key=lambda s: (s.relpath, s.line or 0))
    rows = [{"file": f"{s.relpath}:{s.line}" if s.line else s.relpath, "reason": s.reason} for s in ordered]
    return {"rows": rows, "notes": list(summary.notes)}
