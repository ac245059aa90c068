"""Which tables a service's database gets: those it owns and keeps read models of (create_all of
them with what their foreign keys reach, then the others dropped); every table the plan does not
know (a framework's); all of them when shared."""

from __future__ import annotations

import sqlalchemy as sa

from generators.service.runtime.frameworks import SchemaScope, _with_references, drop_unheld_sqlalchemy
from tests.postgres import fresh_database

PLANNED = frozenset({"customers", "orders", "order_lines", "products", "reviews"})


def _metadata() -> sa.MetaData:
    metadata = sa.MetaData()
    sa.Table("customers", metadata, sa.Column("id", sa.Integer, primary_key=True))
    sa.Table("products", metadata, sa.Column("id", sa.Integer, primary_key=True))
    sa.Table("orders", metadata, sa.Column("id", sa.Integer, primary_key=True), sa.Column("customer_id", sa.ForeignKey("customers.id")))
    sa.Table("order_lines", metadata, sa.Column("id", sa.Integer, primary_key=True), sa.Column("order_id", sa.ForeignKey("orders.id")),
             sa.Column("product_id", sa.ForeignKey("products.id")))
    sa.Table("reviews", metadata, sa.Column("id", sa.Integer, primary_key=True), sa.Column("product_id", sa.ForeignKey("products.id")))
    sa.Table("alembic_version", metadata, sa.Column("version_num", sa.String(32), primary_key=True))
    return metadata


def test_a_service_gets_its_tables_what_their_keys_reach_and_the_tables_no_service_owns() -> None:
    metadata = _metadata()
    chosen = _with_references(metadata, SchemaScope(frozenset({"order_lines"}), PLANNED))
    # orders and products through order_lines' keys, customers through orders'; reviews is another service's
    assert [t.name for t in chosen] == [t.name for t in metadata.sorted_tables if t.name != "reviews"]
    engine = sa.create_engine("sqlite://")
    metadata.create_all(bind=engine, tables=chosen)
    assert set(sa.inspect(engine).get_table_names()) == {"alembic_version", "customers", "orders", "order_lines", "products"}


def test_shared_or_unscoped_means_every_table() -> None:
    metadata = _metadata()
    assert _with_references(metadata, SchemaScope()) == list(metadata.sorted_tables)



def test_the_tables_of_other_services_are_dropped_and_sqlite_keeps_what_a_kept_key_names() -> None:
    engine = sa.create_engine("sqlite://")
    _metadata().create_all(bind=engine)
    drop_unheld_sqlalchemy(engine, SchemaScope(frozenset({"orders"}), PLANNED))
    # SQLite cannot drop orders' key to customers: customers stays, empty; the others' tables go
    assert set(sa.inspect(engine).get_table_names()) == {"alembic_version", "orders", "customers"}


def test_postgresql_drops_every_table_of_other_services_with_the_keys_that_name_them() -> None:
    with fresh_database("scope") as url:
        engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
        try:
            _metadata().create_all(bind=engine)
            drop_unheld_sqlalchemy(engine, SchemaScope(frozenset({"orders", "order_lines"}), PLANNED))
            schema = sa.inspect(engine)
            assert set(schema.get_table_names()) == {"alembic_version", "orders", "order_lines"}
            assert [key["referred_table"] for key in schema.get_foreign_keys("order_lines")] == ["orders"]
            with engine.begin() as connection:  # orders' customer and the line's product are plain columns now
                connection.execute(sa.text("INSERT INTO orders (id, customer_id) VALUES (1, 7)"))
                connection.execute(sa.text("INSERT INTO order_lines (id, order_id, product_id) VALUES (1, 1, 9)"))
        finally:
            engine.dispose()
