HANDLERS = {}


def on(name):
    def register(function):
        HANDLERS.setdefault(name, []).append(function)
        return function
    return register


def dispatch(name, **data):
    for handler in HANDLERS.get(name, ()):
        handler(**data)
