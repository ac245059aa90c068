from typing import ClassVar

from sqlmodel import Field, Relationship, SQLModel

Schema = SQLModel


class ItemBase(Schema):
    title: str = Field(max_length=255)
    description: str | None = None


class Item(ItemBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = Field(foreign_key="user.id")
    owner: "User" = Relationship(back_populates="items")


class ItemPublic(ItemBase):
    id: int


class User(SQLModel, table=True):
    __tablename__ = "user"
    id: int | None = Field(default=None, primary_key=True)
    name: str
    items: list[Item] = Relationship(back_populates="owner")
    page_size: ClassVar[int] = 20
