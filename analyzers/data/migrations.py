"""Alembic migrations: the tables each one's ``upgrade`` creates, drops and renames.

Migrations are left out of the graph by default, but they define the schema: an application
whose tables exist only there (SQL through aiosql, say) has no models to find them by. The
link replays every migration in the order of their revisions (``replay``).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from analyzers.data.facts import MigrationFacts, TableChange, TableFact
from analyzers.data.fields import _table_columns, _table_fact
from analyzers.data.sql import schema_changes, without_comments
from analyzers.data.syntax import _called_name, _string
from analyzers.words import line_numbers


def looks_like_migration(source: str) -> bool:
    """A cheap test before the scan: an Alembic revision with an ``upgrade``."""
    return "def upgrade" in source and "revision" in source


def scan_migration(tree: ast.Module) -> MigrationFacts | None:
    """The revision, the revisions it follows, and the table changes of its upgrade; None for a
    module that is not an Alembic migration (no ``revision`` or no ``upgrade``)."""
    revisions: dict[str, ast.expr | None] = {}
    functions: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] = {}
    for statement in tree.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            functions[statement.name] = statement
        elif isinstance(statement, (ast.Assign, ast.AnnAssign)):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            for target in targets:
                if isinstance(target, ast.Name) and target.id in ("revision", "down_revision"):
                    revisions[target.id] = statement.value
    upgrades = [name for name in functions if name.startswith("upgrade")]
    if "revision" not in revisions or not upgrades:
        return None
    changes = [change for name in _reached(upgrades, functions) for change in _changes(functions[name])]
    down = revisions.get("down_revision")
    parents = down.elts if isinstance(down, (ast.Tuple, ast.List)) else [down]
    return MigrationFacts(
        _string(revisions["revision"]), tuple(p for p in map(_string, parents) if p), tuple(changes)
    )


def _reached(entries: list[str], functions: dict[str, ast.FunctionDef | ast.AsyncFunctionDef]) -> list[str]:
    """The module's functions that ``entries`` call, directly or not, with them, in file order:
    ``upgrade()`` calling ``create_users_table()``; ``downgrade`` and its helpers are left out."""
    reached: set[str] = set()
    pending = list(entries)
    while pending:
        name = pending.pop()
        if name in reached:
            continue
        reached.add(name)
        for node in ast.walk(functions[name]):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in functions:
                pending.append(node.func.id)
    return [name for name in functions if name in reached]


def _changes(function: ast.FunctionDef | ast.AsyncFunctionDef) -> Iterator[TableChange]:
    calls = sorted((node for node in ast.walk(function) if isinstance(node, ast.Call)),
                   key=lambda call: (call.lineno, call.col_offset))
    for call in calls:
        last = _called_name(call).rpartition(".")[2]
        first = _string(call.args[0]) if call.args else None
        schema = next((_string(k.value) for k in call.keywords if k.arg == "schema"), None)
        name = f"{schema}.{first}" if first and schema else first
        if last == "create_table" and name:
            created = TableFact(name, None, call.lineno, _table_columns(call.args[1:]))
            yield TableChange("create", name, call.lineno, created)
        elif last == "Table" and (table := _table_fact(call, None)):
            yield TableChange("create", table.name, call.lineno, table)  # sa.Table("bills", sa.MetaData(), ...)
        elif last == "drop_table" and name:
            yield TableChange("drop", name, call.lineno)
        elif last == "rename_table" and name and len(call.args) > 1 and (new := _string(call.args[1])):
            yield TableChange("rename", name, call.lineno, new_name=f"{schema}.{new}" if schema else new)
        elif last == "execute":
            yield from _executed(call.args)


def _executed(args: Iterable[ast.expr]) -> Iterator[TableChange]:
    """``op.execute("CREATE TABLE ...")``."""
    for arg in args:
        text = _string(arg)
        if text:
            code = without_comments(text)
            for kind, name, offset in schema_changes(code):
                yield TableChange(kind, name, arg.lineno + line_numbers(code, [offset])[0] - 1)


@dataclass(frozen=True)
class MigratedTable:
    """A table the migrations leave."""

    name: str
    relpath: str
    line: int
    """Where the migration that gave the table its name (by creating or renaming it) names it."""
    created: tuple[str, TableFact] | None = None
    """The path of the migration that created it, and what it created (the columns)."""


def replay(migrations: Iterable[tuple[str, MigrationFacts]]) -> dict[str, MigratedTable]:
    """The tables the migrations leave, by lower-case name, the migrations taken in the order of
    their revisions (by path where that order says nothing)."""
    tables: dict[str, MigratedTable] = {}
    for relpath, facts in _in_revision_order(migrations):
        for change in facts.changes:
            key = change.name.lower()
            if change.kind == "create":
                created = (relpath, change.table) if change.table is not None else None
                tables[key] = MigratedTable(change.name, relpath, change.line, created)
            elif change.kind == "drop":
                tables.pop(key, None)
            elif key in tables and change.new_name:
                renamed = tables.pop(key)
                tables[change.new_name.lower()] = MigratedTable(change.new_name, relpath, change.line, renamed.created)
    return tables


def _in_revision_order(migrations: Iterable[tuple[str, MigrationFacts]]) -> list[tuple[str, MigrationFacts]]:
    """Each migration after those it revises (a revision of an unknown one, or in a cycle, by path)."""
    pending = sorted(migrations, key=lambda m: m[0])
    known = {facts.revision for _, facts in pending if facts.revision}
    done: set[str] = set()
    ordered: list[tuple[str, MigrationFacts]] = []
    while pending:
        ready = next((m for m in pending if all(p in done or p not in known for p in m[1].down_revisions)), pending[0])
        pending.remove(ready)
        ordered.append(ready)
        if ready[1].revision:
            done.add(ready[1].revision)
    return ordered
