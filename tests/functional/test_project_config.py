"""Settings from the analysed project's [tool.migrator] table, and their errors."""

from __future__ import annotations

import json

from click.testing import CliRunner

from migrator.cli import main
from tests.cli import run

FILES = {
    "shop/__init__.py": "",
    "shop/orders.py": "from shop import legacy\n\ndef place():\n    return legacy.old()\n",
    "shop/legacy.py": "def old():\n    return 1\n",
    "shop/tests/test_orders.py": "def test_x():\n    assert True\n",
}


def _analyze(root, *args):
    return run("analyze", str(root), "--json", "--no-cache", *args)


def test_exclude_and_include_tests_come_from_pyproject(tree) -> None:
    root = tree({**FILES, "pyproject.toml": '[tool.migrator]\nexclude = ["shop/legacy.py"]\ninclude_tests = true\n'})
    code, out, err = _analyze(root)
    assert code == 0, err
    data = json.loads(out)
    assert data["files"] == 3  # shop/__init__.py, shop/orders.py, shop/tests/test_orders.py; legacy excluded
    assert data["nodes"]["function"] == 2  # place and test_x


def test_command_line_wins_over_pyproject(tree) -> None:
    root = tree({**FILES, "pyproject.toml": "[tool.migrator]\ninclude_tests = true\n"})
    code, out, _ = _analyze(root, "--no-include-tests")
    assert code == 0 and json.loads(out)["files"] == 3


def test_weights_from_pyproject_are_checked(tree) -> None:
    root = tree({**FILES, "pyproject.toml": "[tool.migrator.weights]\ngravity = 2\n"})
    result = CliRunner().invoke(main, ["propose", str(root)])
    assert result.exit_code == 1 and "unknown weight kind gravity" in result.stderr


def test_broken_pyproject_is_named(tree) -> None:
    root = tree({**FILES, "pyproject.toml": "[tool.migrator\nexclude = 3\n"})
    code, _, err = _analyze(root)
    assert code == 1 and "pyproject.toml: not valid TOML" in err


def test_the_projects_pyproject_above_an_application_folder_is_read(tree) -> None:
    """A FastAPI application in backend/app has its project, and its [tool.migrator], in backend/."""
    from migrator.config import load_project_config

    root = tree({"backend/app/__init__.py": "", "backend/app/main.py": "", "backend/requirements/prod.txt": "fastapi\n",
                 "backend/pyproject.toml": '[tool.migrator]\nrequirements = ["requirements/prod.txt"]\n[tool.migrator.env]\nPROJECT_NAME = "shop"\n'})
    config = load_project_config(root / "backend" / "app")
    assert config.env == {"PROJECT_NAME": "shop"}
    assert config.requirements == (root / "backend" / "requirements" / "prod.txt",)  # relative to the project's folder
    assert config.where["requirements"].startswith(str(root / "backend" / "pyproject.toml"))


def test_a_repositorys_root_bounds_the_search(tree) -> None:
    from migrator.config import load_project_config

    root = tree({"pyproject.toml": '[tool.migrator]\nservices = 3\n', "repo/.git/HEAD": "", "repo/shop/__init__.py": ""})
    assert load_project_config(root / "repo" / "shop").services is None
