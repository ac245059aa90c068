"""Foreign key edges from model fields and multi-table inheritance."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from analyzers.data.facts import FieldFact
from analyzers.data.django_targets import FRAMEWORK_USER_TABLE
from analyzers.data.model import _Model
from analyzers.data.tables import _table_id
from migrator.model.facts import Edge, EdgeKind, Node, NodeKind


class _ForeignKeys:
    """Mixin of the linker: FOREIGN_KEY edges from fields and parents."""

    def _foreign_keys(self) -> set[frozenset[str]]:
        covered: set[frozenset[str]] = set()
        for model in sorted(self.models.values(), key=lambda m: m.id):
            for found in model.fields:
                for edge in self._field_foreign_keys(model, found):
                    self.out.edges.append(edge)
                    if edge.kind is EdgeKind.FOREIGN_KEY and not edge.source.startswith("table:"):
                        covered.add(frozenset((edge.source, edge.target)))
            parent = self._inheritance_link(model)
            if parent:
                self.out.edges.append(parent)
                covered.add(frozenset((parent.source, parent.target)))
        for module, facts in sorted(self.facts.items()):
            for table in facts.tables:
                for column in table.columns:
                    for target in column.foreign_keys:
                        place = f"{self._relpath(module)}:{column.line}"
                        self._sa_reference(module, target, place, table.name, column.name)
        return covered

    def _field_foreign_keys(self, model: _Model, found: FieldFact) -> Iterator[Edge]:
        declarer = model.declared_by.get(found.name, model.id)
        module = self.names.module_prefix(declarer) or model.module
        place = f"{self._relpath(module)}:{found.line}"
        if model.framework == "django":
            relation = self._django_relation(module, found.call)
            if relation and found.target:
                target = self._django_target(model, module, found.target, place)
                if target:
                    yield self._django_edge(model, found, relation, target, place, declarer)
                else:
                    if relation == "OneToOneField":
                        self._one_to_one_outside(model.id, found.name)
                    if self._is_framework_user(module, found.target):
                        self._said_on(model.id, "user_references", found.name)
                        self.user_references.append((model.id, place))
            return
        for reference in found.foreign_keys:
            column = found.column or found.name
            resolved = self._sa_reference(module, reference, place, model.table, column)
            if resolved:
                target, references = resolved
                attrs = {"field": found.name, "relation": "ForeignKey", "column": column, "references": references}
                yield Edge(model.id, target, EdgeKind.FOREIGN_KEY, 1.0, (place,), attrs)

    def _one_to_one_outside(self, model: str, field: str) -> None:
        """A one-to-one field to a model outside the analysed code (the framework's ``User``):
        Django gives that model a reverse accessor (``user.profile``) that any code or template
        holding one reaches, which no edge shows; said on the model's node (``one_to_one_outside``)."""
        self._said_on(model, "one_to_one_outside", field)

    def _framework_user_table(self) -> None:
        """``table:auth_user``, Django's own users' table (no custom ``AUTH_USER_MODEL``), when the
        project's models point at it: no model of the code maps it, so the plan gives it to the
        service whose code writes users, else to the one whose models point at it most
        (``referenced_by``, a model per field); every service reads it (``framework_user``)."""
        if not self.user_references or FRAMEWORK_USER_TABLE in self.tables:
            return
        relpath, _, line = self.user_references[0][1].rpartition(":")
        self.framework_user = _table_id(FRAMEWORK_USER_TABLE)
        attrs = {"models": [], "framework": "django", "framework_user": True, "referenced_by": [m for m, _ in self.user_references]}
        self.out.nodes.append(Node(self.framework_user, NodeKind.TABLE, relpath, int(line), (), attrs))

    def _said_on(self, model: str, attr: str, field: str) -> None:
        node = next((n for n in self.out.nodes if n.id == model), None)
        if node is not None:
            node.attrs.setdefault(attr, []).append(field)

    def _django_edge(
        self, model: _Model, found: FieldFact, relation: str, target: str, place: str, declarer: str
    ) -> Edge:
        attrs: dict[str, Any] = {"field": found.name, "relation": relation}
        if relation != "ManyToManyField":
            attrs["column"] = found.column or f"{found.name}_id"
            other = self.models[target]
            to_field = dict(found.options).get("to_field")
            column = to_field.text if to_field and to_field.kind == "string" else "id"
            if other.table:
                attrs["references"] = f"{other.table}.{column}"
        if declarer != model.id:
            attrs["inherited_from"] = declarer
        return Edge(model.id, target, EdgeKind.FOREIGN_KEY, 1.0, (place,), attrs)

    def _inheritance_link(self, model: _Model) -> Edge | None:
        """Django multi-table inheritance: the child's table has a one-to-one key to the parent's."""
        if model.framework != "django" or model.abstract or model.proxy:
            return None
        for _, resolved in self._written_bases(model.id):
            parent = self.models.get(resolved or "")
            if parent and parent.framework == "django" and not parent.abstract and parent.table:
                name = f"{parent.id.rpartition('.')[2].lower()}_ptr"
                attrs = {"field": name, "relation": "OneToOneField", "column": f"{name}_id",
                         "references": f"{parent.table}.id", "parent_link": True}
                place = f"{self._relpath(model.module)}:{model.fact.line}"
                return Edge(model.id, parent.id, EdgeKind.FOREIGN_KEY, 1.0, (place,), attrs)
        return None
