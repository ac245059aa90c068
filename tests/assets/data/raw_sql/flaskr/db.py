import sqlite3

from flask import current_app


def init_db(db: sqlite3.Connection) -> None:
    with current_app.open_resource("schema.sql") as f:
        db.executescript(f.read().decode("utf8"))
