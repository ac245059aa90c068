"""ORM models, their tables and relations, and the code that reads and writes them.

Django models and SQLAlchemy declarative classes (and ``Table(...)`` objects) become MODEL and
TABLE nodes with FOREIGN_KEY edges; ORM queries, session operations and raw SQL in string
literals become READS / WRITES edges from the function (or module) that runs them.

The scan records, per file, what is written there: class bodies, ``Table(...)`` calls, the shape
of each query with its names as written, the tables that SQL strings name. It cannot know which
names are models, so it keeps every candidate; the link decides across modules which classes are
models and drops the candidates that resolve to nothing known.
"""

from __future__ import annotations

import ast
import builtins
import re
import sys
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from analyzers.base import Analyzer, Contribution, ParsedModule, Project, Skipped
from analyzers.names import NameResolver, dotted
from migrator.model.facts import Edge, EdgeKind, Node, NodeKind

READS, WRITES = "reads", "writes"
SESSION = "@session"
"""Type of a local variable known to hold an SQLAlchemy session."""
USER = "@user"
"""Stands for ``settings.AUTH_USER_MODEL`` / ``get_user_model()``."""
MODULE_NAME = "@module"
"""A class attribute assigned ``__name__``."""

# -- what the scan looks for -------------------------------------------------------------------

MODEL_WORDS = ("Model", "model =", "class Meta", "__table", "Column", "mapped_column", "Mapped[", "Table(",
               "relationship(", "declarative", "AppConfig", "AUTH_USER_MODEL", "get_user_model", "SQLAlchemy(",
               "ForeignKey", "Field(")
"""A file is searched for model classes only if its text holds one of these."""
ACCESS_WORDS = (".objects", "session", "Session", ".query", "select(", "insert(", "update(", "delete(", ".save(",
                "_or_404", "_manager", "get_user_model")
"""A scope (function, class body, module code) is walked only if its text holds one of these or SQL."""
SQL_HINT = re.compile(r"""["']\s*\(?\s*(?:select|insert|update|delete|with)\s""", re.IGNORECASE)
NEWLINE = re.compile("\n")
SQL_START = re.compile(r"\s*\(?\s*(?:select|insert|update|delete|with)\s", re.IGNORECASE)

FIELD_SUFFIXES = ("Field", "ForeignKey", "Key")
SA_COLUMNS = frozenset({"Column", "mapped_column"})
SA_RELATIONSHIPS = frozenset({"relationship", "relation"})
TRANSLATIONS = frozenset({"_", "gettext", "gettext_lazy", "ugettext", "ugettext_lazy", "pgettext", "pgettext_lazy",
                          "ngettext", "ngettext_lazy", "gettext_noop", "lazy_gettext", "_lazy"})
CONTAINERS = frozenset({"Mapped", "list", "List", "set", "Set", "Optional", "Sequence", "Iterable", "tuple",
                        "Tuple", "frozenset", "FrozenSet", "WriteOnlyMapped", "DynamicMapped", "Annotated"})

# -- Django --------------------------------------------------------------------------------------

DJANGO_MODEL_BASES = frozenset({"django.db.models.Model", "django.db.models.base.Model"})
DJANGO_EXTERNAL_MODELS = frozenset({
    "django.contrib.auth.models.AbstractUser", "django.contrib.auth.models.AbstractBaseUser",
    "django.contrib.auth.base_user.AbstractBaseUser", "django.contrib.auth.models.PermissionsMixin",
    "mptt.models.MPTTModel", "polymorphic.models.PolymorphicModel", "treebeard.mp_tree.MP_Node",
    "treebeard.ns_tree.NS_Node", "treebeard.al_tree.AL_Node", "model_utils.models.TimeStampedModel",
    "django_extensions.db.models.TimeStampedModel", "parler.models.TranslatableModel",
    "modelcluster.models.ClusterableModel",
})
"""Classes of other libraries that are Django models themselves (mostly abstract)."""
NOT_MODEL_SUFFIXES = ("Form", "FormSet", "Admin", "Serializer", "Manager", "QuerySet", "Field", "Config", "Error")
DJANGO_READ_METHODS = frozenset({
    "filter", "get", "all", "exclude", "values", "values_list", "count", "exists", "first", "last", "aggregate",
    "annotate", "order_by", "distinct", "select_related", "prefetch_related", "only", "defer", "in_bulk",
    "iterator", "latest", "earliest", "none", "raw", "dates", "datetimes", "union", "intersection", "difference",
    "select_for_update", "using", "extra", "reverse", "alias", "contains", "explain", "refresh_from_db",
    "aget", "acount", "afirst", "alast", "aexists", "aaggregate", "ain_bulk", "aiterator", "alatest",
    "aearliest", "acontains", "arefresh_from_db",
})
DJANGO_WRITE_METHODS = frozenset({
    "create", "update", "bulk_create", "get_or_create", "update_or_create", "delete", "bulk_update", "save",
    "acreate", "aupdate", "abulk_create", "aget_or_create", "aupdate_or_create", "adelete", "abulk_update", "asave",
})
NOT_INSTANCES = frozenset({"count", "exists", "aggregate", "values", "values_list", "update", "delete", "in_bulk",
                           "dates", "datetimes", "explain", "bulk_create", "bulk_update", "acount", "aexists",
                           "aaggregate", "aupdate", "adelete", "scalar", "contains"})
DEFAULT_MANAGERS = frozenset({"objects", "_default_manager", "_base_manager"})
GENERIC_VIEW_WRITES = ("Create", "Update", "Delete", "Edit", "ModelViewSet")

# -- SQLAlchemy ------------------------------------------------------------------------------------

