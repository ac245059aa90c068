"""Which database of a run with a database per service a statement of the suite goes to
(``MIGRATOR_SUITE_PLACEMENT``, written by ``migrator verify`` from its ``Placement``): a write to
the service owning the table; a read to a database holding every table it names, the owner's
first (what it holds is current; a read model follows it through the events). A table the plan
gives no owner is in every database (each service has its own, as the services' schema step makes
it). Pure: the ORM adapters (``replication``, ``django_routing``) ask it."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

VARIABLE = "MIGRATOR_SUITE_PLACEMENT"


@dataclass(frozen=True)
class Reading:
    """Where a read goes (``service``), and the tables it names that this database has no rows of
    (``missing``: no one database holds them all, a read the split cannot answer as one)."""

    service: str
    missing: tuple[str, ...] = ()
    current: bool = True
    """Whether ``service`` owns every table the read names that it holds (no read model that may lag)."""


@dataclass(frozen=True)
class Routes:
    home: str
    databases: dict[str, str]
    owners: dict[str, str] = field(default_factory=dict)
    read_models: dict[str, tuple[str, ...]] = field(default_factory=dict)
    manifests: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Routes:
        return cls(home=str(data["home"]), databases=dict(data["databases"]), owners=dict(data.get("owners") or {}),
                   read_models={key: tuple(tables) for key, tables in (data.get("read_models") or {}).items()},
                   manifests=dict(data.get("manifests") or {}))

    def owned(self, table: str) -> bool:
        return table in self.owners

    def holds(self, service: str, table: str, references: Iterable[str] = ()) -> bool:
        """Whether ``service``'s database has the rows of ``table``: it owns it, keeps a read model of
        it, or nobody owns it and it holds the owned tables ``table`` points at (``references``: a
        many-to-many table is where both its sides are; a table pointing at none is everywhere)."""
        owner = self.owners.get(table)
        if owner is None:
            return all(self.holds(service, t) for t in references if t in self.owners)
        return owner == service or table in self.read_models.get(service, ())

    def write(self, table: str, references: Iterable[str] = ()) -> str:
        """The service whose database a write of ``table`` goes to: its owner; for a table nobody
        owns, the owner of the first owned table it points at, else the home's (``mirrors`` names
        where else it is)."""
        if table in self.owners:
            return self.owners[table]
        return next((self.owners[t] for t in sorted(references) if t in self.owners), self.home)

    def mirrors(self, table: str, references: Iterable[str] = ()) -> tuple[str, ...]:
        """The other databases that have a table nobody owns (each service its own copy)."""
        if table in self.owners:
            return ()
        references = tuple(references)
        first = self.write(table, references)
        return tuple(sorted(key for key in self.databases if key != first and self.holds(key, table, references)))

    def read(self, tables: Iterable[str], *, prefer: Iterable[str] = (), references: Mapping[str, Iterable[str]] | None = None) -> Reading:
        """The database for a read of ``tables`` (and, where choosing among those, the one holding
        most of ``prefer``, tables it may join): the owner of the owned ones where it holds them all;
        else another database holding them all (one keeping read models of the rest); else the one
        holding most, with what it lacks. ``references``: what each table nobody owns points at."""
        names = sorted(set(tables))
        pointing = {t: tuple(r for r in (references or {}).get(t, ()) if r in self.owners) for t in names if t not in self.owners}
        needed = sorted({*(t for t in names if t in self.owners), *(r for refs in pointing.values() for r in refs)})
        extra = sorted(t for t in set(prefer) - set(names) if t in self.owners)
        if not needed and not extra:
            return Reading(self.home)

        def rank(service: str) -> tuple[int, int, int, int, int, str]:
            return (-sum(self.holds(service, t) for t in needed), -sum(self.holds(service, t) for t in extra),
                    -sum(self.owners[t] == service for t in needed), -sum(self.owners[t] == service for t in extra), service != self.home, service)

        best = min(self.databases, key=rank)
        missing = tuple(t for t in needed if not self.holds(best, t))
        return Reading(best, missing, current=all(self.owners[t] == best for t in (*needed, *extra) if self.holds(best, t)))


def load() -> Routes | None:
    """The run's routes, from the environment; None where the services share one database."""
    text = os.environ.get(VARIABLE)
    return Routes.from_dict(json.loads(text)) if text else None
