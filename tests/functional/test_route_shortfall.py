"""A Flask app that registers its views through a registry object of its own, whose rules the
routes analyzer does not follow: analyze and migrate say that the routes found are far fewer
than the route-like strings in the code. A helper function (as FlaskBB's) is followed: no warning."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli import run
from tests.conftest import ASSETS

APP = ASSETS / "routes" / "flask_registry"
WARNING = ("found 0 routes, but 11 strings that look like routes are passed to calls (forum/views.py 10, forum/__init__.py 1): "
           "routes registered through a helper of the application are not followed, so no service will own them")


def test_analyze_warns_on_stderr_and_in_its_json(tmp_path: Path) -> None:
    code, out, err = run("analyze", str(APP), "-o", str(tmp_path / "graph.json"), "--no-cache")
    assert code == 0 and f"warning: {WARNING}" in err.splitlines()
    code, out, err = run("analyze", str(APP), "-o", str(tmp_path / "graph.json"), "--no-cache", "--json")
    assert code == 0 and json.loads(out)["warnings"] == [WARNING]
    assert {"warning": WARNING} in [json.loads(line) for line in err.splitlines()]


def test_migrate_passes_the_warning_on(tmp_path: Path) -> None:
    code, out, err = run("migrate", str(APP), "-o", str(tmp_path / "out"), "--no-cache", "--no-pictures")
    assert code == 0, err
    assert f"warning: {WARNING}" in err.splitlines()


def test_routes_registered_through_a_helper_function_raise_no_such_warning(tmp_path: Path) -> None:
    code, out, err = run("analyze", str(ASSETS / "routes" / "flask_helper"), "-o", str(tmp_path / "graph.json"), "--no-cache", "--json")
    assert code == 0 and json.loads(out)["warnings"] == []


def test_the_sample_raises_no_such_warning(tmp_path: Path) -> None:
    code, out, err = run("analyze", str(ASSETS.parent.parent / "sample_monolith"), "-o", str(tmp_path / "graph.json"), "--no-cache", "--json")
    assert code == 0 and json.loads(out)["warnings"] == []
