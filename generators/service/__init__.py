"""The code of each generated service: the modules it owns carried over, clients for what other
services own, and the runtime (``runtime/``: codec, clients, events, metrics, health) copied in."""
