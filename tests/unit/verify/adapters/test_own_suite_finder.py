"""The monolith's own suite found in its folder: pytest-django by its configuration, Django's
runner with the test settings the project runs it with, pytest, unittest."""

from __future__ import annotations

from pathlib import Path

from migrator.verify.adapters.own_suite import find_own_suite


def _tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def test_pytest_django_by_its_settings_in_pytest_ini_with_its_test_tools(tmp_path: Path) -> None:
    root = _tree(tmp_path, {"pytest.ini": "[pytest]\nDJANGO_SETTINGS_MODULE = site.settings_test\n", "manage.py": "",
                            "site/apps/a/tests.py": "def test_a(): pass\n", "dev-requirements.txt": "pytest-django==4.9.0\nruff==0.1\nfreezegun==1.5.1\n"})
    suite = find_own_suite(root)
    assert suite is not None and (suite.kind, suite.settings, suite.tools, suite.where) == (
        "pytest-django", "site.settings_test", ("freezegun==1.5.1", "pytest-django==4.9.0"), "pytest.ini")


def test_django_runner_with_the_settings_tox_runs_it_with(tmp_path: Path) -> None:
    root = _tree(tmp_path, {"manage.py": "", "tox.ini": "[testenv]\ncommands = coverage run manage.py test --settings=p.settings.tests -v 2\n",
                            "p/settings/tests.py": "", "p/apps/x/tests/test_views.py": "from django.test import TestCase\n"})
    suite = find_own_suite(root)
    assert suite is not None and suite.argv == ("manage.py", "test", "--noinput", "--settings=p.settings.tests")


def test_django_runner_with_a_settings_module_named_for_tests(tmp_path: Path) -> None:
    root = _tree(tmp_path, {"manage.py": "", "p/test_settings.py": "", "p/tests.py": "import unittest\n"})
    suite = find_own_suite(root)
    assert suite is not None and (suite.kind, suite.settings) == ("django", "p.test_settings")


def test_unittest_test_cases_without_pytest_run_by_discovery(tmp_path: Path) -> None:
    root = _tree(tmp_path, {"tests/__init__.py": "", "tests/test_api.py": "import unittest\nclass T(unittest.TestCase):\n    def test_a(self): pass\n"})
    suite = find_own_suite(root)
    assert suite is not None and suite.argv == ("-m", "unittest", "discover", "-s", "tests", "-t", ".")


def test_test_functions_outside_classes_are_pytest(tmp_path: Path) -> None:
    suite = find_own_suite(_tree(tmp_path, {"app/test_views.py": "def test_home(client):\n    assert client.get('/').status_code == 200\n"}))
    assert suite is not None and suite.kind == "pytest"


def test_a_folder_without_tests_has_no_suite(tmp_path: Path) -> None:
    assert find_own_suite(_tree(tmp_path, {"app/views.py": "", ".venv/lib/test_x.py": ""})) is None


def test_pytests_other_file_pattern_and_test_tools_of_the_pyprojects_dev_extra(tmp_path: Path) -> None:
    pyproject = ('[project]\nname = "money"\n[project.optional-dependencies]\ndatabase = ["psycopg2-binary"]\n'
                 'dev = ["ruff~=0.14", "pytest~=9.0.2", "pytest-flask~=1.3.0"]\n[dependency-groups]\ntest = ["freezegun>=1"]\n')
    root = _tree(tmp_path, {"pyproject.toml": pyproject, "money/tests/conftest.py": "", "money/tests/api_test.py": "def test_a(): pass\n"})
    suite = find_own_suite(root)
    assert suite is not None and (suite.kind, suite.tools) == ("pytest", ("freezegun>=1", "pytest~=9.0.2", "pytest-flask~=1.3.0"))
