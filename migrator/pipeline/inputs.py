"""Reading what the user gives: a graph or a source folder, a decomposition, a truth."""

from __future__ import annotations

import json
from pathlib import Path

from migrator.errors import MigratorError
from migrator.model.decomposition import Decomposition, loads_decomposition
from migrator.model.graph import DependencyGraph, uncollected
from migrator.model.progress import Progress
from migrator.model.serialization import loads_json
from migrator.pipeline.analysis import AnalyzeRequest, analyze


def load_graph(source: Path, progress: Progress | None = None) -> DependencyGraph:
    """A graph from graph.json, or by analysing a source folder."""
    if source.is_dir():
        graph, _ = analyze(AnalyzeRequest(src=source), progress)
        return graph
    if not source.exists():
        raise MigratorError(f"{source} does not exist", hint="give a source folder or a graph.json written by `migrator analyze`")
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise MigratorError(f"cannot read {source}: {exc}") from None
    return loads_json(text, source=str(source))


def load_decomposition(path: Path, graph: DependencyGraph | None = None) -> Decomposition:
    """decomposition.yaml as the user left it; with ``graph``, checked to list only its units (which
    builds a graph read from the analysis' cache and indexes its nodes: many objects, no cycles)."""
    with uncollected():
        return loads_decomposition(read_text(path), source=str(path), graph=graph)


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise MigratorError(f"{path} does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise MigratorError(f"cannot read {path}: {exc}") from None


def load_truth(path: Path) -> dict[str, str]:
    try:
        data = json.loads(read_text(path))
    except json.JSONDecodeError as exc:
        raise MigratorError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg})") from None
    if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        raise MigratorError(f"{path} must map dotted module names to group names", hint='{"shop.orders.models": "orders", ...}')
    return data
