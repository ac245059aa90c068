from celery import chain, current_app

from proj import tasks
from proj.celery import app
from proj.tasks import cleanup, reindex, send_mail


def checkout(order_id):
    send_mail.delay("a@example.com")
    tasks.charge.apply_async(args=[order_id], countdown=10)
    reindex.delay(1)


def pipeline():
    return chain(cleanup.s(), send_mail.si("ops@example.com"))


def remote():
    app.send_task("custom.charge", args=[1])
    current_app.send_task("proj.tasks.cleanup")
    app.send_task("billing.tasks.invoice")
