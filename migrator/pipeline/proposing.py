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
from migrator.config import ProjectConfig, load_project_config, pick
from migrator.model.decomposition import Decomposition, dumps_decomposition
from migrator.model.graph import DependencyGraph
from migrator.model.progress import Progress
from migrator.writer import is_unedited, stamp, write_output
from migrator.pipeline.inputs import load_decomposition, load_graph, load_truth, read_text


@dataclass(frozen=True)
class ProposeRequest:
    """What the command line asked for; None where it left the choice to the project's
    ``[tool.migrator]`` and then to the defaults of ``ProposeSettings``."""

    source: Path
    """A source folder (analysed on the fly) or a graph.json."""
    output: Path | None = None
    services: int | None = None
    seed: int | None = None
    resolution: float | None = None
    unit: str | None = None
    weights: tuple[str, ...] = ()
    constraints: Path | None = None
    shared: bool | None = None
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
    settings, constraints_path = propose_settings(request)
    constraints = None
    if constraints_path is not None:
        constraints = loads_constraints(read_text(constraints_path), source=str(constraints_path))
    return boundaries_propose(graph, settings, constraints)


def propose_settings(request: ProposeRequest) -> tuple[ProposeSettings, Path | None]:
    """The settings of a proposal and its constraints file: each from the command line, else the
    project's ``[tool.migrator]``, else the default."""
    config = load_project_config(request.source) if request.source.is_dir() else ProjectConfig()
    default = ProposeSettings()
    weights = dict(DEFAULT_WEIGHTS)
    weights.update(check_weights(config.weights, source=f"{config.where.get('weights')} [tool.migrator.weights]"))
    weights.update(parse_weight_overrides(request.weights))
    settings = ProposeSettings(
        unit=pick(request.unit, config.unit, default=default.unit),
        services=request.services or config.services,
        resolution=pick(request.resolution, config.resolution, default=default.resolution),
        seed=pick(request.seed, config.seed, default=default.seed),
        weights=weights,
        shared=pick(request.shared, config.shared, default=default.shared),
    )
    return settings, request.constraints or config.constraints


def evaluate(decomposition_path: Path, graph_path: Path, truth_path: Path | None = None) -> Evaluation:
    """``migrator evaluate``: score a decomposition (as the user left it) on its graph."""
    graph = load_graph(graph_path)
    decomposition = load_decomposition(decomposition_path, graph)
    truth = load_truth(truth_path) if truth_path is not None else None
    return evaluate_decomposition(graph, decomposition, truth)
