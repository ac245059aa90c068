"""A monolith module as it appears inside one service, rewritten with libcst (formatting and
comments kept):

- imports of the shared library point at its package;
- foreign keys to tables another service owns are dropped (the key stays a plain column: the
  reference is kept in code, as the plan says);
- in a module another service owns (present so that names resolve), the route and event handlers
  are removed (the owner serves them) and each function this service calls, a handler too, has its
  body replaced by a call to the owner's internal endpoint, signature and docstring unchanged.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

import libcst as cst
from libcst.helpers import ensure_type

from generators.carry import carry_module
from generators.service.runtime.context import filled_by_owner


@dataclass(frozen=True)
class RemoteCall:
    service: str
    path: str
    idempotent: bool
    scheduled: bool = False


CALL_NAME = "_migrator_call"


def service_module(
    source: str, *, module: str, is_package: bool, moves: Mapping[str, str], drop_foreign_keys_to: Collection[str],
    remove: Collection[str] = (), remote: Mapping[str, RemoteCall] | None = None, client_module: str = "", carried: str | None = None,
) -> str:
    """``source`` of ``module`` as the service holds it (``carried``: its imports already moved)."""
    text = carried if carried is not None else carry_module(source, module=module, is_package=is_package, moves=moves).text
    remote = dict(remote or {})
    remove = {name for name in remove if f"def {name}" in text}
    if not (remove or remote or (drop_foreign_keys_to and "ForeignKey" in text)):
        return text
    return service_tree(cst.parse_module(text), drop_foreign_keys_to=drop_foreign_keys_to, remove=remove, remote=remote,
                        client_module=client_module).code


def service_tree(
    tree: cst.Module, *, drop_foreign_keys_to: Collection[str], remove: Collection[str], remote: Mapping[str, RemoteCall],
    client_module: str, only: Collection[int] | None = None,
) -> cst.Module:
    """A carried module's ``tree`` as ``service_module`` rewrites its text (``remove`` holding only
    names the text defines). ``only``: the indices of the top-level statements that define a
    function to remove or to call remotely, or name a table to drop (the others are left as they
    are, unvisited)."""
    rewriter = _ServiceRewriter(tree, set(drop_foreign_keys_to), set(remove), dict(remote))
    if only is None:
        tree = tree.visit(rewriter)
    else:
        body = list(tree.body)
        for index in sorted(only, reverse=True):  # a removed statement leaves the earlier indices as they are
            visited = body[index].visit(rewriter)
            body[index:index + 1] = [] if isinstance(visited, cst.RemovalSentinel) else [ensure_type(visited, cst.BaseStatement)]
        tree = tree.with_changes(body=body)
    if rewriter.replaced and client_module:
        tree = _add_import(tree, client_import(client_module))
    return tree


def rewrite_statements(
    tree: cst.Module, *, drop_foreign_keys_to: Collection[str], remote: Mapping[str, RemoteCall],
) -> tuple[cst.Module, int]:
    """Every statement of ``tree`` rewritten as ``service_tree`` rewrites it (no handler removed),
    without the import of the client; and how many functions became calls (the client is then
    to be imported, ``client_import``)."""
    rewriter = _ServiceRewriter(tree, set(drop_foreign_keys_to), set(), dict(remote))
    return tree.visit(rewriter), rewriter.replaced


def client_import(client_module: str) -> str:
    """The statement that imports the call a copy makes to the owner of a function (no line end)."""
    return f"from {client_module} import call as {CALL_NAME}"


def _table_of(call: cst.Call) -> str | None:
    """``products`` for ``ForeignKey("products.id")`` (any spelling of the callee)."""
    func = call.func
    name = func.value if isinstance(func, cst.Name) else func.attr.value if isinstance(func, cst.Attribute) else ""
    if name != "ForeignKey" or not call.args:
        return None
    first = call.args[0].value
    if isinstance(first, cst.SimpleString):
        target = first.evaluated_value
        if isinstance(target, bytes):
            target = target.decode()
        return target.rsplit(".", 1)[0] if "." in target else None
    return None


class _ServiceRewriter(cst.CSTTransformer):
    def __init__(self, module: cst.Module, drop: set[str], remove: set[str], remote: dict[str, RemoteCall]) -> None:
        self.module, self.drop, self.remove, self.remote = module, drop, remove, remote
        self.depth = 0
        self.replaced = 0

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.depth += 1
        return bool(self.drop)  # inside, only a foreign key can change (a nested function is never replaced)

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        self.depth += 1
        return bool(self.drop)

    def leave_ClassDef(self, original: cst.ClassDef, updated: cst.ClassDef) -> cst.ClassDef:
        self.depth -= 1
        return updated

    def leave_FunctionDef(self, original: cst.FunctionDef, updated: cst.FunctionDef) -> cst.FunctionDef | cst.RemovalSentinel:
        self.depth -= 1
        if self.depth:
            return updated
        name = updated.name.value
        call = self.remote.get(name)
        if call is None:
            # a handler the service does not call is its owner's to serve: gone from the copy
            return cst.RemoveFromParent() if name in self.remove else updated
        self.replaced += 1
        return updated.with_changes(decorators=(), body=self._remote_body(updated, call))

    def _remote_body(self, function: cst.FunctionDef, call: RemoteCall) -> cst.IndentedBlock:
        params = function.params
        names = []
        for param in [*params.posonly_params, *params.params, *params.kwonly_params]:
            annotation = self.module.code_for_node(param.annotation.annotation) if param.annotation else ""
            if filled_by_owner(param.name.value, annotation):
                continue  # the owner fills in its own session and settings
            names.append(param.name.value)
        arguments = "{" + ", ".join(f"{n!r}: {n}" for n in names) + "}"
        if isinstance(params.star_kwarg, cst.Param):
            arguments += f" | {params.star_kwarg.name.value}"
        statements: list[cst.BaseStatement] = []
        body = function.body.body if isinstance(function.body, cst.IndentedBlock) else ()
        if body and isinstance(body[0], cst.SimpleStatementLine) and isinstance(body[0].body[0], cst.Expr) \
                and isinstance(body[0].body[0].value, (cst.SimpleString, cst.ConcatenatedString)):
            statements.append(body[0])
        scheduled = ", scheduled=True" if call.scheduled else ""
        statements.append(cst.parse_statement(
            f"return {CALL_NAME}({call.service!r}, {call.path!r}, {arguments}, idempotent={call.idempotent}{scheduled})"
            f"  # served by the {call.service} service{' (and run by its scheduler)' if call.scheduled else ''}\n"
        ))
        return cst.IndentedBlock(body=statements)

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        if not self.drop:
            return updated
        kept = [a for a in updated.args if not (isinstance(a.value, cst.Call) and _table_of(a.value) in self.drop)]
        if len(kept) == len(updated.args):
            return updated
        if kept and updated.args and kept[-1] is not updated.args[-1]:
            kept[-1] = kept[-1].with_changes(comma=updated.args[-1].comma)
        return updated.with_changes(args=kept)


def _add_import(tree: cst.Module, statement: str) -> cst.Module:
    """Insert an import after the docstring and ``from __future__`` imports."""
    body = list(tree.body)
    index = 0
    while index < len(body):
        line = body[index]
        if isinstance(line, cst.SimpleStatementLine) and (
            (index == 0 and isinstance(line.body[0], cst.Expr) and isinstance(line.body[0].value, (cst.SimpleString, cst.ConcatenatedString)))
            or (isinstance(line.body[0], cst.ImportFrom) and isinstance(line.body[0].module, cst.Name) and line.body[0].module.value == "__future__")
        ):
            index += 1
            continue
        break
    body.insert(index, cst.parse_statement(statement + "\n"))
    return tree.with_changes(body=body)
