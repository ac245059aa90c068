"""``migrator trace``: the monolith's own test suite (or any command) run under a tracer in the
application's own environment (``agent/``, injected through a ``sitecustomize``), and what the
tracer recorded turned into trace.json (``records``)."""
