from alembic import context

context.configure(url="sqlite://")
