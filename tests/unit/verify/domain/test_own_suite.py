"""The monolith's own suite compared test by test: passed on the monolith, on the split, the first
failing assertion of each test that passed on the monolith only; state only a test's process has
named, never counted as a difference; no test run fails."""

from __future__ import annotations

import json

from migrator.verify.domain.own_suite import DJANGO, PYTEST_DJANGO, UNITTEST, OwnSuite, Outcome, comparison_step, compare, read_outcomes

SUITE = OwnSuite(UNITTEST, ("-m", "unittest", "discover"), where="unittest discover -s tests")


def _lines(*items: dict[str, object]) -> str:
    return "\n".join(json.dumps(item) for item in items)


def test_a_test_recorded_twice_keeps_its_first_failure() -> None:
    text = _lines({"id": "t.A.test_x", "outcome": "failed", "failure": "t.py:3: assert 1\nAssertionError: first"},
                  {"id": "t.A.test_x", "outcome": "passed"}, {"id": "t.A.test_y", "outcome": "skipped", "in_process": []})
    assert read_outcomes(text) == {"t.A.test_x": Outcome("t.A.test_x", "failed", "t.py:3: assert 1\nAssertionError: first"),
                                   "t.A.test_y": Outcome("t.A.test_y", "skipped")}


def test_a_test_passing_on_the_monolith_only_fails_the_step_with_its_first_failing_assertion() -> None:
    monolith = {"a": Outcome("a", "passed"), "b": Outcome("b", "passed"), "c": Outcome("c", "skipped")}
    split = {"a": Outcome("a", "passed"), "b": Outcome("b", "failed", "tests/t.py:9: self.assertEqual(r.status_code, 302)\nAssertionError: 200 != 302"),
             "c": Outcome("c", "skipped")}
    step = comparison_step(SUITE, compare(monolith, split), log="split.log")
    assert step.status == "failed"
    assert step.failures == ("b: AssertionError: 200 != 302",)
    assert step.excerpts[0].text.startswith("tests/t.py:9:")
    assert step.counts == {"tests": 3, "passed on the monolith": 2, "passed on the split": 1, "differences": 1, "not covered over HTTP": 0, "skipped": 1}
    assert step.detail.endswith("1 passed on the monolith only; skipped on the monolith: c")


def test_a_test_failing_after_reading_in_process_state_is_named_not_counted() -> None:
    monolith = {"a": Outcome("a", "passed"), "m": Outcome("m", "passed")}
    split = {"a": Outcome("a", "passed"), "m": Outcome("m", "failed", "AssertionError: 0 != 1", ("mail.outbox (the mail the services send stays in their processes)",))}
    step = comparison_step(SUITE, compare(monolith, split), log="split.log")
    assert step.status == "passed"
    assert step.detail.endswith("not covered over HTTP: m (mail.outbox (the mail the services send stays in their processes))")


def test_a_test_that_never_ran_on_the_split_is_a_difference() -> None:
    step = comparison_step(SUITE, compare({"a": Outcome("a", "passed")}, {}), log="split.log")
    assert step.status == "failed" and step.failures == ("a: did not run on the split",)


def test_a_suite_that_ran_no_test_fails() -> None:
    step = comparison_step(SUITE, compare({}, {}), log="split.log")
    assert step.status == "failed" and "no test ran" in step.detail


def test_the_split_run_takes_the_services_settings_module() -> None:
    django = OwnSuite(DJANGO, ("manage.py", "test", "--noinput", "--settings=p.settings.tests"), "p.settings.tests")
    assert django.split_argv("monolith_service.django_settings") == ("manage.py", "test", "--noinput", "--settings=monolith_service.django_settings")
    plugin = OwnSuite(PYTEST_DJANGO, ("-m", "pytest"), "p.settings_test")
    assert plugin.split_argv("m.django_settings") == ("-m", "pytest", "--ds=m.django_settings")
    assert SUITE.split_argv("m.django_settings") == SUITE.argv


def test_a_suite_that_passes_nothing_on_the_monolith_proves_nothing_and_fails() -> None:
    monolith = {"t.test_a": Outcome("t.test_a", "failed", "E   OperationalError: no such database"), "t.test_b": Outcome("t.test_b", "error")}
    step = comparison_step(SUITE, compare(monolith, dict(monolith)), log="split.log")
    assert step.status == "failed" and "no test passes on the monolith itself" in step.detail


def test_a_test_failing_on_the_split_after_a_service_read_a_table_its_database_lacks_names_that_gap() -> None:
    gap = "the posts service read users (owned by users), of which its database keeps no read model"
    text = _lines({"id": "a", "outcome": "failed", "failure": "tests/t.py:9: x\nAssertionError: 401 != 200", "in_process": [], "gaps": [gap]})
    step = comparison_step(SUITE, compare({"a": Outcome("a", "passed")}, read_outcomes(text)), log="split.log")
    assert step.status == "failed"
    assert step.failures == (f"a: AssertionError: 401 != 200 (gap of the split: {gap})",)
    assert step.excerpts[0].text.endswith(f"\ngap of the split: {gap}")
    assert step.detail.endswith("1 passed on the monolith only (1 after a gap of the split: a service read or wrote a table its database does not hold)")


def test_a_test_not_covered_over_http_names_the_gap_of_the_split_it_also_met() -> None:
    """It read state only its process has (counted as not covered, as with one database), and a
    service answering it read a table its database does not hold: both are named."""
    gap = "the talks service read meetings_meeting (owned by meetings), of which its database keeps no read model"
    text = _lines({"id": "a", "outcome": "failed", "failure": "AssertionError", "in_process": ["mock.patch of X"], "gaps": [gap]})
    step = comparison_step(SUITE, compare({"a": Outcome("a", "passed")}, read_outcomes(text)), log="split.log")
    assert step.status == "passed" and step.counts["not covered over HTTP"] == 1
    assert step.detail.endswith(f"not covered over HTTP: a (mock.patch of X; gap of the split: {gap})")


def test_the_placement_of_a_split_gives_each_table_its_owner_and_each_reader_its_read_models() -> None:
    """Its home, where the suite's own schema tooling acts, is the database of the service owning
    most tables (users: two, and a read model); with no table owned, that of the service it runs as."""
    from migrator.model.service_plan import MONOLITH, ServicePlan, ServiceSpec
    from migrator.verify.domain.own_suite import Placement, placement

    def spec(name: str, tables: tuple[str, ...] = (), replicas: tuple[str, ...] = ()) -> ServiceSpec:
        return ServiceSpec(name, 8000, (), tables, (), (), (), (), (), replicas=replicas, kind=MONOLITH if name == MONOLITH else "service")

    plan = ServicePlan("Blog", (spec("users", ("users", "follows"), ("posts",)), spec("posts", ("posts",)), spec("reviews", ("reviews",)),
                                spec(MONOLITH, (), ("users",))), (), (), ())
    databases = {"users": "sqlite:///u", "posts": "sqlite:///p", "monolith": "sqlite:///m", "reviews": "sqlite:///r"}
    assert placement(plan, databases, runs_as="monolith") == Placement(
        "users", databases, {"follows": "users", "posts": "posts", "reviews": "reviews", "users": "users"},
        {"monolith": ("users",), "users": ("posts",)})
    assert placement(plan, {k: v for k, v in databases.items() if k != "reviews"}, runs_as="monolith") == (
        "the services owning its tables (reviews) are not part of the run")
    unowned = ServicePlan("Blog", (spec("users"), spec(MONOLITH)), (), (), ())
    assert placement(unowned, {"users": "sqlite:///u", "monolith": "sqlite:///m"}, runs_as="monolith").home == "monolith"
