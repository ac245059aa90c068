"""``migrator check``: today's imports against a decomposition's boundaries, for CI."""

from __future__ import annotations

import json
from pathlib import Path

from migrator.errors import MigratorError
from migrator.model.plan import BoundaryCheck
from migrator.model.progress import Progress
from migrator.planning.contracts import check_boundaries
from migrator.pipeline.inputs import load_decomposition, load_graph, read_text

_BASELINE_HINT = ("give a plan.json (migrator plan ... --format json -o plan.json) or what migrator check ... --json printed; "
                  "both list the imports as {\"violations\": [{\"importer\": ..., \"imported\": ...}]}")


def check(
    decomposition_path: Path, *, source: Path | None = None, graph_path: Path | None = None, baseline_path: Path | None = None,
    progress: Progress | None = None,
) -> BoundaryCheck:
    """The imports of the code under ``source`` (analysed now) or of the graph at ``graph_path``
    that break the boundaries of the decomposition (the contracts ``migrator plan`` writes),
    except those the baseline lists."""
    given = source or graph_path
    if given is None or (source and graph_path):
        raise MigratorError("give the source folder or --graph, one of the two",
                            hint="migrator check SRC --decomposition decomposition.yaml, or migrator check --graph graph.json --decomposition ...")
    baseline = load_baseline(baseline_path) if baseline_path else set()
    graph = load_graph(given, progress)
    return check_boundaries(graph, load_decomposition(decomposition_path, graph), baseline=baseline)


def load_baseline(path: Path) -> set[tuple[str, str]]:
    """The (importer, imported) pairs of a plan.json, or of ``check --json``'s output (new and known)."""
    try:
        data = json.loads(read_text(path))
    except json.JSONDecodeError as exc:
        raise MigratorError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg})", hint=_BASELINE_HINT) from None
    sections = [data.get("violations"), data.get("known", [])] if isinstance(data, dict) else [None]
    if not all(isinstance(listed, list) and all(map(_is_import, listed)) for listed in sections):
        raise MigratorError(f"{path} lists no imports under 'violations'", hint=_BASELINE_HINT)
    return {(v["importer"], v["imported"]) for listed in sections for v in listed}


def _is_import(entry: object) -> bool:
    return isinstance(entry, dict) and isinstance(entry.get("importer"), str) and isinstance(entry.get("imported"), str)
