"""What a monolith declares it needs, found from its source folder and read from its project's
files: on small projects (where the project is, which declaration wins, [tool.migrator]), on the
real applications of the corpus beside the repository (../shared/corpus), and written by
``migrator migrate`` into every service's requirements.txt."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from migrator.pipeline.dependencies import NOTHING_DECLARED, declared_requirements
from tests.corpus import CORPUS, require
from tests.cli import run
from tests.conftest import write_tree
from tests.unit.model.dependencies.test_locks import UV_LOCK

REPO = Path(__file__).resolve().parents[2]


def test_the_project_is_found_above_the_code_and_its_workspace_lock_above_it(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "template", {
        ".git/HEAD": "ref: refs/heads/main\n",
        "uv.lock": UV_LOCK,
        "pyproject.toml": '[tool.uv.workspace]\nmembers = ["backend"]\n',
        "backend/pyproject.toml": '[project]\nname = "app"\nrequires-python = ">=3.10"\ndependencies = ["fastapi>=0.114"]\n',
        "backend/app/__init__.py": "",
        "backend/app/main.py": "from fastapi import FastAPI\n",
    })
    declared = declared_requirements(root / "backend" / "app")
    assert {"fastapi[standard]==0.136.3", "anyio==4.12.1", 'uvloop==0.22.1; sys_platform != "win32"'} <= set(declared.requirements)
    assert (declared.sources, declared.root, declared.requires_python) == (("pyproject.toml", "../uv.lock"), str(root / "backend"), ">=3.10")


def test_the_most_pinned_declaration_wins(tmp_path: Path) -> None:
    files = {
        "shop/__init__.py": "",
        "pyproject.toml": '[project]\nname = "shop"\ndependencies = ["Django>=4"]\n',
        "requirements.txt": "django==4.2.11  # pip-compiled\nasgiref==3.8.1\n",
    }
    compiled = declared_requirements(write_tree(tmp_path / "compiled", files))
    assert (compiled.requirements, compiled.sources) == (("asgiref==3.8.1", "django==4.2.11"), ("requirements.txt",))
    ranges = declared_requirements(write_tree(tmp_path / "ranges", {k: v for k, v in files.items() if k != "requirements.txt"}))
    assert (ranges.requirements, ranges.sources) == (("Django>=4",), ("pyproject.toml",))
    setup_py = declared_requirements(write_tree(tmp_path / "setup", {"setup.py": "from setuptools import setup\nsetup(install_requires=['six'])\n",
                                                                      "setup.cfg": "[flake8]\nmax-line-length = 99\n"}))
    assert (setup_py.requirements, setup_py.sources) == (("six",), ("setup.py",))


def test_a_requirements_folder_and_the_files_left_unread(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "review", {
        "pyproject.toml": "[tool.black]\nline-length = 119\n",  # tool settings only: no declaration
        "requirements/base.txt": "Django==4.1\n",
        "requirements/production.txt": "-r base.txt\ngunicorn==20.1.0\n",
        "requirements/tests.txt": "-r base.txt\ncoverage==6.4.3\n",
    })
    declared = declared_requirements(root)
    assert (declared.requirements, declared.sources) == (("Django==4.1", "gunicorn==20.1.0"), ("requirements/production.txt", "requirements/base.txt"))
    assert declared.notes == ("read requirements/production.txt, not requirements/tests.txt (name the files to read in [tool.migrator] requirements)",)
    chosen = declared_requirements(root, files=[root / "requirements" / "tests.txt"])
    assert chosen.requirements == ("coverage==6.4.3", "Django==4.1")


def test_the_search_stops_at_the_repository_root(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"pyproject.toml": '[project]\nname = "elsewhere"\ndependencies = ["six"]\n',
                                 "repo/.git/HEAD": "", "repo/app/__init__.py": ""})
    declared = declared_requirements(root / "repo" / "app")
    assert (declared.requirements, declared.sources, declared.notes) == ((), (), (NOTHING_DECLARED,))


CORPUS_APPS = {
    "flasky": ("flasky", (), ("requirements.txt", "requirements/heroku.txt", "requirements/prod.txt", "requirements/common.txt"), 33,
               {"Flask==0.12.2", "Flask-SQLAlchemy==2.2", "SQLAlchemy==1.1.11", "Werkzeug==0.12.2", "gunicorn==19.7.1", "psycopg2==2.7.3"}),
    "ihatemoney": ("ihatemoney", (), ("pyproject.toml", "uv.lock"), 45,
                   {"flask==3.1.2", "flask-sqlalchemy==3.1.1", "sqlalchemy==2.0.45", "werkzeug==3.1.5", "debts==0.5"}),
    "ihatemoney[database]": ("ihatemoney", ("database",), ("pyproject.toml", "uv.lock"), 47, {"psycopg2-binary==2.9.11", "pymysql==1.1.2"}),
    "parsifal": ("parsifal", (), ("requirements/production.txt", "requirements/base.txt"), 15,
                 {"Django==4.1", "psycopg2-binary==2.9.3", "python-decouple==3.6", "gunicorn==20.1.0", "sentry-sdk==1.9.4"}),
    "chipy-org": ("chipy-org", (), ("requirements.txt",), 51, {"django==5.1.5", "djangorestframework==3.15.2", "social-auth-app-django==5.4.2"}),
    "full-stack-fastapi-template": ("full-stack-fastapi-template/backend/app", (), ("pyproject.toml", "../uv.lock"), 74,
                                    {"fastapi[standard]==0.136.3", "sqlmodel==0.0.38", "psycopg[binary]==3.3.4", "pyjwt==2.13.0"}),
}


@pytest.mark.parametrize("name", list(CORPUS_APPS))
def test_what_each_corpus_application_declares(name: str) -> None:
    folder, groups, sources, count, some = CORPUS_APPS[name]
    src = CORPUS / folder
    require(src)
    declared = declared_requirements(src, groups=groups)
    assert declared.sources == sources
    assert len(declared.requirements) == count
    assert some <= set(declared.requirements), sorted(some - set(declared.requirements))
    assert all("==" in line for line in declared.requirements)  # each pins every distribution


def test_migrate_writes_what_the_monolith_declares_into_every_services_requirements(tmp_path: Path) -> None:
    source = tmp_path / "shop_project"
    shutil.copytree(REPO / "tests" / "assets" / "routes" / "fastapi_app", source)
    write_tree(source, {
        "pyproject.toml": '[project]\nname = "shop"\ndependencies = ["fastapi==0.110.0"]\n'
                          '[project.optional-dependencies]\npostgres = ["psycopg[binary]==3.1.18"]\n'
                          '[tool.migrator]\nextras = ["postgres"]\n',
    })
    code, _, err = run("migrate", str(source), "-o", str(tmp_path / "out"), "--services", "2", "--no-pictures", "--quiet")
    assert code == 0, err
    texts = {path.parent.name: path.read_text() for path in (tmp_path / "out" / "system").glob("*/requirements.txt")}
    assert len(texts) >= 2 and len(set(texts.values())) == 1
    lines = next(iter(texts.values())).splitlines()
    assert lines[2] == "# Read from pyproject.toml."
    requirements = [line for line in lines if not line.startswith("#")]
    assert {"fastapi==0.110.0", "psycopg[binary]==3.1.18"} <= set(requirements)  # the project's pins, not the runtime's
    # the runtime's own lines, pinned to the versions requirements.lock resolved with the project's
    runtime = {line.split("==")[0] for line in requirements if line.endswith("  # runtime") and "==" in line}
    assert {"anyio", "prometheus-client", "pydantic", "sqlalchemy", "uvicorn"} <= runtime
    assert "gunicorn" not in runtime  # an ASGI application: uvicorn serves it


def test_a_requirements_file_the_project_names_and_does_not_have_is_an_error(tmp_path: Path) -> None:
    source = tmp_path / "shop_project"
    shutil.copytree(REPO / "tests" / "assets" / "routes" / "fastapi_app", source)
    write_tree(source, {"pyproject.toml": '[tool.migrator]\nrequirements = ["requirements/prod.txt"]\n'})
    code, _, err = run("migrate", str(source), "-o", str(tmp_path / "out"), "--services", "2", "--no-pictures", "--quiet")
    assert code == 1
    assert err.splitlines() == [
        f"error: {source / 'pyproject.toml'}:2: [tool.migrator] requirements names {source / 'requirements/prod.txt'}, which is not there",
        "hint: name requirements files relative to the project's folder",
    ]
