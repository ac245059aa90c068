from .base import BaseModel
from .db import Column, db


class Customer(BaseModel):
    __tablename__ = "customers"
    id = Column(db.Integer, primary_key=True)


class OrderLine(BaseModel):
    id = Column(db.Integer, primary_key=True)
    customer_id = Column(db.Integer, db.ForeignKey("customers.id"))


tags = db.Table(
    "order_line_tags",
    db.Column("order_line_id", db.Integer, db.ForeignKey("order_line.id")),
    db.Column("tag", db.String(20)),
)
