"""The composition root of ``migrator verify``: the use case (``migrator.verify.application``)
wired to the real adapters (``migrator.verify.adapters``): the system's environment made by uv,
child processes under supervisors, the machine's brokers, SQLite files or a PostgreSQL server
(each kept prepared between runs), nginx, pytest and schemathesis."""

from __future__ import annotations

import secrets

from migrator.model.progress import Progress
from migrator.verify.adapters.black_box import LocalSuiteRunner
from migrator.verify.adapters.brokers import LocalBrokers
from migrator.verify.adapters.checks import LocalChecks
from migrator.verify.adapters.environments import UvEnvironments, environments_cache, find_uv
from migrator.verify.adapters.loopback import LoopbackPorts
from migrator.verify.adapters.nginx import NginxGateway, find_nginx
from migrator.verify.adapters.own_suite_run import SHIM
from migrator.verify.adapters.postgres import PostgresDatabases
from migrator.verify.adapters.prepared_databases import SqliteSchemaCache, databases_cache
from migrator.verify.adapters.prepared_postgres import PostgresSchemaTemplates
from migrator.verify.adapters.processes import Supervisor
from migrator.verify.adapters.sqlite import SqliteFiles
from migrator.verify.adapters.system_file import load_system
from migrator.verify.adapters.workspace import TemporaryFolders
from migrator.verify.application import use_case
from migrator.verify.application.ports import Adapters
from migrator.verify.application.use_case import Hold
from migrator.verify.domain.black_box import BlackBoxSuite
from migrator.verify.domain.processes import ProcessState, held_lines, newly_exited
from migrator.verify.domain.report import VerifyReport
from migrator.verify.domain.request import VerifyRequest

__all__ = ["BlackBoxSuite", "ProcessState", "VerifyReport", "VerifyRequest", "held_lines", "newly_exited", "real_adapters", "verify"]


def verify(request: VerifyRequest, progress: Progress | None = None, hold: Hold | None = None) -> VerifyReport:
    """Run the generated system under ``request.out`` and check it; ``hold`` (if any) is called
    with the system still up, after the checks. Everything started is stopped before returning."""
    system = load_system(request.out)
    return use_case.verify(request, system, real_adapters(request), run_id=f"verify_{secrets.token_hex(4)}", progress=progress, hold=hold)


def real_adapters(request: VerifyRequest) -> Adapters:
    """The real things; a MigratorError when one the run needs is missing (nginx, uv)."""
    system = Supervisor()  # the services, the gateway and the checks; brokers apart, stopped after them
    return Adapters(
        environments=UvEnvironments(environments_cache(), uv=find_uv()),
        processes=system,
        brokers=LocalBrokers(Supervisor()),
        databases=PostgresDatabases(request.database_url) if request.database_url else SqliteFiles(),
        gateway=NginxGateway(find_nginx(), system),
        checks=LocalChecks(system),
        workspace=TemporaryFolders(),
        loopback=LoopbackPorts(),
        suite_runner=LocalSuiteRunner(system),
        prepared=PostgresSchemaTemplates(request.database_url) if request.database_url else SqliteSchemaCache(databases_cache()),
        site=(SHIM,),
    )
