"""What a Django relation field points at: a model, by name, label or the user model."""

from __future__ import annotations

from collections.abc import Iterator

from analyzers.data.facts import Target
from analyzers.data.model import _Model

FRAMEWORK_USER = "django.contrib.auth.models.User"
FRAMEWORK_USER_TABLE = "auth_user"
USER_CREATION_FORMS = frozenset({"django.contrib.auth.forms.UserCreationForm", "django.contrib.auth.forms.BaseUserCreationForm"})
"""Django's forms whose ``save()`` creates a user."""


class _DjangoTargets:
    """Mixin of the linker: resolves Django relation targets."""

    def _django_relation(self, module: str, called: str) -> str | None:
        """ForeignKey, OneToOneField or ManyToManyField for a field class (also subclasses of them)."""
        for name in self._field_class_names(module, called):
            last = name.rpartition(".")[2]
            if last == "GenericForeignKey":
                return None
            if last.endswith("ManyToManyField"):
                return "ManyToManyField"
            if last.endswith("OneToOneField"):
                return "OneToOneField"
            if last.endswith("ForeignKey") or last == "ParentalKey":
                return "ForeignKey"
        return None

    def _field_class_names(self, module: str, called: str) -> Iterator[str]:
        yield called
        resolved = self._resolve(module, called)
        if resolved and self.names.kind(resolved) == "class":
            for ancestor in self._ancestry(resolved):
                yield ancestor
                yield from (b for b in self._bases(ancestor) if not self.names.is_internal(b))

    def _django_target(self, model: _Model, module: str, target: Target, place: str) -> str | None:
        if target.kind == "user" or (target.kind == "string" and target.text.lower() == "auth.user"):
            return self._user_target()
        if target.kind == "string":
            return self._django_string_target(model, target.text, place)
        resolved = self._resolve(module, target.text)
        if resolved in self.models:
            return resolved
        if resolved and self._factory(resolved) == "get_user_model":
            return self._user_target()
        if resolved and not self.names.is_internal(resolved):
            self.external_targets[resolved] += 1
        else:
            self._skip(place, f"foreign key target {target.text!r} is not a model found in the code")
        return None

    def _is_framework_user(self, module: str, target: Target) -> bool:
        """Whether a relation field points at Django's own ``User`` (``django.contrib.auth``'s, no
        ``AUTH_USER_MODEL`` of the project's): a model with no node, whose table every service holds.
        Its fields say so on the model's node (``user_references``): the plan gives that table an owner."""
        if self.user_model is not None:
            return False
        if target.kind == "user" or (target.kind == "string" and target.text.lower() == "auth.user"):
            return True
        resolved = self._resolve(module, target.text) if target.kind != "string" else None
        return resolved == FRAMEWORK_USER or bool(resolved and self._factory(resolved) == "get_user_model")

    def _django_string_target(self, model: _Model, text: str, place: str) -> str | None:
        if text == "self":
            return model.id
        app, _, name = text.rpartition(".")
        found = self._model_by_label(app or model.app or "", name)
        if found is None and not app:
            # an abstract base's "Model" is resolved in the app of each concrete child; try the base's own app too
            found = self._unique_model_named(name, "django")
        if found is None:
            if app and not any(m.app == app for m in self.models.values()):
                self.external_targets[text] += 1
            else:
                self._skip(place, f"foreign key target {text!r} is not a model found in the code")
        return found

    def _model_by_label(self, app: str, name: str) -> str | None:
        for model in self.models.values():
            if model.framework == "django" and model.app == app and model.id.rpartition(".")[2].lower() == name.lower():
                return model.id
        return None

    def _unique_model_named(self, name: str, framework: str) -> str | None:
        found = [m.id for m in self.models.values() if m.framework == framework and m.id.rpartition(".")[2] == name]
        return found[0] if len(found) == 1 else None

    def _configured_user_model(self) -> str | None:
        for facts in self.facts.values():
            if facts.user_model and "." in facts.user_model:
                app, _, name = facts.user_model.rpartition(".")
                found = self._model_by_label(app, name)
                if found:
                    return found
        return None

    def _user_target(self) -> str | None:
        if self.user_model is None:
            self.external_targets["settings.AUTH_USER_MODEL (django.contrib.auth.models.User)"] += 1
        return self.user_model
