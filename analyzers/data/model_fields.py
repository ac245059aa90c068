"""The fields a model's table holds: its own and those of abstract bases and mixins."""

from __future__ import annotations

from analyzers.data.facts import FieldFact
from analyzers.data.model import _Model
from analyzers.data.vocab import FIELD_SUFFIXES, SA_COLUMNS, SA_RELATIONSHIPS, SQLMODEL_FIELDS


class _ModelFields:
    """Mixin of the linker: collects each model's fields."""

    def _declaring_classes(self, model: _Model) -> list[str]:
        """The model, then the abstract bases and mixins whose columns its own table holds.

        The search stops at concrete parents: their columns live in their own tables.
        """
        found: list[str] = []
        queue = [model.id]
        while queue:
            current = queue.pop(0)
            if current in found:
                continue
            found.append(current)
            parents = [b for b in self._bases(current) if self.names.kind(b) == "class"]
            queue[0:0] = [b for b in parents if b not in self.models or self._is_abstract(self.models[b])]
        return found

    def _collect_fields(self, model: _Model) -> None:
        seen: set[str] = set()
        for ancestor in reversed(self._declaring_classes(model)):
            fact = self.classes.get(ancestor)
            columns = fact.table.columns if fact and fact.table else ()  # __table__ = Table(...)
            for found in [*columns, *(fact.fields if fact else ())]:
                if found.name not in seen and self._is_field(model, found):
                    seen.add(found.name)
                    model.fields.append(found)
                    model.declared_by[found.name] = ancestor
        for ancestor in self._ancestry(model.id):
            fact = self.classes.get(ancestor)
            model.managers.update(fact.managers if fact else ())

    def _is_field(self, model: _Model, found: FieldFact) -> bool:
        last = found.call.rpartition(".")[2]
        if model.framework == "django":
            return last.endswith(FIELD_SUFFIXES) and last != "GenericForeignKey"
        if self._sa_kind(model.id) == "sqlmodel":  # every annotated attribute is a column
            return last in SQLMODEL_FIELDS or last in SA_RELATIONSHIPS
        return last in SA_COLUMNS or last in SA_RELATIONSHIPS or found.call == ""

    def _is_abstract(self, model: _Model) -> bool:
        if model.framework == "django":
            return bool(model.fact.meta.get("abstract")) if model.fact.has_meta else False
        return bool(model.fact.literals.get("__abstract__"))
