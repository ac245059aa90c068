"""Loaded by Python at start in the processes ``migrator verify`` runs (this folder is first on
their PYTHONPATH). In a monolith's own test suite: records each test's outcome, and on the split
run sends the suite's in-process clients over HTTP to the gateway. In a service: keeps the mail it
sends in the run's folder. Neither knows it is here."""

import os

if os.environ.get("MIGRATOR_SUITE_RESULTS"):
    import migrator_suite_shim

    migrator_suite_shim.install()
elif os.environ.get("MIGRATOR_MAIL_DIR"):
    import migrator_suite_shim

    migrator_suite_shim.keep_mail()
