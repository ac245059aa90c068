"""order_items becomes order_lines; legacy_things goes."""
from alembic import op

revision = "0003"
down_revision = "0002"


def upgrade():
    op.rename_table("order_items", "order_lines")
    op.drop_table("legacy_things")


def downgrade():
    op.create_table("legacy_things")
    op.rename_table("order_lines", "order_items")
