"""The pins of uv.lock and poetry.lock: the project's closure through the lock, with markers."""

from __future__ import annotations

import tomllib

from migrator.model.dependencies.locks import edges_of, pinned_closure, poetry_lock_packages, uv_lock_packages, uv_lock_roots

UV_LOCK = '''
version = 1
requires-python = ">=3.10"

[[package]]
name = "app"
version = "0.1.0"
source = { editable = "backend" }
dependencies = [
    { name = "fastapi", extra = ["standard"] },
    { name = "shared-lib" },
    { name = "tomli", marker = "python_full_version < '3.11'" },
]

[package.optional-dependencies]
postgres = [{ name = "psycopg", extra = ["binary"] }]

[package.dev-dependencies]
dev = [{ name = "pytest" }]

[[package]]
name = "shared-lib"
version = "0.1.0"
source = { editable = "libs/shared" }
dependencies = [{ name = "anyio" }]

[[package]]
name = "fastapi"
version = "0.136.3"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "starlette" }]

[package.optional-dependencies]
standard = [{ name = "uvicorn", extra = ["standard"] }]

[[package]]
name = "uvicorn"
version = "0.40.0"
source = { registry = "https://pypi.org/simple" }

[package.optional-dependencies]
standard = [{ name = "uvloop", marker = "sys_platform != 'win32'" }, { name = "colorama", marker = "sys_platform == 'win32'" }]

[[package]]
name = "uvloop"
version = "0.22.1"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "colorama"
version = "0.4.6"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "starlette"
version = "1.3.1"
source = { git = "https://github.com/encode/starlette?rev=main#0123abc" }
dependencies = [{ name = "anyio" }, { name = "typing-extensions", marker = "python_full_version < '3.13'" }]

[[package]]
name = "anyio"
version = "4.12.1"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "typing-extensions", marker = "python_full_version < '3.11'" }]

[[package]]
name = "typing-extensions"
version = "4.15.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "tomli"
version = "2.4.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "psycopg"
version = "3.3.4"
source = { registry = "https://pypi.org/simple" }

[package.optional-dependencies]
binary = [{ name = "psycopg-binary", marker = "implementation_name != 'pypy'" }]

[[package]]
name = "psycopg-binary"
version = "3.3.4"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "pytest"
version = "9.0.3"
source = { registry = "https://pypi.org/simple" }
'''


def test_the_uv_lock_closure_of_a_workspace_member() -> None:
    data = tomllib.loads(UV_LOCK)
    lines, notes = pinned_closure(uv_lock_roots(data, "App") or [], uv_lock_packages(data))
    assert lines == [
        "anyio==4.12.1", 'colorama==0.4.6; sys_platform == "win32"', "fastapi[standard]==0.136.3",
        "starlette @ git+https://github.com/encode/starlette@0123abc", 'tomli==2.4.0; python_full_version < "3.11"',
        'typing-extensions==4.15.0; python_full_version < "3.11" or python_full_version < "3.13"',  # two ways to it
        "uvicorn[standard]==0.40.0", 'uvloop==0.22.1; sys_platform != "win32"',
    ]  # the workspace member shared-lib is followed, not pinned
    assert notes == []


def test_extras_and_groups_asked_for() -> None:
    data = tomllib.loads(UV_LOCK)
    lines, _ = pinned_closure(uv_lock_roots(data, "app", groups=("postgres", "dev")) or [], uv_lock_packages(data))
    assert {"psycopg[binary]==3.3.4", 'psycopg-binary==3.3.4; implementation_name != "pypy"', "pytest==9.0.3"} <= set(lines)


def test_a_lock_without_the_project_holds_no_pins_for_it() -> None:
    assert uv_lock_roots(tomllib.loads(UV_LOCK), "another-project") is None


POETRY_LOCK = '''
[[package]]
name = "django"
version = "4.2.11"
optional = false
python-versions = ">=3.8"

[package.dependencies]
asgiref = ">=3.6.0,<4"
sqlparse = ">=0.3.1"
tzdata = {version = "*", markers = "sys_platform == \\"win32\\""}

[package.extras]
argon2 = ["argon2-cffi (>=19.1.0)"]

[[package]]
name = "asgiref"
version = "3.8.1"

[package.dependencies]
typing-extensions = {version = ">=4", python = "<3.11"}

[[package]]
name = "sqlparse"
version = "0.5.0"

[[package]]
name = "tzdata"
version = "2024.1"

[[package]]
name = "typing-extensions"
version = "4.12.2"

[[package]]
name = "redis"
version = "5.0.3"

[package.dependencies]
hiredis = {version = ">=1.0.0", optional = true}

[package.extras]
hiredis = ["hiredis (>=1.0.0)"]

[[package]]
name = "hiredis"
version = "2.3.2"

[[package]]
name = "numpy"
version = "1.26.4"

[[package]]
name = "numpy"
version = "2.0.0"
'''


def test_the_poetry_lock_closure_of_the_declared_dependencies() -> None:
    roots = edges_of(["Django<5.0,>=4.2", "redis[hiredis]<6.0,>=5.0", 'numpy<2.0,>=1.26; python_version < "3.12"'])
    lines, notes = pinned_closure(roots, poetry_lock_packages(tomllib.loads(POETRY_LOCK)))
    assert lines == [
        "asgiref==3.8.1", "django==4.2.11", "hiredis==2.3.2", 'numpy==1.26.4; python_version < "3.12"', "redis[hiredis]==5.0.3",
        "sqlparse==0.5.0", 'typing-extensions==4.12.2; python_version < "3.11"', 'tzdata==2024.1; sys_platform == "win32"',
    ]
    assert notes == []


def test_what_the_lock_lacks_is_noted() -> None:
    _, notes = pinned_closure(edges_of(["flask"]), poetry_lock_packages(tomllib.loads(POETRY_LOCK)))
    assert notes == ["the lock has no flask: left out"]
