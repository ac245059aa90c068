"""Imports between modules, built by grimp (with its cache).

grimp decides which module each import statement reaches; our own scan of the same lines
adds what grimp does not say: whether an import sits inside a function or under
``TYPE_CHECKING``. When grimp cannot build the graph (a file it cannot parse, a name clash
with an installed package), the imports come from our scan alone and a note says so.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from analyzers.base import IMPORT_STATEMENTS, Analyzer, Contribution, Project
from analyzers.names import ImportFact, NameResolver
from migrator.model.facts import Edge, EdgeKind, Node, NodeKind

ModulePairs = set[tuple[str, str]]

_GRIMP_SCRIPT = """
import json, sys, grimp
packages, cache = json.loads(sys.argv[1]), sys.argv[2] or None
graph = grimp.build_graph(*packages, cache_dir=cache)
pairs = [[m, i] for m in graph.modules for i in graph.find_modules_directly_imported_by(m)]
print(json.dumps(pairs))
"""


class ImportsAnalyzer(Analyzer):
    name = "imports"
    summary_view = IMPORT_STATEMENTS  # a renamed function leaves the import graph as it was

    def link(self, project: Project) -> Contribution:
        contribution = Contribution()
        pairs, note = self._module_pairs(project)
        if note:
            contribution.notes.append(note)
        summaries = project.names.summaries
        for importer, imported in sorted(pairs):
            facts = [f for f in summaries[importer].imports if _reaches(f.target, imported)]
            contribution.edges.append(_edge(project, importer, imported, facts))
        contribution.nodes, external_edges = _externals(project)
        contribution.edges.extend(external_edges)
        return contribution

    def _module_pairs(self, project: Project) -> tuple[ModulePairs, str | None]:
        packages = sorted(m for m, f in project.files.items() if f.is_package and "." not in m)
        fallback = own_module_pairs(project.names)
        if not packages:
            return fallback, None
        climbing = _climbing_import(project, packages)
        if climbing:
            return fallback, f"imports: grimp cannot read {climbing} (a relative import above the top-level package); used migrator's own scan"
        try:
            pairs = grimp_module_pairs(project, packages)
        except (KeyboardInterrupt, SystemExit):
            raise
        # grimp stops at the first file it cannot parse, and its Rust core can panic (a
        # BaseException) on a relative import beyond the top level: neither ends the analysis
        except BaseException as exc:  # noqa: BLE001
            first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            return fallback, f"imports: grimp could not build the graph ({first_line}); used migrator's own scan"
        # top-level modules (manage.py, app.py) and namespace packages are outside grimp's packages
        pairs |= {(a, b) for a, b in fallback if _outside_grimp(project, a) or _outside_grimp(project, b)}
        return {(a, b) for a, b in pairs if a in project.files and b in project.files}, None


def _outside_grimp(project: Project, module: str) -> bool:
    """A top-level module, or one under a folder without ``__init__.py``: grimp reads
    neither (it walks regular packages only)."""
    if "." not in module:
        return not project.files[module].is_package
    parents = module.split(".")[:-1]
    return any(".".join(parents[: end + 1]) not in project.files for end in range(len(parents)))


def _climbing_import(project: Project, packages: list[str]) -> str | None:
    """The first ``path:line`` in grimp's packages of a relative import that climbs above its
    top-level package: grimp's scanner panics on one, after reading every file."""
    wanted = set(packages)
    summaries = project.names.summaries
    for module, file in sorted(project.files.items(), key=lambda item: item[1].relpath):
        if module.partition(".")[0] in wanted:
            lines = summaries[module].beyond_top
            if lines:
                return f"{file.relpath}:{lines[0]}"
    return None


