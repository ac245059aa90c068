"""The first tables."""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None


def upgrade():
    op.create_table("customers", sa.Column("id", sa.Integer, primary_key=True))
    create_orders()
    op.create_table("legacy_things", sa.Column("id", sa.Integer), schema=None)


def create_orders():
    op.create_table(
        "orders",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("customer_id", sa.Integer, sa.ForeignKey("customers.id")),
        sa.Column("paid", sa.Boolean),
    )


def downgrade():
    drop_everything()


def drop_everything():
    op.drop_table("orders")
    op.drop_table("customers")
