"""The black-box suite's verdict: counts compared, no false green, differences shown with their request."""

from __future__ import annotations

from migrator.verify.domain.black_box import SuiteRun, Tally, diff_step, suite_step
from migrator.verify.domain.differences import Comparison, Difference, FieldDifference
from migrator.verify.domain.exchanges import Exchange

REQUEST = Exchange("POST", "/api/orders", "application/json", '{"sku": 1}', 201, "application/json", "", '{"id": 1}')


def _run(target: str, tally: Tally | None, *, code: int = 0, problem: str = "") -> SuiteRun:
    return SuiteRun(target, code, f"/run/{target}.log", tally, problem, (REQUEST,))


def test_the_same_tests_passing_on_both_sides_pass() -> None:
    step = suite_step(_run("monolith", Tally(4, 4, 0)), _run("split system", Tally(4, 4, 0)))
    assert (step.status, step.detail) == ("passed", "monolith: 4/4 passed (exit 0, 1 request); split: 4/4 passed (exit 0, 1 request)")
    assert step.counts == {"monolith_tests": 4, "monolith_passed": 4, "monolith_failed": 0, "split_tests": 4, "split_passed": 4, "split_failed": 0}


def test_a_test_that_fails_only_on_the_split_system_fails_the_step_by_name() -> None:
    step = suite_step(_run("monolith", Tally(3, 2, 1, failing=("t::a",))), _run("split system", Tally(3, 1, 2, failing=("t::a", "t::b")), code=1))
    assert step.status == "failed"
    assert step.failures == ("t::b",)


def test_a_suite_that_ran_no_test_fails_with_the_reason() -> None:
    step = suite_step(_run("monolith", Tally(0, 0, 0), code=5), _run("split system", Tally(0, 0, 0), code=5))
    assert step.status == "failed"
    assert step.detail.startswith("no test ran against the monolith (exit 5, log /run/monolith.log)")


def test_an_unreadable_report_fails_and_a_suite_without_report_is_judged_by_its_exit_codes() -> None:
    unreadable = suite_step(_run("monolith", None, problem="the suite wrote no report at r.json"), _run("split system", Tally(1, 1, 0)))
    assert (unreadable.status, unreadable.detail.split(";")[0]) == ("failed", "monolith: the suite wrote no report at r.json")
    assert suite_step(_run("monolith", None), _run("split system", None)).status == "passed"
    assert suite_step(_run("monolith", None), _run("split system", None, code=1)).status == "failed"


def test_differences_fail_the_comparison_with_the_request_and_both_answers() -> None:
    answer = Exchange("POST", "/api/orders", "application/json", '{"sku": 1}', 500, "text/plain", "", "boom")
    difference = Difference(answer, REQUEST, answer, (FieldDifference("status", "201", "500"),))
    step = diff_step(Comparison(5, (difference,), 7, 0))
    assert step.status == "failed"
    assert step.failures == ("POST /api/orders: status 201 -> 500",)
    assert step.excerpts[0].text.splitlines() == [
        'POST /api/orders (application/json) {"sku": 1}', "  status: monolith 201 | split 500",
        '  monolith answered 201 application/json: {"id": 1}', "  split answered 500 text/plain: boom"]


def test_no_difference_passes_and_nothing_compared_fails() -> None:
    assert diff_step(Comparison(5, (), 7, 1)).detail == (
        "5 requests: 0 unexplained differences, 7 differences explained as noise (the two monoliths differ there too); "
        "1 request only one monolith got, not compared")
    assert diff_step(Comparison(0, (), 0, 0)).status == "failed"