def grimp_module_pairs(project: Project, packages: list[str]) -> ModulePairs:
    """Direct module imports as grimp sees them, in-process when safe, else in a subprocess."""
    roots = sorted({str((project.root / root).resolve()) for root in {f.root for f in project.files.values()}})
    cache = str(_grimp_cache(project.cache_dir, roots, packages)) if project.cache_dir and project.options.use_cache else ""
    with _on_path(roots):
        clash = any(_resolves_elsewhere(name, project.root) for name in packages)
        if not clash:
            import grimp

            graph = grimp.build_graph(*packages, cache_dir=cache or None)
            return {(m, i) for m in graph.modules for i in graph.find_modules_directly_imported_by(m)}
    env_path = ":".join(roots)
    completed = subprocess.run(
        [sys.executable, "-c", _GRIMP_SCRIPT, json.dumps(packages), cache],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": env_path, "PATH": "/usr/bin:/bin"},
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(completed.stderr.strip().splitlines()[-1] if completed.stderr.strip() else "grimp failed")
    return {(a, b) for a, b in json.loads(completed.stdout)}


def _grimp_cache(cache_dir: Path, roots: list[str], packages: list[str]) -> Path:
    """grimp's cache folder for the set of modules it will find.

    grimp keeps each file's imports by the file's time of change, resolved against the modules
    that existed then: ``import pkg.extra`` stays cached as an import of ``pkg`` after
    ``extra.py`` is added. So a new set of modules (grimp reads whole packages, excluded files
    too) starts a new cache, and the old one is removed.
    """
    digest = hashlib.blake2b(digest_size=8)
    for root in roots:
        for package in packages:
            for folder, dirs, names in os.walk(Path(root) / package):
                dirs.sort()
                digest.update(folder.encode(errors="replace") + b"\0" + "\0".join(sorted(n for n in names if n.endswith(".py"))).encode(errors="replace"))
    base = cache_dir / "grimp"
    tag = digest.hexdigest()
    if base.is_dir():
        for old in base.iterdir():
            if old.name != tag:
                shutil.rmtree(old, ignore_errors=True)
    return base / tag


def _resolves_elsewhere(package: str, root: Path) -> bool:
    """True when importing ``package`` here would not find the copy under ``root``."""
    if package in sys.modules:
        origin = getattr(sys.modules[package], "__file__", None)
    else:
        spec = importlib.util.find_spec(package)
        origin = spec.origin if spec else None
    if not origin:
        return True
    try:
        Path(origin).resolve().relative_to(root)
    except ValueError:
        return True
    return False


@contextmanager
def _on_path(roots: list[str]) -> Iterator[None]:
    saved = list(sys.path)
    sys.path[:0] = roots
    importlib.invalidate_caches()
    try:
        yield
    finally:
        sys.path[:] = saved


def own_module_pairs(names: NameResolver) -> ModulePairs:
    """Module imports from our scan: each import reaches the longest analysed module it names."""
    pairs: ModulePairs = set()
    for module, summary in names.summaries.items():
        for fact in summary.imports:
            target = names.module_prefix(fact.target)
            if target and target != module:
                pairs.add((module, target))
    return pairs


def _reaches(written: str, module: str) -> bool:
    return written == module or written.startswith(module + ".")


def _edge(project: Project, importer: str, imported: str, facts: list[ImportFact]) -> Edge:
    relpath = project.files[importer].relpath
    attrs = {}
    if facts and all(f.type_checking for f in facts):
        attrs["type_checking"] = True
    if facts and all(f.in_function for f in facts):
        attrs["in_function"] = True
    lines = sorted({f.line for f in facts})
    return Edge(importer, imported, EdgeKind.IMPORTS, float(max(len(lines), 1)), tuple(f"{relpath}:{n}" for n in lines[:10]), attrs)


def _externals(project: Project) -> tuple[list[Node], list[Edge]]:
    """External distributions (django, celery...) as nodes: what each module relies on outside."""
    stdlib = sys.stdlib_module_names
    places: dict[tuple[str, str], list[str]] = defaultdict(list)
    for module, summary in project.names.summaries.items():
        for fact in summary.imports:
            top = fact.target.split(".")[0]
            if top in stdlib or top == "__future__" or project.names.is_internal(fact.target) or top in project.files:
                continue
            places[(module, top)].append(f"{project.files[module].relpath}:{fact.line}")
    names = sorted({top for _, top in places})
    nodes = [Node(top, NodeKind.EXTERNAL) for top in names if top not in project.files]
    edges = [Edge(m, top, EdgeKind.IMPORTS, float(len(p)), tuple(p[:10]), {"external": True}) for (m, top), p in sorted(places.items())]
    return nodes, edges
