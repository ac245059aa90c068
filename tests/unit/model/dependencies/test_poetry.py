"""Poetry's constraints as PEP 440, and its tables as requirements."""

from __future__ import annotations

import tomllib

import pytest

from migrator.model.dependencies.poetry import poetry_declaration, poetry_specifier, python_marker


@pytest.mark.parametrize(("constraint", "specifier"), [
    ("^1.2.3", ">=1.2.3,<2.0.0"), ("^0.2.3", ">=0.2.3,<0.3.0"), ("^0.0.3", ">=0.0.3,<0.0.4"), ("^0.0", ">=0.0,<0.1"), ("^0", ">=0,<1"),
    ("^1.2", ">=1.2,<2.0"), ("^2.0.0b1", ">=2.0.0b1,<3.0.0"), ("~1.2.3", ">=1.2.3,<1.3.0"), ("~1.2", ">=1.2,<1.3"), ("~1", ">=1,<2"),
    ("1.2.3", "==1.2.3"), ("=1.2.3", "==1.2.3"), ("1.2.*", "==1.2.*"), ("*", ""), (">=1.2 <2.0", ">=1.2,<2.0"),
    (">= 1.2, < 2.0", ">=1.2,<2.0"), ("~=1.4", "~=1.4"), ("!=1.5", "!=1.5"), ("^1.0 || ^2.0", ">=1.0,<3.0"),
])
def test_poetry_constraints_as_pep_440(constraint: str, specifier: str) -> None:
    assert poetry_specifier(constraint) == specifier


def test_the_python_key_as_a_marker() -> None:
    assert python_marker("^3.8") == 'python_version >= "3.8" and python_version < "4.0"'
    assert python_marker(">=3.8.1,<3.12") == 'python_full_version >= "3.8.1" and python_version < "3.12"'


PYPROJECT = '''
[tool.poetry]
name = "shop"

[tool.poetry.dependencies]
python = "^3.10"
Django = "^4.2"
psycopg = {version = "^3.1", extras = ["binary"]}
uvloop = {version = "^0.19", markers = "sys_platform != 'win32'"}
tomli = {version = "^2.0", python = "<3.11"}
redis = {version = "^5.0", optional = true}
shop-common = {path = "../common", develop = true}
django-silk = {git = "https://github.com/jazzband/django-silk.git", tag = "5.0.0"}
numpy = [{version = "^1.26", python = "<3.12"}, {version = "^2.0", python = ">=3.12"}]

[tool.poetry.extras]
cache = ["redis"]

[tool.poetry.group.test.dependencies]
pytest = "^8.0"

[tool.poetry.dev-dependencies]
black = "*"
'''


def test_a_poetry_project_without_its_optional_parts() -> None:
    declaration = poetry_declaration(tomllib.loads(PYPROJECT))
    assert declaration.declares and declaration.name == "shop" and declaration.requires_python == ">=3.10,<4.0"
    assert declaration.requirements == (
        "Django<5.0,>=4.2", "psycopg[binary]<4.0,>=3.1", "uvloop<0.20,>=0.19; sys_platform != \"win32\"",
        'tomli<3.0,>=2.0; python_version < "3.11"', "django-silk @ git+https://github.com/jazzband/django-silk.git@5.0.0",
        'numpy<2.0,>=1.26; python_version < "3.12"', 'numpy<3.0,>=2.0; python_version >= "3.12"',
    )
    assert declaration.notes == ("pyproject.toml: shop-common is a local path (../common): left out",)
    assert declaration.groups == ("cache", "dev", "test")


def test_extras_and_groups_when_asked() -> None:
    declaration = poetry_declaration(tomllib.loads(PYPROJECT), groups=("cache", "test", "dev"))
    assert {"redis<6.0,>=5.0", "pytest<9.0,>=8.0", "black"} <= set(declaration.requirements)


def test_a_pyproject_without_poetry_declares_nothing() -> None:
    assert not poetry_declaration(tomllib.loads("[tool.black]\nline-length = 99\n")).declares
