"""Scan of reads and writes: ORM queries, session operations and SQL strings per scope."""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from analyzers.base import ParsedModule
from analyzers.data.facts import Access, DataFacts, SqlUse
from analyzers.data.local_types import _LocalTypes
from analyzers.data.scopes import MIN_SQL_LENGTH, _Hints, _scopes, _walk
from analyzers.data.sql import _sql_tables
from analyzers.data.syntax import _called_name, _chain, _looks_like_session, _model_expressions
from analyzers.data.vocab import (
    COLLECTION_ADDS,
    DJANGO_READ_METHODS,
    DJANGO_WRITE_METHODS,
    READS,
    SA_CLAUSES,
    SA_STATEMENTS,
    SESSION,
    SESSION_MAPPINGS,
    SESSION_READS,
    SESSION_STATEMENTS,
    SESSION_WRITES,
    SQL_START,
    USER,
    WRITES,
)
from analyzers.names import dotted


def _scan_uses(module: ParsedModule, facts: DataFacts) -> None:
    hints = _Hints(module.source)
    for scope, roots, docstrings in _scopes(module.tree):
        if hints.within(roots):
            _ScopeScanner(scope, roots, docstrings, facts).run()


class _ScopeScanner(_LocalTypes):
    """Finds the ORM reads and writes and the SQL strings of one scope."""

    def __init__(self, scope: str, roots: list[ast.AST], docstrings: set[int], facts: DataFacts) -> None:
        self.scope = scope
        self.nodes = _walk(roots)
        self.skip = set(docstrings)
        self.facts = facts
        self.types: dict[str, list[tuple[int, str | None]]] = defaultdict(list)

    def run(self) -> None:
        self._learn_types()
        skip = self.skip
        for node in self.nodes:
            kind = type(node)
            if id(node) in skip:
                continue
            if kind is ast.Call:
                self._call(node)
            elif kind is ast.Assign or kind is ast.AugAssign or kind is ast.AnnAssign:
                self._mutation(node)
            elif kind is ast.Constant:
                self._string(node.value, node.lineno)
            elif kind is ast.JoinedStr:
                self.skip.update(id(v) for v in node.values)
                text = "".join(v.value if isinstance(v, ast.Constant) else " {} " for v in node.values)
                self._string(text, node.lineno)

    def _mutation(self, node: ast.Assign | ast.AugAssign | ast.AnnAssign) -> None:
        """``order.status = "paid"`` on a loaded instance: SQLAlchemy flushes it as an UPDATE."""
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id != "self":
                known = self._type_of(target.value.id, node.lineno)
                if known not in (None, SESSION, USER):
                    self._emit(known, WRITES, node.lineno, mutation=True)

    def _emit(self, target: str, mode: str, line: int, **guards: Any) -> None:
        self.facts.accesses.append(Access(self.scope, target, mode, line, **guards))


    # -- calls ----------------------------------------------------------------------------------

    def _call(self, call: ast.Call) -> None:
        head, links = _chain(call)
        self.skip.update(id(inner) for _, inner in links[:-1])
        line = call.lineno
        if isinstance(head, ast.Call):
            self.skip.add(id(head))
            self._function(_called_name(head), head, links, line)
            return
        name = dotted(head)
        if name is None and isinstance(head, ast.Attribute) and isinstance(head.value, ast.Call):
            if _called_name(head.value).endswith("get_user_model"):  # get_user_model().objects.filter()
                self._emit(USER, _manager_mode(links), line, manager=head.attr)
            return
        if name and links:
            self._named(name, links, line)

    def _named(self, name: str, links: list[tuple[str, ast.Call]], line: int) -> None:
        parts = name.split(".")
        methods = {method for method, _ in links}
        known = self._type_of(parts[0], line) if parts[0] not in ("self", "cls") else None
        if len(parts) == 1 and known not in (None, SESSION, USER):
            mode = WRITES if methods & DJANGO_WRITE_METHODS else READS if methods & DJANGO_READ_METHODS else None
            if mode:
                self._emit(known, mode, line)
            return
        if len(parts) == 2 and known not in (None, SESSION, USER) and links[0][0] in COLLECTION_ADDS:
            for target in self._instances(links[0][1].args, line):  # order.lines.append(OrderLine(...))
                self._emit(target, WRITES, line, mutation=True)
            return
        if name == "self":
            if methods & {"save", "delete", "asave", "adelete"}:
                self._emit("self", WRITES, line)
            return
        session = known == SESSION or (known is None and _looks_like_session(name))
        if session and self._session(links, line):
            return
        if len(parts) > 1 and not parts[-1].startswith("__") and (owner := self._manager_owner(parts, line)):
            self._emit(owner, _manager_mode(links), line, manager=parts[-1])
            return
        first, first_call = links[0]
        if first in SA_STATEMENTS and not first_call.args:
            self._emit(name, SA_STATEMENTS[first], line, table_only=True)  # orders_table.insert()
            return
        self._function(f"{name}.{first}", first_call, links[1:], line)

    def _session(self, links: list[tuple[str, ast.Call]], line: int) -> bool:
        operation, call = links[0]
        if operation == "query":
            mode = WRITES if {"update", "delete"} & {m for m, _ in links[1:]} else READS
            for target in _model_expressions(call.args):
                self._emit(target, mode, line)
            self._clauses(links[1:], line, None)
        elif operation in SESSION_READS:
            for target in _model_expressions(call.args[:1]):
                self._emit(target, READS, line)
        elif operation in SESSION_WRITES:
            for target in self._instances(call.args[:1], line):
                self._emit(target, WRITES, line)
        elif operation in SESSION_MAPPINGS:
            for target in _model_expressions(call.args[:1]):
                self._emit(target, WRITES, line)
        else:
            return operation in SESSION_STATEMENTS
        return True

    def _instances(self, args: list[ast.expr], line: int) -> Iterator[str]:
        """The models of objects handed to ``session.add`` (constructed there or known locals)."""
        for arg in args:
            if isinstance(arg, (ast.List, ast.Tuple, ast.Set)):
                yield from self._instances(arg.elts, line)
            elif isinstance(arg, (ast.ListComp, ast.GeneratorExp, ast.SetComp)):
                yield from self._instances([arg.elt], line)
            else:
                known = self._yields(arg, line)
                if known and known not in (SESSION,):
                    yield known

    def _clauses(self, links: list[tuple[str, ast.Call]], line: int, via: str | None) -> None:
        for method, call in links:
            if method in SA_CLAUSES:
                for target in _model_expressions(call.args):
                    self._emit(target, READS, line, via=via)

    def _function(self, called: str, call: ast.Call, links: list[tuple[str, ast.Call]], line: int) -> None:
        last = called.rpartition(".")[2]
        methods = {method for method, _ in links}
        if last in SA_STATEMENTS and call.args:
            mode = SA_STATEMENTS[last]
            targets = _model_expressions(call.args) if mode == READS else _model_expressions(call.args[:1])
            for target in targets:
                self._emit(target, mode, line, via=called)
            self._clauses(links, line, called)
        elif last in ("get_object_or_404", "get_list_or_404") and call.args:
            first = call.args[0]
            is_user = isinstance(first, ast.Call) and _called_name(first).endswith("get_user_model")
            for target in [USER] if is_user else _model_expressions([first]):
                self._emit(target, READS, line, via=called)
        elif called == "super" and methods & {"save", "delete", "asave", "adelete"}:
            self._emit("self", WRITES, line)
        elif last[:1].isupper() and methods & {"save", "asave"}:
            self._emit(called, WRITES, line)

    # -- SQL --------------------------------------------------------------------------------------

    def _string(self, text: str, line: int) -> None:
        if len(text) < MIN_SQL_LENGTH or not SQL_START.match(text):
            return
        reads, writes = _sql_tables(text)
        if reads or writes:
            self.facts.sql.append(SqlUse(self.scope, line, reads, writes))


def _manager_mode(links: list[tuple[str, ast.Call]]) -> str:
    return WRITES if any(method in DJANGO_WRITE_METHODS for method, _ in links) else READS
