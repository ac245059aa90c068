"""Scan of definitions: class bodies, module assignments, return annotations."""

from __future__ import annotations

import ast
from typing import Any

from analyzers.data.facts import ClassFact, DataFacts, FieldFact, TableFact
from analyzers.data.fields import _annotated_class, _field_fact, _mapped, _table_fact
from analyzers.data.syntax import _blocks, _called_name, _qualify, _string
from analyzers.data.vocab import ANNOTATION, MODULE_NAME, SA_BASE_FACTORIES
from analyzers.names import dotted


def _scan_definitions(body: list[ast.stmt], prefix: str, facts: DataFacts) -> None:
    for statement in body:
        if isinstance(statement, ast.ClassDef):
            found = _class_fact(statement, _qualify(prefix, statement.name))
            # a class without bases matters only as a mixin that declares columns
            if statement.bases or statement.decorator_list or found.fields or found.has_meta:
                facts.classes.append(found)
        elif isinstance(statement, (ast.Assign, ast.AnnAssign)) and not prefix:
            _module_assignment(statement, facts)
        elif isinstance(statement, (ast.If, ast.Try)):
            for block in _blocks(statement):
                _scan_definitions(block, prefix, facts)


def _scan_returns(body: list[ast.stmt], prefix: str, returns: dict[str, str]) -> None:
    """Return annotations naming a class, so that ``order = get_order(...)`` gets a type."""
    for statement in body:
        if isinstance(statement, ast.ClassDef):
            _scan_returns(statement.body, _qualify(prefix, statement.name), returns)
        elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)) and statement.returns is not None:
            found = _annotated_class(statement.returns)
            if found and found.kind == "name":
                returns[_qualify(prefix, statement.name)] = found.text


def _module_assignment(statement: ast.Assign | ast.AnnAssign, facts: DataFacts) -> None:
    targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
    names = [t.id for t in targets if isinstance(t, ast.Name)]
    value = statement.value
    if not names or value is None:
        return
    if isinstance(value, ast.Constant) and isinstance(value.value, str) and "AUTH_USER_MODEL" in names:
        facts.user_model = value.value
    elif isinstance(value, ast.Call):
        called = _called_name(value)
        last = called.rpartition(".")[2]
        if last in SA_BASE_FACTORIES or last.endswith("SQLAlchemy") or last == "get_user_model":
            facts.assignments.extend((name, called) for name in names)
        elif last == "Table":
            table = _table_fact(value, names[0])
            if table:
                facts.tables.append(table)


def _class_fact(node: ast.ClassDef, qualified: str) -> ClassFact:
    fields: list[FieldFact] = []
    literals: dict[str, Any] = {}
    managers: list[str] = []
    meta: dict[str, Any] = {}
    has_meta = meta_extends = False
    table: TableFact | None = None
    model_attr: str | None = None
    for statement in node.body:
        if isinstance(statement, ast.ClassDef) and statement.name == "Meta":
            has_meta, meta_extends = True, bool(statement.bases)
            meta = _literals(statement.body)
            continue
        name, annotation, value = _assigned(statement)
        if name is None:
            continue
        if isinstance(value, ast.Constant):
            literals[name] = value.value
        elif isinstance(value, ast.Name) and value.id == "__name__":
            literals[name] = MODULE_NAME  # an AppConfig in the app's __init__: name = __name__
        elif name == "__table_args__":
            literals["schema"] = _schema(value)
        elif name == "model" and isinstance(value, (ast.Name, ast.Attribute)):
            model_attr = dotted(value)
        elif isinstance(value, ast.Call):
            called = _called_name(value)
            if name == "__table__" and called.endswith("Table"):
                table = _table_fact(value, None)
            elif "anager" in called or called.endswith(("as_manager", "from_queryset")):
                managers.append(name)
            else:
                found = _field_fact(name, statement.lineno, called, value, annotation)
                if found:
                    fields.append(found)
        elif annotation is not None and value is None and _mapped(annotation):
            fields.append(FieldFact(name, statement.lineno, "", annotated=_annotated_class(annotation)))
        if isinstance(statement, ast.AnnAssign) and _plain_annotation(name, statement.annotation, value):
            fields.append(FieldFact(name, statement.lineno, ANNOTATION))  # a column if the class is a SQLModel table
    metaclass_bases = tuple(
        name for base in node.bases if isinstance(base, ast.Call) and _called_name(base).endswith("with_metaclass")
        for name in map(dotted, base.args[1:]) if name
    )
    keywords = {k.arg: k.value.value for k in node.keywords if k.arg and isinstance(k.value, ast.Constant)}
    return ClassFact(qualified, node.lineno, tuple(fields), meta, has_meta, meta_extends, literals, table,
                     tuple(managers), model_attr, metaclass_bases, keywords)


def _plain_annotation(name: str, annotation: ast.expr, value: ast.expr | None) -> bool:
    """``title: str`` or ``done: bool = False``: neither ``Mapped[...]``, a ``ClassVar`` nor a dunder."""
    if name.startswith("__") or isinstance(value, ast.Call) or _mapped(annotation):
        return False
    outer = annotation.value if isinstance(annotation, ast.Subscript) else annotation
    return not (dotted(outer) or "").endswith("ClassVar")


def _schema(table_args: ast.expr | None) -> str | None:
    """The literal ``schema`` of ``__table_args__ = {"schema": ...}`` or ``(..., {"schema": ...})``."""
    if isinstance(table_args, ast.Tuple) and table_args.elts:
        table_args = table_args.elts[-1]
    if isinstance(table_args, ast.Dict):
        for key, value in zip(table_args.keys, table_args.values):
            if _string(key) == "schema":
                return _string(value)
    return None


def _assigned(statement: ast.stmt) -> tuple[str | None, ast.expr | None, ast.expr | None]:
    """(name, annotation, value) of ``name: annotation = value``, also of a ``@declared_attr`` method."""
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
        declared = any((dotted(d) or "").split(".")[0].endswith("declared_attr") for d in statement.decorator_list)
        last = statement.body[-1] if statement.body else None
        if declared and isinstance(last, ast.Return) and last.value is not None:
            return statement.name, statement.returns, last.value
        return None, None, None
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1 and isinstance(statement.targets[0], ast.Name):
        return statement.targets[0].id, None, statement.value
    if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
        return statement.target.id, statement.annotation, statement.value
    return None, None, None


def _literals(body: list[ast.stmt]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for statement in body:
        name, _, value = _assigned(statement)
        if name and isinstance(value, ast.Constant):
            found[name] = value.value
    return found
