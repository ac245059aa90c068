"""Running the command line in-process, as a user would, for functional tests."""

from __future__ import annotations

from click.testing import CliRunner, Result

from migrator.cli import main


def invoke(*args: str) -> Result:
    """Run ``migrator ARGS``; a traceback in the output is a failure whatever the exit code."""
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output + result.stderr
    return result


def run(*args: str) -> tuple[int, str, str]:
    """Run ``migrator ARGS`` and return the exit code, stdout and stderr."""
    result = invoke(*args)
    return result.exit_code, result.stdout, result.stderr
