"""What the data scan records per file: frozen, picklable values (cached by class name)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


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
    """The called name as written (``models.ForeignKey``, ``mapped_column``); "" for a bare ``Mapped[...]``
    annotation, ``vocab.ANNOTATION`` for another (``title: str``)."""
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
    keywords: dict[str, Any] = field(default_factory=dict)
    """Literal keywords of the class statement: SQLModel's ``class Item(ItemBase, table=True)``."""


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


@dataclass(frozen=True)
class QueryLoader:
    """``queries = aiosql.from_path(Path(__file__).parent / "sql", "asyncpg")`` at module level."""

    variable: str
    line: int
    anchor: str
    """"module": ``path`` is relative to the module's folder; "cwd": as written, relative to
    wherever the program runs (the link tries the module's folder, its import root, the tree)."""
    path: str


@dataclass(frozen=True)
class QueryCall:
    """``queries.get_user(conn, ...)``: a method called on an imported name (or a loader of the
    module) with a connection first; the link keeps those of names that hold loaded queries."""

    scope: str
    called: str
    line: int


@dataclass(frozen=True)
class TableChange:
    """A table an Alembic migration's upgrade creates, drops or renames."""

    kind: str
    """"create", "drop" or "rename"."""
    name: str
    line: int
    table: TableFact | None = None
    """What a create makes (its columns, for the foreign keys)."""
    new_name: str | None = None


@dataclass(frozen=True)
class MigrationFacts:
    revision: str | None
    down_revisions: tuple[str, ...]
    changes: tuple[TableChange, ...]
    """In the order of the functions ``upgrade`` reaches, each in the order of its text."""


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
    loaders: list[QueryLoader] = field(default_factory=list)
    query_calls: list[QueryCall] = field(default_factory=list)
    migration: MigrationFacts | None = None
    """An Alembic migration's, when it is analysed as a module (``--include-migrations``)."""
    error: str | None = None
    """Why the scan of this file failed, if it did."""
