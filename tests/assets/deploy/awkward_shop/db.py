"""One declarative base for every model."""

from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass
