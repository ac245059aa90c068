"""What real applications read at run time reaches every service folder (templates, pictures byte
for byte, migrations), and the shared library imports no module a service owns (issue 17, item 3)."""

from __future__ import annotations

import ast
import json
import shutil
from pathlib import Path

import pytest

from tests.cli import run
from tests.corpus import CORPUS, require

APPLICATIONS = {
    # source, then a template, a picture and a migration, relative to the folder that holds the top-level package
    "flasky": (CORPUS / "flasky", "app/templates/base.html", "app/static/favicon.ico",
               "migrations/versions/190163627111_account_confirmation.py"),
    "ihatemoney": (CORPUS / "ihatemoney" / "ihatemoney", "ihatemoney/templates/layout.html", "ihatemoney/static/images/add.png",
                   "ihatemoney/migrations/env.py"),
}


@pytest.mark.parametrize("name", list(APPLICATIONS))
def test_services_hold_what_the_code_reads_and_the_shared_library_imports_no_service(name: str, tmp_path: Path) -> None:
    folder, template, picture, migration = APPLICATIONS[name]
    require(folder)
    source = tmp_path / folder.name
    shutil.copytree(folder, source)
    out = tmp_path / "out"
    code, _, err = run("migrate", str(source), "-o", str(out), "--no-pictures", "--quiet")
    assert code == 0, err
    system = json.loads((out / "system" / "system.json").read_text(encoding="utf-8"))
    base = source.parent if (source / "__init__.py").is_file() else source
    for service in system["services"]:
        home = out / "system" / service["dir"]
        for path in (template, picture, migration):
            assert (home / path).read_bytes() == (base / path).read_bytes(), f"{service['name']}: {path}"
        assert not (home / "tests").exists() and not list(home.rglob("__pycache__"))
    owned = {m for spec in system["plan"]["services"] if spec["kind"] == "service" for m in spec["modules"]}
    shared = system["plan"]["shared_modules"]
    assert shared, "nothing is shared: nothing was checked"
    imported = {i for module in shared for i in _module_level_imports(base, module)}
    assert sorted(i for i in imported if i in owned) == []


def _module_level_imports(base: Path, module: str) -> set[str]:
    """What the monolith's ``module`` imports at module level, as absolute names (``from a import
    b``: both ``a`` and ``a.b``, which is a module when b is one)."""
    package = base / module.replace(".", "/")
    path = package / "__init__.py" if package.is_dir() else package.with_suffix(".py")
    here = module.split(".") if package.is_dir() else module.split(".")[:-1]
    found: set[str] = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            parts = here[: len(here) - node.level + 1] if node.level else []
            origin = ".".join([*parts, *([node.module] if node.module else [])])
            found.add(origin)
            found.update(f"{origin}.{alias.name}" for alias in node.names)
    return found