SA_DECLARATIVE_BASES = frozenset({
    "sqlalchemy.orm.DeclarativeBase", "sqlalchemy.orm.DeclarativeBaseNoMeta",
    "sqlalchemy.orm.decl_api.DeclarativeBase", "sqlalchemy.orm.decl_api.DeclarativeBaseNoMeta",
})
SA_BASE_FACTORIES = frozenset({"declarative_base", "generate_base"})
SA_STATEMENTS = {"select": READS, "insert": WRITES, "update": WRITES, "delete": WRITES}
SA_CLAUSES = frozenset({"join", "outerjoin", "join_from", "select_from", "where", "filter", "having"})
"""Methods of a statement or query whose arguments name more models it reads."""
SA_PACKAGES = frozenset({"sqlalchemy", "sqlmodel", "flask_sqlalchemy"})
SESSION_TYPES = frozenset({"Session", "AsyncSession", "scoped_session", "async_scoped_session"})
SESSION_READS = frozenset({"get", "get_one", "get_or_404", "first_or_404", "one_or_404"})
SESSION_WRITES = frozenset({"add", "add_all", "merge", "delete", "bulk_save_objects"})
SESSION_MAPPINGS = frozenset({"bulk_insert_mappings", "bulk_update_mappings"})
BUILTINS = frozenset(dir(builtins))
COLLECTION_ADDS = frozenset({"append", "extend", "add", "insert"})
SESSION_STATEMENTS = frozenset({"execute", "scalars", "scalar", "commit", "flush", "rollback", "refresh"})


# == scan facts ==================================================================================


@dataclass(frozen=True)
class Target:
    """A model or table named in code: ``kind`` is "name" (an expression), "string" or "user"."""

    kind: str
    text: str


@dataclass(frozen=True)
class FieldFact:
    """A class attribute that may be a model field: ``x = models.CharField(...)``, ``x: Mapped[int]``."""

    name: str
    line: int
    call: str
    """The called name as written (``models.ForeignKey``, ``mapped_column``); "" for a bare annotation."""
    target: Target | None = None
    """A relation's target: the first argument or ``to=``."""
    annotated: Target | None = None
    """The class a ``Mapped[...]`` annotation names."""
    column: str | None = None
    foreign_keys: tuple[Target, ...] = ()
    """``ForeignKey(...)`` targets inside ``Column(...)`` / ``mapped_column(...)``."""
    options: tuple[tuple[str, Target], ...] = ()
    """``to_field``, ``through``, ``secondary`` as written."""


@dataclass(frozen=True)
class TableFact:
    """``Table("name", metadata, Column(...), ...)``."""

    name: str
    variable: str | None
    line: int
    columns: tuple[FieldFact, ...]


@dataclass(frozen=True)
class ClassFact:
    name: str
    """Qualified name inside the module."""
    line: int
    fields: tuple[FieldFact, ...] = ()
    meta: dict[str, Any] = field(default_factory=dict)
    """Literal options of ``class Meta``."""
    has_meta: bool = False
    meta_extends: bool = False
    """``class Meta(Parent.Meta)``: the parent's options carry over."""
    literals: dict[str, Any] = field(default_factory=dict)
    """Class attributes assigned a literal: ``__tablename__``, ``__abstract__``, an AppConfig's ``name``..."""
    table: TableFact | None = None
    """``__table__ = Table(...)``."""
    managers: tuple[str, ...] = ()
    model_attr: str | None = None
    """``model = Order`` in a class body (generic views)."""
    metaclass_bases: tuple[str, ...] = ()
    """The bases inside ``six.with_metaclass(Meta, *bases)``."""


@dataclass(frozen=True)
class Access:
    """A read or a write of a model (or ``Table``) found in a scope."""

    scope: str
    """Qualified name inside the module of the enclosing function or class; "" for module code."""
    target: str
    """The model as written (``Order``, ``models.Order.id``, ``self``) or ``USER``."""
    mode: str
    line: int
    manager: str | None = None
    """Written ``target.<manager>.method()``: the model must have that manager."""
    via: str | None = None
    """Through this function (``select``, ``get_object_or_404``): it must be the ORM's."""
    table_only: bool = False
    """``target.insert()``: the target must be a ``Table`` or a model's ``__table__``."""
    mutation: bool = False
    """``order.status = ...``, ``order.lines.append(Line())``: a write only for SQLAlchemy's unit of work."""


@dataclass(frozen=True)
class SqlUse:
    """A string literal that is SQL, and the tables it reads and writes."""

    scope: str
    line: int
    reads: tuple[str, ...]
    writes: tuple[str, ...]


@dataclass
class DataFacts:
    classes: list[ClassFact] = field(default_factory=list)
    tables: list[TableFact] = field(default_factory=list)
    assignments: list[tuple[str, str]] = field(default_factory=list)
    """Module-level ``name = call(...)`` for base factories, ``SQLAlchemy()`` and ``get_user_model()``."""
    user_model: str | None = None
    """A literal ``AUTH_USER_MODEL = "app.Model"``."""
    accesses: list[Access] = field(default_factory=list)
    sql: list[SqlUse] = field(default_factory=list)
    returns: dict[str, str] = field(default_factory=dict)
    """Function (qualified in the module) -> the class its return annotation names, as written."""
    error: str | None = None
    """Why the scan of this file failed, if it did."""


class DataAnalyzer(Analyzer):
    """ORM models, tables, foreign keys, and reads and writes of them (Django, SQLAlchemy, raw SQL)."""

    name = "data"
    version = 2  # 1 was the placeholder, whose cached (empty) facts must not be reused

    def scan(self, module: ParsedModule) -> DataFacts | None:
        source = module.source
        wants_models = any(word in source for word in MODEL_WORDS)
        wants_uses = any(word in source for word in ACCESS_WORDS) or SQL_HINT.search(source) is not None
        if not (wants_models or wants_uses):
            return None
        facts = DataFacts()
        try:
            _scan_returns(module.tree.body, "", facts.returns)
            if wants_models:
                _scan_definitions(module.tree.body, "", facts)
            if wants_uses:
                _scan_uses(module, facts)
        except RecursionError:
            raise  # the scan phase reports the file as nested too deeply
        except Exception as exc:  # code the scanner did not foresee must not end the run
            return DataFacts(error=f"{type(exc).__name__}: {exc}")
        empty = not (facts.classes or facts.tables or facts.assignments or facts.user_model or facts.accesses
                     or facts.sql or facts.returns)
        return None if empty else facts

    def link(self, project: Project) -> Contribution:
        return _Linker(project).run()


# == scan: definitions ============================================================================


