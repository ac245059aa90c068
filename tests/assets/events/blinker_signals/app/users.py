from blinker import signal

from app import signals
from app.signals import audit_trail, created, user_created


class Accounts:
    def register(self, name):
        user_created.send(self, name=name)
        created.send(self)

    def close(self):
        signal("order-done").send("accounts")
        audit_trail.send(self)


@user_created.connect
def welcome(sender, **extra):
    pass


@signals.order_done.connect_via(Accounts)
def archive(sender, **extra):
    pass


def audit(sender, **extra):
    pass


def wire():
    user_created.connect(audit)
    audit_trail.connect(audit, sender=Accounts)
