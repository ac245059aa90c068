"""Django details of a model: app label, ``Meta`` options, table name, concrete parent."""

from __future__ import annotations

from typing import Any

from analyzers.data.model import _Model
from analyzers.data.vocab import MODULE_NAME


class _DjangoMeta:
    """Mixin of the linker: app labels and tables of Django models."""

    def _app_labels(self) -> dict[str, str]:
        """Package -> app label, from ``AppConfig`` subclasses with a literal ``name``."""
        labels: dict[str, str] = {}
        for qualified, fact in self.classes.items():
            name = fact.literals.get("name")
            if name == MODULE_NAME:
                name = self.names.module_prefix(qualified)
            if isinstance(name, str) and any(w.endswith("AppConfig") for w, _ in self._written_bases(qualified)):
                label = fact.literals.get("label")
                labels[name] = label if isinstance(label, str) else name.rpartition(".")[2]
        return labels

    def _meta(self, model: _Model) -> dict[str, Any]:
        """Meta options, with those an abstract parent passes on (Django resets ``abstract``)."""
        own = dict(model.fact.meta) if model.fact.has_meta else {}
        if model.fact.has_meta and not model.fact.meta_extends:
            return own
        for ancestor in list(self._ancestry(model.id))[1:]:
            parent = self.models.get(ancestor)
            if parent is not None and parent.framework == "django" and self._is_abstract(parent):
                inherited = {k: v for k, v in self._meta(parent).items() if k not in ("abstract", "db_table")}
                return {**inherited, **own}
        return own

    def _django_app(self, model: _Model, labels: dict[str, str]) -> None:
        meta = self._meta(model)
        model.abstract = self._is_abstract(model)
        model.proxy = bool(meta.get("proxy"))
        label = meta.get("app_label")
        model.app = label if isinstance(label, str) else _app_label(model.module, labels)

    def _django_table_of(self, model: _Model) -> None:
        if model.abstract:
            return
        if model.proxy:
            concrete = self._concrete_parent(model)
            model.table = self._django_table(concrete) if concrete else None
            return
        model.table = self._django_table(model)
        model.owns_table = True

    def _django_table(self, model: _Model) -> str:
        """``Meta.db_table``, else Django's default ``<app label>_<model name>``."""
        table = self._meta(model).get("db_table")
        if isinstance(table, str):
            return table
        return f"{model.app}_{model.id.rpartition('.')[2].lower()}"

    def _concrete_parent(self, model: _Model) -> _Model | None:
        for ancestor in list(self._ancestry(model.id))[1:]:
            parent = self.models.get(ancestor)
            if parent is not None and not parent.abstract and not parent.proxy:
                return parent
        return None


def _app_label(module: str, labels: dict[str, str]) -> str:
    """The Django app label of a models module: its AppConfig's label, else the package name."""
    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        label = labels.get(".".join(parts[:end]))
        if label:
            return label
    if "models" in parts[1:]:
        index = len(parts) - 1 - parts[::-1].index("models")
        return parts[index - 1] if index > 0 else parts[0]
    return parts[-2] if len(parts) > 1 else parts[0]
