"""SQLite files, one per service, in the run's folder."""

from __future__ import annotations

from pathlib import Path

from migrator.verify.adapters.sqlite import SqliteFiles


def test_sqlite_files_are_absolute_and_one_per_service(tmp_path: Path) -> None:
    databases = SqliteFiles()
    urls = databases.create(["orders", "order items"], run_id="verify_1", folder=tmp_path / "db")
    assert urls == {"orders": f"sqlite:///{tmp_path}/db/orders.db", "order items": f"sqlite:///{tmp_path}/db/order_items.db"}
    assert urls["orders"].startswith("sqlite:////")
    assert (tmp_path / "db").is_dir()
    assert databases.drop() == []  # they go with the run's folder
