"""SQLAlchemy details of a model: abstract, table name."""

from __future__ import annotations

import re

from analyzers.data.model import _Model


class _SaMeta:
    """Mixin of the linker: tables of SQLAlchemy models."""

    def _sa_details(self, model: _Model) -> None:
        model.abstract = bool(model.fact.literals.get("__abstract__"))
        if model.abstract:
            return
        own = model.fact.literals.get("__tablename__")
        if model.fact.table is not None:
            own = model.fact.table.name
        schema = model.fact.literals.get("schema")
        if isinstance(own, str):
            # tables in a schema are named as SQL and ForeignKey("schema.table.column") name them
            model.table, model.owns_table = f"{schema}.{own}" if isinstance(schema, str) else own, True
            return
        if self._sa_kind(model.id) == "sqlmodel":
            model.table, model.owns_table = model.id.rpartition(".")[2].lower(), True  # SQLModel's default
            return
        for ancestor in list(self._ancestry(model.id))[1:]:
            fact = self.classes.get(ancestor)
            inherited = fact and (fact.table.name if fact.table else fact.literals.get("__tablename__"))
            if isinstance(inherited, str):
                model.table = inherited  # single-table inheritance, or a mixin's literal name
                return
        if self._sa_kind(model.id) == "flask":
            model.table, model.owns_table = _snake_case(model.id.rpartition(".")[2]), True


def _snake_case(name: str) -> str:
    """Flask-SQLAlchemy's default table name: ``OrderLine`` -> ``order_line``."""
    return re.sub(r"((?<=[a-z0-9])[A-Z]|(?!^)[A-Z](?=[a-z]))", r"_\1", name).lower()
