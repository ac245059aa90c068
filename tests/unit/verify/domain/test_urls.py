"""Server URLs: another database on the same server, the password kept out of messages, the parts an
application builds its URL from."""

from __future__ import annotations

import pytest

from migrator.verify.domain.urls import database_parts, is_postgres_url, on_server, redacted, with_database


def test_a_service_database_url_keeps_driver_user_and_options() -> None:
    url = "postgresql+psycopg://app:s3cret@db.local:5433/postgres?sslmode=disable"
    assert with_database(url, "verify_1_orders") == "postgresql+psycopg://app:s3cret@db.local:5433/verify_1_orders?sslmode=disable"
    assert redacted(url) == "postgresql+psycopg://app:***@db.local:5433/postgres?sslmode=disable"
    assert redacted("postgresql://postgres@127.0.0.1/postgres") == "postgresql://postgres@127.0.0.1/postgres"


@pytest.mark.parametrize(
    ("url", "expected"),
    [("postgresql://u@h/db", True), ("postgresql+psycopg2://u@h/db", True), ("postgres://u@h/db", True), ("mysql://u@h/db", False),
     ("sqlite:///x.db", False)],
)
def test_only_postgres_urls_are_servers_to_create_databases_on(url: str, expected: bool) -> None:
    assert is_postgres_url(url) is expected


TEMPLATE = {"POSTGRES_SERVER": "host", "POSTGRES_PORT": "port", "POSTGRES_USER": "user", "POSTGRES_PASSWORD": "password", "POSTGRES_DB": "name"}
"""The FastAPI template's settings, as the plan's ``Hosting.database_components`` names them."""


def test_the_parts_of_a_server_url_fill_the_variables_an_application_builds_its_url_from() -> None:
    url = "postgresql+psycopg://app%40corp:p%2Fss@db.local:5433/verify_1_own-suite-monolith?sslmode=disable"
    assert database_parts(url, TEMPLATE) == {"POSTGRES_SERVER": "db.local", "POSTGRES_PORT": "5433", "POSTGRES_USER": "app@corp",
                                             "POSTGRES_PASSWORD": "p/ss", "POSTGRES_DB": "verify_1_own-suite-monolith"}


def test_a_part_the_url_leaves_out_sets_nothing_and_the_application_keeps_its_own_default() -> None:
    assert database_parts("postgresql://postgres@127.0.0.1/verify_1_shared", TEMPLATE) == {
        "POSTGRES_SERVER": "127.0.0.1", "POSTGRES_USER": "postgres", "POSTGRES_DB": "verify_1_shared"}


@pytest.mark.parametrize("url", ["sqlite:////runs/1/shared.db", "sqlite:///./monolith.db", "sqlite://"])
def test_a_sqlite_file_has_no_parts_to_give(url: str) -> None:
    assert not on_server(url)
    assert database_parts(url, TEMPLATE) == {}


def test_no_components_no_variables() -> None:
    assert on_server("postgresql://postgres@127.0.0.1/x")
    assert database_parts("postgresql://postgres@127.0.0.1/x", {}) == {}
