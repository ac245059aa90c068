import uuid

from sqlmodel import Field, SQLModel


class UserBase(SQLModel):
    email: str


class User(UserBase, table=True):
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    hashed_password: str


class UserCreate(UserBase):
    password: str


class ProductBase(SQLModel):
    title: str


class Product(ProductBase, table=True):
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)


class ProductCreate(ProductBase):
    pass


class Order(SQLModel, table=True):
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    product_id: uuid.UUID = Field(foreign_key="product.id")
    buyer_id: uuid.UUID = Field(foreign_key="user.id")


class OrderCreate(SQLModel):
    product_id: uuid.UUID


class Message(SQLModel):
    message: str
