"""Link: Flask and FastAPI routes, under every prefix their app, blueprint or router is mounted at."""

from __future__ import annotations

from analyzers.routes.facts import Registration, RouteDecorator
from analyzers.routes.link_base import Target, _Site
from analyzers.routes.views import _ViewLinks
from analyzers.routes.vocabulary import (
    APP_KINDS,
    DRF_ROUTER,
    FASTAPI,
    FLASK,
    FLASK_KINDS,
    FLASK_RULE_VERBS,
    MAX_MOUNTS,
    RULE_VERBS,
    Text,
)


class _AppLinks(_ViewLinks):
    """Routes of decorators and URL rules, placed under each mount of their app, blueprint or router."""

    def _apps(self) -> None:
        for module, facts in self.facts.items():
            for decorator in facts.decorators:
                self._decorated(module, decorator)
            for registration in facts.registrations:
                if registration.verb in RULE_VERBS and not self._template(module, registration):
                    self._rule(module, registration)

    def _decorated(self, module: str, decorator: RouteDecorator) -> None:
        owner = self._object_at(module, decorator.scope, decorator.receiver)
        if owner is not None and self.objects[owner].kind == DRF_ROUTER:
            return
        if owner is not None:
            framework: str | None = self.objects[owner].framework
        else:
            framework = self._guess_framework(module, decorator.receiver, decorator.verb)
        if framework is None:
            return
        handler = f"{module}.{decorator.handler}"
        site = _Site(module, decorator.line, framework, decorator.name)
        if self.names.kind(handler) == "class":  # RESTX's @ns.route("/x") on a Resource: its get, post...
            targets = self._class_targets(handler, decorator.methods, "GET")
        elif decorator.verb in ("route", "api_route"):
            targets = [(m, handler, ()) for m in decorator.methods or ("GET",)]
        else:
            methods = ("WEBSOCKET",) if decorator.verb == "websocket" else (decorator.verb.upper(),)
            targets = [(m, handler, ()) for m in methods]
        self._place(site, owner, decorator.path, targets)

    def _rule(self, module: str, registration: Registration) -> None:
        assert registration.target is not None and registration.path is not None
        owner = self._object_at(module, registration.scope, registration.receiver)
        default = FLASK if registration.verb in FLASK_RULE_VERBS else FASTAPI
        framework = self.objects[owner].framework if owner else default
        targets = self._view_targets(module, registration.target, framework, registration.methods)
        self._place(_Site(module, registration.line, framework, registration.name), owner, registration.path, targets)

    def _template(self, module: str, registration: Registration) -> bool:
        """A rule inside a helper, made of the helper's parameters: its calls give the routes."""
        signature = self.facts[module].signatures.get(registration.scope)
        if signature is None:
            return False
        used = {registration.receiver.partition(".")[0], registration.target.expr if registration.target else ""}
        used.update(value for kind, value in registration.path or () if kind == "name")
        return bool(used & set(signature.names))

    def _guess_framework(self, module: str, receiver: str, verb: str) -> str | None:
        """The framework of a route on an object we cannot name (``app = create_app()``)."""
        modules = [module]
        qualified = self.names.resolve(module, receiver)
        if qualified and self.names.module_prefix(qualified):
            modules.append(self.names.module_prefix(qualified) or module)
        roots = {i.target.split(".")[0] for m in modules for i in self.names.summaries[m].imports}
        if "fastapi" in roots:
            return FASTAPI
        if roots & {"flask", "quart"} or verb == "route":
            return FLASK
        return None

    def _place(self, site: _Site, owner: str | None, path: Text, targets: list[Target]) -> None:
        """Routes of an app, blueprint or router (None: an app we cannot name) at every mount."""
        local = self.text(site.module, path, site.line)
        for base, mounted in self._bases(owner) if owner else [("", True)]:
            full = _join(site.framework, base, local)
            for target in targets:
                self._emit(target, full, site, mounted=mounted)

    def _bases(self, object_id: str, visiting: frozenset[str] = frozenset()) -> list[tuple[str, bool]]:
        """(prefix, mounted) for each place an object's own routes are served from."""
        if not visiting and object_id in self._bases_cache:
            return self._bases_cache[object_id]
        obj = self.objects[object_id]
        own = self.text(obj.module, obj.prefix, obj.line) if obj.prefix else ""
        found: list[tuple[str, bool]] = []
        for mount in self.mounts.get(object_id, ()):
            if mount.parent in visiting or mount.parent == object_id:
                continue  # a cycle of includes: that way leads nowhere new
            parents = self._bases(mount.parent, visiting | {object_id}) if mount.parent else [("", True)]
            given = None if mount.prefix is None else self.text(mount.module, mount.prefix, mount.line)
            found.extend((_mount_prefix(obj.kind, base, given, own), mounted) for base, mounted in parents)
        if not found:
            found = [("", True)] if obj.kind in APP_KINDS else [(own, False)]
        result = list(dict.fromkeys(found))[:MAX_MOUNTS]
        if not visiting:
            self._bases_cache[object_id] = result
        return result


def _flask_join(prefix: str, rule: str) -> str:
    """How Flask puts a blueprint prefix and a rule together."""
    if not prefix:
        return rule
    if not rule:
        return prefix
    return prefix.rstrip("/") + "/" + rule.lstrip("/")


def _mount_prefix(kind: str, base: str, given: str | None, own: str) -> str:
    """The prefix of an object's routes, mounted under ``base`` with the prefix ``given``."""
    if kind in FLASK_KINDS:
        # register_blueprint(url_prefix=...) replaces the blueprint's own prefix; so does add_namespace(path=...)
        return _flask_join(base, given if given is not None else own)
    return base + (given or "") + own  # FastAPI: include prefix + router prefix


def _join(framework: str, base: str, path: str) -> str:
    if framework == FLASK:
        # Indico's blueprints read "!/x" as "/x" without the blueprint's prefix
        joined = path[1:] if path.startswith("!/") else _flask_join(base, path)
    else:
        joined = base + path
    return joined if joined.startswith("/") else "/" + joined
