"""Field, column and ``Table(...)`` calls and the targets they name, as written."""

from __future__ import annotations

import ast

from analyzers.data.facts import FieldFact, TableFact, Target
from analyzers.data.syntax import _called_name, _string
from analyzers.data.vocab import CONTAINERS, FIELD_SUFFIXES, SA_COLUMNS, SA_RELATIONSHIPS
from analyzers.names import dotted


def _mapped(annotation: ast.expr) -> bool:
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        return annotation.value.lstrip().startswith("Mapped[")
    return isinstance(annotation, ast.Subscript) and (dotted(annotation.value) or "").endswith("Mapped")


def _field_fact(name: str, line: int, called: str, call: ast.Call, annotation: ast.expr | None) -> FieldFact | None:
    last = called.rpartition(".")[2]
    if not (last.endswith(FIELD_SUFFIXES) or last in SA_COLUMNS or last in SA_RELATIONSHIPS):
        return None
    keywords = {k.arg: k.value for k in call.keywords if k.arg}
    first = call.args[0] if call.args else None
    column = _string(keywords.get("db_column"))
    if last in SA_COLUMNS:
        column = _string(first) or _string(keywords.get("name")) or None
    target = None
    if last not in SA_COLUMNS:
        target = _target(keywords.get("to", keywords.get("argument", first)))
    foreign_keys = tuple(
        t for t in (_target(arg.args[0]) for arg in call.args
                    if isinstance(arg, ast.Call) and _called_name(arg).endswith("ForeignKey") and arg.args) if t
    )
    if last == "Field" and (sqlmodel_key := _string(keywords.get("foreign_key"))):
        foreign_keys += (Target("string", sqlmodel_key),)  # SQLModel: Field(foreign_key="user.id")
    options = tuple((key, t) for key in ("to_field", "through", "secondary") if (t := _target(keywords.get(key))))
    annotated = _annotated_class(annotation) if annotation is not None else None
    return FieldFact(name, line, called, target, annotated, column, foreign_keys, options)


def _table_fact(call: ast.Call, variable: str | None) -> TableFact | None:
    """``Table("orders", metadata, Column(...))``, or Flask-SQLAlchemy's ``db.Table("tags", db.Column(...))``
    (bound to its metadata); other tables (``rich.Table("Name", "Value")``) give None."""
    name = _string(call.args[0]) if call.args else None
    if not name or len(call.args) < 2 or not _is_metadata_or_column(call.args[1]):
        return None
    return TableFact(name, variable, call.lineno, _table_columns(call.args[1:]))


def _table_columns(args: list[ast.expr]) -> tuple[FieldFact, ...]:
    """The ``Column("name", ...)`` arguments of a table, and a column per local column of a
    ``ForeignKeyConstraint(["owner_id"], ["user.id"])``, holding that foreign key."""
    columns = []
    for arg in args:
        called = _called_name(arg) if isinstance(arg, ast.Call) else ""
        if called.endswith("Column"):
            column_name = _string(arg.args[0]) if arg.args else None
            found = _field_fact(column_name or "?", arg.lineno, "Column", arg, None)
            if found and column_name:
                columns.append(found)
        elif called.endswith("ForeignKeyConstraint") and len(arg.args) >= 2:
            local, remote = arg.args[0], arg.args[1]
            if isinstance(local, (ast.List, ast.Tuple)) and isinstance(remote, (ast.List, ast.Tuple)):
                for column, target in zip(map(_string, local.elts), map(_target, remote.elts)):
                    if column and target:
                        columns.append(FieldFact(column, arg.lineno, "Column", column=column, foreign_keys=(target,)))
    return tuple(columns)


def _is_metadata_or_column(node: ast.expr) -> bool:
    if isinstance(node, ast.Call):
        return _called_name(node).endswith(("MetaData", "Column"))
    metadata = dotted(node) if isinstance(node, (ast.Name, ast.Attribute)) else None
    return metadata is not None and "meta" in metadata.lower()


def _target(node: ast.expr | None) -> Target | None:
    """What a relation or a foreign key points at, as written."""
    if node is None:
        return None
    if isinstance(node, ast.Lambda):
        node = node.body
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return Target("string", node.value)
    if isinstance(node, ast.Call):
        return Target("user", "") if _called_name(node).endswith("get_user_model") else None
    name = dotted(node) if isinstance(node, (ast.Name, ast.Attribute)) else None
    if not name:
        return None
    return Target("user", "") if name.endswith("AUTH_USER_MODEL") else Target("name", name)


def _annotated_class(annotation: ast.expr) -> Target | None:
    """``Order`` from ``Mapped[list["Order"]]``, ``Mapped[Order | None]``, ``Optional[Order]``..."""
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        try:
            annotation = ast.parse(annotation.value.strip(), mode="eval").body
        except (SyntaxError, ValueError):
            return None
        if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
            return Target("string", annotation.value)
    if isinstance(annotation, ast.Subscript):
        inner = annotation.slice
        items = inner.elts if isinstance(inner, ast.Tuple) else [inner]
        return next((t for t in map(_annotated_class, items) if t), None)
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        return _annotated_class(annotation.left) or _annotated_class(annotation.right)
    name = dotted(annotation) if isinstance(annotation, (ast.Name, ast.Attribute)) else None
    if name and name.rpartition(".")[2] not in CONTAINERS and (name[:1].isupper() or "." in name):
        return Target("name", name)
    return None
