"""The tracer ``migrator trace`` puts under a monolith's test suite or command (see ``sitecustomize``).

Standard library only, for Python 3.8 and later: it runs in the application's own environment, on
its own pins. Configured by the environment of the traced process:

- ``MIGRATOR_TRACE_OUTPUT``: the file the raw records are written to when the process ends;
- ``MIGRATOR_TRACE_ROOT``: the project's folder; only code under it (outside its tests, virtual
  environments and site-packages) is traced;
- ``MIGRATOR_SUITE_RESULTS``: when set, each test's outcome is recorded by verify's own-suite shim
  (``migrator_suite_shim``, on the same PYTHONPATH).
"""

from __future__ import annotations

import atexit
import os

from . import contexts, recorder, sql, tracers


def install() -> None:
    """Start tracing now, hook the test runners, web frameworks and database layers as they are
    imported, and write the records at exit."""
    state = recorder.Recorder(os.environ.get("MIGRATOR_TRACE_ROOT") or os.getcwd())
    recorder.STATE = state
    if os.environ.get("MIGRATOR_SUITE_RESULTS"):
        import migrator_suite_shim

        migrator_suite_shim.install()
    contexts.install(state)
    sql.install(state)
    stop = tracers.start(state)

    def finish() -> None:
        stop()
        state.dump(os.environ["MIGRATOR_TRACE_OUTPUT"], tracer=tracers.NAME)

    atexit.register(finish)
