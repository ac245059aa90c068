"""The one exception hierarchy of the toolkit.

Every message is written for the user: what went wrong, where, and what to do about it.
Exceptions keep structured fields and pickle, so they can cross a process pool.
"""

from __future__ import annotations


class MigratorError(Exception):
    """Base of every error the toolkit raises on purpose; the CLI maps it to exit code 1."""

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message, hint)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} (hint: {self.hint})" if self.hint else self.message


class SourceNotFound(MigratorError):
    """The source folder given on the command line does not exist or is not a folder."""


class NoPythonSource(MigratorError):
    """The source folder holds no Python file that can be analysed."""


class InvalidGraph(MigratorError):
    """A graph file does not follow the migrator.graph/1 format."""
