"""Git co-change: modules that keep changing in the same commits belong together.

Reads the last ``options.history_commits`` non-merge commits of the repository that holds the
analysed folder (the folder may be a subfolder of the repository) with one ``git log``, maps
every changed ``.py`` file to its module, and emits one CO_CHANGES edge per pair of modules
changed together at least ``options.co_change_min`` times: ``a -> b`` with ``a < b`` (one
direction; the relation is symmetric), ``weight`` and ``attrs["commits"]`` the number of shared
commits, ``attrs["support"]`` that number divided by the changes of the less changed module,
and the short hashes of the latest shared commits as evidence.

Commits that touch more than ``MASS_EDIT_FILES`` Python files (reformatting, renames of a
package, licence headers) say nothing about design and are left out. Renames are followed at no
extra cost: ``git log`` detects them anyway (``diff.renames``), and with ``--name-status`` a
commit that moved ``old.py`` to ``new.py`` lets older commits of ``old.py`` count for the module
that ``new.py`` is now. No repository, no git, or a failing git give a note, never an error.
"""

from __future__ import annotations

import subprocess
from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path, PurePosixPath

from analyzers.base import Analyzer, Contribution, Project
from migrator.model.facts import Edge, EdgeKind
from migrator.pickled import load, save

MASS_EDIT_FILES = 50
"""A commit changing more Python files than this is a mass edit and is ignored."""
EVIDENCE_COMMITS = 5
GIT_TIMEOUT_SECONDS = 120
HISTORY_FILE = "history.pickle"
"""The commits read last time, under the analysis' cache folder, kept for the HEAD they were read at."""


class GitUnavailable(Exception):
    """git could not tell us the history; the message is the note for the user."""


@dataclass(frozen=True)
class Commit:
    sha: str
    changed: tuple[str, ...]
    """Paths relative to the repository's top level, as they are now (renames followed)."""


@dataclass
class CoChanges:
    """How often each module changed, and each pair of modules together (newest commit first)."""

    changes: Counter[str] = field(default_factory=Counter)
    together: dict[tuple[str, str], list[str]] = field(default_factory=dict)


def _git(args: list[str], cwd: Path, *, ok: tuple[int, ...] = (0,)) -> str:
    try:
        completed = subprocess.run(
            ["git", "-c", "core.quotePath=off", *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=GIT_TIMEOUT_SECONDS,
            check=False,
        )
    except FileNotFoundError:
        raise GitUnavailable("git is not installed") from None
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise GitUnavailable(f"git failed ({type(exc).__name__}: {exc})") from None
    if completed.returncode not in ok:
        first = (completed.stderr.strip().splitlines() or ["no message"])[0]
        raise GitUnavailable(f"git {args[0]} failed: {first}")
    return completed.stdout


def top_and_head(root: Path) -> tuple[Path, str] | None:
    """The top folder of the git work tree holding ``root`` and the commit its HEAD is at ("" before
    the first commit), from one git process; None if ``root`` is in no work tree."""
    try:
        output = _git(["rev-parse", "--show-toplevel", "--verify", "-q", "HEAD"], root, ok=(0, 1))  # 1: no HEAD commit yet
    except GitUnavailable as exc:
        if "not a git repository" in str(exc):
            return None
        raise
    lines = output.splitlines()
    return Path(lines[0].strip()).resolve(), (lines[1].strip() if len(lines) > 1 else "")


def kept_commits(top: Path, head: str, count: int, cache_dir: Path | None) -> list[Commit]:
    """``read_commits``, kept under ``cache_dir`` for the HEAD they were read at: the history of a
    commit never changes, and a regeneration after a decomposition edit need not read it again
    (git's process and the parse: a fifth of a warm analysis on saleor)."""
    if not head:
        return []
    key = f"{HistoryAnalyzer.version}:{top}:{head}:{count}"
    path = cache_dir / HISTORY_FILE if cache_dir is not None else None
    kept = load(path, key, list, None)
    if kept is not None:
        return kept
    commits = read_commits(top, count)
    if path is not None:
        save(path, key, commits)
    return commits


def read_commits(top: Path, count: int) -> list[Commit]:
    """The last ``count`` non-merge commits, newest first, with renames followed to today's paths."""
    try:
        output = _git(
            ["log", "-n", str(count), "--no-merges", "--name-status", "--find-renames", "--format=%x00%H"],
            top,
        )
    except GitUnavailable as exc:
        if "does not have any commits" in str(exc):
            return []
        raise
    commits: list[Commit] = []
    renamed_to: dict[str, str] = {}  # an old path -> the path it has today
    for chunk in output.split("\x00")[1:]:
        lines = chunk.strip("\n").split("\n")
        sha, changed = lines[0].strip(), []
        for line in lines[1:]:
            status, *paths = line.split("\t")
            if not paths:
                continue
            current = renamed_to.get(paths[-1], paths[-1])
            changed.append(current)
            if status.startswith("R") and len(paths) == 2:
                # commits older than this one knew the file by its old name
                renamed_to[paths[0]] = current
        commits.append(Commit(sha, tuple(changed)))
    return commits


def count_co_changes(commits: list[Commit], module_of: dict[str, str]) -> CoChanges:
    """Count changes per module and per pair, skipping mass edits."""
    counted = CoChanges()
    for commit in commits:
        python = [p for p in commit.changed if p.endswith(".py")]
        if len(python) > MASS_EDIT_FILES:
            continue
        modules = sorted({module_of[p] for p in python if p in module_of})
        counted.changes.update(modules)
        for pair in combinations(modules, 2):
            counted.together.setdefault(pair, []).append(commit.sha)
    return counted


def co_change_edges(counted: CoChanges, minimum: int) -> list[Edge]:
    edges = []
    for (a, b), shas in sorted(counted.together.items()):
        if len(shas) < minimum:
            continue
        support = len(shas) / min(counted.changes[a], counted.changes[b])
        evidence = tuple(sha[:7] for sha in shas[:EVIDENCE_COMMITS])
        attrs = {"commits": len(shas), "support": round(support, 3)}
        edges.append(Edge(a, b, EdgeKind.CO_CHANGES, float(len(shas)), evidence, attrs))
    return edges


def _module_paths(project: Project, top: Path) -> dict[str, str]:
    """Each analysed file's path relative to the repository top, mapped to its module."""
    try:
        prefix = PurePosixPath(project.root.resolve().relative_to(top).as_posix())
    except ValueError:  # git answered with a top level that does not hold the root (symlinks)
        raise GitUnavailable(f"{project.root} is not inside the work tree {top}") from None
    paths = {}
    for module, file in project.files.items():
        path = prefix / file.relpath
        paths[path.as_posix().removeprefix("./")] = module
    return paths


class HistoryAnalyzer(Analyzer):
    """Modules changed together in git history (no per-file scan)."""

    name = "history"
    version = 1
    cacheable = False  # the history changes without any file changing

    def link(self, project: Project) -> Contribution:
        contribution = Contribution()
        commits = project.options.history_commits
        if commits <= 0:
            return contribution
        try:
            found = top_and_head(project.root)
            if found is None:
                contribution.notes.append(f"history: {project.root} is not a git repository; co-change skipped")
                return contribution
            top, head = found
            history = kept_commits(top, head, commits, project.cache_dir if project.options.use_cache else None)
            module_of = _module_paths(project, top)
        except GitUnavailable as exc:
            contribution.notes.append(f"history: {exc}; co-change skipped")
            return contribution
        counted = count_co_changes(history, module_of)
        contribution.edges.extend(co_change_edges(counted, project.options.co_change_min))
        return contribution
