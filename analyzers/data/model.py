"""A model as the link builds it up across modules."""

from __future__ import annotations

from dataclasses import dataclass, field

from analyzers.data.facts import ClassFact, FieldFact


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
