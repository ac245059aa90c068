"""The system's environment made by the real uv (it downloads from PyPI): built from the services'
requirements and the suite's tools, isolated from migrator's own, reused while they are unchanged,
and a clear error naming a requirement that cannot be installed."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from migrator.errors import MigratorError
from migrator.verify.adapters.environments import READY, EnvironmentNotBuilt, UvEnvironments, find_uv, not_built, python_identity

MISSING = "migrator-no-such-distribution-anywhere"


def _requirements(folder: Path, text: str) -> list[Path]:
    files = []
    for service in ("catalog", "orders"):
        (folder / service).mkdir(parents=True, exist_ok=True)
        (folder / service / "requirements.txt").write_text(text, encoding="utf-8")
        files.append(folder / service / "requirements.txt")
    return files


def _imports(python: Path, code: str) -> subprocess.CompletedProcess[str]:
    # from the file system's root (the current folder is on the path of ``python -c``) and without
    # PYTHONPATH, which would put another environment's packages on it
    env = {name: value for name, value in os.environ.items() if name != "PYTHONPATH"}
    return subprocess.run([str(python), "-c", code], capture_output=True, text=True, check=False, cwd="/", env=env)


def test_an_environment_is_built_once_from_the_requirements_and_the_tools_then_reused(tmp_path: Path) -> None:
    environments = UvEnvironments(tmp_path / "envs", uv=find_uv())
    files = _requirements(tmp_path / "out", "# the monolith's\niniconfig==2.0.0\nsix  # runtime\n")
    built = environments.ensure(files, tools=("pluggy",))
    assert built.python.parent.parent.parent == tmp_path / "envs"
    assert built.detail.startswith(f"{python_identity()}, 3 requirements, built in ")
    assert _imports(built.python, "import iniconfig, six, pluggy, importlib.metadata as m; print(m.version('iniconfig'))").stdout.strip() == "2.0.0"
    assert "ModuleNotFoundError" in _imports(built.python, "import migrator").stderr  # not migrator's environment
    assert "ModuleNotFoundError" in _imports(built.python, "import click").stderr
    again = environments.ensure(files, tools=("pluggy",))
    assert (again.python, again.detail) == (built.python, built.detail.split(", built in ")[0] + f", reused: {built.python.parent.parent}")
    other = environments.ensure(_requirements(tmp_path / "other", "iniconfig==2.1.0\n"), tools=("pluggy",))
    assert other.python != built.python  # other requirements, another environment


def test_a_tool_the_requirements_name_keeps_their_pin(tmp_path: Path) -> None:
    environments = UvEnvironments(tmp_path / "envs", uv=find_uv())
    interpreter = environments.ensure(_requirements(tmp_path, "pluggy==1.4.0\n"), tools=("pluggy", "iniconfig"))
    assert _imports(interpreter.python, "import importlib.metadata as m; print(m.version('pluggy'))").stdout.strip() == "1.4.0"
    assert (interpreter.python.parent.parent / "requirements.txt").read_text() == "iniconfig\npluggy==1.4.0\n"


def test_an_environment_a_stopped_run_left_unfinished_is_built_again(tmp_path: Path) -> None:
    environments = UvEnvironments(tmp_path / "envs", uv=find_uv())
    files = _requirements(tmp_path, "iniconfig==2.0.0\n")
    first = environments.ensure(files, tools=())
    (first.python.parent.parent / READY).unlink()
    again = environments.ensure(files, tools=())
    assert again.python == first.python and ", built in " in again.detail


def test_a_requirement_that_cannot_be_installed_is_a_clear_error_naming_it(tmp_path: Path) -> None:
    environments = UvEnvironments(tmp_path / "envs", uv=find_uv())
    with pytest.raises(EnvironmentNotBuilt) as raised:
        environments.ensure(_requirements(tmp_path, f"iniconfig==2.0.0\n{MISSING}==1.0\n"), tools=("pluggy",))
    error = raised.value
    assert error.message.startswith(f"cannot install {MISSING}==1.0 on {python_identity()} (uv: No solution found when resolving dependencies: ")
    assert f"{MISSING} was not found in the package registry" in error.message
    log = Path(error.hint.rsplit("uv's whole output: ", 1)[1])
    assert log.parent == tmp_path / "envs" and log.name.endswith(".failed.log") and MISSING in log.read_text()
    assert sorted(p.name for p in (tmp_path / "envs").iterdir() if p.is_dir()) == []  # nothing half-built is left to reuse


def test_a_service_without_requirements_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(MigratorError, match="a service's requirements are missing: .*/orders/requirements.txt"):
        UvEnvironments(tmp_path / "envs", uv="uv").ensure([tmp_path / "orders" / "requirements.txt"], tools=())


@pytest.mark.parametrize(
    ("output", "message"),
    [
        ("Using Python 3.11.7 environment at: /e\nerror: No solution found when resolving dependencies\n  cause: Because there is no "
         "version of flask==99.0 and you require flask==99.0, we can conclude that your requirements are unsatisfiable.\n",
         "cannot install Flask==99.0 on CPython 3.11.7 (uv: No solution found when resolving dependencies: Because there is no version of "
         "flask==99.0 and you require flask==99.0, we can conclude that your requirements are unsatisfiable.)"),
        ("Resolved 1 package in 343ms\n   Building psycopg2==2.7.3\nerror: Failed to build `psycopg2==2.7.3`\n  cause: The build backend "
         "returned an error\n  cause: Call to `setuptools.build_meta:__legacy__.build_wheel` failed (exit status: 1)\n\n[stderr]\n"
         "psycopg/psycopgmodule.c:930:24: error: lvalue required\n\nhint: Build failures usually indicate a problem with the package\n",
         "cannot install psycopg2==2.7.3 on CPython 3.11.7 (uv: Failed to build `psycopg2==2.7.3`: The build backend returned an error)"),
        ("  × No solution found when resolving dependencies:\n  ╰─▶ Because only six<=1.17 is available and you require six>99, we can "
         "conclude that your requirements are unsatisfiable.\n",
         "cannot install six>99 on CPython 3.11.7 (uv: No solution found when resolving dependencies: Because only six<=1.17 is available "
         "and you require six>99, we can conclude that your requirements are unsatisfiable.)"),
    ],
    ids=["no version", "build fails", "uv's terminal format"],
)
def test_the_error_names_the_requirements_uv_names_and_its_reason(output: str, message: str) -> None:
    wanted = ["Flask==99.0", "httpx", "psycopg2==2.7.3", "six>99"]
    error = not_built(output, wanted, identity="CPython 3.11.7", log=Path("/cache/envs/abc.failed.log"))
    assert error.message == message
    assert error.hint.endswith("uv's whole output: /cache/envs/abc.failed.log")
