from sqlalchemy import Column, Integer
from sqlalchemy.orm import declarative_base

Base = declarative_base()
Model = Base


class Invoice(Model):
    __tablename__ = "invoices"
    id = Column(Integer, primary_key=True)
