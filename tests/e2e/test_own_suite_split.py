"""A corpus application's own test suite run against its split system (issue 18, item 1): flasky's
unittest suite (Flask 1.0, ``app.test_client()``) and parsifal's Django test runner suite
(``django.test.Client``), each on the monolith in process and then through the gateway, its ORM on
the database the services share."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.cli import invoke
from tests.corpus import FLASKY_CONFIG, PARSIFAL_CONFIG, configured_copy

STEP = "monolith's own test suite"


def _own_suite(source: Path, out: Path) -> dict[str, Any]:
    migrated = invoke("migrate", str(source), "-o", str(out), "--quiet")
    assert migrated.exit_code == 0, migrated.output + migrated.stderr
    verified = invoke("verify", str(out / "system"), "--json", "--timeout", "240", "--database", "shared", "--no-fuzz")
    return next(step for step in json.loads(verified.stdout)["steps"] if step["name"] == STEP)


def test_flasky_unittest_suite_passes_through_the_gateway_as_on_the_monolith(tmp_path: Path) -> None:
    step = _own_suite(configured_copy("flasky", tmp_path, FLASKY_CONFIG), tmp_path / "out")
    assert step["status"] == "passed", step
    assert step["counts"]["tests"] == 35 and step["counts"]["passed on the monolith"] == 34 and step["counts"]["passed on the split"] == 34


def test_parsifal_django_suite_through_the_gateway_differs_only_where_a_service_sends_mail(tmp_path: Path) -> None:
    """The services run parsifal's settings, which send mail over SMTP (nothing listens here): the
    two invitation tests get a 500 from the invites service where Django's runner kept the mail in
    memory. Four tests read the template context or the templates: named, not counted."""
    step = _own_suite(configured_copy("parsifal", tmp_path, PARSIFAL_CONFIG), tmp_path / "out")
    assert step["counts"]["tests"] == 75 and step["counts"]["passed on the monolith"] == 75
    assert step["counts"]["not covered over HTTP"] == 4 and step["counts"]["differences"] == 2
    assert sorted(failure.split(":")[0].rsplit(".", 1)[1] for failure in step["failures"]) == [
        "test_post_success_invitee", "test_post_success_invitee_email"]
    assert step["status"] == "failed"
