"""Order items, and tables made in other ways."""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade():
    op.create_table(
        "order_items",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("order_id", sa.Integer, nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"]),
    )
    op.execute(
        """
        CREATE TABLE audit (
            id serial PRIMARY KEY,
            note text
        )
        """
    )
    payments = sa.Table("payments", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True))
    payments.create(op.get_bind())


def downgrade():
    op.drop_table("payments")
    op.execute("DROP TABLE audit")
    op.drop_table("order_items")
