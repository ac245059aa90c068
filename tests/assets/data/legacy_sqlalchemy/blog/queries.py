from .base import SessionLocal
from .models import Address, Post, User


def emails_of(name):
    with SessionLocal() as s:
        return [a.email for a in s.query(Address).join(User).filter(User.name == name)]


def add_user(name):
    s = SessionLocal()
    s.add_all([User(name=name), Post()])
    s.commit()


def posts_table_rows(conn):
    return conn.execute(Post.__table__.select()).fetchall()
