from .db import db
from .models import Customer


def show(customer_id):
    return db.session.get(Customer, customer_id)
