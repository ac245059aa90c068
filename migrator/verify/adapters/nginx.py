"""The ``Gateway`` port: the gateway's nginx configuration rendered for this run's addresses and
nginx started on it, in the foreground, under the run's supervisor."""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from pathlib import Path

from generators.gateway import render_gateway
from migrator.errors import MigratorError
from migrator.model.service_plan import ServicePlan
from migrator.verify.adapters.processes import Child, Supervisor
from migrator.verify.domain.environment import GATEWAY

_SEARCH_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
CONFIG = "gateway/nginx.conf"
"""The file of ``render_gateway`` this adapter runs."""


def find_nginx() -> str:
    """The nginx program; a MigratorError that says how to install it when there is none."""
    nginx = shutil.which("nginx", path=os.environ.get("PATH", "") + os.pathsep + _SEARCH_PATH)
    if nginx is None:
        raise MigratorError("nginx, the gateway, is not installed", hint="install nginx: apt-get install nginx-light (Debian, Ubuntu) or brew install nginx (macOS)")
    return nginx


class NginxGateway:
    def __init__(self, program: str, supervisor: Supervisor) -> None:
        self.program = program
        self.supervisor = supervisor

    def start(self, plan: ServicePlan, *, addresses: Mapping[str, str], listen: int, folder: Path, log: Path) -> Child:
        text = render_gateway(plan, addresses=addresses, listen=listen)[CONFIG]
        (folder / "tmp").mkdir(parents=True)
        (folder / "nginx.conf").write_text(text, encoding="utf-8")
        argv = [self.program, "-p", str(folder), "-c", "nginx.conf", "-e", "stderr", "-g", "daemon off;"]
        return self.supervisor.start(GATEWAY, argv, cwd=folder, env={}, log=log)
