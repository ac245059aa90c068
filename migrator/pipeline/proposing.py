"""``migrator propose`` and ``migrator evaluate``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from migrator.boundaries.constraints import loads_constraints
from migrator.boundaries.evaluation import Evaluation
from migrator.boundaries.evaluation import evaluate as evaluate_decomposition
from migrator.boundaries.propose import ProposeSettings
from migrator.boundaries.propose import propose as boundaries_propose
from migrator.boundaries.weights import DEFAULT_WEIGHTS, check_weights, parse_weight_overrides
from migrator.config import load_project_config
from migrator.model.decomposition import Decomposition, dumps_decomposition
from migrator.model.graph import DependencyGraph
from migrator.model.progress import Progress
from migrator.writer import is_unedited, stamp, write_output
from migrator.pipeline.inputs import load_decomposition, load_graph, load_truth, read_text


@dataclass(frozen=True)
class ProposeRequest:
    source: Path
    """A source folder (analysed on the fly) or a graph.json."""
    output: Path | None = None
    services: int | None = None
    seed: int = 42
    resolution: float = 1.0
    unit: str = "module"
    weights: tuple[str, ...] = ()
    constraints: Path | None = None
    shared: bool = True
    force: bool = False


def propose(request: ProposeRequest, progress: Progress | None = None) -> Decomposition:
    """``migrator propose``: cluster the graph into services and write decomposition.yaml."""
    graph = load_graph(request.source, progress)
    if progress:
        progress("propose", 0, 1)
    decomposition = propose_for(graph, request)
    if progress:
        progress("propose", 1, 1)
    if request.output is not None:
        write_output(request.output, stamp(dumps_decomposition(decomposition)), force=request.force, ours=is_unedited)
    return decomposition


def propose_for(graph: DependencyGraph, request: ProposeRequest) -> Decomposition:
    """Propose for a graph already in hand, with the request's settings (and the project's)."""
    config = load_project_config(request.source) if request.source.is_dir() else None
    weights = dict(DEFAULT_WEIGHTS)
    if config and isinstance(config.raw.get("weights"), dict):
        weights.update(check_weights(config.raw["weights"], source=f"{request.source}/pyproject.toml [tool.migrator.weights]"))
    weights.update(parse_weight_overrides(request.weights))
    constraints = None
    if request.constraints is not None:
        constraints = loads_constraints(read_text(request.constraints), source=str(request.constraints))
    settings = ProposeSettings(
        unit=request.unit,
        services=request.services,
        resolution=request.resolution,
        seed=request.seed,
        weights=weights,
        shared=request.shared,
    )
    return boundaries_propose(graph, settings, constraints)


def evaluate(decomposition_path: Path, graph_path: Path, truth_path: Path | None = None) -> Evaluation:
    """``migrator evaluate``: score a decomposition (as the user left it) on its graph."""
    graph = load_graph(graph_path)
    decomposition = load_decomposition(decomposition_path, graph)
    truth = load_truth(truth_path) if truth_path is not None else None
    return evaluate_decomposition(graph, decomposition, truth)
