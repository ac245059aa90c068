"""Link: which apps, blueprints and routers exist, and where each is mounted."""

from __future__ import annotations

from dataclasses import replace

from analyzers.routes.facts import AppObject, Registration, ViewRef
from analyzers.routes.link_base import _LinkBase, _Mount, _Object
from analyzers.routes.vocabulary import DRF_ROUTER, KNOWN_BY_NAME, KNOWN_CLASSES, MOUNT_VERBS, NAMESPACE, REST_API


class _MountLinks(_LinkBase):
    """Collects the objects, the mounts between them and the viewsets each DRF router registers."""

    def _collect_objects(self) -> None:
        made_on: list[tuple[str, AppObject, str]] = []
        for module, facts in self.facts.items():
            for made in facts.objects:
                kind = self._classify(module, made.callee)
                if kind is not None:
                    object_id = f"{module}.{made.scope}.{made.var}" if made.scope else f"{module}.{made.var}"
                    self.objects[object_id] = _Object(object_id, kind, module, made.prefix, made.line, made.trailing_slash)
                    if made.parent is not None and kind == REST_API:
                        made_on.append((module, made, object_id))
                elif made.parent is not None:
                    made_on.append((module, made, ""))
        for module, made, object_id in made_on:  # Api(app); api.namespace("x"), once every Api is known
            parent = self._object_at(module, made.scope, made.parent or "")
            if not object_id and parent is not None and self.objects[parent].kind == REST_API:
                object_id = f"{module}.{made.scope}.{made.var}" if made.scope else f"{module}.{made.var}"
                self.objects[object_id] = _Object(object_id, NAMESPACE, module, made.prefix, made.line, True)
            if object_id:
                self.mounts.setdefault(object_id, []).append(_Mount(parent, None, module, made.line))

    def _classify(self, module: str, callee: str) -> str | None:
        qualified = self.names.resolve(module, callee)
        if qualified is None:
            return KNOWN_BY_NAME.get(callee.rpartition(".")[2])
        if not self.names.is_internal(qualified):
            return _known_class(qualified)
        for klass in self.names.ancestry(qualified):  # our own subclass of Blueprint, APIRouter...
            for base in self.names.bases(klass):
                if not self.names.is_internal(base) and _known_class(base):
                    return _known_class(base)
        return None

    def _collect_registrations(self) -> None:
        for module, facts in self.facts.items():
            for registration in facts.registrations:
                for single in self._each(module, registration):
                    if single.verb in MOUNT_VERBS:
                        self._mount(module, single)
                    elif single.verb == "register":
                        router = self._object_at(module, single.scope, single.receiver)
                        if router is not None and self.objects[router].kind == DRF_ROUTER:
                            self.registered.setdefault(router, []).append((module, single))

    def _each(self, module: str, registration: Registration) -> list[Registration]:
        """``for r in ROUTERS: app.include_router(r)``: one registration per element of ROUTERS."""
        if not registration.each or registration.target is None:
            return [registration]
        sequence = self.names.resolve(module, registration.target.expr)
        found = self._split(sequence) if sequence else None
        names = self.facts[found[0]].sequences.get(found[1], ()) if found else ()
        if not names:
            return [registration]
        # the elements are written in the module that defines the sequence: resolve them there
        resolved = (self.names.resolve(found[0], n) if found else None for n in names)
        return [replace(registration, target=ViewRef(r), each=False) for r in resolved if r]

    def _mount(self, module: str, registration: Registration) -> None:
        assert registration.target is not None
        child = self._object_at(module, registration.scope, registration.target.expr)
        if registration.verb == "init_app" and (child is None or self.objects[child].kind != REST_API):
            return  # db.init_app(app) and every other extension: no routes of theirs
        if child is None:
            # an outside router (fastapi_users.router) is no concern of ours; anything else is a gap
            resolved = self.names.resolve(module, registration.target.expr)
            if resolved is None or self.names.is_internal(resolved):
                what = registration.target.expr
                each = f"each of {what}" if registration.each else what
                reason = f"{registration.verb}({each}): cannot tell what {what} holds; those routes stay unmounted"
                self._skip(module, registration.line, reason)
            return
        parent = self._object_at(module, registration.scope, registration.receiver)
        self.mounts.setdefault(child, []).append(_Mount(parent, registration.path, module, registration.line))


def _known_class(qualified: str) -> str | None:
    root, last = qualified.split(".")[0], qualified.rpartition(".")[2]
    if root in ("rest_framework", "rest_framework_nested") and last.endswith("Router"):
        return DRF_ROUTER
    return KNOWN_CLASSES.get((root, last))
