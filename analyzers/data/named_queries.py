"""READS / WRITES edges of aiosql: the code that runs a named query reads and writes its tables.

A loader (``queries = aiosql.from_path("sql", "psycopg")``) takes the .sql file or folder its
path names (a folder's subfolders become namespaces: ``queries.users.get_user``); a call of
``queries.get_user(conn, ...)``, in any module that resolves ``queries`` to that loader, gets
the tables of the query ``-- name: get-user`` there.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from analyzers.data.facts import QueryLoader
from analyzers.data.sql_files import NamedQuery


class _NamedQueries:
    """Mixin of the linker: the tables that calls of loaded queries read and write."""

    def _named_queries(self) -> None:
        loaded = {
            f"{module}.{loader.variable}": self._loaded(module, loader)
            for module, facts in sorted(self.facts.items()) for loader in facts.loaders
        }
        if not any(loaded.values()):
            return
        known = {name.lower(): name for name in self.tables}
        for module, facts in sorted(self.facts.items()):
            relpath = self._relpath(module)
            for call in facts.query_calls:
                query = self._query_called(module, call.called, loaded)
                if query is None:
                    continue
                source = f"{module}.{call.scope}" if call.scope else module
                self._table_edges(known, source, query.reads, query.writes, f"{relpath}:{call.line}")

    def _query_called(self, module: str, called: str, loaded: dict[str, dict[str, NamedQuery]]) -> NamedQuery | None:
        """The query ``queries.get_user`` (or ``db.queries.users.get_user``) runs, if the name
        before it resolves to a loader."""
        parts = called.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            resolved = self._resolve(module, ".".join(parts[:cut]))
            if resolved in loaded:
                return loaded[resolved].get(".".join(parts[cut:]))
        return None

    def _loaded(self, module: str, loader: QueryLoader) -> dict[str, NamedQuery]:
        """The queries a loader loads, by the name the code calls them (namespaced by subfolder)."""
        for target in self._loader_targets(module, loader):
            if target in self.sql_files:
                return {query.name: query for query in self.sql_files[target].queries}
            prefix = "" if target == "." else f"{target}/"
            inside = sorted(relpath for relpath in self.sql_files if relpath.startswith(prefix))
            if inside:
                found: dict[str, NamedQuery] = {}
                for relpath in inside:
                    folders = posixpath.dirname(relpath[len(prefix):]).split("/")
                    for query in self.sql_files[relpath].queries:
                        found.setdefault(".".join([*filter(None, folders), query.name]), query)
                return found
        return {}

    def _loader_targets(self, module: str, loader: QueryLoader) -> Iterator[str]:
        """Where a loader's path may point, relative to the analysed folder: beside the module; a
        path as written (relative to where the program runs) also from the import root or here."""
        file = self.project.files[module]
        folder = posixpath.dirname(file.relpath)
        bases = [folder] if loader.anchor == "module" else [folder, file.root, "."]
        for base in dict.fromkeys(bases):
            target = posixpath.normpath(posixpath.join(base, loader.path))
            if not target.startswith(".."):
                yield target
