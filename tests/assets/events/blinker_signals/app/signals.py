from blinker import Namespace, Signal, signal

_signals = Namespace()

user_created = _signals.signal("user-created")
created = _signals.signal("created")
order_done = signal("order-done")
audit_trail = Signal()
