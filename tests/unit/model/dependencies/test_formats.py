"""pyproject.toml's [project], Pipfile and Pipfile.lock, setup.cfg and setup.py (through ast:
never run) as requirements."""

from __future__ import annotations

import json
import textwrap
import tomllib

from migrator.model.dependencies.pipfile import pipfile_declaration, pipfile_lock_declaration
from migrator.model.dependencies.pyproject import project_declaration
from migrator.model.dependencies.setup_files import setup_cfg_declaration, setup_py_declaration

PROJECT = '''
[project]
name = "Shop"
requires-python = ">=3.11"
dependencies = ["Flask~=3.1.2", "SQLAlchemy>=2.0 ; python_version >= '3.11'"]

[project.optional-dependencies]
postgres = ["psycopg2-binary~=2.9.11"]
all = ["shop[postgres]", "redis"]

[dependency-groups]
test = ["pytest>=8", {include-group = "lint"}]
lint = ["ruff"]
'''


def test_project_dependencies() -> None:
    declaration = project_declaration(tomllib.loads(PROJECT))
    assert declaration.requirements == ("Flask~=3.1.2", "SQLAlchemy>=2.0 ; python_version >= '3.11'")
    assert (declaration.declares, declaration.name, declaration.requires_python) == (True, "Shop", ">=3.11")
    assert declaration.groups == ("all", "lint", "postgres", "test")


def test_extras_naming_the_project_itself_and_groups_including_groups() -> None:
    declaration = project_declaration(tomllib.loads(PROJECT), groups=("all", "test"))
    assert declaration.requirements[2:] == ("redis", "psycopg2-binary~=2.9.11", "pytest>=8", "ruff")


def test_dependencies_setuptools_reads_from_files() -> None:
    data = tomllib.loads('[project]\nname = "shop"\ndynamic = ["dependencies"]\n'
                        '[tool.setuptools.dynamic]\ndependencies = {file = ["requirements.in"]}\n')
    assert project_declaration(data).includes == ("requirements.in",)
    only_setup_py = tomllib.loads('[project]\nname = "shop"\ndynamic = ["dependencies"]\n')
    assert not project_declaration(only_setup_py).declares  # setup.py declares them


def test_a_pyproject_of_tool_settings_only_declares_nothing() -> None:
    assert not project_declaration(tomllib.loads("[tool.black]\nline-length = 119\n")).declares


PIPFILE = '''
[[source]]
url = "https://pypi.org/simple"

[packages]
django = "==4.2.11"
requests = {version = ">=2.31", extras = ["socks"]}
pywin32 = {version = "*", sys_platform = "== 'win32'"}
shop = {path = ".", editable = true}
silk = {git = "https://github.com/jazzband/django-silk.git", ref = "5.0.0"}

[dev-packages]
pytest = "*"

[requires]
python_version = "3.11"
'''


def test_a_pipfile() -> None:
    declaration = pipfile_declaration(tomllib.loads(PIPFILE))
    assert declaration.requirements == ("django==4.2.11", "requests[socks]>=2.31", "pywin32; sys_platform == \"win32\"",
                                        "silk @ git+https://github.com/jazzband/django-silk.git@5.0.0")
    assert declaration.notes == ("Pipfile: shop is a local path: left out",)
    assert declaration.requires_python == "==3.11.*"
    assert pipfile_declaration(tomllib.loads(PIPFILE), groups=("dev",)).requirements[-1] == "pytest"


def test_a_pipfile_lock_pins_everything() -> None:
    lock = {"_meta": {}, "default": {
        "django": {"hashes": ["sha256:0"], "index": "pypi", "markers": "python_version >= '3.8'", "version": "==4.2.11"},
        "asgiref": {"hashes": [], "version": "==3.8.1"},
        "shop": {"editable": True, "path": "."},
    }, "develop": {"pytest": {"version": "==8.3.4"}}}
    declaration = pipfile_lock_declaration(json.loads(json.dumps(lock)))
    assert declaration.requirements == ('django==4.2.11; python_version >= "3.8"', "asgiref==3.8.1")
    assert pipfile_lock_declaration(lock, groups=("dev",)).requirements[-1] == "pytest==8.3.4"


def test_setup_cfg() -> None:
    declaration = setup_cfg_declaration(textwrap.dedent("""
        [metadata]
        name = shop

        [options]
        python_requires = >=3.9
        install_requires =
            Django>=4.2  # the framework
            importlib-metadata; python_version < "3.10"

        [options.extras_require]
        postgres = psycopg2-binary
        """), groups=("postgres",))
    assert declaration.requirements == ("Django>=4.2", 'importlib-metadata; python_version < "3.10"', "psycopg2-binary")
    assert (declaration.name, declaration.requires_python, declaration.groups) == ("shop", ">=3.9", ("postgres",))
    assert setup_cfg_declaration("[options]\ninstall_requires = file: requirements.txt\n").includes == ("requirements.txt",)


def test_setup_py_is_read_without_running_it() -> None:
    declaration = setup_py_declaration(textwrap.dedent("""
        import shutil
        from setuptools import setup

        shutil.rmtree("/")  # never run
        REQUIRES = ["Flask>=2", "requests"]

        setup(name="shop", install_requires=REQUIRES, extras_require={"redis": ["redis>=5"]}, python_requires=">=3.8")
        """), groups=("redis",))
    assert declaration.requirements == ("Flask>=2", "requests", "redis>=5")
    assert (declaration.name, declaration.requires_python) == ("shop", ">=3.8")


def test_a_setup_py_that_computes_its_requirements_says_so() -> None:
    declaration = setup_py_declaration("from setuptools import setup\nsetup(install_requires=open('requirements.txt').read().split())\n")
    assert declaration.declares and declaration.requirements == ()
    assert declaration.notes == ("setup.py computes install_requires: not read (migrator never runs it)",)
    assert not setup_py_declaration("from setuptools import setup\nsetup(name='shop')\n").declares
