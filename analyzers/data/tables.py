"""Table nodes, and the model and table nodes the link emits."""

from __future__ import annotations

from typing import Any

from analyzers.data.model import _Model
from analyzers.data.vocab import SA_RELATIONSHIPS
from migrator.model.facts import Edge, EdgeKind, Node, NodeKind


class _Tables:
    """Mixin of the linker: ``Table(...)`` objects and the nodes."""

    def _find_tables(self) -> None:
        for model in sorted(self.models.values(), key=lambda m: m.id):
            if model.table:
                self.tables[model.table].append(model.id)
                self.table_places.setdefault(model.table, (self._relpath(model.module), model.fact.line))
        for module, facts in self.facts.items():
            for table in facts.tables:
                self.tables.setdefault(table.name, [])
                self.table_places.setdefault(table.name, (self._relpath(module), table.line))
                if table.variable:
                    self.table_vars[f"{module}.{table.variable}"] = table.name

    def _emit_nodes(self) -> None:
        for model in self.models.values():
            attrs: dict[str, Any] = {
                "table": model.table,
                "framework": model.framework,
                "app": model.app,
                "abstract": model.abstract,
                "fields": self._field_names(model),
            }
            if model.proxy:
                attrs["proxy"] = True
            relpath = self._relpath(model.module)
            self.out.nodes.append(Node(model.id, NodeKind.MODEL, relpath, model.fact.line, (), attrs))
            if model.table:
                place = f"{relpath}:{model.fact.line}"
                maps_to = Edge(model.id, _table_id(model.table), EdgeKind.REFERENCES, 1.0, (place,), {"maps_to": True})
                self.out.edges.append(maps_to)
        for name, models in sorted(self.tables.items()):
            relpath, line = self.table_places[name]
            self.out.nodes.append(Node(_table_id(name), NodeKind.TABLE, relpath, line, (), {"models": sorted(models)}))

    def _field_names(self, model: _Model) -> list[str]:
        """Fields that hold data: SQLAlchemy relationships are left out (Django's relations are fields).

        A proxy model has the fields of the concrete model whose table it shares.
        """
        if model.proxy:
            concrete = self._concrete_parent(model)
            return self._field_names(concrete) if concrete else []
        django = model.framework == "django"
        return [f.name for f in model.fields if django or f.call.rpartition(".")[2] not in SA_RELATIONSHIPS]


def _table_id(name: str) -> str:
    return f"table:{name}"
