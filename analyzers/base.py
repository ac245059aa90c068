"""The plugin interface every analyzer implements, and the values that cross it."""

from __future__ import annotations

import ast
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from migrator.model.facts import Edge, Node

if TYPE_CHECKING:
    from analyzers.names import NameResolver

SUMMARY = "summary"
"""The ``summary_view`` of a link that reads every module's whole summary (``names.summarize``)."""
IMPORT_STATEMENTS = "import-statements"
"""The ``summary_view`` of a link that reads only the summaries' import statements and their
lines (``names.imports_digest``)."""


@dataclass(frozen=True)
class SourceFile:
    """A Python file of the analysed tree and the module name it is imported by."""

    path: Path
    relpath: str
    """Path relative to the analysed folder, with forward slashes: what graph.json shows."""
    module: str
    is_package: bool
    root: str
    """The import root (relative to the analysed folder, "." for itself) the module lives under."""


@dataclass(frozen=True)
class ParsedModule:
    """A file read and parsed once, handed to every analyzer's ``scan``."""

    file: SourceFile
    source: str
    tree: ast.Module

    @property
    def module(self) -> str:
        return self.file.module

    def place(self, node: ast.AST | int) -> str:
        """``relpath:line`` of an AST node (or a line number), for edge evidence."""
        line = node if isinstance(node, int) else getattr(node, "lineno", 0)
        return f"{self.file.relpath}:{line}"


@dataclass(frozen=True)
class Skipped:
    """A file (or a part of the analysis) left out, and why; shown to the user in the summary."""

    relpath: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.relpath}:{self.line}" if self.line else self.relpath
        return f"{where}: {self.reason}"


@dataclass
class Contribution:
    """What one analyzer adds to the graph."""

    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """Messages for the summary that are not about one file (e.g. "not a git repository")."""
    reads: frozenset[str] | None = None
    """A per-module link's: the modules whose summaries it read (``NameResolver.reading``).
    A later run keeps it while none of them changes what it shows other modules. None: unknown."""


@dataclass(frozen=True)
class AnalysisOptions:
    """Settings that analyzers may read; defaults suit most projects."""

    history_commits: int = 500
    """How many commits of git history the co-change analyzer reads (0 turns it off)."""
    co_change_min: int = 3
    """Two files must change together at least this often to get a co_changes edge."""
    max_file_bytes: int = 2_000_000
    """Larger files are skipped as generated code."""
    workers: int = 0
    """Processes that scan files; 0 picks the number of cores. 1 keeps the whole analysis in one
    process (no forked child shares the link either)."""
    cache_dir: Path | None = None
    """Where per-file results are cached; None picks the user's cache folder."""
    use_cache: bool = True


WARNING_NOTE = "warning: "
"""A note that says a result looks wrong: the commands print it as a warning, not as a note."""


def warning_note(text: str) -> str:
    return WARNING_NOTE + text


def split_notes(notes: Iterable[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(notes, warnings) of a run."""
    notes = list(notes)
    return (tuple(n for n in notes if not n.startswith(WARNING_NOTE)),
            tuple(n.removeprefix(WARNING_NOTE) for n in notes if n.startswith(WARNING_NOTE)))


class Project:
    """What an analyzer's ``link`` sees: every file, every analyzer's per-file facts, names."""

    def __init__(
        self,
        root: Path,
        files: Mapping[str, SourceFile],
        facts: Mapping[str, Mapping[str, Any]],
        names: NameResolver,
        options: AnalysisOptions,
        *,
        cache_dir: Path | None = None,
        data_files: tuple[str, ...] = (),
    ) -> None:
        self.root = root
        self.cache_dir = cache_dir
        """A folder this run may keep caches in (the import analyzer keeps grimp's there)."""
        self.data_files = data_files
        """Paths (relative to ``root``) of files that are no modules but describe the data: .sql
        files and the migrations the excludes leave out. A link may read them; a warm run links
        again when one of them changes."""
        self.files = files
        """Every parsed module, by dotted module name."""
        self._facts = facts
        self.names = names
        self.options = options

    def facts(self, analyzer: str) -> Mapping[str, Any]:
        """The per-file facts that the analyzer named ``analyzer`` scanned, by module name."""
        return self._facts.get(analyzer, {})


class Analyzer(ABC):
    """A plugin that finds one kind of fact.

    ``scan`` runs once per file, in a worker process; what it returns must pickle (it is
    cached by the file's content hash, so it may depend only on the ``ParsedModule``).
    ``link`` runs once, in the main process, and turns all files' facts into nodes and edges,
    resolving names across modules with ``project.names``. Neither should raise for a problem
    in the analysed code: report it as a ``Skipped`` instead.
    """

    name: ClassVar[str]
    version: ClassVar[int] = 1
    """Bump when ``scan`` changes, so that cached per-file facts are recomputed."""
    cacheable: ClassVar[bool] = True
    """``link`` depends on nothing but the scanned files, the data files (``Project.data_files``)
    and the options, so a warm run reuses its contribution while they are unchanged. False for
    an analyzer that reads more (git)."""
    per_module: ClassVar[bool] = False
    """``link`` is the concatenation of ``link_module`` over the modules (in ``project.files``
    order), and a module's part reads other modules only through ``project.names``, and of
    them only what ``names.interface_digest`` covers. A warm run then relinks only the changed
    modules, and those that read a module whose interface changed (``Contribution.reads``)."""
    summary_view: ClassVar[str] = SUMMARY
    """What a cacheable whole-program ``link`` reads of the modules' summaries, by the name of
    the per-file digest that covers it: ``SUMMARY`` (all of it), or ``IMPORT_STATEMENTS`` (the
    import statements and their lines, ``names.imports_digest``). A warm run reuses the link
    while that digest of every file, and the analyzer's own facts, are unchanged."""
    link_apart: ClassVar[bool] = False
    """``link`` is worth a forked child of its own when no child shares the per-module link
    (a warm run after an interface change): set on the costliest whole-program link."""

    def scan(self, module: ParsedModule) -> Any:
        return None

    @abstractmethod
    def link(self, project: Project) -> Contribution: ...

    def link_module(self, project: Project, module: str) -> Contribution:
        """The part of ``link`` that ``module`` contributes (analyzers with ``per_module``)."""
        raise NotImplementedError
