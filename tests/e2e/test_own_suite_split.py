"""A corpus application's own test suite run against its split system (issue 18, item 1): flasky's
unittest suite (Flask 1.0, ``app.test_client()``) and parsifal's Django test runner suite
(``django.test.Client``), each on the monolith in process and then through the gateway, its ORM on
the database the services share, the mail the services send read back by the suite's outbox."""

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


def test_parsifal_django_suite_passes_through_the_gateway_with_the_mail_the_services_sent(tmp_path: Path) -> None:
    """parsifal's settings send mail over SMTP (nothing listens here); under verify the services keep
    what they send in the run's folder, where the suite's ``mail.outbox`` reads it: the two
    invitation tests see their mail as in process. Four tests read the template context or the
    templates: named, not counted."""
    step = _own_suite(configured_copy("parsifal", tmp_path, PARSIFAL_CONFIG), tmp_path / "out")
    assert step["counts"]["tests"] == 75 and step["counts"]["passed on the monolith"] == 75
    assert step["counts"]["not covered over HTTP"] == 4 and step["counts"]["differences"] == 0, step
    assert step["counts"]["passed on the split"] == 71
    assert step["status"] == "passed"
