"""The monolith's own suite run twice on the system's Python: as it is, in process on its own test
settings (the monolith's result), then with the shim (``migrator/verify/suite_shim``) first on its
path, its clients sent to the gateway and its ORM on the database the services share (the split
system's result); each test's outcome read from what the shim recorded, and compared."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path

from migrator.verify.adapters.logs import end_of
from migrator.verify.adapters.processes import Supervisor
from migrator.verify.adapters.suite import import_root
from migrator.verify.domain.own_suite import DJANGO, PYTEST, PYTEST_DJANGO, OwnSuite, Placement, comparison_step, compare, read_outcomes
from migrator.verify.domain.environment import MAIL_FOLDER, MAIL_VARIABLE
from migrator.verify.domain.report import FAILED, Step
from migrator.verify.domain.own_suite import OWN_SUITE_STEP
from migrator.verify.domain.system import RunnableService, SystemDescription
from migrator.verify.domain.urls import database_parts

SHIM = Path(__file__).resolve().parent.parent / "suite_shim"
_RUNTIME_ONLY = ("SERVICE_NAME", "PORT", "EVENT_BUS", "EVENT_BUS_URL", "EVENT_NAMESPACE", "EVENT_CONSISTENCY_TIMEOUT")


def run_own_suite(
    suite: OwnSuite, *, system: SystemDescription, database_url: str, gateway_url: str, run_dir: Path, supervisor: Supervisor, python: Path,
    placement: Placement | None = None, monolith_database_url: str | None = None,
) -> Step:
    """Both runs, compared test by test; with ``placement`` (a database per service), the split run
    writes each row on its owner's database and its row changes go to that owner's outbox (``replication``).
    The monolith's run is on ``monolith_database_url``, else on a SQLite file of its own."""
    root = import_root(system.source)
    assert root is not None, "a suite is found in the monolith's folder only"
    service = system.suite_service()
    components = system.plan.hosting.database_components
    monolith_database = monolith_database_url or f"sqlite:///{run_dir / 'own-suite-monolith.sqlite3'}"
    runs = {}
    for target in ("monolith", "split"):
        results, log = run_dir / f"own-suite-{target}.jsonl", run_dir / f"own-suite-{target}.log"
        results.write_text("", encoding="utf-8")
        env = {**app_env(service, database_url if target == "split" else monolith_database, components),
               **_shim_env(suite, root, results),
               **(_split_env(suite, system, service, root, gateway_url, database_url, mail=run_dir / MAIL_FOLDER) if target == "split" else {}),
               **(_placement_env(system, placement) if target == "split" and placement else {}),
               # the mode the services run in: with a database each, their Django settings keep sessions in signed cookies
               **({"DATABASE_MODE": "per-service" if placement else "shared"} if target == "split" else {})}
        argv = suite.split_argv(f"{service.package}.django_settings") if target == "split" else suite.argv
        code = supervisor.run(f"own-suite-{target}", [str(python), *argv], cwd=root, env=env, log=log)
        outcomes = read_outcomes(results.read_text(encoding="utf-8"))
        if not outcomes and target == "monolith":
            return Step(OWN_SUITE_STEP, FAILED, f"{suite.kind} ({suite.where}) ran no test on the monolith (exit code {code})",
                        log=str(log), excerpts=(end_of(log),))
        runs[target] = outcomes
    return comparison_step(suite, compare(runs["monolith"], runs["split"]), log=str(run_dir / "own-suite-split.log"))


def app_env(service: RunnableService, database_url: str, components: Mapping[str, str]) -> dict[str, str]:
    """The application's own variables as the service has them, its database variables (those
    holding the service's database URL) set to ``database_url``, and the variables it builds its
    database URL from (``components``: ``POSTGRES_SERVER``...) set to that URL's parts, as the
    services' runtime sets them."""
    own = service.env.get("DATABASE_URL")
    env = {name: (database_url if value == own else value) for name, value in service.env.items() if name not in _RUNTIME_ONLY}
    return {**env, "DATABASE_URL": database_url, **database_parts(database_url, components)}


def _shim_env(suite: OwnSuite, root: Path, results: Path) -> dict[str, str]:
    plugins = ["migrator_suite_shim.pytest_plugin"] if suite.kind in (PYTEST, PYTEST_DJANGO) else []
    return {"MIGRATOR_SUITE_RESULTS": str(results), "MIGRATOR_SUITE_SOURCE": str(root), "PYTEST_PLUGINS": ",".join(plugins),
            "PYTHONPATH": _path(SHIM, root), "PYTHONUNBUFFERED": "1"}


def _split_env(suite: OwnSuite, system: SystemDescription, service: RunnableService, root: Path, gateway_url: str,
               database_url: str, *, mail: Path) -> Mapping[str, str]:
    """The gateway, the shared database, the services' runtime (its Flask configuration override,
    its Django settings module, deriving from the suite's test settings), the folder where the
    services keep the mail they send (the test's outbox reads it)."""
    plugins = ["migrator_suite_shim.pytest_plugin"] + (["migrator_suite_shim.pytest_django_shared"] if suite.kind == PYTEST_DJANGO else [])
    env = {"MIGRATOR_SUITE_GATEWAY": gateway_url, "MIGRATOR_SUITE_DATABASE_URL": database_url, MAIL_VARIABLE: str(mail),
           "MIGRATOR_SUITE_RUNTIME": f"{service.package}.runtime", "PYTEST_PLUGINS": ",".join(plugins) if suite.kind in (PYTEST, PYTEST_DJANGO) else "",
           "PYTHONPATH": _path(SHIM, root, system.service_dir(service), *([system.root / system.shared] if system.shared else []))}
    if suite.kind in (DJANGO, PYTEST_DJANGO):
        env.update(DJANGO_SETTINGS_MODULE=f"{service.package}.django_settings", **({"APP_SETTINGS_MODULE": suite.settings} if suite.settings else {}))
    return env


def _placement_env(system: SystemDescription, placement: Placement) -> dict[str, str]:
    """What the shim's ``replication`` needs: the ``Placement`` (which database holds what), and the
    manifest of each service owning tables (its service key, the tables others read and who reads them)."""
    manifests = {s.name: str(system.service_dir(s) / s.package / "manifest.py") for s in system.services if s.name in placement.owner_keys}
    return {"MIGRATOR_SUITE_PLACEMENT": json.dumps({**placement.to_dict(), "manifests": manifests})}


def _path(*folders: Path) -> str:
    return os.pathsep.join([*(str(folder) for folder in folders), *filter(None, [os.environ.get("PYTHONPATH")])])
