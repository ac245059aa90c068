"""Names and words the data analyzer looks for: markers, ORM vocabularies, access modes."""

from __future__ import annotations

import builtins
import re


ANALYZER_NAME = "data"

READS, WRITES = "reads", "writes"
SESSION = "@session"
"""Type of a local variable known to hold an SQLAlchemy session."""
USER = "@user"
"""Stands for ``settings.AUTH_USER_MODEL`` / ``get_user_model()``."""
MODULE_NAME = "@module"
"""A class attribute assigned ``__name__``."""
ANNOTATION = "@annotation"
"""The ``call`` of a field that is a class attribute's annotation, not ``Mapped[...]`` (``title: str``)."""

# -- what the scan looks for -------------------------------------------------------------------

MODEL_WORDS = ("Model", "model =", "class Meta", "__table", "Column", "mapped_column", "Mapped[", "Table(",
               "relationship(", "declarative", "AppConfig", "AUTH_USER_MODEL", "get_user_model", "SQLAlchemy(",
               "ForeignKey", "Field(", "UserCreationForm")
"""A file is searched for model classes only if its text holds one of these."""
ACCESS_WORDS = (".objects", "session", "Session", ".query", "select(", "insert(", "update(", "delete(", ".save(",
                "_or_404", "_manager", "get_user_model")
"""A scope (function, class body, module code) is walked only if its text holds one of these or SQL."""
SQL_KEYWORDS = ("select", "insert", "update", "delete", "with")
"""A string literal that starts with one of these (in lower, upper or title case) and a space
may be SQL: ``"SELECT ..."``, ``'(select ...'``, ``\"\"\"\n    UPDATE ...``."""
SQL_START = re.compile(r"\s*\(?\s*(?:select|insert|update|delete|with)\s", re.IGNORECASE)

FIELD_SUFFIXES = ("Field", "ForeignKey", "Key")
SA_COLUMNS = frozenset({"Column", "mapped_column"})
SA_RELATIONSHIPS = frozenset({"relationship", "relation", "Relationship"})
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
    "create_user", "create_superuser",  # a user manager's (Django's own User's)
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
SQLMODEL_BASES = frozenset({"sqlmodel.SQLModel", "sqlmodel.main.SQLModel"})
"""A subclass is a model (of SQLAlchemy) only with ``table=True``; its annotated attributes are columns."""
SQLMODEL_FIELDS = frozenset({"Field", ANNOTATION})
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
