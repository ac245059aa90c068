"""The ``Environments`` port with uv: a virtual environment per set of requirements and Python,
in a cache folder named by their digest, built once and reused while they are unchanged; a
requirement uv cannot install is a MigratorError that names it, says uv's reason and keeps uv's
whole output."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import platform
import re
import shutil
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from migrator.errors import MigratorError
from migrator.model.dependencies.declared import adapted, key, parsed
from migrator.model.dependencies.requirement_files import read_requirement_files
from migrator.verify.adapters.processes import Supervisor
from migrator.verify.application.ports import Interpreter
from migrator.words import plural

READY = "migrator-environment.json"
"""Written last: an environment without it was not finished (a run stopped while building it)."""
_UV_SAYS = re.compile(r"^\s*(?:error:|cause:|×|╰─▶|Caused by:)\s*(.*)$")
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


class EnvironmentNotBuilt(MigratorError):
    """uv could not install the generated system's requirements."""


def environments_cache() -> Path:
    """``$XDG_CACHE_HOME/migrator/envs`` (``~/.cache`` without it), beside the analysis' caches."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "migrator" / "envs"


def find_uv() -> str:
    """uv's program: the one the ``uv`` package installed beside migrator, else one on PATH."""
    with contextlib.suppress(ImportError, FileNotFoundError):
        from uv import find_uv_bin

        return str(find_uv_bin())
    found = shutil.which("uv")
    if found is None:
        raise MigratorError("uv is not installed: verify builds the generated system's environment with it", hint="pip install uv")
    return found


class UvEnvironments:
    """Environments on this machine's Python (the one migrator runs on), made by uv."""

    def __init__(self, cache: Path, *, uv: str, supervisor: Supervisor | None = None) -> None:
        self.cache = cache
        self.uv = uv
        self.supervisor = supervisor or Supervisor()

    def ensure(self, requirements: Sequence[Path], *, tools: Sequence[str], constraints: Path | None = None) -> Interpreter:
        wanted, notes = _wanted(requirements, tools)
        identity = python_identity()
        pins = _pins(constraints)
        digest = hashlib.sha256("\n".join([identity, *wanted, "-c", *pins]).encode()).hexdigest()[:16]
        folder = self.cache / digest
        self.cache.mkdir(parents=True, exist_ok=True)
        with _exclusive(self.cache / f"{digest}.lock"):
            started = time.monotonic()
            reused = (folder / READY).is_file() and _python(folder).exists()
            if not reused:
                self._build(folder, wanted, identity, pins)
        how = "reused" if reused else f"built in {time.monotonic() - started:.1f} s"
        locked = f" locked to {constraints.name}" if pins and constraints is not None else ""
        return Interpreter(_python(folder), f"{identity}, {plural(len(wanted), 'requirement')}{locked}, {how}: {folder}", tuple(notes))

    def _build(self, folder: Path, wanted: list[str], identity: str, pins: list[str]) -> None:
        log = folder.with_name(f"{folder.name}.log")
        log.unlink(missing_ok=True)
        shutil.rmtree(folder, ignore_errors=True)  # what a stopped run left half-built
        try:
            code = self._uv("venv", "--python", sys.executable, str(folder), log=log)
            if code == 0:
                (folder / "requirements.txt").write_text("".join(f"{line}\n" for line in wanted), encoding="utf-8")
                (folder / "constraints.txt").write_text("".join(f"{line}\n" for line in pins), encoding="utf-8")
                # compiled once here: else every service compiles the same modules as it starts, on every start
                # where PYTHONDONTWRITEBYTECODE is set
                code = self._uv("pip", "install", "--compile-bytecode", "--python", str(_python(folder)), "-r", str(folder / "requirements.txt"),
                                "-c", str(folder / "constraints.txt"), log=log)
        except BaseException:
            self.supervisor.stop_all()
            shutil.rmtree(folder, ignore_errors=True)
            raise
        if code != 0:
            shutil.rmtree(folder, ignore_errors=True)
            kept = log.with_name(f"{folder.name}.failed.log")
            log.replace(kept)
            raise not_built(kept.read_text(encoding="utf-8", errors="replace"), wanted, identity=identity, log=kept)
        log.replace(folder / "build.log")
        (folder / READY).write_text(json.dumps({"python": identity, "requirements": wanted}, indent=2) + "\n", encoding="utf-8")

    def _uv(self, *arguments: str, log: Path) -> int:
        # --no-config: no uv.toml or [tool.uv] of a project around the cache changes what is built
        return self.supervisor.run("uv", [self.uv, *arguments, "--no-config"], cwd=self.cache, env={"NO_COLOR": "1"}, log=log)


def python_identity() -> str:
    """The Python an environment is built on, as its key and its report say it: ``CPython 3.11.7 (x86_64)``."""
    return f"{platform.python_implementation()} {platform.python_version()} ({platform.machine()})"


def not_built(output: str, wanted: Sequence[str], *, identity: str, log: Path) -> EnvironmentNotBuilt:
    """The error for uv's ``output``: the requirements it names, its reason, where the rest is."""
    reason = uv_reason(output)
    mentioned = {key(r) for r in map(parsed, _NAME.findall(reason)) if r is not None}
    named = [line for line in wanted if (requirement := parsed(line)) is not None and key(requirement) in mentioned]
    what = ", ".join(named) if named else "the generated system's requirements"
    return EnvironmentNotBuilt(
        f"cannot install {what} on {identity} (uv: {reason})",
        hint=("pin versions that install on this Python in the monolith's own requirements and generate again (or edit the services' "
              f"requirements.txt); uv's whole output: {log}"),
    )


def uv_reason(output: str) -> str:
    """What uv's ``output`` gives as the reason it failed: its error and first cause."""
    said = [match.group(1).strip().rstrip(":") for match in map(_UV_SAYS.match, output.splitlines()) if match and match.group(1).strip()]
    return ": ".join(said[:2]) or next((line.strip() for line in reversed(output.splitlines()) if line.strip()), "no output")


def _wanted(requirements: Sequence[Path], tools: Sequence[str]) -> tuple[list[str], list[str]]:
    missing = [path for path in requirements if not path.is_file()]
    if missing:
        raise MigratorError(f"a service's requirements are missing: {missing[0]}", hint="generate the system again: migrator generate SRC --decomposition D -o OUT")
    found = read_requirement_files([str(path) for path in requirements], lambda path: Path(path).read_text(encoding="utf-8", errors="replace"))
    return adapted(found.requirements, tools), list(found.notes)


def _pins(constraints: Path | None) -> list[str]:
    """The lines of the system's lock that pin something (its comments left out)."""
    if constraints is None:
        return []
    lines = (line.split("#", 1)[0].strip() for line in constraints.read_text(encoding="utf-8", errors="replace").splitlines())
    return [line for line in lines if line]


def _python(folder: Path) -> Path:
    return folder / "bin" / "python"


@contextlib.contextmanager
def _exclusive(path: Path) -> Iterator[None]:
    """One run at a time builds (or checks) an environment; the others wait, then reuse it."""
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
