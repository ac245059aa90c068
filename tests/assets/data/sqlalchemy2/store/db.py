from sqlalchemy.orm import DeclarativeBase, mapped_column
from sqlalchemy.orm import Mapped


class Base(DeclarativeBase):
    pass


class TimestampMixin:
    created_at: Mapped[int] = mapped_column(default=0)
