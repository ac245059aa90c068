"""The link: every file's facts to model and table nodes, foreign keys, reads and writes."""

from __future__ import annotations

from collections import Counter, defaultdict

from analyzers.base import Contribution, Project, Skipped
from analyzers.data.access import _Accesses
from analyzers.data.classify import _Classify
from analyzers.data.django_meta import _DjangoMeta
from analyzers.data.django_targets import _DjangoTargets
from analyzers.data.facts import ClassFact, DataFacts
from analyzers.data.foreign_keys import _ForeignKeys
from analyzers.data.model import _Model
from analyzers.data.model_fields import _ModelFields
from analyzers.data.named_queries import _NamedQueries
from analyzers.data.relationships import _Relationships
from analyzers.data.sa_meta import _SaMeta
from analyzers.data.schema import _Schema
from analyzers.data.tables import _Tables
from analyzers.data.vocab import ANALYZER_NAME
from analyzers.names import NameResolver


class _Linker(_Classify, _ModelFields, _DjangoMeta, _SaMeta, _Tables, _Schema, _ForeignKeys,
              _DjangoTargets, _Relationships, _Accesses, _NamedQueries):
    """Turns every file's facts into model and table nodes, foreign keys, reads and writes."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.names: NameResolver = project.names
        self.facts: dict[str, DataFacts] = {m: f for m, f in project.facts(ANALYZER_NAME).items() if f}
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
        self.user_references: list[tuple[str, str]] = []
        """(model, place) of each field pointing at Django's own User."""
        self.framework_user: str | None = None
        """``table:auth_user`` when the project's models point at Django's own User."""
        self.external_targets: Counter[str] = Counter()

    def run(self) -> Contribution:
        for module, facts in sorted(self.facts.items()):
            if facts.error:
                self.out.skipped.append(Skipped(self._relpath(module), f"data analysis failed: {facts.error}"))
        self._find_models()
        self._find_tables()
        self._read_data_files()
        self._find_schema_tables()
        self.user_model = self._configured_user_model()
        self._emit_nodes()
        covered = self._foreign_keys()
        self._framework_user_table()
        self._schema_foreign_keys()
        self._relationships(covered)
        self._accesses()
        self._sql()
        self._named_queries()
        self._notes()
        return self.out

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