def _scan_uses(module: ParsedModule, facts: DataFacts) -> None:
    hints = _Hints(module.source)
    for scope, roots, docstrings in _scopes(module.tree):
        if hints.within(roots):
            _ScopeScanner(scope, roots, docstrings, facts).run()


def _scan_definitions(body: list[ast.stmt], prefix: str, facts: DataFacts) -> None:
    for statement in body:
        if isinstance(statement, ast.ClassDef):
            found = _class_fact(statement, _qualify(prefix, statement.name))
            # a class without bases matters only as a mixin that declares columns
            if statement.bases or statement.decorator_list or found.fields or found.has_meta:
                facts.classes.append(found)
        elif isinstance(statement, (ast.Assign, ast.AnnAssign)) and not prefix:
            _module_assignment(statement, facts)
        elif isinstance(statement, (ast.If, ast.Try)):
            for block in _blocks(statement):
                _scan_definitions(block, prefix, facts)


def _scan_returns(body: list[ast.stmt], prefix: str, returns: dict[str, str]) -> None:
    """Return annotations naming a class, so that ``order = get_order(...)`` gets a type."""
    for statement in body:
        if isinstance(statement, ast.ClassDef):
            _scan_returns(statement.body, _qualify(prefix, statement.name), returns)
        elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)) and statement.returns is not None:
            found = _annotated_class(statement.returns)
            if found and found.kind == "name":
                returns[_qualify(prefix, statement.name)] = found.text


def _blocks(statement: ast.If | ast.Try) -> Iterator[list[ast.stmt]]:
    yield statement.body
    yield statement.orelse
    if isinstance(statement, ast.Try):
        yield statement.finalbody
        for handler in statement.handlers:
            yield handler.body


def _module_assignment(statement: ast.Assign | ast.AnnAssign, facts: DataFacts) -> None:
    targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
    names = [t.id for t in targets if isinstance(t, ast.Name)]
    value = statement.value
    if not names or value is None:
        return
    if isinstance(value, ast.Constant) and isinstance(value.value, str) and "AUTH_USER_MODEL" in names:
        facts.user_model = value.value
    elif isinstance(value, ast.Call):
        called = _called_name(value)
        last = called.rpartition(".")[2]
        if last in SA_BASE_FACTORIES or last.endswith("SQLAlchemy") or last == "get_user_model":
            facts.assignments.extend((name, called) for name in names)
        elif last == "Table":
            table = _table_fact(value, names[0])
            if table:
                facts.tables.append(table)


def _class_fact(node: ast.ClassDef, qualified: str) -> ClassFact:
    fields: list[FieldFact] = []
    literals: dict[str, Any] = {}
    managers: list[str] = []
    meta: dict[str, Any] = {}
    has_meta = meta_extends = False
    table: TableFact | None = None
    model_attr: str | None = None
    for statement in node.body:
        if isinstance(statement, ast.ClassDef) and statement.name == "Meta":
            has_meta, meta_extends = True, bool(statement.bases)
            meta = _literals(statement.body)
            continue
        name, annotation, value = _assigned(statement)
        if name is None:
            continue
        if isinstance(value, ast.Constant):
            literals[name] = value.value
        elif isinstance(value, ast.Name) and value.id == "__name__":
            literals[name] = MODULE_NAME  # an AppConfig in the app's __init__: name = __name__
        elif name == "__table_args__":
            literals["schema"] = _schema(value)
        elif name == "model" and isinstance(value, (ast.Name, ast.Attribute)):
            model_attr = dotted(value)
        elif isinstance(value, ast.Call):
            called = _called_name(value)
            if name == "__table__" and called.endswith("Table"):
                table = _table_fact(value, None)
            elif "anager" in called or called.endswith(("as_manager", "from_queryset")):
                managers.append(name)
            else:
                found = _field_fact(name, statement.lineno, called, value, annotation)
                if found:
                    fields.append(found)
        elif annotation is not None and value is None and _mapped(annotation):
            fields.append(FieldFact(name, statement.lineno, "", annotated=_annotated_class(annotation)))
    metaclass_bases = tuple(
        name for base in node.bases if isinstance(base, ast.Call) and _called_name(base).endswith("with_metaclass")
        for name in map(dotted, base.args[1:]) if name
    )
    return ClassFact(qualified, node.lineno, tuple(fields), meta, has_meta, meta_extends, literals, table,
                     tuple(managers), model_attr, metaclass_bases)


def _schema(table_args: ast.expr | None) -> str | None:
    """The literal ``schema`` of ``__table_args__ = {"schema": ...}`` or ``(..., {"schema": ...})``."""
    if isinstance(table_args, ast.Tuple) and table_args.elts:
        table_args = table_args.elts[-1]
    if isinstance(table_args, ast.Dict):
        for key, value in zip(table_args.keys, table_args.values):
            if _string(key) == "schema":
                return _string(value)
    return None


def _assigned(statement: ast.stmt) -> tuple[str | None, ast.expr | None, ast.expr | None]:
    """(name, annotation, value) of ``name: annotation = value``, also of a ``@declared_attr`` method."""
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
        declared = any((dotted(d) or "").split(".")[0].endswith("declared_attr") for d in statement.decorator_list)
        last = statement.body[-1] if statement.body else None
        if declared and isinstance(last, ast.Return) and last.value is not None:
            return statement.name, statement.returns, last.value
        return None, None, None
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1 and isinstance(statement.targets[0], ast.Name):
        return statement.targets[0].id, None, statement.value
    if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
        return statement.target.id, statement.annotation, statement.value
    return None, None, None


