"""pytest-django on the split run: its test database is the shared one, flushed once (see
``databases``); loaded after pytest-django, so that this ``django_db_setup`` is the one used."""

from __future__ import annotations

from typing import Any

import pytest

from .databases import flush_shared_databases


@pytest.fixture(scope="session")
def django_db_setup(django_db_blocker: Any) -> None:
    with django_db_blocker.unblock():
        flush_shared_databases()
