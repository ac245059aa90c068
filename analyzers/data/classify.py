"""Which classes are models: Django and SQLAlchemy ancestry, across modules and libraries."""

from __future__ import annotations

from analyzers.data.facts import ClassFact
from analyzers.data.model import _Model
from analyzers.data.vocab import (
    DJANGO_EXTERNAL_MODELS,
    DJANGO_MODEL_BASES,
    NOT_MODEL_SUFFIXES,
    SA_BASE_FACTORIES,
    SA_DECLARATIVE_BASES,
    SQLMODEL_BASES,
)


class _Classify:
    """Mixin of the linker: finds the models among every module's classes."""

    def _find_models(self) -> None:
        labels = self._app_labels()
        candidates = sorted(
            f"{module}.{qualified}"
            for module, summary in self.names.summaries.items()
            for qualified, definition in summary.definitions.items()
            if definition.kind == "class" and (definition.bases or definition.decorators)
        )
        for qualified in candidates:
            module = self.names.module_prefix(qualified) or ""
            fact = self.classes.get(qualified) or ClassFact(qualified[len(module) + 1 :], self._line(qualified))
            if self._is_django(qualified):
                self.models[qualified] = _Model(qualified, module, fact, "django")
            elif self._is_sqlalchemy(qualified, fact):
                self.models[qualified] = _Model(qualified, module, fact, "sqlalchemy")
        for model in self.models.values():
            self._collect_fields(model)
        for model in self.models.values():
            if model.framework == "django":
                self._django_app(model, labels)
            else:
                self._sa_details(model)
        for model in self.models.values():
            if model.framework == "django":
                self._django_table_of(model)

    def _line(self, qualified: str) -> int:
        definition = self.names.definition(qualified)
        return definition.line if definition else 0

    def _written_bases(self, qualified: str) -> list[tuple[str, str | None]]:
        """(base as written, what it resolves to) for a class of ours.

        ``six.with_metaclass(Meta, A, B)`` stands for its bases ``A, B``.
        """
        if qualified in self._bases_memo:
            return self._bases_memo[qualified]
        definition = self.names.definition(qualified)
        module = self.names.module_prefix(qualified)
        found: list[tuple[str, str | None]] = []
        if definition is not None and module is not None:
            fact = self.classes.get(qualified)
            written = [b for b in definition.bases if not b.endswith("with_metaclass")]
            written += list(fact.metaclass_bases) if fact else []
            found = [(base, self._unaliased(self._resolve(module, base))) for base in written]
        self._bases_memo[qualified] = found
        return found

    def _unaliased(self, resolved: str | None) -> str | None:
        """What a module variable that only renames another name stands for, followed to its end:
        ``Model = db.Model``, ``Entity = Base``, ``BaseModel = models.Model``, across modules."""
        seen: set[str] = set()
        while resolved and resolved not in seen and self.names.kind(resolved) == "variable":
            seen.add(resolved)
            followed = self.names.follow_variable(resolved)
            if followed is None:
                break
            resolved = followed
        return resolved

    def _bases(self, qualified: str) -> list[str]:
        return [resolved for _, resolved in self._written_bases(qualified) if resolved]

    def _ancestry(self, qualified: str) -> list[str]:
        """The class, then its bases depth-first, each once; like ``NameResolver.ancestry``."""
        found: list[str] = []
        queue = [qualified]
        while queue:
            current = queue.pop(0)
            if current not in found:
                found.append(current)
                queue[0:0] = [b for b in self._bases(current) if self.names.is_internal(b)]
        return found

    def _is_django(self, qualified: str) -> bool:
        if qualified in self._django_memo:
            return self._django_memo[qualified]
        self._django_memo[qualified] = False  # breaks inheritance cycles
        found = False
        for written, resolved in self._written_bases(qualified):
            if resolved in DJANGO_MODEL_BASES or resolved in DJANGO_EXTERNAL_MODELS:
                found = True
            elif resolved and self.names.kind(resolved) == "class":
                found = self._is_django(resolved)
            elif written == "models.Model" or written.endswith(".models.Model"):
                found = True
            elif resolved and _looks_like_model_class(resolved) and not self.names.is_internal(resolved):
                found = self._looks_like_django_model(qualified)
            if found:
                break
        self._django_memo[qualified] = found
        return found

    def _looks_like_django_model(self, qualified: str) -> bool:
        """A class based on another library's model class (``MPTTModel``): Django fields or a Meta."""
        fact = self.classes.get(qualified)
        if fact is None:
            return False
        return fact.has_meta or any(f.call.endswith(("Field", "ForeignKey")) for f in fact.fields)

    def _is_sqlalchemy(self, qualified: str, fact: ClassFact) -> bool:
        kind = self._sa_kind(qualified)
        return kind in ("model", "flask") or (kind == "sqlmodel" and fact.keywords.get("table") is True)

    def _sa_kind(self, qualified: str) -> str | None:
        """"root" (a declarative base), "model", "flask" (a Flask-SQLAlchemy model), "sqlmodel" (a
        subclass of SQLModel: a model with ``table=True``) or None."""
        if qualified in self._sa_memo:
            return self._sa_memo[qualified]
        self._sa_memo[qualified] = None
        definition = self.names.definition(qualified)
        decorators = definition.decorators if definition else ()
        kind = None
        if any(d.endswith("as_declarative") for d in decorators):
            kind = "root"
        elif any(d.endswith((".mapped", "mapped_as_dataclass")) for d in decorators):
            kind = "model"
        for written, resolved in self._written_bases(qualified):
            if kind:
                break
            if resolved in SA_DECLARATIVE_BASES:
                kind = "root"
            elif resolved in SQLMODEL_BASES:
                kind = "sqlmodel"
            elif resolved and self._factory(resolved) in SA_BASE_FACTORIES:
                kind = "model"
            elif (resolved and resolved.endswith(".Model") and self._factory(resolved[:-6]).endswith("SQLAlchemy")) or (
                resolved is None and written.endswith("db.Model")
            ):
                kind = "flask"
            elif resolved and self.names.kind(resolved) == "class":
                inherited = self._sa_kind(resolved)
                kind = "model" if inherited == "root" else inherited
        self._sa_memo[qualified] = kind
        return kind

    def _factory(self, qualified: str) -> str:
        """Last part of the call a module variable is assigned (``declarative_base``), or ""."""
        return self.factories.get(qualified, "").rpartition(".")[2]


def _looks_like_model_class(qualified: str) -> bool:
    """A class of a ``models`` module of another library (``django_otp.models.Device``), not a form."""
    module, _, name = qualified.rpartition(".")
    if ".models" not in f".{module}" or qualified.startswith("django."):
        return False  # Django's own model classes are listed; its other ones (forms.models) are not models
    return not name.endswith(NOT_MODEL_SUFFIXES)
