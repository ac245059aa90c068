"""The monolith's files that are no rewritten module (templates, static files and pictures, .sql
files, translations, package data, migrations, config files), carried byte for byte to where
the code that reads them runs; a Python file among them (a migration) gets only its imports of
modules that moved to the shared library changed.

A file goes where its nearest enclosing package goes: under ``shared/`` at the package's new path
when the package moved to the shared library (``Flask(__name__)`` there looks for ``templates/``
beside it), into every service folder at its own path otherwise. A moved package whose folder
still holds modules the services carry keeps its files in the services too: those modules read
them beside themselves. What is left out: tests, version control, caches, virtual environments,
node_modules and the trees migrator itself wrote; what a service writes itself (its
requirements.txt, Dockerfile, its package) wins over a file of the monolith at the same path. The
monolith's requirements.txt is not kept under another name: nothing reads it at run time, and the
generated one already holds what it declares (``migrator.model.dependencies``).
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Mapping
from pathlib import PurePosixPath

from generators.service.render import ModuleSource, _shared_moves
from generators.service.rewrites import Context, ModuleJob, Rewrite, rewrite_here
from migrator.model.deployment import Topology
from migrator.model.service_plan import ServicePlan

LEFT_OUT_FOLDERS = frozenset({
    "tests", "test", "testing",
    ".git", ".hg", ".svn",
    "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", ".tox", ".nox", ".eggs",
    ".venv", "venv", "node_modules",
    ".migrator",
})
"""Folders nothing of a running service needs (a virtual environment under another name is told by
its ``pyvenv.cfg``, which only the one who reads the disk sees)."""
LEFT_OUT_FILES = ("test_*.py", "*_test.py", "tests.py", "conftest.py", "*.pyc", "*.pyo", ".DS_Store")
SHARED_FOLDER = "shared"


_LEFT_OUT_NAME = re.compile("|".join(fnmatch.translate(pattern) for pattern in LEFT_OUT_FILES))
"""``LEFT_OUT_FILES`` as one pattern (asked of every file of the monolith, twice a run)."""


def is_left_out(relpath: str) -> bool:
    """Whether a file (or folder) of the monolith stays out of the generated system: it is a test,
    version control, a cache, a virtual environment or node_modules, or lies in one."""
    parts = [part for part in relpath.split("/") if part and part != "."]  # PurePosixPath(relpath).parts, without making one
    if relpath.startswith("/"):
        parts.insert(0, "/")
    if any(part in LEFT_OUT_FOLDERS or part.endswith(".egg-info") for part in parts):
        return True
    return bool(parts) and _LEFT_OUT_NAME.match(parts[-1]) is not None


def carry_files(
    plan: ServicePlan, sources: Mapping[str, ModuleSource], files: Mapping[str, bytes], *, rewrite: Rewrite = rewrite_here,
) -> dict[str, bytes]:
    """``{path under OUT: bytes}`` for the monolith's ``files`` ({path relative to the folder that
    holds its top-level package, as ``ModuleSource.path``: bytes}); its modules (``sources``) are
    rendered elsewhere and left out here. ``rewrite`` runs the carrying of its Python files, as
    ``render_services`` runs the modules'."""
    moves = _shared_moves(plan)
    modules = {source.path for source in sources.values()}
    packages = {str(PurePosixPath(source.path).parent): module for module, source in sources.items() if source.is_package}
    folders = [Topology(plan).workload(spec.name).folder for spec in plan.services]
    kept = {path: data for path, data in sorted(files.items()) if path not in modules and not is_left_out(path)}
    carried: dict[str, bytes] = {}
    still: dict[str, bool] = {}  # by folder: a moved package's files are many
    for path, data in _imports_moved(kept, moves, frozenset(sources), rewrite).items():
        folder, package = _nearest_package(path, packages)
        if package in moves:
            carried[f"{SHARED_FOLDER}/{moves[package].replace('.', '/')}/{path[len(folder) + 1:]}"] = data
            if folder not in still:
                still[folder] = _still_carried(folder, sources, moves)
            if not still[folder]:
                continue
        for service in folders:
            carried[f"{service}/{path}"] = data
    return carried


def _imports_moved(files: Mapping[str, bytes], moves: Mapping[str, str], modules: frozenset[str], rewrite: Rewrite) -> dict[str, bytes]:
    """``files`` with each Python file that is no module of the graph (a migration, a script) with
    its imports of modules that moved to the shared library following them (an Alembic revision
    importing the application's helpers); anything else, or a file that does not parse, byte for byte."""
    jobs: dict[str, ModuleJob] = {}
    for path, data in files.items() if moves else ():
        if not path.endswith(".py"):
            continue
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            continue
        module = path.removesuffix(".py").replace("/", ".").removesuffix(".__init__")
        jobs[path] = ModuleJob(module, text, path.endswith("/__init__.py"), in_graph=False)
    done = dict(zip(jobs, rewrite(Context(moves, modules), list(jobs.values())))) if jobs else {}
    return {path: data if path not in done or done[path].carried is None else done[path].carried.encode("utf-8") for path, data in files.items()}


def _nearest_package(path: str, packages: Mapping[str, str]) -> tuple[str, str]:
    """The folder of the package nearest around ``path`` and its dotted name (empty, outside any package)."""
    folder = path
    while "/" in folder:  # its parents as text, nearest first, as ``PurePosixPath(path).parents`` gives them (a Path each costs)
        folder = folder.rpartition("/")[0]
        if folder in packages:
            return folder, packages[folder]
    return (".", packages["."]) if "." in packages else ("", "")


def _still_carried(folder: str, sources: Mapping[str, ModuleSource], moves: Mapping[str, str]) -> bool:
    """Whether the services still carry a module in ``folder`` or below it."""
    return any(module not in moves and source.path.startswith(folder + "/") for module, source in sources.items())
