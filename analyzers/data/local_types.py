"""What a scope's local names hold: models, sessions, the user model."""

from __future__ import annotations

import ast

from analyzers.data.fields import _annotated_class
from analyzers.data.syntax import (
    _called_name,
    _chain,
    _is_docstring,
    _is_session_factory,
    _looks_like_session,
    _model_expressions,
)
from analyzers.data.vocab import BUILTINS, NOT_INSTANCES, SESSION, SESSION_READS, SESSION_TYPES, TRANSLATIONS, USER
from analyzers.names import dotted


class _LocalTypes:
    """Mixin of the scope scanner: the types of local names, from bindings and annotations."""

    def _learn_types(self) -> None:
        bindings: list[tuple[int, str, ast.expr | None, ast.expr | None]] = []
        for node in self.nodes:
            kind = type(node)
            if kind is ast.Call:
                func = node.func
                if (func.id if type(func) is ast.Name else getattr(func, "attr", None)) in TRANSLATIONS:
                    self.skip.update(id(arg) for arg in node.args)  # _("Delete from the list") is not SQL
            elif kind is ast.Assign:
                for target in node.targets:
                    if isinstance(target, ast.Tuple) and target.elts:
                        target = target.elts[0]  # obj, created = M.objects.get_or_create()
                    if isinstance(target, ast.Name):
                        bindings.append((node.lineno, target.id, node.value, None))
            elif kind is ast.AnnAssign and isinstance(node.target, ast.Name):
                bindings.append((node.lineno, node.target.id, node.value, node.annotation))
            elif kind in (ast.For, ast.AsyncFor, ast.comprehension) and isinstance(node.target, ast.Name):
                bindings.append((getattr(node, "lineno", node.iter.lineno), node.target.id, node.iter, None))
            elif kind is ast.withitem and isinstance(node.optional_vars, ast.Name):
                bindings.append((node.context_expr.lineno, node.optional_vars.id, node.context_expr, None))
            elif kind in (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef):
                if node.body and _is_docstring(node.body[0]):
                    self.skip.add(id(node.body[0].value))
                if kind is not ast.ClassDef:
                    args = node.args
                    for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs]:
                        bindings.append((node.lineno, arg.arg, None, arg.annotation))
        for line, name, value, annotation in sorted(bindings, key=lambda b: b[0]):
            known = _annotation_type(annotation) if annotation is not None else None
            if known is None and value is not None:
                known = self._yields(value, line)
            self.types[name].append((line, known))

    def _type_of(self, name: str, line: int) -> str | None:
        known = None
        for bound_at, kind in self.types.get(name, ()):
            if bound_at > line:
                break
            known = kind
        return known

    def _yields(self, expr: ast.expr, line: int) -> str | None:
        """The model (or SESSION, USER) whose instance or query an expression gives, as written."""
        if isinstance(expr, ast.Await):
            expr = expr.value
        if isinstance(expr, ast.Name):
            return self._type_of(expr.id, line)
        if isinstance(expr, ast.Attribute):
            name = dotted(expr)
            return SESSION if name and _looks_like_session(name) else None
        if not isinstance(expr, ast.Call):
            return None
        head, links = _chain(expr)
        last = links[-1][0] if links else None
        if isinstance(head, ast.Call):
            return self._function_yields(head, links)
        name = dotted(head)
        if name is None:
            return self._yields_through_user(head, links)
        parts = name.split(".")
        known = self._type_of(parts[0], line) if parts[0] not in ("self", "cls") else None
        if len(parts) == 1 and (known == SESSION or (known is None and _looks_like_session(name))):
            return self._session_yields(links, line)
        if len(parts) == 1 and known not in (None, SESSION):
            return known if last not in NOT_INSTANCES else None
        if len(parts) > 1 and links and last not in NOT_INSTANCES and (owner := self._manager_owner(parts, line)):
            return owner
        # ``order = services.get_order(...)``: the link reads the function's return annotation
        return f"{name}.{'.'.join(m for m, _ in links)}()" if known is None else None

    def _function_yields(self, head: ast.Call, links: list[tuple[str, ast.Call]]) -> str | None:
        called = _called_name(head)
        last = called.rpartition(".")[2]
        if last == "select" and head.args:
            return (_model_expressions(head.args[:1]) or [None])[0]  # a statement: what it selects
        if links and [name for name, _ in links] != ["begin"]:
            return None
        if _is_session_factory(called):
            return SESSION
        if last == "get_user_model":
            return USER
        if last in ("get_object_or_404",) and head.args:
            return (_model_expressions(head.args[:1]) or [None])[0]
        if last[:1].isupper():
            return called
        return f"{called}()" if called and not links and called not in BUILTINS else None

    def _yields_through_user(self, head: ast.expr, links: list[tuple[str, ast.Call]]) -> str | None:
        if isinstance(head, ast.Attribute) and isinstance(head.value, ast.Call):
            if _called_name(head.value).endswith("get_user_model") and links and links[-1][0] not in NOT_INSTANCES:
                return USER
        return None

    def _session_yields(self, links: list[tuple[str, ast.Call]], line: int) -> str | None:
        if not links:
            return None
        operation, call = links[0]
        if links[-1][0] in NOT_INSTANCES and operation != "scalar":
            return None
        if operation in SESSION_READS or operation == "query":
            return (_model_expressions(call.args[:1]) or [None])[0]
        if operation in ("scalars", "scalar", "execute") and call.args:
            known = self._yields(call.args[0], line)  # select(M) written there or earlier
            return known if known not in (SESSION, USER) and not (known or "").endswith("()") else None
        return None

    def _manager_owner(self, parts: list[str], line: int) -> str | None:
        """``Order`` for ``Order.objects``: the class-like name before a manager attribute."""
        owner = ".".join(parts[:-1])
        if self._type_of(parts[0], line) == USER and len(parts) == 2:
            return USER
        if parts[-2][:1].isupper() or owner == "cls":
            return owner
        return None


def _annotation_type(annotation: ast.expr) -> str | None:
    """The model (or SESSION) a parameter annotation names: ``Order``, ``Order | None``, ``"Session"``."""
    found = _annotated_class(annotation)
    if found is None:
        return None
    if found.text.rpartition(".")[2] in SESSION_TYPES:
        return SESSION
    return found.text if found.kind == "name" else None
