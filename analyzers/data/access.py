"""READS / WRITES edges from ORM accesses, generic views and raw SQL."""

from __future__ import annotations

from analyzers.data.django_targets import FRAMEWORK_USER, USER_CREATION_FORMS
from analyzers.data.facts import Access, ClassFact
from analyzers.data.tables import _table_id
from analyzers.data.vocab import DEFAULT_MANAGERS, GENERIC_VIEW_WRITES, READS, SA_PACKAGES, USER, WRITES
from migrator.model.facts import Edge, EdgeKind


class _Accesses:
    """Mixin of the linker: reads and writes of models and tables."""

    def _accesses(self) -> None:
        for module, facts in sorted(self.facts.items()):
            relpath = self._relpath(module)
            found: dict[tuple[str, str, int], str] = {}
            for access in facts.accesses:
                source = f"{module}.{access.scope}" if access.scope else module
                target = self._access_target(module, source, access)
                if target and target != source:
                    key = (source, target, access.line)
                    # one statement counts once; ``delete(M).where(M.x == 1)`` writes M, it does not also read it
                    found[key] = WRITES if WRITES in (access.mode, found.get(key)) else READS
            for (source, target, line), mode in found.items():
                kind = EdgeKind.READS if mode == READS else EdgeKind.WRITES
                self.out.edges.append(Edge(source, target, kind, 1.0, (f"{relpath}:{line}",)))
            for fact in facts.classes:
                if fact.model_attr:
                    self._view_access(module, relpath, f"{module}.{fact.name}", fact)
                if self.framework_user and any(resolved in USER_CREATION_FORMS for _, resolved in self._written_bases(f"{module}.{fact.name}")):
                    self.out.edges.append(Edge(f"{module}.{fact.name}", self.framework_user, EdgeKind.WRITES, 1.0, (f"{relpath}:{fact.line}",)))

    def _access_target(self, module: str, source: str, access: Access) -> str | None:
        if access.via and not self._is_orm_function(module, access.via):
            return None
        if access.target == USER:
            target = self.user_model or self.framework_user
        else:
            target = self._model_or_table(module, source, access.target, table_only=access.table_only)
        if target is not None and target == self.framework_user:  # Django's own User: its manager's reads and writes
            return target if not access.mutation and access.manager in (None, *DEFAULT_MANAGERS) else None
        model = self.models.get(target or "")
        if access.mutation:
            return target if model is not None and model.framework == "sqlalchemy" else None
        if target is None or access.manager is None:
            return target
        if model is None:
            return None
        if model.framework == "django":
            return target if access.manager in DEFAULT_MANAGERS or access.manager in model.managers else None
        return target if access.manager == "query" else None

    def _model_or_table(self, module: str, source: str, expr: str, *, table_only: bool = False) -> str | None:
        if expr.endswith("()"):
            return None if table_only else self._returned_model(module, source, expr[:-2])
        resolved = self._resolve_in(module, source, expr)
        if resolved is None:
            return None
        if resolved in self.table_vars:
            return _table_id(self.table_vars[resolved])
        if self._factory(resolved) == "get_user_model" or resolved == FRAMEWORK_USER:
            return None if table_only else self.user_model or self.framework_user
        parts = resolved.split(".")
        for cut in range(0, 3):
            candidate = ".".join(parts[: len(parts) - cut]) if cut else resolved
            if candidate in self.models:
                if table_only:
                    model = self.models[candidate]
                    return _table_id(model.table) if "__table__" in parts[len(parts) - cut :] and model.table else None
                return candidate
        return None

    def _resolve_in(self, module: str, source: str, expr: str) -> str | None:
        if expr.partition(".")[0] in ("self", "cls"):
            return self.names.resolve(module, expr, scope=source)
        return self._resolve(module, expr)

    def _returned_model(self, module: str, source: str, function: str) -> str | None:
        """The model a function's return annotation names (``def get_order(...) -> Order``)."""
        resolved = self._resolve_in(module, source, function)
        owner = self.names.module_prefix(resolved) if resolved else None
        if resolved is None or owner is None or owner not in self.facts:
            return None
        annotation = self.facts[owner].returns.get(resolved[len(owner) + 1 :])
        returned = self._resolve(owner, annotation) if annotation else None
        return returned if returned in self.models else None

    def _is_orm_function(self, module: str, via: str) -> bool:
        """``select`` from SQLAlchemy (or ``db.select`` of Flask-SQLAlchemy), Django's shortcuts."""
        resolved = self._resolve(module, via)
        if resolved is None:
            return False
        owner, _, last = resolved.rpartition(".")
        if last != via.rpartition(".")[2]:
            return False
        if self.names.is_internal(resolved):
            return self._factory(owner).endswith("SQLAlchemy")
        return resolved.split(".")[0] in SA_PACKAGES | {"django"}

    def _view_access(self, module: str, relpath: str, qualified: str, fact: ClassFact) -> None:
        """Generic views (``model = Order``) read their model; create, update and delete views write it."""
        bases = [written.rpartition(".")[2] for written, _ in self._written_bases(qualified)]
        if not any(b.endswith(("View", "ViewSet", "ViewMixin")) for b in bases) or not fact.model_attr:
            return
        target = self._model_or_table(module, qualified, fact.model_attr)
        if target not in self.models:
            return
        place = (f"{relpath}:{fact.line}",)
        self.out.edges.append(Edge(qualified, target, EdgeKind.READS, 1.0, place))
        if any(marker in b for b in bases for marker in GENERIC_VIEW_WRITES):
            self.out.edges.append(Edge(qualified, target, EdgeKind.WRITES, 1.0, place))

    # -- raw SQL -------------------------------------------------------------------------------------

    def _sql(self) -> None:
        known = {name.lower(): name for name in self.tables}
        if not known:
            return
        for module, facts in sorted(self.facts.items()):
            relpath = self._relpath(module)
            for use in facts.sql:
                source = f"{module}.{use.scope}" if use.scope else module
                self._table_edges(known, source, use.reads, use.writes, f"{relpath}:{use.line}")

    def _table_edges(
        self, known: dict[str, str], source: str, reads: tuple[str, ...], writes: tuple[str, ...], place: str
    ) -> None:
        """READS and WRITES edges to the tables SQL names (``table`` or ``schema.table``) that are
        ``known`` (by lower-case name); SQL names others too (a CTE, a table of another program)."""
        for names, kind in ((reads, EdgeKind.READS), (writes, EdgeKind.WRITES)):
            for name in names:
                table = known.get(name) or known.get(name.rpartition(".")[2])
                if table:
                    self.out.edges.append(Edge(source, _table_id(table), kind, 1.0, (place,)))