def _literals(body: list[ast.stmt]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for statement in body:
        name, _, value = _assigned(statement)
        if name and isinstance(value, ast.Constant):
            found[name] = value.value
    return found


def _mapped(annotation: ast.expr) -> bool:
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        return annotation.value.lstrip().startswith("Mapped[")
    return isinstance(annotation, ast.Subscript) and (dotted(annotation.value) or "").endswith("Mapped")


def _field_fact(name: str, line: int, called: str, call: ast.Call, annotation: ast.expr | None) -> FieldFact | None:
    last = called.rpartition(".")[2]
    if not (last.endswith(FIELD_SUFFIXES) or last in SA_COLUMNS or last in SA_RELATIONSHIPS):
        return None
    keywords = {k.arg: k.value for k in call.keywords if k.arg}
    first = call.args[0] if call.args else None
    column = _string(keywords.get("db_column"))
    if last in SA_COLUMNS:
        column = _string(first) or _string(keywords.get("name")) or None
    target = None
    if last not in SA_COLUMNS:
        target = _target(keywords.get("to", keywords.get("argument", first)))
    foreign_keys = tuple(
        t for t in (_target(arg.args[0]) for arg in call.args
                    if isinstance(arg, ast.Call) and _called_name(arg).endswith("ForeignKey") and arg.args) if t
    )
    options = tuple((key, t) for key in ("to_field", "through", "secondary") if (t := _target(keywords.get(key))))
    annotated = _annotated_class(annotation) if annotation is not None else None
    return FieldFact(name, line, called, target, annotated, column, foreign_keys, options)


def _table_fact(call: ast.Call, variable: str | None) -> TableFact | None:
    """``Table("orders", metadata, Column(...))``; other tables (``rich.Table("Name", "Value")``) give None."""
    name = _string(call.args[0]) if call.args else None
    second = call.args[1] if len(call.args) > 1 else None
    metadata = dotted(second) if isinstance(second, (ast.Name, ast.Attribute)) else None
    if not name or not metadata or "meta" not in metadata.lower():
        return None
    columns = []
    for arg in call.args[1:]:
        if isinstance(arg, ast.Call) and _called_name(arg).endswith("Column"):
            column_name = _string(arg.args[0]) if arg.args else None
            found = _field_fact(column_name or "?", arg.lineno, "Column", arg, None)
            if found and column_name:
                columns.append(found)
    return TableFact(name, variable, call.lineno, tuple(columns))


def _target(node: ast.expr | None) -> Target | None:
    """What a relation or a foreign key points at, as written."""
    if node is None:
        return None
    if isinstance(node, ast.Lambda):
        node = node.body
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return Target("string", node.value)
    if isinstance(node, ast.Call):
        return Target("user", "") if _called_name(node).endswith("get_user_model") else None
    name = dotted(node) if isinstance(node, (ast.Name, ast.Attribute)) else None
    if not name:
        return None
    return Target("user", "") if name.endswith("AUTH_USER_MODEL") else Target("name", name)


def _annotated_class(annotation: ast.expr) -> Target | None:
    """``Order`` from ``Mapped[list["Order"]]``, ``Mapped[Order | None]``, ``Optional[Order]``..."""
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        try:
            annotation = ast.parse(annotation.value.strip(), mode="eval").body
        except (SyntaxError, ValueError):
            return None
        if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
            return Target("string", annotation.value)
    if isinstance(annotation, ast.Subscript):
        inner = annotation.slice
        items = inner.elts if isinstance(inner, ast.Tuple) else [inner]
        return next((t for t in map(_annotated_class, items) if t), None)
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        return _annotated_class(annotation.left) or _annotated_class(annotation.right)
    name = dotted(annotation) if isinstance(annotation, (ast.Name, ast.Attribute)) else None
    if name and name.rpartition(".")[2] not in CONTAINERS and (name[:1].isupper() or "." in name):
        return Target("name", name)
    return None


def _string(node: ast.expr | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _called_name(call: ast.Call) -> str:
    """The called name of ``f()``, ``a.b()`` and of factories called twice (``make()()``); "" if none."""
    func: ast.expr = call.func
    while isinstance(func, ast.Call):
        func = func.func
    return dotted(func) or ""


def _qualify(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


# == scan: reads and writes =========================================================================


def _scopes(tree: ast.Module) -> Iterator[tuple[str, list[ast.AST], set[int]]]:
    """(scope, nodes to walk, docstring ids) per function, class body and module code.

    Scopes follow the symbols analyzer: nested functions and classes inside functions belong to
    the outermost function.
    """
    yield from _scopes_of(tree.body, "")


def _scopes_of(body: list[ast.stmt], prefix: str) -> Iterator[tuple[str, list[ast.AST], set[int]]]:
    loose: list[ast.AST] = []
    docstrings = {id(body[0].value)} if body and _is_docstring(body[0]) else set()
    for statement in body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield _qualify(prefix, statement.name), [statement], set()
        elif isinstance(statement, ast.ClassDef):
            yield from _scopes_of(statement.body, _qualify(prefix, statement.name))
        elif isinstance(statement, (ast.If, ast.Try)) and _holds_definitions(statement):
            if isinstance(statement, ast.If):
                loose.append(statement.test)
            for block in _blocks(statement):
                yield from _scopes_of(block, prefix)
        else:
            loose.append(statement)
    if loose:
        yield prefix, loose, docstrings


class _Hints:
    """Where a file's text mentions a query word or starts a SQL string: walking a scope's tree costs
    far more than looking up whether its lines hold one."""

    def __init__(self, source: str) -> None:
        self.line_starts = [0, *(m.end() for m in NEWLINE.finditer(source))]
        offsets = [m.start() for m in SQL_HINT.finditer(source)]
        for word in ACCESS_WORDS:
            at = source.find(word)
            while at != -1:
                offsets.append(at)
                at = source.find(word, at + 1)
        self.offsets = sorted(offsets)

    def within(self, roots: list[ast.AST]) -> bool:
        for root in roots:
            first = getattr(root, "lineno", None)
            if first is None:
                continue
            last = getattr(root, "end_lineno", None) or first
            start = self.line_starts[min(first, len(self.line_starts)) - 1]
            end = self.line_starts[last] if last < len(self.line_starts) else sys.maxsize
            index = bisect_left(self.offsets, start)
            if index < len(self.offsets) and self.offsets[index] < end:
                return True
        return False


def _holds_definitions(statement: ast.If | ast.Try) -> bool:
    definitions = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    return any(isinstance(s, definitions) for block in _blocks(statement) for s in block)


def _is_docstring(statement: ast.stmt) -> bool:
    value = statement.value if isinstance(statement, ast.Expr) else None
    return isinstance(value, ast.Constant) and isinstance(value.value, str)


SKIPPED_FIELDS = frozenset({"ctx", "op", "ops", "type_comment", "kind", "type_ignores"})
KEPT_NODES = frozenset({ast.Call, ast.Assign, ast.AugAssign, ast.AnnAssign, ast.JoinedStr,
                        ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.For, ast.AsyncFor,
                        ast.comprehension, ast.withitem})
MIN_SQL_LENGTH = 12
"""Shorter strings are not worth reading as SQL (``"SELECT 1"``)."""
_FIELDS: dict[type, tuple[tuple[str, ...], bool]] = {}


def _walk(roots: list[ast.AST]) -> list[ast.AST]:
    """The nodes the scope scanner looks at, parents before children, in source order.

    Twice as fast as ``ast.walk``: it skips contexts, operators and names, and keeps only
    the node types the scanner uses.
    """
    kept: list[ast.AST] = []
    stack = list(reversed(roots))
    pop, push, node_type, leaf, constant = stack.pop, stack.append, ast.AST, ast.Name, ast.Constant
    while stack:
        node = pop()
        kind = type(node)
        entry = _FIELDS.get(kind)
        if entry is None:
            fields = tuple(reversed([f for f in kind._fields if f not in SKIPPED_FIELDS]))
            entry = _FIELDS[kind] = (fields, kind in KEPT_NODES)
        if entry[1] or (kind is constant and type(node.value) is str and len(node.value) >= MIN_SQL_LENGTH):
            kept.append(node)
        for name in entry[0]:  # pushed last to first, so that they come off the stack in order
            value = getattr(node, name)
            if type(value) is list:
                for item in reversed(value):
                    if isinstance(item, node_type) and type(item) is not leaf:
                        push(item)
            elif isinstance(value, node_type) and type(value) is not leaf:
                push(value)
    return kept


def _chain(call: ast.Call) -> tuple[ast.expr, list[tuple[str, ast.Call]]]:
    """Split ``head.m1(...).m2(...)`` into the head expression and the method calls, inner first."""
    links: list[tuple[str, ast.Call]] = []
    node: ast.expr = call
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        links.append((node.func.attr, node))
        node = node.func.value
    links.reverse()
    return node, links


def _model_expressions(args: Iterable[ast.expr], depth: int = 0) -> list[str]:
    """Names that may be models or their columns in ``select(M, func.count(N.id))``, ``A.id == B.a_id``."""
    found: list[str] = []
    for arg in args:
        name = dotted(arg) if isinstance(arg, (ast.Name, ast.Attribute)) else None
        if name:
            found.append(name)
        elif depth < 4:
            found.extend(_model_expressions(_operands(arg), depth + 1))
    return found


def _operands(node: ast.expr) -> list[ast.expr]:
    if isinstance(node, ast.Call):
        inner = [node.func.value] if isinstance(node.func, ast.Attribute) else []
        return [*inner, *node.args, *(k.value for k in node.keywords)]
    if isinstance(node, ast.Compare):
        return [node.left, *node.comparators]
    if isinstance(node, ast.BoolOp):
        return list(node.values)
    if isinstance(node, ast.BinOp):
        return [node.left, node.right]
    if isinstance(node, (ast.UnaryOp, ast.Starred)):
        return [node.operand if isinstance(node, ast.UnaryOp) else node.value]
    if isinstance(node, (ast.List, ast.Tuple)):
        return list(node.elts)
    if isinstance(node, ast.Attribute):
        return [node.value]
    return []


def _is_session_factory(called: str) -> bool:
    """``Session(engine)``, ``SessionLocal()``, ``get_session()``: calls that give a session."""
    last = called.rpartition(".")[2]
    if last[:1].isupper():
        return last in SESSION_TYPES or last.endswith(("SessionLocal", "sessionmaker"))
    return "session" in last.lower() or last == "get_db"


def _looks_like_session(name: str) -> bool:
    lowered = name.lower()
    return "sess" in lowered or lowered.rpartition(".")[2] == "db"


def _sql_tables(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Tables a SQL statement reads (FROM, JOIN) and writes (INSERT INTO, UPDATE, DELETE FROM)."""
    writes = [m.group(1) for m in SQL_WRITE.finditer(text)]
    reads = [m.group(1) for m in SQL_JOIN.finditer(text)]
    for match in SQL_FROM.finditer(text):
        if text[: match.start()].rstrip().lower().endswith("delete"):
            continue
        for item in match.group(1).split(","):
            words = item.split()
            if words:
                reads.append(words[0])
    clean = lambda names: tuple(dict.fromkeys(n for n in map(_sql_name, names) if n))  # noqa: E731
    return clean(reads), clean(writes)


_SQL_NAME = r"([`\"\[]?[\w$]+[`\"\]]?(?:\.[`\"\[]?[\w$]+[`\"\]]?)?)"
SQL_WRITE = re.compile(
    rf"\b(?:insert\s+(?:or\s+\w+\s+)?into|delete\s+from|update(?:\s+only)?)\s+{_SQL_NAME}", re.IGNORECASE
)
SQL_JOIN = re.compile(rf"\bjoin\s+{_SQL_NAME}", re.IGNORECASE)
SQL_FROM = re.compile(
    r"\bfrom\s+(.+?)(?=\b(?:where|join|inner|left|right|full|cross|natural|group|order|limit|having|union|on|using"
    r"|returning|window|offset|fetch|for|set|values|except|intersect)\b|[;()]|$)",
    re.IGNORECASE | re.DOTALL,
)


def _sql_name(raw: str) -> str | None:
    name = raw.strip("`\"[]").replace('"', "").replace("`", "").replace("[", "").replace("]", "")
    return name.lower() if re.fullmatch(r"[A-Za-z_][\w$]*(?:\.[A-Za-z_][\w$]*)?", name) else None


class _ScopeScanner:
    """Finds the ORM reads and writes and the SQL strings of one scope."""

    def __init__(self, scope: str, roots: list[ast.AST], docstrings: set[int], facts: DataFacts) -> None:
        self.scope = scope
        self.nodes = _walk(roots)
        self.skip = set(docstrings)
        self.facts = facts
        self.types: dict[str, list[tuple[int, str | None]]] = defaultdict(list)

    def run(self) -> None:
        self._learn_types()
        skip = self.skip
        for node in self.nodes:
            kind = type(node)
            if id(node) in skip:
                continue
            if kind is ast.Call:
                self._call(node)
            elif kind is ast.Assign or kind is ast.AugAssign or kind is ast.AnnAssign:
                self._mutation(node)
            elif kind is ast.Constant:
                self._string(node.value, node.lineno)
            elif kind is ast.JoinedStr:
                self.skip.update(id(v) for v in node.values)
                text = "".join(v.value if isinstance(v, ast.Constant) else " {} " for v in node.values)
                self._string(text, node.lineno)

    def _mutation(self, node: ast.Assign | ast.AugAssign | ast.AnnAssign) -> None:
        """``order.status = "paid"`` on a loaded instance: SQLAlchemy flushes it as an UPDATE."""
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id != "self":
                known = self._type_of(target.value.id, node.lineno)
                if known not in (None, SESSION, USER):
                    self._emit(known, WRITES, node.lineno, mutation=True)

    def _emit(self, target: str, mode: str, line: int, **guards: Any) -> None:
        self.facts.accesses.append(Access(self.scope, target, mode, line, **guards))

    # -- local types --------------------------------------------------------------------------

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

    # -- calls ----------------------------------------------------------------------------------

    def _call(self, call: ast.Call) -> None:
        head, links = _chain(call)
        self.skip.update(id(inner) for _, inner in links[:-1])
        line = call.lineno
        if isinstance(head, ast.Call):
            self.skip.add(id(head))
            self._function(_called_name(head), head, links, line)
            return
        name = dotted(head)
        if name is None and isinstance(head, ast.Attribute) and isinstance(head.value, ast.Call):
            if _called_name(head.value).endswith("get_user_model"):  # get_user_model().objects.filter()
                self._emit(USER, _manager_mode(links), line, manager=head.attr)
            return
        if name and links:
            self._named(name, links, line)

    def _named(self, name: str, links: list[tuple[str, ast.Call]], line: int) -> None:
        parts = name.split(".")
        methods = {method for method, _ in links}
        known = self._type_of(parts[0], line) if parts[0] not in ("self", "cls") else None
        if len(parts) == 1 and known not in (None, SESSION, USER):
            mode = WRITES if methods & DJANGO_WRITE_METHODS else READS if methods & DJANGO_READ_METHODS else None
            if mode:
                self._emit(known, mode, line)
            return
        if len(parts) == 2 and known not in (None, SESSION, USER) and links[0][0] in COLLECTION_ADDS:
            for target in self._instances(links[0][1].args, line):  # order.lines.append(OrderLine(...))
                self._emit(target, WRITES, line, mutation=True)
            return
        if name == "self":
            if methods & {"save", "delete", "asave", "adelete"}:
                self._emit("self", WRITES, line)
            return
        session = known == SESSION or (known is None and _looks_like_session(name))
        if session and self._session(links, line):
            return
        if len(parts) > 1 and not parts[-1].startswith("__") and (owner := self._manager_owner(parts, line)):
            self._emit(owner, _manager_mode(links), line, manager=parts[-1])
            return
        first, first_call = links[0]
        if first in SA_STATEMENTS and not first_call.args:
            self._emit(name, SA_STATEMENTS[first], line, table_only=True)  # orders_table.insert()
            return
        self._function(f"{name}.{first}", first_call, links[1:], line)

    def _session(self, links: list[tuple[str, ast.Call]], line: int) -> bool:
        operation, call = links[0]
        if operation == "query":
            mode = WRITES if {"update", "delete"} & {m for m, _ in links[1:]} else READS
            for target in _model_expressions(call.args):
                self._emit(target, mode, line)
            self._clauses(links[1:], line, None)
        elif operation in SESSION_READS:
            for target in _model_expressions(call.args[:1]):
                self._emit(target, READS, line)
        elif operation in SESSION_WRITES:
            for target in self._instances(call.args[:1], line):
                self._emit(target, WRITES, line)
        elif operation in SESSION_MAPPINGS:
            for target in _model_expressions(call.args[:1]):
                self._emit(target, WRITES, line)
        else:
            return operation in SESSION_STATEMENTS
        return True

    def _instances(self, args: list[ast.expr], line: int) -> Iterator[str]:
        """The models of objects handed to ``session.add`` (constructed there or known locals)."""
        for arg in args:
            if isinstance(arg, (ast.List, ast.Tuple, ast.Set)):
                yield from self._instances(arg.elts, line)
            elif isinstance(arg, (ast.ListComp, ast.GeneratorExp, ast.SetComp)):
                yield from self._instances([arg.elt], line)
            else:
                known = self._yields(arg, line)
                if known and known not in (SESSION,):
                    yield known

    def _clauses(self, links: list[tuple[str, ast.Call]], line: int, via: str | None) -> None:
        for method, call in links:
            if method in SA_CLAUSES:
                for target in _model_expressions(call.args):
                    self._emit(target, READS, line, via=via)

    def _function(self, called: str, call: ast.Call, links: list[tuple[str, ast.Call]], line: int) -> None:
        last = called.rpartition(".")[2]
        methods = {method for method, _ in links}
        if last in SA_STATEMENTS and call.args:
            mode = SA_STATEMENTS[last]
            targets = _model_expressions(call.args) if mode == READS else _model_expressions(call.args[:1])
            for target in targets:
                self._emit(target, mode, line, via=called)
            self._clauses(links, line, called)
        elif last in ("get_object_or_404", "get_list_or_404") and call.args:
            first = call.args[0]
            is_user = isinstance(first, ast.Call) and _called_name(first).endswith("get_user_model")
            for target in [USER] if is_user else _model_expressions([first]):
                self._emit(target, READS, line, via=called)
        elif called == "super" and methods & {"save", "delete", "asave", "adelete"}:
            self._emit("self", WRITES, line)
        elif last[:1].isupper() and methods & {"save", "asave"}:
            self._emit(called, WRITES, line)

    # -- SQL --------------------------------------------------------------------------------------

    def _string(self, text: str, line: int) -> None:
        if len(text) < MIN_SQL_LENGTH or not SQL_START.match(text):
            return
        reads, writes = _sql_tables(text)
        if reads or writes:
            self.facts.sql.append(SqlUse(self.scope, line, reads, writes))


def _manager_mode(links: list[tuple[str, ast.Call]]) -> str:
    return WRITES if any(method in DJANGO_WRITE_METHODS for method, _ in links) else READS


def _annotation_type(annotation: ast.expr) -> str | None:
    """The model (or SESSION) a parameter annotation names: ``Order``, ``Order | None``, ``"Session"``."""
    found = _annotated_class(annotation)
    if found is None:
        return None
    if found.text.rpartition(".")[2] in SESSION_TYPES:
        return SESSION
    return found.text if found.kind == "name" else None


# == link ==========================================================================================


@dataclass
class _Model:
    id: str
    module: str
    fact: ClassFact
    framework: str
    abstract: bool = False
    proxy: bool = False
    app: str | None = None
    table: str | None = None
    owns_table: bool = False
    fields: list[FieldFact] = field(default_factory=list)
    """Own fields and those of abstract bases and mixins, each with the class that declares it."""
    declared_by: dict[str, str] = field(default_factory=dict)
    managers: set[str] = field(default_factory=set)


class _Linker:
    """Turns every file's facts into model and table nodes, foreign keys, reads and writes."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.names: NameResolver = project.names
        self.facts: dict[str, DataFacts] = {m: f for m, f in project.facts(DataAnalyzer.name).items() if f}
        self.classes: dict[str, ClassFact] = {
            f"{module}.{c.name}": c for module, facts in self.facts.items() for c in facts.classes
        }
        self.out = Contribution()
        self.models: dict[str, _Model] = {}
        self.tables: dict[str, list[str]] = defaultdict(list)
        self.table_places: dict[str, tuple[str, int]] = {}
        self.table_vars: dict[str, str] = {}
        self.factories: dict[str, str] = {
            f"{module}.{name}": called for module, facts in self.facts.items() for name, called in facts.assignments
        }
        self._django_memo: dict[str, bool] = {}
        self._sa_memo: dict[str, str | None] = {}
        self._resolved: dict[tuple[str, str], str | None] = {}
        self._bases_memo: dict[str, list[tuple[str, str | None]]] = {}
        self.user_model: str | None = None
        self.external_targets: Counter[str] = Counter()

    def run(self) -> Contribution:
        for module, facts in sorted(self.facts.items()):
            if facts.error:
                self.out.skipped.append(Skipped(self._relpath(module), f"data analysis failed: {facts.error}"))
        self._find_models()
        self._find_tables()
        self.user_model = self._configured_user_model()
        self._emit_nodes()
        covered = self._foreign_keys()
        self._relationships(covered)
        self._accesses()
        self._sql()
        self._notes()
        return self.out

    # -- which classes are models ----------------------------------------------------------------

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
            elif self._sa_kind(qualified) in ("model", "flask"):
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
            found = [(base, self._resolve(module, base)) for base in written]
        self._bases_memo[qualified] = found
        return found

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

    def _sa_kind(self, qualified: str) -> str | None:
        """"root" (a declarative base), "model", "flask" (a Flask-SQLAlchemy model) or None."""
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

    def _declaring_classes(self, model: _Model) -> list[str]:
        """The model, then the abstract bases and mixins whose columns its own table holds.

        The search stops at concrete parents: their columns live in their own tables.
        """
        found: list[str] = []
        queue = [model.id]
        while queue:
            current = queue.pop(0)
            if current in found:
                continue
            found.append(current)
            parents = [b for b in self._bases(current) if self.names.kind(b) == "class"]
            queue[0:0] = [b for b in parents if b not in self.models or self._is_abstract(self.models[b])]
        return found

    def _collect_fields(self, model: _Model) -> None:
        seen: set[str] = set()
        for ancestor in reversed(self._declaring_classes(model)):
            fact = self.classes.get(ancestor)
            columns = fact.table.columns if fact and fact.table else ()  # __table__ = Table(...)
            for found in [*columns, *(fact.fields if fact else ())]:
                if found.name not in seen and self._is_field(model.framework, found):
                    seen.add(found.name)
                    model.fields.append(found)
                    model.declared_by[found.name] = ancestor
        for ancestor in self._ancestry(model.id):
            fact = self.classes.get(ancestor)
            model.managers.update(fact.managers if fact else ())

    def _is_field(self, framework: str, found: FieldFact) -> bool:
        last = found.call.rpartition(".")[2]
        if framework == "sqlalchemy":
            return last in SA_COLUMNS or last in SA_RELATIONSHIPS or found.call == ""
        return last.endswith(FIELD_SUFFIXES) and last != "GenericForeignKey"

    def _is_abstract(self, model: _Model) -> bool:
        if model.framework == "django":
            return bool(model.fact.meta.get("abstract")) if model.fact.has_meta else False
        return bool(model.fact.literals.get("__abstract__"))

    # -- Django details ----------------------------------------------------------------------------

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

    # -- SQLAlchemy details ------------------------------------------------------------------------

    def _sa_details(self, model: _Model) -> None:
        model.abstract = bool(model.fact.literals.get("__abstract__"))
        if model.abstract:
            return
        own = model.fact.literals.get("__tablename__")
        if model.fact.table is not None:
            own = model.fact.table.name
        schema = model.fact.literals.get("schema")
        if isinstance(own, str):
            # tables in a schema are named as SQL and ForeignKey("schema.table.column") name them
            model.table, model.owns_table = f"{schema}.{own}" if isinstance(schema, str) else own, True
            return
        for ancestor in list(self._ancestry(model.id))[1:]:
            fact = self.classes.get(ancestor)
            inherited = fact and (fact.table.name if fact.table else fact.literals.get("__tablename__"))
            if isinstance(inherited, str):
                model.table = inherited  # single-table inheritance, or a mixin's literal name
                return
        if self._sa_kind(model.id) == "flask":
            model.table, model.owns_table = _snake_case(model.id.rpartition(".")[2]), True

    # -- tables and nodes ----------------------------------------------------------------------------

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

    # -- foreign keys --------------------------------------------------------------------------------

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
            return
        for reference in found.foreign_keys:
            column = found.column or found.name
            resolved = self._sa_reference(module, reference, place, model.table, column)
            if resolved:
                target, references = resolved
                attrs = {"field": found.name, "relation": "ForeignKey", "column": column, "references": references}
                yield Edge(model.id, target, EdgeKind.FOREIGN_KEY, 1.0, (place,), attrs)

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

    def _sa_reference(
        self, module: str, reference: Target, place: str, table: str | None, column: str
    ) -> tuple[str, str] | None:
        """The model a ``ForeignKey(...)`` points at and ``table.column``; adds the table-level edge."""
        if reference.kind == "string":
            table_name, _, referenced = reference.text.rpartition(".")
            other_table = self._known_table(table_name)
        else:
            resolved = self._resolve(module, reference.text) or ""
            owner, _, referenced = resolved.rpartition(".")
            other_table = self.models[owner].table if owner in self.models else None
        if other_table is None:
            self._skip(place, f"foreign key to {reference.text!r}: no table of that name in the code")
            return None
        references = f"{other_table}.{referenced}"
        if table:
            attrs = {"column": column, "references": references}
            edge = Edge(_table_id(table), _table_id(other_table), EdgeKind.FOREIGN_KEY, 1.0, (place,), attrs)
            self.out.edges.append(edge)
        owner_model = self._table_owner(other_table)
        return (owner_model, references) if owner_model else None

    def _known_table(self, name: str) -> str | None:
        if name in self.tables:
            return name
        short = name.rpartition(".")[2]
        return short if short in self.tables else None

    def _table_owner(self, table: str) -> str | None:
        models = [self.models[m] for m in self.tables.get(table, ())]
        owners = [m.id for m in models if m.owns_table] or [m.id for m in models]
        return owners[0] if owners else None

    # -- relationships ---------------------------------------------------------------------------------

    def _relationships(self, covered: set[frozenset[str]]) -> None:
        for model in sorted(self.models.values(), key=lambda m: m.id):
            if model.framework != "sqlalchemy":
                continue
            for found in model.fields:
                if found.call.rpartition(".")[2] not in SA_RELATIONSHIPS:
                    continue
                declarer = model.declared_by.get(found.name, model.id)
                module = self.names.module_prefix(declarer) or model.module
                target = self._relationship_target(module, found)
                if target is None or target == model.id or frozenset((model.id, target)) in covered:
                    continue
                covered.add(frozenset((model.id, target)))
                attrs: dict[str, Any] = {"field": found.name, "relation": "relationship"}
                secondary = self._secondary(module, dict(found.options).get("secondary"))
                if secondary:
                    attrs["secondary"] = secondary
                place = f"{self._relpath(module)}:{found.line}"
                self.out.edges.append(Edge(model.id, target, EdgeKind.FOREIGN_KEY, 1.0, (place,), attrs))

    def _relationship_target(self, module: str, found: FieldFact) -> str | None:
        for target in (found.target, found.annotated):
            if target is None or target.kind == "user":
                continue
            text = target.text.strip()
            if target.kind == "name":
                resolved = self._resolve(module, text)
                if resolved in self.models:
                    return resolved
            if text in self.models:
                return text
            found_model = self._sa_model_named(text.rpartition(".")[2], module)
            if found_model:
                return found_model
        return None

    def _sa_model_named(self, name: str, module: str) -> str | None:
        """SQLAlchemy finds ``relationship("Order")`` by class name in the registry."""
        found = sorted(
            m.id for m in self.models.values() if m.framework == "sqlalchemy" and m.id.rpartition(".")[2] == name
        )
        same_module = [m for m in found if m == f"{module}.{name}"]
        return (same_module or found or [None])[0]

    def _secondary(self, module: str, target: Target | None) -> str | None:
        if target is None:
            return None
        if target.kind == "string":
            return self._known_table(target.text)
        return self.table_vars.get(self._resolve(module, target.text) or "")

    # -- reads and writes --------------------------------------------------------------------------

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

    def _access_target(self, module: str, source: str, access: Access) -> str | None:
        if access.via and not self._is_orm_function(module, access.via):
            return None
        if access.target == USER:
            target = self.user_model
        else:
            target = self._model_or_table(module, source, access.target, table_only=access.table_only)
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
        if self._factory(resolved) == "get_user_model":
            return None if table_only else self.user_model
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
                for names, kind in ((use.reads, EdgeKind.READS), (use.writes, EdgeKind.WRITES)):
                    for name in names:
                        table = known.get(name) or known.get(name.rpartition(".")[2])
                        if table:
                            self.out.edges.append(Edge(source, _table_id(table), kind, 1.0, (f"{relpath}:{use.line}",)))

    # -- helpers -----------------------------------------------------------------------------------

    def _resolve(self, module: str, expr: str) -> str | None:
        key = (module, expr)
        if key not in self._resolved:
            self._resolved[key] = self.names.resolve(module, expr)
        return self._resolved[key]

    def _relpath(self, module: str) -> str:
        return self.project.files[module].relpath

    def _skip(self, place: str, reason: str) -> None:
        relpath, _, line = place.rpartition(":")
        self.out.skipped.append(Skipped(relpath, reason, int(line) if line.isdigit() else None))

    def _notes(self) -> None:
        if not self.external_targets:
            return
        total = sum(self.external_targets.values())
        common = ", ".join(f"{name} ({count})" for name, count in self.external_targets.most_common(5))
        self.out.notes.append(
            f"{total} foreign keys point at models outside the analysed code, left out of the graph: {common}"
        )


def _looks_like_model_class(qualified: str) -> bool:
    """A class of a ``models`` module of another library (``django_otp.models.Device``), not a form."""
    module, _, name = qualified.rpartition(".")
    if ".models" not in f".{module}" or qualified.startswith("django."):
        return False  # Django's own model classes are listed; its other ones (forms.models) are not models
    return not name.endswith(NOT_MODEL_SUFFIXES)


def _table_id(name: str) -> str:
    return f"table:{name}"


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


def _snake_case(name: str) -> str:
    """Flask-SQLAlchemy's default table name: ``OrderLine`` -> ``order_line``."""
    return re.sub(r"((?<=[a-z0-9])[A-Z]|(?!^)[A-Z](?=[a-z]))", r"_\1", name).lower()
