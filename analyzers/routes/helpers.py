"""Link: URL rules that a helper of the application makes of its parameters, once per call.

FlaskBB registers every view through ``register_view(bp, routes=["/a", "/b"], view_func=v)``,
whose body is ``for rule in routes: bp.add_url_rule(rule, view_func=v, **kwargs)``. The rule in
the helper names no route; each call, resolved to the helper through the names, gives the
routes, placed as if the caller had written the rule itself.
"""

from __future__ import annotations

from analyzers.routes.apps import _AppLinks
from analyzers.routes.facts import Argument, HelperCall, Registration, Signature, ViewRef
from analyzers.routes.vocabulary import RULE_VERBS, Text

_Template = tuple[str, Registration, Signature]
"""(module of the helper, its rule, its parameters)."""


class _HelperLinks(_AppLinks):
    """Routes of rules inside helpers, one set per call of the helper."""

    def _helpers(self) -> None:
        templates: dict[str, list[_Template]] = {}
        for module, facts in self.facts.items():
            for registration in facts.registrations:
                if registration.verb in RULE_VERBS and self._template(module, registration):
                    signature = facts.signatures[registration.scope]
                    templates.setdefault(f"{module}.{registration.scope}", []).append((module, registration, signature))
        if not templates:
            return
        for module, facts in self.facts.items():
            for call in facts.helper_calls:
                function = self.names.resolve(module, call.callee)
                for template in templates.get(function or "", ()):
                    for registration in self._instantiate(template, call):
                        self._rule(module, registration)

    def _instantiate(self, template: _Template, call: HelperCall) -> list[Registration]:
        """The rules one call makes, written as the caller would have written them."""
        home, rule, signature = template
        bound: dict[str, Argument] = dict(zip(signature.names, call.args, strict=False))
        bound.update((k, a) for k, a in call.keywords if k in signature.names)
        receiver = self._receiver(home, rule, bound)
        view = self._view(home, rule, bound)
        paths = _paths(rule, bound)
        if receiver is None or view is None or not paths:
            return []
        methods = rule.methods or _methods(rule, signature, bound, dict(call.keywords))
        return [Registration(call.scope, receiver, rule.verb, call.line, path, view, methods, rule.name) for path in paths]

    def _receiver(self, home: str, rule: Registration, bound: dict[str, Argument]) -> str | None:
        head, dot, rest = rule.receiver.partition(".")
        if head not in bound:  # a blueprint of the helper's own module: named where it is defined
            return self._object_at(home, rule.scope, rule.receiver) or rule.receiver
        given = bound[head].view
        return None if given is None or given.as_view else given.expr + dot + rest

    def _view(self, home: str, rule: Registration, bound: dict[str, Argument]) -> ViewRef | None:
        if rule.target is None:
            return None
        if rule.target.expr in bound:
            return bound[rule.target.expr].view
        qualified = self.names.resolve(home, rule.target.expr, scope=rule.scope)
        return ViewRef(qualified, rule.target.as_view, rule.target.actions, dotted_string=True) if qualified else None


def _paths(rule: Registration, bound: dict[str, Argument]) -> tuple[Text, ...]:
    """The paths the call gives the rule: a list for ``for rule in routes``, else one path."""
    path = rule.path or ()
    if len(path) != 1 or path[0][0] != "name" or path[0][1] not in bound:
        return ()
    given = bound[path[0][1]]
    return given.paths if given.many == rule.each_path else ()


def _methods(
    rule: Registration, signature: Signature, bound: dict[str, Argument], keywords: dict[str, Argument]
) -> tuple[str, ...] | None:
    """``methods=`` of the rule through the helper: its parameter, its default, or ``**kwargs``."""
    if rule.methods_from is not None:
        given = bound.get(rule.methods_from)
        return given.methods if given else dict(signature.methods).get(rule.methods_from)
    forwarded = keywords.get("methods") if rule.forwards else None
    return forwarded.methods if forwarded else None
