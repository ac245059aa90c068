from blinker import Namespace

_admin = Namespace()

# the same name as app.signals.created, in another namespace: a different signal
created = _admin.signal("created")
