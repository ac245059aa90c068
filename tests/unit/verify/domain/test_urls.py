"""Server URLs: another database on the same server, the password kept out of messages."""

from __future__ import annotations

import pytest

from migrator.verify.domain.urls import is_postgres_url, redacted, with_database


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
