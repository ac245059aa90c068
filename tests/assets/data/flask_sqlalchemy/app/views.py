from .extensions import db
from .models import Invoice, OrderLine


def show(invoice_id):
    invoice = db.get_or_404(Invoice, invoice_id)
    return invoice, OrderLine.query.filter_by(invoice_id=invoice_id).all()


def create():
    invoice = Invoice()
    db.session.add(invoice)
    db.session.commit()
    return db.session.execute(db.select(OrderLine)).scalars()
