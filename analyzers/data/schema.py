"""Tables that the data files define: Alembic migrations and ``CREATE TABLE`` in .sql files.

The engine lists those files (``Project.data_files``) without making them modules of the graph;
the link reads them here. A table the code already defines (a model, a ``Table(...)``) keeps
the place it has there; the migrations come next, then the .sql files.
"""

from __future__ import annotations

import ast
import warnings

from analyzers.base import Skipped
from analyzers.data.facts import MigrationFacts, TableFact
from analyzers.data.migrations import looks_like_migration, replay, scan_migration
from analyzers.data.sql_files import SqlFile, read_sql_file


class _Schema:
    """Mixin of the linker: reads the data files, and adds the tables they define."""

    def _read_data_files(self) -> None:
        self.sql_files: dict[str, SqlFile] = {}
        self.migrations: list[tuple[str, MigrationFacts]] = [
            (self._relpath(module), facts.migration) for module, facts in sorted(self.facts.items()) if facts.migration
        ]
        for relpath in self.project.data_files:
            is_sql = relpath.endswith(".sql")
            if not is_sql and "versions" not in relpath.split("/")[:-1]:
                continue  # an Alembic migration lives in a versions folder; Django's define no tables of their own
            text = self._data_text(relpath)
            if text is None:
                continue
            if is_sql:
                self.sql_files[relpath] = read_sql_file(text)
            elif looks_like_migration(text):
                migration = self._migration(relpath, text)
                if migration:
                    self.migrations.append((relpath, migration))

    def _data_text(self, relpath: str) -> str | None:
        path = self.project.root / relpath
        limit = self.project.options.max_file_bytes
        try:
            size = path.stat().st_size
            if size > limit:
                reason = f"not read for tables: {size / 1e6:.1f} MB is over the {limit / 1e6:.1f} MB limit"
                self.out.skipped.append(Skipped(relpath, reason))
                return None
            return path.read_bytes().decode("utf-8", errors="replace")
        except OSError as error:
            self.out.skipped.append(Skipped(relpath, f"not read for tables: {error.strerror or error}"))
            return None

    def _migration(self, relpath: str, text: str) -> MigrationFacts | None:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # invalid escape sequences in old code
                return scan_migration(ast.parse(text, filename=relpath))
        except (SyntaxError, ValueError, RecursionError) as error:
            line = getattr(error, "lineno", None)
            reason = f"migration not read for tables: {type(error).__name__}: {error}"
            self.out.skipped.append(Skipped(relpath, reason, line))
            return None

    def _find_schema_tables(self) -> None:
        """Tables of the migrations (replayed in the order of their revisions) and of the .sql
        files that the code does not define."""
        self.schema_tables: list[tuple[str, str, TableFact]] = []
        """(table, the path of the migration that created it, what it created) of the tables the
        migrations define: their foreign keys."""
        known = {name.lower() for name in self.tables}
        for key, table in sorted(replay(self.migrations).items()):
            if key not in known:
                known.add(key)
                self._add_table(table.name, table.relpath, table.line)
                if table.created is not None:
                    self.schema_tables.append((table.name, *table.created))
        for relpath, found in sorted(self.sql_files.items()):
            for name, line in found.creates:
                if name.lower() not in known:
                    known.add(name.lower())
                    self._add_table(name, relpath, line)

    def _add_table(self, name: str, relpath: str, line: int) -> None:
        self.tables.setdefault(name, [])
        self.table_places.setdefault(name, (relpath, line))

    def _schema_foreign_keys(self) -> None:
        """Table-to-table foreign keys of the tables only the migrations define."""
        for name, relpath, table in self.schema_tables:
            for column in table.columns:
                for target in column.foreign_keys:
                    if target.kind == "string":
                        self._sa_reference("", target, f"{relpath}:{column.line}", name, column.name)
