"""A Django app the shared library splits, booted for real (Django 5.1 under gunicorn, through the
gateway): the blog's and the shop's pages load the ``common`` app's template tag library, which the
shared library holds, and the project's own suite (``manage.py test``) reads them through the gateway
as in process. Before each service kept the library at its place under the app's name, both pages
answered 500 (``'shout_tags' is not a registered tag library``) on every service, the monolith's too.
(tests/functional/test_generate_django_apps.py checks the same at the file level.)"""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli import invoke
from tests.django_site import SIGNING_SITE, write_site


def test_a_split_apps_tag_library_renders_the_pages_of_every_service(tmp_path: Path) -> None:
    source = write_site(tmp_path / "site")
    out = tmp_path / "out"
    generated = invoke("generate", str(source), "--decomposition", str(tmp_path / "site.decomposition.yaml"), "-o", str(out), "--quiet")
    assert generated.exit_code == 0, generated.output + generated.stderr
    verified = invoke("verify", str(out), "--json", "--timeout", "240", "--database", "shared", "--no-fuzz")
    steps = {step["name"]: step for step in json.loads(verified.stdout)["steps"]}
    assert steps["routes through the gateway"]["status"] == "passed", steps["routes through the gateway"]
    own = steps["monolith's own test suite"]
    assert (own["counts"]["tests"], own["counts"]["passed on the monolith"], own["counts"]["passed on the split"]) == (2, 2, 2), own
    assert own["status"] == "passed", own


def test_a_login_through_one_service_is_known_to_another_with_a_database_each(tmp_path: Path) -> None:
    """The blog signs a user in, the shop says who is signed in: with a database per service the
    session is in a signed cookie (the services' settings), not in the blog's ``django_session``, and
    the suite's ``client.login()`` (the test process on the same settings) gives a cookie the shop takes."""
    source = write_site(tmp_path / "site", SIGNING_SITE)
    out = tmp_path / "out"
    generated = invoke("generate", str(source), "--decomposition", str(tmp_path / "site.decomposition.yaml"), "-o", str(out), "--quiet")
    assert generated.exit_code == 0, generated.output + generated.stderr
    assert "signed_cookies" in (out / "README.md").read_text(encoding="utf-8")
    verified = invoke("verify", str(out), "--json", "--timeout", "240", "--database", "per-service", "--no-fuzz")
    own = {step["name"]: step for step in json.loads(verified.stdout)["steps"]}["monolith's own test suite"]
    assert (own["counts"]["tests"], own["counts"]["passed on the monolith"], own["counts"]["passed on the split"]) == (4, 4, 4), own
    assert own["status"] == "passed", own
