"""``migrator verify``: boot a generated system on loopback, check it, stop it again.

Ports and adapters, as import-linter is built (docs/architecture.md, "Verify: use case and
adapters"):

- ``domain``: the values of a run (the request, the system to run, the report and its steps) and
  the rules that need no I/O (a service's variables for the run, URLs without passwords);
- ``application``: the use case, ``verify()``, written against the small interfaces of ``ports``;
- ``adapters``: those interfaces implemented with the real things (child processes, sockets,
  brokers, PostgreSQL, nginx, pytest, schemathesis).

``migrator.pipeline.verification`` is the composition root: it wires the real adapters and is
what the CLI calls. Unit tests wire fakes instead.
"""
