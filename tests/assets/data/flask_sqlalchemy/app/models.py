from .extensions import db


class OrderLine(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    invoice_id = db.Column(db.Integer, db.ForeignKey("invoice.id"))


class Invoice(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    lines = db.relationship("OrderLine", backref="invoice")
