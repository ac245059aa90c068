"""ORM models, their tables and relations, and the code that reads and writes them.

Django models and SQLAlchemy declarative classes (and ``Table(...)`` objects) become MODEL and
TABLE nodes with FOREIGN_KEY edges; ORM queries, session operations and raw SQL in string
literals become READS / WRITES edges from the function (or module) that runs them.

The scan records, per file, what is written there: class bodies, ``Table(...)`` calls, the shape
of each query with its names as written, the tables that SQL strings name, aiosql loaders and the
calls that may run their queries. It cannot know which names are models, so it keeps every
candidate; the link decides across modules which classes are models (through aliases of their
bases too) and drops the candidates that resolve to nothing known.

The link also reads the data files the engine lists beside the modules (``Project.data_files``):
the tables of Alembic migrations and of ``CREATE TABLE`` in .sql files, and the named queries
of aiosql's .sql files, whose tables the code that calls them reads and writes.
"""

from __future__ import annotations

from analyzers.base import Analyzer, Contribution, ParsedModule, Project
from analyzers.data.definitions import _scan_definitions, _scan_returns
from analyzers.data.facts import DataFacts
from analyzers.data.link import _Linker
from analyzers.data.loaders import _scan_loaders, _scan_query_calls
from analyzers.data.migrations import looks_like_migration, scan_migration
from analyzers.data.scan import _scan_uses
from analyzers.data.scopes import ACCESS
from analyzers.data.sql import sql_string_starts
from analyzers.data.vocab import ANALYZER_NAME, MODEL_WORDS
from analyzers.words import Words


_MODEL_WORDS = Words(MODEL_WORDS)


class DataAnalyzer(Analyzer):
    """ORM models, tables, foreign keys, and reads and writes of them (Django, SQLAlchemy, raw SQL)."""

    name = ANALYZER_NAME
    link_apart = True
    version = 5  # 1 was the placeholder (empty facts); 2 cached facts under analyzers.data's old module paths;
    # 3 had no aiosql loaders, query calls, migrations or class keywords; 4 no UserCreationForm classes nor create_user writes

    def scan(self, module: ParsedModule) -> DataFacts | None:
        source = module.source
        wants_models = _MODEL_WORDS.any_in(source)
        wants_uses = ACCESS.any_in(source) or bool(sql_string_starts(source))
        facts = DataFacts()
        try:
            if wants_models or wants_uses:
                _scan_returns(module.tree.body, "", facts.returns)
            if wants_models:
                _scan_definitions(module.tree.body, "", facts)
            if wants_uses:
                _scan_uses(module, facts)
            if "from_path" in source:
                _scan_loaders(module, facts)
            _scan_query_calls(module, facts)
            if looks_like_migration(source):
                facts.migration = scan_migration(module.tree)
        except RecursionError:
            raise  # the scan phase reports the file as nested too deeply
        except Exception as exc:  # code the scanner did not foresee must not end the run
            return DataFacts(error=f"{type(exc).__name__}: {exc}")
        empty = not (facts.classes or facts.tables or facts.assignments or facts.user_model or facts.accesses
                     or facts.sql or facts.returns or facts.loaders or facts.query_calls or facts.migration)
        return None if empty else facts

    def link(self, project: Project) -> Contribution:
        return _Linker(project).run()
