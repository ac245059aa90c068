"""``migrator verify --suite`` on a real application split and booted: parsifal (Django, 14
services), a black-box suite of its pages (tests/assets/black_box/parsifal) against a monolith
instance and through the gateway, and the differential comparison against a second instance."""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from migrator.cli import main
from tests.cli import invoke
from tests.corpus import PARSIFAL_CONFIG, configured_copy

REPO = Path(__file__).resolve().parents[2]
SUITE = "BASE_URL={base_url} " + shlex.quote(sys.executable) + " -m pytest tests/assets/black_box/parsifal/pages_suite.py -q -p no:cacheprovider --junitxml {junit}"
"""This interpreter: the shell's own ``python`` need not have pytest and httpx (CI calls the venv's by path)."""


def test_parsifal_s_pages_answer_through_the_gateway_as_on_the_monolith(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = configured_copy("parsifal", tmp_path, PARSIFAL_CONFIG)
    assert invoke("migrate", str(source), "-o", str(tmp_path / "out"), "--quiet").exit_code == 0
    monkeypatch.chdir(REPO)  # where a user runs the suite from: its paths are relative to it
    # not through invoke: the report's excerpts may quote a service's traceback (schemathesis' findings)
    result = CliRunner().invoke(main, ["verify", str(tmp_path / "out" / "system"), "--database", "shared", "--examples", "2", "--suite", SUITE, "--json"])
    steps = {step["name"]: step for step in json.loads(result.stdout)["steps"]}
    suite, answers = steps["black-box suite"], steps["answers as the monolith's"]
    assert suite["status"] == "passed", suite
    assert suite["counts"]["monolith_tests"] == suite["counts"]["monolith_passed"] == suite["counts"]["split_passed"] == 10
    assert answers["status"] == "passed", answers
    assert (answers["counts"]["compared"], answers["counts"]["differences"], answers["counts"]["unpaired"]) == (18, 0, 0)
    assert answers["counts"]["noise"] > 0  # the CSRF tokens of its forms differ between any two runs
