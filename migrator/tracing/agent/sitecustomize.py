"""Loaded by Python at start in the process that ``migrator trace`` runs (this folder is first on its
PYTHONPATH): starts the tracer of ``migrator_trace_agent``, and, as verify's own-suite shim does
when it is loaded instead, records each test's outcome. The traced program does not know it is here."""

import os

if os.environ.get("MIGRATOR_TRACE_OUTPUT"):
    import migrator_trace_agent

    migrator_trace_agent.install()
