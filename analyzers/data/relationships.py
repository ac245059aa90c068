"""SQLAlchemy references: ``ForeignKey("table.column")`` and ``relationship(...)``."""

from __future__ import annotations

from typing import Any

from analyzers.data.facts import FieldFact, Target
from analyzers.data.tables import _table_id
from analyzers.data.vocab import SA_RELATIONSHIPS
from migrator.model.facts import Edge, EdgeKind


class _Relationships:
    """Mixin of the linker: SQLAlchemy foreign keys and relationships."""

    def _sa_reference(
        self, module: str, reference: Target, place: str, table: str | None, column: str
    ) -> tuple[str, str] | None:
        """The model a ``ForeignKey(...)`` points at and ``table.column``; adds the table-level edge."""
        if reference.kind == "string":
            table_name, _, referenced = reference.text.rpartition(".")
            other_table = self._known_table(table_name)
        else:
            resolved = self._resolve(module, reference.text) or ""
            owner, _, referenced = resolved.rpartition(".")
            other_table = self.models[owner].table if owner in self.models else None
        if other_table is None:
            self._skip(place, f"foreign key to {reference.text!r}: no table of that name in the code")
            return None
        references = f"{other_table}.{referenced}"
        if table:
            attrs = {"column": column, "references": references}
            edge = Edge(_table_id(table), _table_id(other_table), EdgeKind.FOREIGN_KEY, 1.0, (place,), attrs)
            self.out.edges.append(edge)
        owner_model = self._table_owner(other_table)
        return (owner_model, references) if owner_model else None

    def _known_table(self, name: str) -> str | None:
        if name in self.tables:
            return name
        short = name.rpartition(".")[2]
        return short if short in self.tables else None

    def _table_owner(self, table: str) -> str | None:
        models = [self.models[m] for m in self.tables.get(table, ())]
        owners = [m.id for m in models if m.owns_table] or [m.id for m in models]
        return owners[0] if owners else None

    # -- relationships ---------------------------------------------------------------------------------

    def _relationships(self, covered: set[frozenset[str]]) -> None:
        for model in sorted(self.models.values(), key=lambda m: m.id):
            if model.framework != "sqlalchemy":
                continue
            for found in model.fields:
                if found.call.rpartition(".")[2] not in SA_RELATIONSHIPS:
                    continue
                declarer = model.declared_by.get(found.name, model.id)
                module = self.names.module_prefix(declarer) or model.module
                target = self._relationship_target(module, found)
                if target is None or target == model.id or frozenset((model.id, target)) in covered:
                    continue
                covered.add(frozenset((model.id, target)))
                attrs: dict[str, Any] = {"field": found.name, "relation": "relationship"}
                secondary = self._secondary(module, dict(found.options).get("secondary"))
                if secondary:
                    attrs["secondary"] = secondary
                place = f"{self._relpath(module)}:{found.line}"
                self.out.edges.append(Edge(model.id, target, EdgeKind.FOREIGN_KEY, 1.0, (place,), attrs))

    def _relationship_target(self, module: str, found: FieldFact) -> str | None:
        for target in (found.target, found.annotated):
            if target is None or target.kind == "user":
                continue
            text = target.text.strip()
            if target.kind == "name":
                resolved = self._resolve(module, text)
                if resolved in self.models:
                    return resolved
            if text in self.models:
                return text
            found_model = self._sa_model_named(text.rpartition(".")[2], module)
            if found_model:
                return found_model
        return None

    def _sa_model_named(self, name: str, module: str) -> str | None:
        """SQLAlchemy finds ``relationship("Order")`` by class name in the registry."""
        found = sorted(
            m.id for m in self.models.values() if m.framework == "sqlalchemy" and m.id.rpartition(".")[2] == name
        )
        same_module = [m for m in found if m == f"{module}.{name}"]
        return (same_module or found or [None])[0]

    def _secondary(self, module: str, target: Target | None) -> str | None:
        if target is None:
            return None
        if target.kind == "string":
            return self._known_table(target.text)
        return self.table_vars.get(self._resolve(module, target.text) or "")
