"""Menu items: a unicode package name."""

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from awkward_shop.db import Base


class Crème(Base):
    __tablename__ = "crème"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
