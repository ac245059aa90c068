"""The per-file scan: candidate sites from the statements that span a trigger line."""

from __future__ import annotations

import ast
from bisect import bisect_left
from collections.abc import Iterable

from analyzers.events.facts import Arg, Site
from analyzers.events.triggers import _interesting_call, _is_construct, is_schedule_decorator, is_schedule_name
from analyzers.events.vocabulary import BEAT_NAMES, SIGNAL_DECORATORS, SUBSCRIBE_DECORATORS, TASK_DECORATORS
from analyzers.events.written import _arg, _beat_entries, _beat_update, _chain, _join, _last, _unparse
from analyzers.names import dotted


class _Scanner:
    """Walks only the statements that span a trigger line, and records candidate sites."""

    def __init__(self, lines: list[int]) -> None:
        self.lines = lines
        self.sites: list[Site] = []

    def _touches(self, node: ast.AST) -> bool:
        start = getattr(node, "lineno", None)
        if start is None:
            return True
        for decorator in getattr(node, "decorator_list", ()):
            start = min(start, decorator.lineno)
        index = bisect_left(self.lines, start)
        return index < len(self.lines) and self.lines[index] <= (node.end_lineno or start)

    def body(self, statements: Iterable[ast.AST], scope: str, in_function: bool) -> None:
        for statement in statements:
            if self._touches(statement):
                self.statement(statement, scope, in_function)

    def statement(self, node: ast.AST, scope: str, in_function: bool) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self._function(node, scope, in_function)
        elif isinstance(node, ast.ClassDef):
            inner = scope if in_function else _join(scope, node.name)
            self._class_bases(node, inner, in_function)
            self.body(node.body, inner, in_function)
        else:
            if isinstance(node, (ast.Assign, ast.AnnAssign)):
                self._assignment(node, scope, in_function)
            self._children(node, scope, in_function)

    def _children(self, node: ast.AST, scope: str, in_function: bool) -> None:
        for _, value in ast.iter_fields(node):
            if isinstance(value, list):
                for item in value:
                    if isinstance(item, (ast.stmt, ast.excepthandler, ast.match_case)):
                        if self._touches(item):
                            self.statement(item, scope, in_function)
                    elif isinstance(item, ast.expr):
                        self.expression(item, scope)
            elif isinstance(value, ast.expr):
                self.expression(value, scope)

    def _class_bases(self, node: ast.ClassDef, qualified: str, in_function: bool) -> None:
        """Bases of signal classes, generic ones included (``PluginSignal[Event]``)."""
        if in_function:
            return
        bases = [dotted(b.value if isinstance(b, ast.Subscript) else b) for b in node.bases]
        if any(b and "ignal" in _last(b) for b in bases):
            self.sites.append(Site("class", qualified, "", node.lineno, tuple(Arg("name", b) for b in bases if b)))

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef, scope: str, in_function: bool) -> None:
        # a nested function is no node of the graph: its facts belong to the enclosing one
        qualified = scope if in_function else _join(scope, node.name)
        for decorator in node.decorator_list:
            self._decorator(decorator, qualified)
            if isinstance(decorator, ast.Call):  # the decorator call itself is no call site
                for argument in [*decorator.args, *(k.value for k in decorator.keywords)]:
                    self.expression(argument, scope)
        for default in [*node.args.defaults, *(d for d in node.args.kw_defaults if d is not None)]:
            self.expression(default, scope)
        self.body(node.body, qualified, True)

    def _decorator(self, node: ast.expr, qualified: str) -> None:
        call = node if isinstance(node, ast.Call) else None
        chain = _chain(call.func if call else node)
        if not chain or chain.endswith(")"):
            return
        name = _last(chain)
        known = name in TASK_DECORATORS or name in SUBSCRIBE_DECORATORS or name in SIGNAL_DECORATORS
        if not known and not is_schedule_name(name):
            return
        keep_text = is_schedule_decorator(name)
        self.sites.append(self._site("decorator", qualified, chain, node.lineno, call, keep_text=keep_text))

    def _site(
        self,
        kind: str,
        scope: str,
        chain: str,
        line: int,
        call: ast.Call | None,
        *,
        keep_text: bool = False,
        text: str = "",
    ) -> Site:
        if call is None:
            return Site(kind, scope, chain, line, text=text)
        receiver = call.func.value if isinstance(call.func, ast.Attribute) else None
        receiver_args = tuple(_arg(a) for a in receiver.args) if isinstance(receiver, ast.Call) else ()
        return Site(
            kind, scope, chain, line,
            tuple(_arg(a, keep_text=keep_text) for a in call.args),
            tuple((k.arg, _arg(k.value, keep_text=keep_text)) for k in call.keywords if k.arg),
            receiver_args,
            text,
        )

    def _assignment(self, node: ast.Assign | ast.AnnAssign, scope: str, in_function: bool) -> None:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        value = node.value
        for target in targets:
            written = dotted(target)
            if written and _last(written) in BEAT_NAMES and isinstance(value, ast.Dict):
                self.sites.append(Site("beat", scope, written, node.lineno, _beat_entries(value)))
            elif isinstance(target, ast.Name) and not in_function and isinstance(value, ast.Call):
                chain = _chain(value.func)
                if chain and _is_construct(_last(chain)):
                    self.sites.append(self._site("assign", _join(scope, target.id), chain, node.lineno, value))

    def expression(self, node: ast.expr, scope: str) -> None:
        for child in ast.walk(node):
            if type(child) is ast.Call:
                self._call(child, scope)

    def _call(self, call: ast.Call, scope: str) -> None:
        chain = _chain(call.func)
        if not chain or chain.endswith(")"):
            return
        name = _last(chain)
        if not _interesting_call(name, chain, call):
            return
        if name == "update":
            beat = _beat_update(chain, call)
            if beat:
                self.sites.append(Site("beat", scope, chain, call.lineno, beat))
            return
        # ``schedule.every(10).minutes.do(fn)``: the schedule is the chain before ``do``
        text = _unparse(call.func.value) if name == "do" and isinstance(call.func, ast.Attribute) else ""
        keep_text = name == "add_periodic_task" or is_schedule_name(name)
        self.sites.append(self._site("call", scope, chain, call.lineno, call, keep_text=keep_text, text=text))
