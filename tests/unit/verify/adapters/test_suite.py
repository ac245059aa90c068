"""The monolith's suite: its JUnit report counted, and a real pytest run pointed at a base URL."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

from migrator.verify.adapters.processes import Supervisor
from migrator.verify.adapters.suite import count_junit, import_root, run_suite
from migrator.verify.domain.system import MonolithSuite

JUNIT = """<?xml version="1.0" encoding="utf-8"?>
<testsuites name="pytest tests">
  <testsuite name="pytest" errors="1" failures="1" skipped="1" tests="5">
    <testcase classname="shop.tests.test_cart" name="test_add" time="0.1"/>
    <testcase classname="shop.tests.test_cart" name="test_remove" time="0.1">
      <failure message="assert 404 == 200">details</failure>
    </testcase>
    <testcase classname="shop.tests.test_orders" name="test_checkout" time="0.1">
      <error message="failed on setup">fixture exploded</error>
    </testcase>
    <testcase classname="shop.tests.test_orders" name="test_refund" time="0.0">
      <skipped type="pytest.skip" message="not yet">skip</skipped>
    </testcase>
  </testsuite>
  <testsuite name="more" tests="1">
    <testcase classname="shop.tests.test_more" name="test_ok" time="0.1"/>
  </testsuite>
</testsuites>
"""


def test_junit_counts_every_outcome_and_names_what_failed(tmp_path: Path) -> None:
    report = tmp_path / "tests.xml"
    report.write_text(JUNIT)
    counts = count_junit(report)
    assert (counts.tests, counts.passed, counts.failed, counts.errors, counts.skipped) == (5, 2, 1, 1, 1)
    assert counts.failing == ("shop.tests.test_cart::test_remove", "shop.tests.test_orders::test_checkout")


def test_junit_with_a_single_suite_root_and_no_tests(tmp_path: Path) -> None:
    report = tmp_path / "tests.xml"
    report.write_text('<testsuite name="pytest" tests="0" errors="0" failures="0" skipped="0"></testsuite>')
    counts = count_junit(report)
    assert (counts.tests, counts.passed, counts.failing) == (0, 0, ())


def test_a_package_source_is_imported_from_its_parent(tmp_path: Path) -> None:
    (tmp_path / "shop").mkdir()
    assert import_root(tmp_path / "shop") == tmp_path / "shop"
    (tmp_path / "shop" / "__init__.py").write_text("")
    assert import_root(tmp_path / "shop") == tmp_path
    assert import_root(None) is None


def test_the_suite_runs_against_the_base_url_it_is_given(tmp_path: Path) -> None:
    tests = tmp_path / "src" / "shop" / "tests"
    tests.mkdir(parents=True)
    for folder in (tests.parent, tests):
        (folder / "__init__.py").write_text("")
    (tests / "test_remote.py").write_text(textwrap.dedent("""
        import os

        from shop import tests  # the monolith's own package resolves


        def test_the_base_url():
            assert os.environ["SHOP_BASE_URL"] == "http://127.0.0.1:40000"


        def test_another_answer():
            assert 1 + 1 == 3
    """))
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    step = run_suite(MonolithSuite(tests, "SHOP_BASE_URL"), source=tests.parent, base_url="http://127.0.0.1:40000", run_dir=run_dir,
                     supervisor=Supervisor(), python=Path(sys.executable))
    assert (step.status, step.detail) == ("failed", "1/2 passed, 1 failed")
    assert step.failures == ("shop.tests.test_remote::test_another_answer",)
    assert step.log == str(run_dir / "tests.log") and "assert (1 + 1) == 3" in step.excerpts[0].text


def test_without_a_suite_the_step_is_skipped_with_the_reason(tmp_path: Path) -> None:
    step = run_suite(None, source=None, base_url="http://127.0.0.1:1", run_dir=tmp_path, supervisor=Supervisor(), python=Path(sys.executable))
    assert (step.status, step.detail) == ("skipped", "the monolith ships no HTTP test suite that honours a base-URL variable")
