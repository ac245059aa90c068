"""Loaded by Python at start in the process of a monolith's own test suite that ``migrator verify``
runs (this folder is first on its PYTHONPATH): records each test's outcome, and on the split run
sends the suite's in-process clients over HTTP to the gateway. The suite does not know it is here."""

import os

if os.environ.get("MIGRATOR_SUITE_RESULTS"):
    import migrator_suite_shim

    migrator_suite_shim.install()
