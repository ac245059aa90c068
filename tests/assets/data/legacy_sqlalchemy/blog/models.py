from sqlalchemy import Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import relationship

from .base import Base


class User(Base):
    __tablename__ = "users"

    id = Column(Integer, primary_key=True)
    name = Column("user_name", String(50))
    addresses = relationship("Address", backref="user")


class Address(Base):
    __tablename__ = "addresses"

    id = Column(Integer, primary_key=True)
    user_id = Column(Integer, ForeignKey("users.id"))
    email = Column(String)


class Admin(User):
    level = Column(Integer)


class Post(Base):
    __table__ = Table(
        "posts",
        Base.metadata,
        Column("id", Integer, primary_key=True),
        Column("author_id", Integer, ForeignKey("users.id")),
    )
    author = relationship(User)
    reviewer = relationship(lambda: Admin)
